//! Servizi Lavoro: the portal through which citizens, companies and
//! intermediaries reach the Ministry of Labour's digital services.
//!
//! Organised by domain, in layers that depend downwards only: the README's
//! "Layout" section draws them, `GLOSSARY.md` names what they speak of, and
//! `tests/it/architecture.rs` holds the tree to both.
pub mod access;
pub mod app;
pub mod assurance;
pub mod auth;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod cookies;
pub mod db;
pub mod delegations;
pub mod dimissioni;
pub mod error;
pub mod foreign;
pub mod helpdesk;
pub mod i18n;
pub mod identity;
pub mod kept_forms;
pub mod kernel;
pub mod keyring;
pub mod mail;
pub mod maintenance;
pub mod oidc;
pub mod paths;
pub mod portal;
pub mod profiles;
pub mod registry;
pub mod saml;
pub mod support;
pub mod telemetry;
pub mod timestamping;
pub mod web;

pub use app::build_router;
pub use kernel::AppState;
