//! Utente Estero: registration with an identity document, helpdesk
//! validation (see `crate::helpdesk`), and sign-in with a strong password and
//! a one-time code.
pub mod demo;
pub mod model;
pub mod password;
pub mod registration;
pub mod reset;
mod routes;
pub mod signin;
pub mod totp;

pub use routes::routes;
