//! Identity providers built into the portal for development and
//! demonstrations (SPID, CIE, eIDAS), so every sign-in works on a fresh
//! machine. They share one key, sign like real IdPs, can answer with every
//! SPID error code, and are refused in production.
mod handlers;
pub mod issue;
pub mod pages;
pub mod people;

pub use handlers::{metadata, respond, single_logout, sso};

pub use crate::saml::demo::{display_name, DemoIdp};
