-- Each receipt as its provider sent it (signed): the proof itself, beside the
-- facts read from it. Receipts kept before have none.
ALTER TABLE pec_receipts ADD COLUMN original BYTEA;
