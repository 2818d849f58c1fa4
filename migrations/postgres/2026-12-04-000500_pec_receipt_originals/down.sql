ALTER TABLE pec_receipts DROP COLUMN original;
