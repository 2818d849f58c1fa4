//! Sign-in and sign-out through an identity provider: the AuthnRequest
//! redirect, the Assertion Consumer Service, Single Logout, the one-time
//! request state and the SAML register.
pub mod acs;
pub mod binding;
pub mod complete;
pub mod login;
pub mod logout;
pub mod register;
pub mod request_state;
