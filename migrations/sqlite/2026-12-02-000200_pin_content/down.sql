ALTER TABLE dimissioni_pins DROP COLUMN content_hash;
