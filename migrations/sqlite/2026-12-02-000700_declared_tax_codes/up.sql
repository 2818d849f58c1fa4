-- The codice fiscale an eIDAS person (an EU citizen working in Italy) declares,
-- checked against their eIDAS name and date of birth: one per account, and
-- no codice fiscale declared by two eIDAS identities.
CREATE TABLE declared_tax_codes (
    account_id BIGINT PRIMARY KEY NOT NULL REFERENCES accounts (id),
    codice_fiscale TEXT NOT NULL UNIQUE,
    declared_at TIMESTAMP NOT NULL
);
