//! The portal's own pages: the front page and the pages of text (help,
//! accessibility statement, privacy, cookies).
pub mod home;
mod info;

use crate::kernel::AppState;
use crate::paths;
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::HOME, get(home::page))
        .route(paths::HELP, get(info::help))
        .route(paths::ACCESSIBILITY, get(info::accessibility))
        .route(paths::PRIVACY, get(info::privacy))
        .route(paths::COOKIES, get(info::cookies))
}
