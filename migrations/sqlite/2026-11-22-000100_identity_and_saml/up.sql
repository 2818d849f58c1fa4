-- People: one primary identifier of a known kind (codice fiscale, eIDAS identifier, Utente Estero id).
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    id_kind TEXT NOT NULL,
    identifier TEXT NOT NULL,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    date_of_birth DATE,
    email TEXT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (id_kind, identifier)
);

-- Every sign-in: when, with which credential and level, through which IdP.
CREATE TABLE sign_ins (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    at TIMESTAMP NOT NULL,
    credential TEXT NOT NULL,
    level INTEGER NOT NULL,
    idp TEXT NOT NULL
);
CREATE INDEX sign_ins_account_at ON sign_ins (account_id, at);

-- An AuthnRequest (or LogoutRequest) in flight, claimed once by its answer.
CREATE TABLE saml_requests (
    relay_state TEXT PRIMARY KEY NOT NULL,
    request_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    idp_entity_id TEXT NOT NULL,
    credential TEXT NOT NULL,
    level INTEGER NOT NULL,
    comparison TEXT NOT NULL,
    attribute_set INTEGER NOT NULL,
    return_to TEXT NOT NULL,
    issue_instant TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX saml_requests_expires_at ON saml_requests (expires_at);

-- IDs of assertions already used, kept until they would have expired anyway.
CREATE TABLE saml_replay (
    id TEXT PRIMARY KEY NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

-- The register of AuthnRequest/Response pairs SPID requires (24 months).
CREATE TABLE saml_register (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    request_id TEXT NOT NULL UNIQUE,
    request_issue_instant TIMESTAMP NOT NULL,
    request_xml TEXT NOT NULL,
    idp_entity_id TEXT NOT NULL,
    response_id TEXT,
    response_issue_instant TEXT,
    response_issuer TEXT,
    assertion_id TEXT,
    assertion_subject TEXT,
    assertion_name_qualifier TEXT,
    response_xml TEXT,
    outcome TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX saml_register_created_at ON saml_register (created_at);

-- Which IdP session and which account a browser session belongs to, so an
-- IdP-initiated Single Logout (or "sign out everywhere") can end it.
ALTER TABLE sessions ADD COLUMN idp_subject TEXT;
ALTER TABLE sessions ADD COLUMN account_id BIGINT;
CREATE INDEX sessions_idp_subject ON sessions (idp_subject);
CREATE INDEX sessions_account_id ON sessions (account_id);
