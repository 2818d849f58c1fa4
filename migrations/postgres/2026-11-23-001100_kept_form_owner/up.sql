-- Who was signed in when the form was posted (their session had just expired):
-- the form is offered back to that person only. None: nobody was signed in.
ALTER TABLE kept_forms ADD COLUMN account_id BIGINT;
