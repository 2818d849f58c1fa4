-- Organisations people act for, and their roles in them (memberships).
CREATE TABLE organisations (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    kind TEXT NOT NULL,
    tax_code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    pec TEXT NOT NULL,
    seat TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE memberships (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    since TIMESTAMP NOT NULL,
    until TIMESTAMP
);
CREATE INDEX memberships_account ON memberships (account_id);
CREATE INDEX memberships_organisation ON memberships (organisation_id);
-- One active membership per person and organisation.
CREATE UNIQUE INDEX memberships_active ON memberships (organisation_id, account_id) WHERE until IS NULL;
