-- Every access decision that guards protected data or an action: who acted,
-- for whom, what, on what, the outcome and why. Append-only: the activity
-- history reads it, nothing changes or removes it.
CREATE TABLE audit_events (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor_account_id BIGINT,
    subject TEXT NOT NULL,
    action TEXT NOT NULL,
    resource TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL,
    request_id TEXT NOT NULL
);
CREATE INDEX audit_events_actor_at ON audit_events (actor_account_id, at);
CREATE INDEX audit_events_subject_at ON audit_events (subject, at);
CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit_events is append-only'; END; $$ LANGUAGE plpgsql;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
