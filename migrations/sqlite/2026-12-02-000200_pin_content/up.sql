-- The PIN is bound to what the worker signed: a hash of the relationship and
-- of section 4 (earlier PINs, all spent or expired, carry none).
ALTER TABLE dimissioni_pins ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
