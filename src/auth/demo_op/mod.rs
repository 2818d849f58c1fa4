//! The demo trust anchor and OpenID Provider's pages and endpoints
//! (development and demonstrations; `oidc::demo` has their keys). The
//! provider keeps nothing between requests: its codes and access tokens are
//! JWTs it signed, a code is used once (the replay register), and what it
//! releases is the demo people's data.
mod handlers;
mod page;

use crate::kernel::AppState;
use axum::routing::{get, post};
use axum::Router;

/// Their addresses, when the demo federation is on.
pub fn routes(state: &AppState) -> Router<AppState> {
    let Some(_) = &state.oidc.demo else { return Router::new() };
    Router::new()
        .route("/demo-oidc/.well-known/openid-federation", get(handlers::anchor_configuration))
        .route("/demo-oidc/fetch", get(handlers::fetch))
        .route("/demo-oidc/trust_mark_status", post(handlers::trust_mark_status))
        .route("/demo-oidc/op/.well-known/openid-federation", get(handlers::provider_configuration))
        .route("/demo-oidc/op/authorization", get(handlers::authorization).post(handlers::authorize))
        .route("/demo-oidc/op/token", post(handlers::token))
        .route("/demo-oidc/op/userinfo", get(handlers::userinfo))
        .route("/demo-oidc/op/revocation", post(handlers::revocation))
}
