DROP TABLE service_outages;
