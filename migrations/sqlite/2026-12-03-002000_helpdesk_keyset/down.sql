DROP INDEX foreign_users_status;
DROP INDEX organisation_applications_state;
DROP INDEX support_cases_state;
DROP INDEX support_cases_updated;
CREATE INDEX foreign_users_status ON foreign_users (status);
CREATE INDEX organisation_applications_state ON organisation_applications (state);
CREATE INDEX support_cases_state ON support_cases (state);
