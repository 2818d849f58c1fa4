DROP INDEX audit_events_subject_org;
DROP INDEX audit_events_resource_org;
ALTER TABLE audit_events DROP COLUMN subject_org;
ALTER TABLE audit_events DROP COLUMN resource_org;
