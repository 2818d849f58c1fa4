-- Entries into services: the home page's "most used" and each person's "recently used".
CREATE TABLE service_uses (
    id BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX service_uses_account_at ON service_uses (account_id, at);
CREATE INDEX service_uses_slug ON service_uses (slug);
