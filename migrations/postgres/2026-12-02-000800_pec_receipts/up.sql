-- PEC receipts (ricevute) read from the Ministry's PEC mailbox, each once
-- (by the provider's identifier), kept with the message they prove.
CREATE TABLE pec_receipts (
    identifier TEXT PRIMARY KEY NOT NULL,
    message_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    recipient TEXT,
    at TIMESTAMP NOT NULL,
    received_at TIMESTAMP NOT NULL
);
CREATE INDEX pec_receipts_message ON pec_receipts (message_id);
