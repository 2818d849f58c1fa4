DROP INDEX sessions_idp_subject;
DROP INDEX sessions_account_id;
ALTER TABLE sessions DROP COLUMN idp_subject;
ALTER TABLE sessions DROP COLUMN account_id;
DROP TABLE saml_register;
DROP TABLE saml_replay;
DROP TABLE saml_requests;
DROP TABLE sign_ins;
DROP TABLE accounts;
