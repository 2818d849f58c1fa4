//! Deleghe: whoever manages an organisation (or a person, for their own
//! citizen services) gives someone, by codice fiscale, the power to act for
//! it — for all or some services, between two dates, non temporanea or
//! temporanea — and takes it back. The delegate accepts (a click, or the
//! code the grantor passed on), acts through it from the profile switcher,
//! and may renounce. Every change is one transition of the lifecycle, in the
//! delega's history, and mailed to both sides; the clock's changes are
//! written by the scheduled job.
mod actions;
mod asking;
mod bulk;
mod bulk_pages;
mod checks;
pub mod clients;
mod clients_page;
mod confirm;
mod grant;
pub mod groups;
pub mod in_force;
pub mod jobs;
pub mod lifecycle;
pub mod model;
mod notify;
mod outcome;
mod pages;
mod permit;
mod request_pages;
pub mod requests;
pub mod scale;

pub use in_force::refresh;

use crate::kernel::AppState;
use crate::paths;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::DELEGHE, get(pages::list))
        .route(paths::CLIENTS, get(clients_page::page))
        .route(paths::CLIENTS_CSV, get(clients_page::csv))
        .route(paths::CLIENT_REQUEST, get(request_pages::form).post(request_pages::submit))
        .route(paths::CLIENT_REQUEST_PAGE, get(request_pages::page).post(request_pages::answer))
        .route(paths::CLIENT_REQUEST_BULK, get(bulk_pages::form).post(bulk_pages::submit))
        .route(paths::CLIENT_REQUEST_BATCH, get(bulk_pages::report))
        .route(paths::CLIENT_REQUEST_TEMPLATE, get(bulk_pages::template))
        .route(paths::DELEGA_NEW, get(grant::form).post(grant::submit))
        .route(paths::DELEGA_CODE, post(actions::accept_by_code))
        .route(paths::DELEGA, get(pages::detail))
        .route(paths::DELEGA_ACTION, post(actions::act))
}
