DROP TRIGGER organisations_client_keys;
DROP TRIGGER accounts_client_keys;
DROP TRIGGER deleghe_client_keys;
DROP INDEX deleghe_held_for;
ALTER TABLE deleghe DROP COLUMN client_codice_fiscale;
ALTER TABLE deleghe DROP COLUMN client_name;
