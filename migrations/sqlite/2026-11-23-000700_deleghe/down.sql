DROP TABLE delega_summaries;
DROP TABLE delega_approvals;
DROP TABLE delega_events;
DROP TABLE deleghe;
