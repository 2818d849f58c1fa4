DROP TABLE association_requests;
