ALTER TABLE memberships DROP COLUMN services;
