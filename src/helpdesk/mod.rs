//! The helpdesk console `/assistenza`: operators (signed in with SPID or CIE,
//! named by `servizi-lavoro operators add <codice fiscale>`) check Utente
//! Estero requests and their documents, approve or reject them with a reason.
//! Every decision is recorded and listed.
mod console;
pub mod operators;

pub use console::{decide, document, queue_page, request_page};
