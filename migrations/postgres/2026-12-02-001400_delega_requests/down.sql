DROP TABLE delega_requests;
