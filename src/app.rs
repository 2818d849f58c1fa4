//! Composes the portal: each domain's routes, then the HTTP stack. Nothing
//! is decided here.
use crate::auth::session;
use crate::error::AppError;
use crate::i18n;
use crate::kernel::sweep::Sweep;
use crate::kernel::AppState;
use crate::web::{error_pages, security};
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request, StatusCode};
use axum::Router;
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use crate::kernel::SetupError;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The routes of every domain, without the HTTP stack (tests add their own
/// routes before it).
pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .merge(crate::web::routes())
        .merge(crate::portal::routes())
        .merge(crate::auth::routes(state))
        .merge(crate::foreign::routes())
        .merge(crate::kept_forms::routes())
        .merge(crate::catalog::routes())
        .merge(crate::helpdesk::routes())
        .merge(crate::profiles::routes())
        .merge(crate::delegations::routes())
        .merge(crate::dimissioni::routes(state))
        .merge(crate::support::routes())
        .fallback(|| async { AppError::NotFound })
}

/// Where our forms may lead: the identity providers (Single Logout follows
/// `POST /esci`) and the Ministry's services (reached after a step-up).
fn security_policy(state: &AppState) -> security::SecurityPolicy {
    let origin = |u: &str| url::Url::parse(u).ok().map(|u| u.origin().ascii_serialization());
    let mut targets: Vec<String> = state
        .saml
        .idps
        .all()
        .flat_map(|i| [origin(&i.sso_redirect), i.slo_redirect.as_deref().and_then(origin)])
        .flatten()
        .collect();
    targets.extend(origin(&state.config.services_base_url));
    targets.retain(|o| o != &state.config.origin());
    security::SecurityPolicy::new(&targets, state.config.is_production())
}

/// Each domain's check that whom a person acts for still holds, run by the
/// one principal resolver on every request, in this order.
const REFRESHERS: &[session::Refresh] = &[session::membership, crate::delegations::refresh];

/// Each domain's scheduled clean-up, run together by `maintenance`.
pub const SWEEPS: &[Sweep] = &[
    crate::auth::sweep,
    crate::foreign::sweep,
    crate::web::sweep,
    crate::kept_forms::sweep,
    crate::identity::sweep,
    crate::support::sweep,
];

/// The HTTP stack around the routes, outermost first.
pub fn with_layers(router: Router<AppState>, state: AppState) -> Router {
    let config = state.config.clone();
    let store =
        session::DieselStore::new(state.pool.clone(), state.clock.clone(), session::Lifetime::from_config(&config));
    let secure = config.secure_cookies();
    let own_origin: Arc<str> = config.origin().into();
    let stack = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(axum::middleware::from_fn(crate::telemetry::track))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(Arc::new(security_policy(&state)), security::security_headers))
        .layer(axum::middleware::from_fn(move |req: axum::extract::Request, next: axum::middleware::Next| {
            i18n::negotiate(secure, req, next)
        }))
        .layer(axum::middleware::from_fn_with_state(state.clone(), error_pages::render_error_pages))
        .layer(CatchPanicLayer::custom(error_pages::panic_to_response))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(config.request_timeout_secs),
        ))
        .layer(axum::middleware::from_fn_with_state(own_origin, security::same_origin_guard))
        // Before sessions, kept forms and handlers: no refused character gets further.
        .layer(axum::middleware::from_fn_with_state(config.body_limit_bytes, security::text_guard))
        .layer(session::layer(&config, store))
        .layer(axum::middleware::from_fn_with_state(
            session::Resolver { state: state.clone(), refreshers: REFRESHERS },
            session::resolve_principal,
        ))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::support::alerts::sign_in_alerts))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::kept_forms::keep_forms))
        // Every body extractor (forms, uploads) stops reading past this size: 413.
        .layer(DefaultBodyLimit::max(config.body_limit_bytes));
    router.layer(stack).with_state(state)
}

pub fn build_router(state: AppState) -> Router {
    let routes = routes(&state);
    with_layers(routes, state)
}
