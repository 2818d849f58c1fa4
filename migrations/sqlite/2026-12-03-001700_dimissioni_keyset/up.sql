-- The Dimissioni lists page newest first by keyset (id below the last
-- shown): each list's filter paired with the id, so a company with 50 000
-- modules reads a page from the index in order instead of sorting them all.
DROP INDEX dimissioni_worker;
DROP INDEX dimissioni_employer;
DROP INDEX dimissioni_filed_by;
DROP INDEX dimissioni_province;
CREATE INDEX dimissioni_worker ON dimissioni_modules (worker_codice_fiscale, id);
CREATE INDEX dimissioni_employer ON dimissioni_modules (employer_codice_fiscale, id);
CREATE INDEX dimissioni_filed_by ON dimissioni_modules (filed_by_account_id, id);
CREATE INDEX dimissioni_province ON dimissioni_modules (workplace_province, id);
