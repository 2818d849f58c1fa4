-- Deleghe asked for by the intermediary (HMRC's agent asks, the client
-- accepts): the client (a person or an organisation, by codice fiscale)
-- accepts as asked, with fewer services or a shorter period, or refuses;
-- unanswered, the request lapses (answer_by).
CREATE TABLE delega_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    requester_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- The requester's codice fiscale: the delega's delegate.
    delegate_codice_fiscale TEXT NOT NULL,
    client_codice_fiscale TEXT NOT NULL,
    -- 'person' or 'organisation'.
    client_kind TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- Service slugs separated by spaces; none: every service the client may delegate.
    services TEXT,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    answer_by TIMESTAMP NOT NULL,
    decided_at TIMESTAMP,
    decided_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    delega_id BIGINT REFERENCES deleghe (id) ON DELETE SET NULL
);
CREATE INDEX delega_requests_client ON delega_requests (client_codice_fiscale, id);
CREATE INDEX delega_requests_requester ON delega_requests (requester_account_id, id);
