-- Chiedi supporto: requests to the URP, each a case with a number, a state,
-- its messages (requester, operator, internal notes) and an optional attachment.
CREATE TABLE support_cases (
    id BIGSERIAL PRIMARY KEY,
    case_number TEXT NOT NULL UNIQUE,
    account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    lang TEXT NOT NULL,
    category TEXT NOT NULL,
    service TEXT,
    description TEXT NOT NULL,
    attachment_file TEXT,
    attachment_mime TEXT,
    state TEXT NOT NULL,
    assigned_to BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    access_token_hash TEXT NOT NULL,
    confirm_token_hash TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX support_cases_state ON support_cases (state);
CREATE INDEX support_cases_email ON support_cases (email);
CREATE TABLE support_messages (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES support_cases (id) ON DELETE CASCADE,
    at TIMESTAMP NOT NULL,
    author TEXT NOT NULL,
    author_account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    body TEXT NOT NULL
);
CREATE INDEX support_messages_case ON support_messages (case_id);
-- Sessions: which device and when last used (for "sign out everywhere").
ALTER TABLE sessions ADD COLUMN device TEXT;
ALTER TABLE sessions ADD COLUMN last_seen TIMESTAMP;
