-- The Ispettorato's offices as the operator loads them
-- (`servizi-lavoro import itl FILE.csv`): one office may cover several
-- provinces, and either receives the modules by PEC or only consults them.
CREATE TABLE itl_offices (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    pec TEXT NOT NULL,
    delivery TEXT NOT NULL,
    imported_at TIMESTAMP NOT NULL
);
CREATE TABLE itl_office_provinces (
    province TEXT PRIMARY KEY NOT NULL,
    office_code TEXT NOT NULL
);
-- Officers belong to an office, not a province (earlier rows name a
-- province: their office is the one that covers it).
ALTER TABLE itl_officers ADD COLUMN office_code TEXT;
