ALTER TABLE sessions DROP COLUMN successor;
