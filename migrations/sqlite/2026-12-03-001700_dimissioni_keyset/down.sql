DROP INDEX dimissioni_worker;
DROP INDEX dimissioni_employer;
DROP INDEX dimissioni_filed_by;
DROP INDEX dimissioni_province;
CREATE INDEX dimissioni_worker ON dimissioni_modules (worker_codice_fiscale);
CREATE INDEX dimissioni_employer ON dimissioni_modules (employer_codice_fiscale);
CREATE INDEX dimissioni_filed_by ON dimissioni_modules (filed_by_account_id);
CREATE INDEX dimissioni_province ON dimissioni_modules (workplace_province);
