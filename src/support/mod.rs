//! Help: the FAQ (answers kept as Markdown in the repository) and "Chiedi
//! supporto" (support requests as cases, answered from the helpdesk console),
//! and the sign-in alerts whose "this wasn't me" opens one.
pub mod alerts;
mod case_page;
pub mod cases;
pub mod faq;
mod faq_pages;
pub mod faq_search;
mod request;

pub use case_page::Conversation;

use crate::kernel::AppState;
use crate::paths;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

/// Support's clean-up: requests never confirmed (and their attachments).
pub fn sweep(
    c: &mut crate::db::AnyConnection,
    now: chrono::NaiveDateTime,
) -> diesel::QueryResult<crate::kernel::sweep::Swept> {
    let files = cases::purge_unconfirmed(c, now)?;
    Ok(crate::kernel::sweep::Swept { rows: files.len(), files })
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::FAQ, get(faq_pages::list))
        .route(paths::FAQ_ANSWER, get(faq_pages::answer))
        .route(
            paths::SUPPORT,
            get(request::form).post(request::submit).layer(DefaultBodyLimit::max(crate::web::upload::MAX_FORM_BYTES)),
        )
        .route(paths::SUPPORT_SENT, get(request::sent))
        .route(paths::SUPPORT_CONFIRM, get(request::confirm))
        .route(paths::SUPPORT_CASE, get(case_page::page))
        .route(paths::SUPPORT_REPLY, post(case_page::reply))
        .route(paths::NOT_ME, get(alerts::page).post(alerts::report))
}
