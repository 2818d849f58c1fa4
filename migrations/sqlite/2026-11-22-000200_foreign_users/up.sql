-- Utente Estero: people without an Italian codice fiscale from outside eIDAS,
-- who register, are checked by the helpdesk, then sign in with a password and
-- a one-time code. The only credential the portal itself holds.
CREATE TABLE foreign_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    public_id TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL UNIQUE,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    birth_date DATE NOT NULL,
    birth_country TEXT NOT NULL,
    citizenship TEXT NOT NULL,
    phone TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    doc_number TEXT NOT NULL,
    doc_country TEXT NOT NULL,
    doc_expiry DATE NOT NULL,
    doc_file TEXT NOT NULL,
    doc_mime TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    lang TEXT NOT NULL,
    status TEXT NOT NULL,
    confirm_token_hash TEXT,
    confirm_expires_at TIMESTAMP,
    totp_secret TEXT,
    totp_enrolled_at TIMESTAMP,
    totp_last_step BIGINT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX foreign_users_status ON foreign_users (status);

CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    foreign_user_id BIGINT NOT NULL REFERENCES foreign_users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TIMESTAMP
);

-- Every helpdesk decision: who, when, what, why.
CREATE TABLE helpdesk_decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    foreign_user_id BIGINT NOT NULL REFERENCES foreign_users (id) ON DELETE CASCADE,
    operator_account_id BIGINT NOT NULL REFERENCES accounts (id),
    decision TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);

-- Helpdesk operators, by codice fiscale (they sign in with SPID or CIE).
CREATE TABLE operators (
    identifier TEXT PRIMARY KEY NOT NULL,
    added_at TIMESTAMP NOT NULL
);

-- Failed sign-ins per account and per address, for growing delays and locks.
CREATE TABLE auth_throttle (
    key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    last_failure_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);

-- Audit of failed sign-ins.
CREATE TABLE auth_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    account_key TEXT NOT NULL,
    address TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);

-- Single-use, expiring password-reset links.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY NOT NULL,
    foreign_user_id BIGINT NOT NULL REFERENCES foreign_users (id) ON DELETE CASCADE,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
