DROP INDEX deleghe_held_by;
CREATE INDEX deleghe_held_by ON deleghe (delegate_organisation_id, ends_on, id) WHERE delegate_organisation_id IS NOT NULL;
