//! Sign-in with SPID and CIE id over OpenID Connect Federation: the request
//! (`/oidc/login`), the answer (`/oidc/callback`), the requests in flight and
//! the providers' trust chains kept in the database. The protocol itself is
//! in `crate::oidc`; the end of a sign-in is shared with SAML
//! (`auth::sso::complete`).
pub mod callback;
pub mod chains;
pub mod login;
pub mod pending;
