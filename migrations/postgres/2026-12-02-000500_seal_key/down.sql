DROP TABLE dimissioni_checkpoints;
ALTER TABLE dimissioni_modules DROP COLUMN seal_key;
