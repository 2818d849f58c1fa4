-- Who is resolving a provider's trust chain, or why the last try failed:
-- one resolution at a time across instances, and a failure remembered for a
-- minute, so that sign-in clicks cannot make the portal ask a slow or
-- unreachable federation again and again.
CREATE TABLE oidc_chain_renewals (
    subject TEXT PRIMARY KEY NOT NULL,
    until TIMESTAMP NOT NULL,
    failure TEXT
);
