-- Interruptions of a service, planned or not, declared by an operator
-- (`servizi-lavoro outage`). Kept as a record: whoever had a deadline while
-- a service was down can show when it was.
CREATE TABLE service_outages (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    slug TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('planned', 'unplanned')),
    starts_at TIMESTAMP NOT NULL,
    -- The announced end; NULL while it is not known.
    ends_at TIMESTAMP,
    -- When an operator ended it (early or late) or called a planned one off.
    closed_at TIMESTAMP,
    note_it TEXT,
    note_en TEXT,
    created_at TIMESTAMP NOT NULL,
    CHECK (ends_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX service_outages_slug ON service_outages (slug, starts_at);
