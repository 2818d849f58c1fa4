ALTER TABLE kept_forms DROP COLUMN account_id;
