-- Employment relationships as the Comunicazioni Obbligatorie know them,
-- loaded by `servizi-lavoro import rapporti` (the local stand-in for the CO).
CREATE TABLE rapporti (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    worker_tax_code TEXT NOT NULL,
    employer_tax_code TEXT NOT NULL,
    employer_name TEXT NOT NULL,
    workplace_address TEXT NOT NULL,
    workplace_comune TEXT NOT NULL,
    workplace_cap TEXT NOT NULL,
    workplace_province TEXT NOT NULL,
    start_date DATE NOT NULL,
    contract_type TEXT NOT NULL,
    end_date DATE,
    employer_email TEXT,
    employer_pec TEXT
);
CREATE UNIQUE INDEX rapporti_key ON rapporti (worker_tax_code, employer_tax_code, start_date);
CREATE INDEX rapporti_employer ON rapporti (employer_tax_code);

-- Modules sent (dimissioni, giusta causa, risoluzione consensuale, revoca):
-- never edited; each sealed with a hash chained to the previous one and signed.
CREATE TABLE dimissioni_modules (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    revokes_code TEXT,
    revoked_by_code TEXT,
    worker_account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    worker_tax_code TEXT NOT NULL,
    worker_family_name TEXT NOT NULL,
    worker_given_name TEXT NOT NULL,
    worker_email TEXT NOT NULL,
    employer_tax_code TEXT NOT NULL,
    employer_name TEXT NOT NULL,
    workplace_address TEXT NOT NULL,
    workplace_comune TEXT NOT NULL,
    workplace_cap TEXT NOT NULL,
    workplace_province TEXT NOT NULL,
    employer_email TEXT NOT NULL,
    employer_pec TEXT NOT NULL,
    start_date DATE NOT NULL,
    contract_type TEXT NOT NULL,
    decorrenza DATE,
    reason TEXT,
    filed_by_account_id BIGINT NOT NULL REFERENCES accounts (id),
    abilitato_kind TEXT,
    abilitato_tax_code TEXT,
    transmitted_at TIMESTAMP NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    signature TEXT NOT NULL
);
CREATE INDEX dimissioni_worker ON dimissioni_modules (worker_tax_code);
CREATE INDEX dimissioni_employer ON dimissioni_modules (employer_tax_code);
CREATE INDEX dimissioni_filed_by ON dimissioni_modules (filed_by_account_id);
CREATE INDEX dimissioni_province ON dimissioni_modules (workplace_province);

-- Each attempt to deliver a module (employer PEC and e-mail, ITL, worker) and its outcome.
CREATE TABLE dimissioni_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    module_id BIGINT NOT NULL REFERENCES dimissioni_modules (id) ON DELETE CASCADE,
    recipient TEXT NOT NULL,
    address TEXT NOT NULL,
    attempted_at TIMESTAMP NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX dimissioni_deliveries_module ON dimissioni_deliveries (module_id);

-- The paper delega of a soggetto abilitato's filing: a 13-digit PIN, valid on
-- the day it was issued, for that one module.
CREATE TABLE dimissioni_pins (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    pin_hash TEXT NOT NULL,
    operator_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    worker_tax_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    issued_on DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    used_by_code TEXT
);

-- Ispettorato officers (`servizi-lavoro itl add`) and their province.
CREATE TABLE itl_officers (
    identifier TEXT PRIMARY KEY NOT NULL,
    province TEXT NOT NULL,
    added_at TIMESTAMP NOT NULL
);
