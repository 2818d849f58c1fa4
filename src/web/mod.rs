//! What every page shares: addresses, the document and its rendering, the
//! layout, components, static assets, error pages and the HTTP layers.
pub mod are_you_sure;
pub mod assets;
pub mod check_answers;
pub mod client;
pub mod components;
pub mod csv;
pub mod error_pages;
pub mod format;
pub mod health;
pub mod layout;
pub mod memo;
pub mod pages;
pub mod render;
pub mod security;
pub mod text;
pub mod throttle;
pub mod upload;

use crate::kernel::AppState;
use axum::routing::get;
use axum::Router;

/// The shared layer's clean-up: idle throttle counters.
pub fn sweep(
    c: &mut crate::db::AnyConnection,
    now: chrono::NaiveDateTime,
) -> diesel::QueryResult<crate::kernel::sweep::Swept> {
    Ok(crate::kernel::sweep::Swept::rows(throttle::purge_idle(c, now)?))
}

/// The routes that belong to no domain: static assets and the health check.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(crate::paths::HEALTH, get(health::healthz))
        .route(crate::paths::READY, get(health::readyz))
        .route(crate::paths::ASSET, get(assets::serve))
}
