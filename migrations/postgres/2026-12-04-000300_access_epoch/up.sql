-- Whom a signed-in person acts for (a membership, a delega) is checked
-- again only when something it rests on changed: every change to these rows
-- moves one counter, read with the session. A session checked at the
-- counter's value on the same Italian day needs no new check; a change made
-- by any instance moves it for all of them.
-- The counter moves when the change commits (a deferred trigger), so no
-- transaction holds its row while it waits for another's.
CREATE TABLE access_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), n BIGINT NOT NULL);
-- Starts at the time in milliseconds, not 0: undone and applied again, it
-- never goes back to a value a session noted as checked.
INSERT INTO access_epoch (id, n) VALUES (1, (extract(epoch FROM now()) * 1000)::bigint);

CREATE FUNCTION access_changed() RETURNS trigger AS $$
BEGIN
    UPDATE access_epoch SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END; $$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER memberships_access AFTER INSERT OR UPDATE OR DELETE ON memberships
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION access_changed();
CREATE CONSTRAINT TRIGGER deleghe_access AFTER INSERT OR UPDATE OR DELETE ON deleghe
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION access_changed();
CREATE CONSTRAINT TRIGGER delega_approvals_access AFTER INSERT OR UPDATE OR DELETE ON delega_approvals
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION access_changed();
CREATE CONSTRAINT TRIGGER work_group_members_access AFTER INSERT OR UPDATE OR DELETE ON work_group_members
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION access_changed();
CREATE CONSTRAINT TRIGGER work_group_clients_access AFTER INSERT OR UPDATE OR DELETE ON work_group_clients
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION access_changed();
CREATE CONSTRAINT TRIGGER organisations_access_update AFTER UPDATE OF name, kind ON organisations
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name OR NEW.kind IS DISTINCT FROM OLD.kind) EXECUTE FUNCTION access_changed();
CREATE CONSTRAINT TRIGGER organisations_access_delete AFTER DELETE ON organisations
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION access_changed();
CREATE CONSTRAINT TRIGGER accounts_access_update AFTER UPDATE OF given_name, family_name ON accounts
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.given_name IS DISTINCT FROM OLD.given_name OR NEW.family_name IS DISTINCT FROM OLD.family_name) EXECUTE FUNCTION access_changed();
CREATE CONSTRAINT TRIGGER accounts_access_delete AFTER DELETE ON accounts
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION access_changed();
