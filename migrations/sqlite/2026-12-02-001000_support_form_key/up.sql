-- One case per support form, however often it is sent (a double click, a
-- second tab): the form carries a random key, stored with the case it opened.
ALTER TABLE support_cases ADD COLUMN form_key TEXT;
CREATE UNIQUE INDEX support_cases_form_key ON support_cases (form_key);
