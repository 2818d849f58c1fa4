ALTER TABLE sessions DROP COLUMN last_seen;
ALTER TABLE sessions DROP COLUMN device;
DROP TABLE support_messages;
DROP TABLE support_cases;
