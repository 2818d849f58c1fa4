ALTER TABLE itl_officers DROP COLUMN office_code;
DROP TABLE itl_office_provinces;
DROP TABLE itl_offices;
