//! The helpdesk console `/assistenza`: operators (signed in with SPID or CIE,
//! named by `servizi-lavoro operators add <codice fiscale>`) check Utente
//! Estero requests and their documents, approve or reject them with a reason.
//! Every decision is recorded and listed. It also validates organisations and
//! soggetti abilitati the registry does not know.
mod console;
mod organisations;
mod support;

use crate::kernel::AppState;
use crate::paths;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::HELPDESK, get(console::queue_page))
        .route(paths::HELPDESK_REQUEST, get(console::request_page))
        .route(paths::HELPDESK_DOCUMENT, get(console::document))
        .route(paths::HELPDESK_DECISION, post(console::decide))
        .route(paths::HELPDESK_ORGANISATION, get(organisations::page))
        .route(paths::HELPDESK_ORGANISATION_DOCUMENT, get(organisations::document))
        .route(paths::HELPDESK_ORGANISATION_DECISION, post(organisations::decide))
        .route(paths::HELPDESK_SUPPORT, get(support::queue))
        .route(paths::HELPDESK_SUPPORT_CASE, get(support::case))
        .route(paths::HELPDESK_SUPPORT_ACTION, post(support::act))
}
