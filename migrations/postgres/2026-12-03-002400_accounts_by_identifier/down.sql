DROP INDEX accounts_identifier;
