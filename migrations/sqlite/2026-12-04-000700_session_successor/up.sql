-- Where a session set aside by a change of id went on: ending the old id ends
-- the new one too, and "end the other sessions" keeps both.
ALTER TABLE sessions ADD COLUMN successor TEXT;
