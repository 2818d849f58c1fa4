DROP TABLE oidc_chain_renewals;
