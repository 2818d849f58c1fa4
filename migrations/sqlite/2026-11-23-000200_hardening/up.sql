-- Hardening. Throttling uses a decaying window of attempts and growing
-- delays, no hard lock; a reset link is burnt after too many wrong second
-- factors; a sign-in is bound to the browser that started it.
ALTER TABLE auth_throttle DROP COLUMN locked_until;
ALTER TABLE password_resets ADD COLUMN code_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE saml_requests ADD COLUMN browser_binding TEXT;
ALTER TABLE saml_requests ADD COLUMN initiator_account_id BIGINT;
