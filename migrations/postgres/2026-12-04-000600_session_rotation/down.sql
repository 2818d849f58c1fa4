ALTER TABLE sessions DROP COLUMN rotated;
