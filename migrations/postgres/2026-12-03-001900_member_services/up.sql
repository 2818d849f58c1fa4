-- A company may give an operatore only some of its services: their slugs,
-- separated by spaces; none: every service the organisation may use.
-- Managers (legale rappresentante, amministratore) always have them all.
ALTER TABLE memberships ADD COLUMN services TEXT;
