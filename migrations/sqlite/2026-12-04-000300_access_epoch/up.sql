-- Whom a signed-in person acts for (a membership, a delega) is checked
-- again only when something it rests on changed: every change to these rows
-- moves one counter, read with the session. A session checked at the
-- counter's value on the same Italian day needs no new check; a change made
-- by any instance moves it for all of them.
CREATE TABLE access_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), n BIGINT NOT NULL);
-- Starts at the time in milliseconds, not 0: undone and applied again, it
-- never goes back to a value a session noted as checked.
INSERT INTO access_epoch (id, n) VALUES (1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));

CREATE TRIGGER memberships_access_insert AFTER INSERT ON memberships BEGIN UPDATE access_epoch SET n = n + 1; END;
CREATE TRIGGER memberships_access_update AFTER UPDATE ON memberships BEGIN UPDATE access_epoch SET n = n + 1; END;
CREATE TRIGGER memberships_access_delete AFTER DELETE ON memberships BEGIN UPDATE access_epoch SET n = n + 1; END;
CREATE TRIGGER deleghe_access_insert AFTER INSERT ON deleghe BEGIN UPDATE access_epoch SET n = n + 1; END;
CREATE TRIGGER deleghe_access_update AFTER UPDATE ON deleghe BEGIN UPDATE access_epoch SET n = n + 1; END;
CREATE TRIGGER deleghe_access_delete AFTER DELETE ON deleghe BEGIN UPDATE access_epoch SET n = n + 1; END;
CREATE TRIGGER delega_approvals_access_insert AFTER INSERT ON delega_approvals BEGIN UPDATE access_epoch SET n = n + 1; END;
CREATE TRIGGER delega_approvals_access_update AFTER UPDATE ON delega_approvals BEGIN UPDATE access_epoch SET n = n + 1; END;
CREATE TRIGGER delega_approvals_access_delete AFTER DELETE ON delega_approvals BEGIN UPDATE access_epoch SET n = n + 1; END;
CREATE TRIGGER work_group_members_access_insert AFTER INSERT ON work_group_members BEGIN UPDATE access_epoch SET n = n + 1; END;
CREATE TRIGGER work_group_members_access_update AFTER UPDATE ON work_group_members BEGIN UPDATE access_epoch SET n = n + 1; END;
CREATE TRIGGER work_group_members_access_delete AFTER DELETE ON work_group_members BEGIN UPDATE access_epoch SET n = n + 1; END;
CREATE TRIGGER work_group_clients_access_insert AFTER INSERT ON work_group_clients BEGIN UPDATE access_epoch SET n = n + 1; END;
CREATE TRIGGER work_group_clients_access_update AFTER UPDATE ON work_group_clients BEGIN UPDATE access_epoch SET n = n + 1; END;
CREATE TRIGGER work_group_clients_access_delete AFTER DELETE ON work_group_clients BEGIN UPDATE access_epoch SET n = n + 1; END;
CREATE TRIGGER organisations_access_update AFTER UPDATE OF name, kind ON organisations WHEN NEW.name IS NOT OLD.name OR NEW.kind IS NOT OLD.kind
    BEGIN UPDATE access_epoch SET n = n + 1; END;
CREATE TRIGGER organisations_access_delete AFTER DELETE ON organisations BEGIN UPDATE access_epoch SET n = n + 1; END;
CREATE TRIGGER accounts_access_update AFTER UPDATE OF given_name, family_name ON accounts WHEN NEW.given_name IS NOT OLD.given_name OR NEW.family_name IS NOT OLD.family_name
    BEGIN UPDATE access_epoch SET n = n + 1; END;
CREATE TRIGGER accounts_access_delete AFTER DELETE ON accounts BEGIN UPDATE access_epoch SET n = n + 1; END;
