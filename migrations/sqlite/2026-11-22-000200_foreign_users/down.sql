DROP TABLE password_resets;
DROP TABLE auth_failures;
DROP TABLE auth_throttle;
DROP TABLE operators;
DROP TABLE helpdesk_decisions;
DROP TABLE recovery_codes;
DROP TABLE foreign_users;
