//! The application: shared state, the page routes and the HTTP stack.
use crate::auth::choice::LoginChoicePage;
use crate::auth::pages::{PersonalAreaPage, SignedOutPage};
use crate::auth::saml::{self, Saml, SamlSetupError};
use crate::auth::demo_idp;
use crate::auth::foreign::{registration, reset, signin};
use crate::helpdesk;
use crate::mail::{MailError, Mailer};
use crate::auth::session;
use crate::config::Config;
use crate::db::DbPool;
use crate::error::AppError;
use crate::i18n;
use crate::web::pages::{AccessibilityPage, CookiesPage, HelpPage, HomePage, NotFoundPage, PrivacyPage};
use crate::web::{assets, error_pages, health, render::shell, security};
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::http::{HeaderName, Request, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use leptos_router::components::{Route, Router as LeptosRouter, Routes};
use leptos_router::{path, SsrMode};
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: DbPool,
    pub config: Arc<Config>,
    pub saml: Arc<Saml>,
    pub mailer: Mailer,
}

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(transparent)]
    Saml(#[from] SamlSetupError),
    #[error(transparent)]
    Mail(#[from] MailError),
}

impl AppState {
    /// Loads what requests need: keys, trusted identity providers.
    pub fn new(config: Config, pool: DbPool) -> Result<Self, SetupError> {
        let leptos_options = LeptosOptions::builder()
            .output_name("servizi-lavoro")
            .site_addr(config.addr)
            .build();
        let saml = Arc::new(Saml::from_config(&config)?);
        let mailer = Mailer::from_config(&config)?;
        Ok(AppState { leptos_options, pool, config: Arc::new(config), saml, mailer })
    }
}

/// Every page, rendered completely on the server before the first byte is
/// sent (`SsrMode::Async`): no JavaScript is needed to see or use it.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <LeptosRouter>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                <Route path=path!("/accedi") view=LoginChoicePage ssr=SsrMode::Async/>
                <Route path=path!("/aiuto") view=HelpPage ssr=SsrMode::Async/>
                <Route path=path!("/dichiarazione-accessibilita") view=AccessibilityPage ssr=SsrMode::Async/>
                <Route path=path!("/privacy") view=PrivacyPage ssr=SsrMode::Async/>
                <Route path=path!("/cookie") view=CookiesPage ssr=SsrMode::Async/>
                <Route path=path!("/area-personale") view=PersonalAreaPage ssr=SsrMode::Async/>
                <Route path=path!("/uscita") view=SignedOutPage ssr=SsrMode::Async/>
                <Route path=path!("/registrazione-utente-estero") view=registration::RegistrationPage ssr=SsrMode::Async/>
                <Route path=path!("/registrazione-utente-estero/inviata") view=registration::RegistrationSentPage ssr=SsrMode::Async/>
                <Route path=path!("/accesso-utente-estero") view=signin::SignInPage ssr=SsrMode::Async/>
                <Route path=path!("/servizi") view=crate::catalog::pages::CatalogPage ssr=SsrMode::Async/>
                <Route path=path!("/servizi/:slug") view=crate::catalog::pages::ServicePage ssr=SsrMode::Async/>
                <Route path=path!("/accesso-utente-estero/password-dimenticata") view=reset::ForgotPage ssr=SsrMode::Async/>
                <Route path=path!("/accesso-utente-estero/password-dimenticata/inviata") view=reset::ForgotSentPage ssr=SsrMode::Async/>
                <Route path=path!("/accesso-utente-estero/password-aggiornata") view=reset::PasswordUpdatedPage ssr=SsrMode::Async/>
            </Routes>
        </LeptosRouter>
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The routes, without the HTTP stack (tests add their own routes before it).
pub fn routes(state: &AppState) -> Router<AppState> {
    let pages = generate_route_list(App);
    let mut router = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/assets/{file}", get(assets::serve))
        .route("/saml/metadata", get(saml_metadata))
        .route("/saml/cie/metadata", get(cie_metadata))
        .route("/saml/login", get(saml::login::login))
        .route("/saml/acs", post(saml::acs::acs))
        .route("/saml/slo", get(saml::logout::single_logout))
        .route("/esci", post(saml::logout::sign_out))
        .route(
            registration::PATH,
            post(registration::submit).layer(DefaultBodyLimit::max(registration::MAX_DOCUMENT_BYTES + 64 * 1024)),
        )
        .route("/registrazione-utente-estero/conferma", get(registration::confirm))
        .route(signin::PATH, post(signin::submit_password))
        .route("/accesso-utente-estero/attiva-codice", get(signin::enrol_page).post(signin::enrol_submit))
        .route("/accesso-utente-estero/codice", get(signin::code_page).post(signin::code_submit))
        .route("/accesso-utente-estero/password-dimenticata", post(reset::forgot_submit))
        .route("/accesso-utente-estero/nuova-password", get(reset::reset_page).post(reset::reset_submit))
        .route("/area-personale/password", get(reset::change_page).post(reset::change_submit))
        .route("/servizi/{slug}/accedi", get(crate::catalog::handlers::enter))
        .route("/assistenza", get(helpdesk::queue_page))
        .route("/assistenza/richieste/{id}", get(helpdesk::request_page))
        .route("/assistenza/richieste/{id}/documento", get(helpdesk::document))
        .route("/assistenza/richieste/{id}/decisione", post(helpdesk::decide));
    if !state.saml.demo.is_empty() {
        router = router
            .route("/demo-idp/{kind}/metadata", get(demo_idp::metadata))
            .route("/demo-idp/{kind}/sso", get(demo_idp::sso).post(demo_idp::respond))
            .route("/demo-idp/{kind}/slo", get(demo_idp::single_logout));
    }
    router
        .leptos_routes(state, pages, shell)
        .fallback(|| async { AppError::NotFound })
}

/// Where our forms may lead: the identity providers (Single Logout follows
/// `POST /esci`) and the Ministry's services (reached after a step-up).
fn security_policy(state: &AppState) -> security::SecurityPolicy {
    let origin = |u: &str| url::Url::parse(u).ok().map(|u| u.origin().ascii_serialization());
    let mut targets: Vec<String> = state.saml.idps.all().flat_map(|i| [origin(&i.sso_redirect), i.slo_redirect.as_deref().and_then(origin)]).flatten().collect();
    targets.extend(origin(&state.config.services_base_url));
    targets.retain(|o| o != &state.config.origin());
    security::SecurityPolicy::new(&targets, state.config.is_production())
}

/// The HTTP stack around the routes, outermost first.
pub fn with_layers(router: Router<AppState>, state: AppState) -> Router {
    let config = state.config.clone();
    let store = session::DieselStore::new(state.pool.clone());
    let secure = config.secure_cookies();
    let own_origin: Arc<str> = config.origin().into();
    let stack = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(Arc::new(security_policy(&state)), security::security_headers))
        .layer(axum::middleware::from_fn(move |req: axum::extract::Request, next: axum::middleware::Next| i18n::negotiate(secure, req, next)))
        .layer(axum::middleware::from_fn_with_state(state.clone(), error_pages::render_error_pages))
        .layer(CatchPanicLayer::custom(error_pages::panic_to_response))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(config.request_timeout_secs),
        ))
        .layer(axum::middleware::from_fn_with_state(own_origin, security::same_origin_guard))
        .layer(session::layer(&config, store))
        .layer(axum::middleware::from_fn(crate::identity::load_identity))
        // Every body extractor (forms, uploads) stops reading past this size: 413.
        .layer(DefaultBodyLimit::max(config.body_limit_bytes));
    router.layer(stack).with_state(state)
}

/// `GET /saml/metadata`: our signed SP metadata.
async fn saml_metadata(axum::extract::State(state): axum::extract::State<AppState>) -> impl axum::response::IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "application/samlmetadata+xml")], state.saml.sp.metadata_xml.clone())
}

/// `GET /saml/cie/metadata`: the same service provider in the CIE profile.
async fn cie_metadata(axum::extract::State(state): axum::extract::State<AppState>) -> impl axum::response::IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "application/samlmetadata+xml")], state.saml.sp.cie_metadata_xml.clone())
}

pub fn build_router(state: AppState) -> Router {
    let routes = routes(&state);
    with_layers(routes, state)
}
