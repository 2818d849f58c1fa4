DROP INDEX deleghe_delegate;
DROP INDEX deleghe_delegate_state;
DROP INDEX deleghe_grantor;
DROP INDEX deleghe_organisation;
CREATE INDEX deleghe_delegate ON deleghe (delegate_codice_fiscale);
CREATE INDEX deleghe_grantor ON deleghe (grantor_account_id);
CREATE INDEX deleghe_organisation ON deleghe (organisation_id);
