//! Servizi Lavoro: the portal through which citizens, companies and
//! intermediaries reach the Ministry of Labour's digital services.
//! Organised by domain; `app` wires them together.
pub mod access;
pub mod app;
pub mod auth;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod helpdesk;
pub mod i18n;
pub mod identity;
pub mod mail;
pub mod web;

pub use app::{build_router, AppState};
