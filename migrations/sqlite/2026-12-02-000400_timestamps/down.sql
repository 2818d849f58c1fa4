DROP TABLE dimissioni_timestamps;
