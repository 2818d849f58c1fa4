DROP INDEX delega_requests_batch;
ALTER TABLE delega_requests DROP COLUMN batch_id;
DROP TABLE delega_request_batches;
