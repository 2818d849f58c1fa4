DROP TABLE service_uses;
