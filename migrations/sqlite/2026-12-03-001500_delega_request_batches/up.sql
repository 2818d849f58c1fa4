-- Deleghe asked for from a file (up to 1 000 clients at once): one request
-- per good line, and the report of the lines left out, kept so the sender
-- can read it again (post/redirect/get) and find what each line became.
CREATE TABLE delega_request_batches (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    requester_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    -- The file's lines after the header.
    lines INTEGER NOT NULL,
    -- The lines left out: a JSON array of [line, client as typed, message key].
    rejected TEXT NOT NULL
);
CREATE INDEX delega_request_batches_requester ON delega_request_batches (requester_account_id, id);
-- No REFERENCES here: SQLite could not drop the column again (down.sql);
-- a batch goes only with its requester, whose requests go with it.
ALTER TABLE delega_requests ADD COLUMN batch_id BIGINT;
CREATE INDEX delega_requests_batch ON delega_requests (batch_id);
