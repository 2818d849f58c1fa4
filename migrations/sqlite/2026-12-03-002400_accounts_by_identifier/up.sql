-- People are looked up by their codice fiscale alone (the recipient of a
-- delega, a studio's clients, a work group's members): the unique key leads
-- with the kind of identifier, which such a lookup does not give, so at
-- national size each of them read the whole table.
CREATE INDEX accounts_identifier ON accounts (identifier);
