-- Soggetti abilitati: a consulente del lavoro is known by codice fiscale and
-- provincial Ordine; the albo number may change when they move.
ALTER TABLE organisations ADD COLUMN ordine TEXT;
ALTER TABLE organisations ADD COLUMN albo_number TEXT;
-- "From where": the client address each sign-in came from.
ALTER TABLE sign_ins ADD COLUMN address TEXT;

-- An amministratore invites someone by codice fiscale; they accept after signing in.
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    invitee_tax_code TEXT NOT NULL,
    role TEXT NOT NULL,
    invited_by BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP,
    decided_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL
);
CREATE INDEX invitations_invitee ON invitations (invitee_tax_code);
CREATE INDEX invitations_organisation ON invitations (organisation_id);
-- One open invitation per person and organisation.
CREATE UNIQUE INDEX invitations_pending ON invitations (organisation_id, invitee_tax_code) WHERE state = 'pending';

-- An organisation the registry does not know (foreign, new, a public body, a
-- soggetto abilitato), declared with a supporting document and validated by
-- the helpdesk.
CREATE TABLE organisation_applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    tax_code TEXT NOT NULL,
    name TEXT NOT NULL,
    pec TEXT NOT NULL,
    seat TEXT NOT NULL,
    ordine TEXT,
    albo_number TEXT,
    doc_file TEXT NOT NULL,
    doc_mime TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT,
    created_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP,
    operator_account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    organisation_id BIGINT REFERENCES organisations (id) ON DELETE SET NULL
);
CREATE INDEX organisation_applications_account ON organisation_applications (account_id);
CREATE INDEX organisation_applications_state ON organisation_applications (state);

-- Associations and activity from the old portal (ClicLavoro), loaded by
-- `servizi-lavoro import cliclavoro` and claimed at the person's first strong sign-in.
CREATE TABLE legacy_profiles (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    person_tax_code TEXT NOT NULL,
    organisation_tax_code TEXT NOT NULL,
    organisation_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    role TEXT NOT NULL,
    since DATE NOT NULL,
    claimed_at TIMESTAMP
);
CREATE UNIQUE INDEX legacy_profiles_key ON legacy_profiles (person_tax_code, organisation_tax_code);
CREATE TABLE legacy_activity (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    person_tax_code TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    organisation_tax_code TEXT,
    description TEXT NOT NULL
);
CREATE UNIQUE INDEX legacy_activity_key ON legacy_activity (person_tax_code, at, description);
-- Whose legacy data were claimed, and whether the personal area has said so.
CREATE TABLE legacy_claims (
    account_id BIGINT PRIMARY KEY NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    claimed_at TIMESTAMP NOT NULL,
    profiles INTEGER NOT NULL,
    activities INTEGER NOT NULL,
    notice_seen_at TIMESTAMP
);
