-- The helpdesk's queues page by keyset: each queue's filter paired with its
-- order (the id; for support requests the last change, then the id).
DROP INDEX foreign_users_status;
DROP INDEX organisation_applications_state;
DROP INDEX support_cases_state;
CREATE INDEX foreign_users_status ON foreign_users (status, id);
CREATE INDEX organisation_applications_state ON organisation_applications (state, id);
CREATE INDEX support_cases_state ON support_cases (state, updated_at, id);
CREATE INDEX support_cases_updated ON support_cases (updated_at, id);
