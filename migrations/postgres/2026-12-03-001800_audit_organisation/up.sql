-- An organisation's activity (everything done as it, or to its members,
-- invitations and lists) was found by LIKE 'org:N/%' over the whole trail:
-- at a million rows, a scan. The organisation an event's subject and
-- resource name is kept in its own column, indexed with the id, so its pages
-- are read by keyset from two index ranges.
ALTER TABLE audit_events ADD COLUMN subject_org BIGINT;
ALTER TABLE audit_events ADD COLUMN resource_org BIGINT;
UPDATE audit_events SET subject_org = substring(subject from '^org:([0-9]+)')::bigint
WHERE subject ~ '^org:[0-9]+(/|$)';
UPDATE audit_events SET resource_org = substring(resource from '^org:([0-9]+)')::bigint
WHERE resource ~ '^org:[0-9]+(/|$)';
CREATE INDEX audit_events_subject_org ON audit_events (subject_org, id);
CREATE INDEX audit_events_resource_org ON audit_events (resource_org, id);
