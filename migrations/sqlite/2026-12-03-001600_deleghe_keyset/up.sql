-- /deleghe pages each list newest first by keyset (id below the last shown):
-- each side's filter with the id, so a page is read from the index in order
-- instead of sorting all of a studio's or a company's deleghe. One's own
-- deleghe given are those without an organisation (IS NULL is an equality
-- for the index); "is one waiting for my answer" reads the delegate's
-- pending ones only.
DROP INDEX deleghe_delegate;
DROP INDEX deleghe_grantor;
DROP INDEX deleghe_organisation;
CREATE INDEX deleghe_delegate ON deleghe (delegate_codice_fiscale, id);
CREATE INDEX deleghe_delegate_state ON deleghe (delegate_codice_fiscale, state, id);
CREATE INDEX deleghe_grantor ON deleghe (grantor_account_id, organisation_id, id);
CREATE INDEX deleghe_organisation ON deleghe (organisation_id, id);
