-- Each delega's client as its holder's list shows it — the name in lower
-- case and the codice fiscale (the organisation's, else the grantor's) —
-- kept by the database itself, so that a search or an operatore's groups
-- read a studio's own deleghe rather than join each to its grantor and
-- organisation. The triggers keep them true when a name or a codice
-- fiscale changes (and do nothing on the updates that only lock a row).
ALTER TABLE deleghe ADD COLUMN client_name TEXT NOT NULL DEFAULT '';
ALTER TABLE deleghe ADD COLUMN client_codice_fiscale TEXT NOT NULL DEFAULT '';
UPDATE deleghe SET
    client_name = lower(COALESCE(
        (SELECT name FROM organisations WHERE id = deleghe.organisation_id),
        (SELECT given_name || ' ' || family_name FROM accounts WHERE id = deleghe.grantor_account_id))),
    client_codice_fiscale = COALESCE(
        (SELECT codice_fiscale FROM organisations WHERE id = deleghe.organisation_id),
        (SELECT identifier FROM accounts WHERE id = deleghe.grantor_account_id));
CREATE INDEX deleghe_held_for ON deleghe (delegate_organisation_id, client_codice_fiscale) WHERE delegate_organisation_id IS NOT NULL;

CREATE FUNCTION deleghe_client_keys() RETURNS trigger AS $$
BEGIN
    NEW.client_name := lower(COALESCE(
        (SELECT name FROM organisations WHERE id = NEW.organisation_id),
        (SELECT given_name || ' ' || family_name FROM accounts WHERE id = NEW.grantor_account_id)));
    NEW.client_codice_fiscale := COALESCE(
        (SELECT codice_fiscale FROM organisations WHERE id = NEW.organisation_id),
        (SELECT identifier FROM accounts WHERE id = NEW.grantor_account_id));
    RETURN NEW;
END; $$ LANGUAGE plpgsql;
CREATE TRIGGER deleghe_client_keys BEFORE INSERT ON deleghe FOR EACH ROW EXECUTE FUNCTION deleghe_client_keys();

CREATE FUNCTION accounts_client_keys() RETURNS trigger AS $$
BEGIN
    UPDATE deleghe SET
        client_name = lower(NEW.given_name || ' ' || NEW.family_name),
        client_codice_fiscale = NEW.identifier
    WHERE grantor_account_id = NEW.id AND organisation_id IS NULL;
    RETURN NULL;
END; $$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_client_keys AFTER UPDATE OF given_name, family_name, identifier ON accounts FOR EACH ROW
    WHEN (NEW.given_name IS DISTINCT FROM OLD.given_name OR NEW.family_name IS DISTINCT FROM OLD.family_name
          OR NEW.identifier IS DISTINCT FROM OLD.identifier)
    EXECUTE FUNCTION accounts_client_keys();

CREATE FUNCTION organisations_client_keys() RETURNS trigger AS $$
BEGIN
    UPDATE deleghe SET client_name = lower(NEW.name), client_codice_fiscale = NEW.codice_fiscale
    WHERE organisation_id = NEW.id;
    RETURN NULL;
END; $$ LANGUAGE plpgsql;
CREATE TRIGGER organisations_client_keys AFTER UPDATE OF name, codice_fiscale ON organisations FOR EACH ROW
    WHEN (NEW.name IS DISTINCT FROM OLD.name OR NEW.codice_fiscale IS DISTINCT FROM OLD.codice_fiscale)
    EXECUTE FUNCTION organisations_client_keys();
