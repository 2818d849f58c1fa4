-- An organisation's activity (everything done as it, or to its members,
-- invitations and lists) was found by LIKE 'org:N/%' over the whole trail:
-- at a million rows, a scan. The organisation an event's subject and
-- resource name is kept in its own column, indexed with the id, so its pages
-- are read by keyset from two index ranges.
ALTER TABLE audit_events ADD COLUMN subject_org BIGINT;
ALTER TABLE audit_events ADD COLUMN resource_org BIGINT;
UPDATE audit_events
SET subject_org = CAST(substr(subject, 5, CASE WHEN instr(substr(subject, 5), '/') > 0
                                               THEN instr(substr(subject, 5), '/') - 1
                                               ELSE length(subject) END) AS INTEGER)
WHERE subject LIKE 'org:%';
UPDATE audit_events
SET resource_org = CAST(substr(resource, 5, CASE WHEN instr(substr(resource, 5), '/') > 0
                                                 THEN instr(substr(resource, 5), '/') - 1
                                                 ELSE length(resource) END) AS INTEGER)
WHERE resource LIKE 'org:%';
CREATE INDEX audit_events_subject_org ON audit_events (subject_org, id);
CREATE INDEX audit_events_resource_org ON audit_events (resource_org, id);
