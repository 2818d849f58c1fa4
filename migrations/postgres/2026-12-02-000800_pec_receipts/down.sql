DROP TABLE pec_receipts;
