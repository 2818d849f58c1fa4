-- A support case's secret links replaced by newer ones: an old link then says
-- it was replaced (and where the new one went) instead of a bare 404.
CREATE TABLE support_retired_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    case_number TEXT NOT NULL,
    retired_at TIMESTAMP NOT NULL
);
