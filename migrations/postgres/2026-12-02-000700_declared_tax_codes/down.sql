DROP TABLE declared_tax_codes;
