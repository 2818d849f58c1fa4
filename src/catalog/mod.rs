//! The services catalog: the Ministry's services, who may use them with
//! which credential, level and profile, and where they live.
pub mod handlers;
pub mod model;
pub mod outages;
pub mod pages;
pub mod status_page;
pub mod usage;

use crate::kernel::AppState;
use crate::paths;
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::SERVICES, get(pages::catalog))
        .route(paths::SERVICE, get(pages::service))
        .route(paths::SERVICE_ENTER, get(handlers::enter))
        .route(paths::SERVICE_STATUS, get(status_page::status))
}
