DROP TABLE work_group_clients;
DROP TABLE work_group_members;
DROP TABLE work_groups;
DROP INDEX deleghe_held_by;
ALTER TABLE delega_requests DROP COLUMN delegate_organisation_id;
ALTER TABLE deleghe DROP COLUMN delegate_organisation_id;
