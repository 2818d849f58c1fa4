DROP INDEX support_cases_form_key;
ALTER TABLE support_cases DROP COLUMN form_key;
