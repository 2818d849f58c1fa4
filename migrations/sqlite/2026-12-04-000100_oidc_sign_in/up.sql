-- Sign-in over OpenID Connect Federation (issue 27).

-- How each sign-in was made: SAML, OpenID Connect, or the Utente Estero's
-- password (every earlier one was SAML or a password).
ALTER TABLE sign_ins ADD COLUMN protocol TEXT NOT NULL DEFAULT 'saml';
UPDATE sign_ins SET protocol = 'password' WHERE credential = 'foreign';

-- An authorization request in flight, claimed once by the provider's answer
-- (by `state`), like a SAML RelayState: instances share it. The provider's
-- metadata as the trust chain gave it when the request left, so the answer
-- is checked against the keys and endpoints the request was made with.
CREATE TABLE oidc_requests (
    state TEXT PRIMARY KEY NOT NULL,
    provider TEXT NOT NULL,
    credential TEXT NOT NULL,
    level INTEGER NOT NULL,
    nonce TEXT NOT NULL,
    code_verifier TEXT NOT NULL,
    return_to TEXT NOT NULL,
    browser_binding TEXT NOT NULL,
    initiator_account_id BIGINT,
    provider_metadata TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX oidc_requests_expires_at ON oidc_requests (expires_at);

-- Providers' trust chains, checked, until the earliest expiry of what they
-- rest on: every instance uses the one resolution.
CREATE TABLE oidc_trust_chains (
    subject TEXT PRIMARY KEY NOT NULL,
    anchor TEXT NOT NULL,
    metadata TEXT NOT NULL,
    trust_marks TEXT NOT NULL,
    resolved_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
