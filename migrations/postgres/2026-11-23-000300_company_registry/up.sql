-- The company registry as loaded by `servizi-lavoro import registro-imprese`:
-- the local stand-in for the national registry (Registro delle imprese), read
-- when a person associates a company profile.
CREATE TABLE registry_companies (
    tax_code TEXT PRIMARY KEY NOT NULL,
    vat_number TEXT,
    name TEXT NOT NULL,
    pec TEXT NOT NULL,
    seat TEXT NOT NULL,
    imported_at TIMESTAMP NOT NULL
);
-- Who the registry names as legale rappresentante of each company.
CREATE TABLE registry_representatives (
    company_tax_code TEXT NOT NULL REFERENCES registry_companies (tax_code) ON DELETE CASCADE,
    person_tax_code TEXT NOT NULL,
    PRIMARY KEY (company_tax_code, person_tax_code)
);
CREATE INDEX registry_representatives_person ON registry_representatives (person_tax_code);
