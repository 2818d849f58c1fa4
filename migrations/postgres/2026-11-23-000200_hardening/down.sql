ALTER TABLE saml_requests DROP COLUMN initiator_account_id;
ALTER TABLE saml_requests DROP COLUMN browser_binding;
ALTER TABLE password_resets DROP COLUMN code_failures;
ALTER TABLE auth_throttle ADD COLUMN locked_until TIMESTAMP;
