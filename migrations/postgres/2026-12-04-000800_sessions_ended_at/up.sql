-- When an account's sessions were last all ended (a password changed, a role
-- removed, a sign-in disowned): no session authenticated before then is
-- created afterwards, whichever request was still on its way.
ALTER TABLE accounts ADD COLUMN sessions_ended_at TIMESTAMP;
