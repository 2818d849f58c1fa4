DROP TABLE oidc_trust_chains;
DROP TABLE oidc_requests;
ALTER TABLE sign_ins DROP COLUMN protocol;
