-- The worker's retrieval code (nota 3575/2020): printed on the worker's copy
-- and receipt; with it and the worker's codice fiscale any soggetto abilitato
-- (the Ispettorato included) finds the module, to revoke it with the worker.
ALTER TABLE dimissioni_modules ADD COLUMN retrieval_code TEXT;
CREATE UNIQUE INDEX dimissioni_modules_retrieval ON dimissioni_modules (retrieval_code);
-- Every lookup by retrieval code, found or not: who, for which organisation, what.
CREATE TABLE dimissioni_retrievals (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    account_id BIGINT NOT NULL,
    organisation_id BIGINT,
    module_code TEXT,
    found BOOLEAN NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX dimissioni_retrievals_holder ON dimissioni_retrievals (account_id, module_code);
