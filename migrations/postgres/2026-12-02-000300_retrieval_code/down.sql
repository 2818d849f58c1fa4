DROP TABLE dimissioni_retrievals;
DROP INDEX dimissioni_modules_retrieval;
ALTER TABLE dimissioni_modules DROP COLUMN retrieval_code;
