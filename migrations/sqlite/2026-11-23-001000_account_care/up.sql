-- What a person chose for their account: a longer inactivity limit (WCAG
-- 2.2.1; 0: none until the absolute cap) and sign-in alerts for every sign-in.
CREATE TABLE account_preferences (
    account_id BIGINT PRIMARY KEY NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    idle_minutes INTEGER,
    alert_every_sign_in BOOLEAN NOT NULL DEFAULT 0
);
-- Browsers a person signed in from before (by a cookie's hash), for alerts on new ones.
CREATE TABLE known_devices (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    device_hash TEXT NOT NULL,
    first_seen TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, device_hash)
);
-- "This wasn't me" links of sign-in alerts.
CREATE TABLE alert_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    detail TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
-- What was typed in a form posted after the session ended, kept 30 minutes.
CREATE TABLE kept_forms (
    token_hash TEXT PRIMARY KEY NOT NULL,
    path TEXT NOT NULL,
    body TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
