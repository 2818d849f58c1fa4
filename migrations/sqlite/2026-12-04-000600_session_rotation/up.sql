-- A session being carried on under a new id (after a sign-in or a change of
-- profile) is no longer read; the new one is created only if this row is
-- still there, so a session ended meanwhile stays ended.
ALTER TABLE sessions ADD COLUMN rotated BOOLEAN NOT NULL DEFAULT FALSE;
