-- A request to associate a company the registry does not name the person
-- for: a single-use link goes to the company's PEC address.
CREATE TABLE association_requests (
    id BIGSERIAL PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    company_tax_code TEXT NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP
);
CREATE INDEX association_requests_account ON association_requests (account_id);
