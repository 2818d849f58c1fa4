-- Data certa from a third party: the RFC 3161 time-stamp token of each
-- module's seal hash, as the time-stamping authority gave it.
CREATE TABLE dimissioni_timestamps (
    module_code TEXT PRIMARY KEY NOT NULL,
    token BYTEA NOT NULL,
    stamped_at TIMESTAMP NOT NULL,
    authority TEXT NOT NULL
);
