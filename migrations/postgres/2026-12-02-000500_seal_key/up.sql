-- Modules are sealed with a key of their own, named in each seal (its
-- certificate's fingerprint); such a seal (version 2) also covers the sender,
-- the worker's account, the retrieval code and the key's name. Earlier
-- modules name no key (version 1, sealed with the service-provider key).
ALTER TABLE dimissioni_modules ADD COLUMN seal_key TEXT;
-- Signed checkpoints of the chain's head: deleting the newest modules leaves
-- the chain shorter than a checkpoint says.
CREATE TABLE dimissioni_checkpoints (
    id BIGSERIAL PRIMARY KEY,
    modules BIGINT NOT NULL,
    head_code TEXT NOT NULL,
    head_hash TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    seal_key TEXT NOT NULL,
    signature TEXT NOT NULL
);
