DROP TABLE registry_representatives;
DROP TABLE registry_companies;
