DROP TABLE legacy_claims;
DROP TABLE legacy_activity;
DROP TABLE legacy_profiles;
DROP TABLE organisation_applications;
DROP TABLE invitations;
ALTER TABLE sign_ins DROP COLUMN address;
ALTER TABLE organisations DROP COLUMN albo_number;
ALTER TABLE organisations DROP COLUMN ordine;
