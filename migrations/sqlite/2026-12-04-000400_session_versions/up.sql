-- Each save of a session moves its version; a save made from an older version
-- merges its changes into the newer one instead of overwriting it.
ALTER TABLE sessions ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
