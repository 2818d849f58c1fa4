-- A delega may be held by an organisation (a studio acting for its clients)
-- rather than by one person: then its members act through it, managers for
-- every client, an operatore only for the clients of their work groups.
ALTER TABLE deleghe ADD COLUMN delegate_organisation_id BIGINT REFERENCES organisations (id);
ALTER TABLE delega_requests ADD COLUMN delegate_organisation_id BIGINT REFERENCES organisations (id);
CREATE INDEX deleghe_held_by ON deleghe (delegate_organisation_id, ends_on, id) WHERE delegate_organisation_id IS NOT NULL;

-- Gruppi di lavoro: some operatori, some clients (by codice fiscale).
CREATE TABLE work_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (organisation_id, name)
);
CREATE TABLE work_group_members (
    group_id BIGINT NOT NULL REFERENCES work_groups (id) ON DELETE CASCADE,
    membership_id BIGINT NOT NULL REFERENCES memberships (id),
    PRIMARY KEY (group_id, membership_id)
);
CREATE INDEX work_group_members_membership ON work_group_members (membership_id);
CREATE TABLE work_group_clients (
    group_id BIGINT NOT NULL REFERENCES work_groups (id) ON DELETE CASCADE,
    client_codice_fiscale TEXT NOT NULL,
    PRIMARY KEY (group_id, client_codice_fiscale)
);
