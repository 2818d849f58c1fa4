//! `GET /oidc/login?provider=<entity id>[&level=1|2|3][&next=/path]`: sends
//! the browser to the provider's authorization endpoint with a signed
//! request object, once the provider's trust chain holds.
use super::chains;
use super::pending::{self, Pending};
use crate::auth::sso::binding;
use crate::error::{AppError, AppResult};
use crate::kernel::{AccountId, AppState, Level};
use crate::oidc::authorize::{AuthRequest, Secrets};
use crate::paths;
use crate::web::render::PageRequest;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    pub provider: Option<String>,
    pub level: Option<String>,
    pub next: Option<String>,
}

pub(super) fn refused(status: StatusCode, reason: &'static str, log: impl Into<String>) -> AppError {
    metrics::counter!("acs_refusals_total", "reason" => reason).increment(1);
    AppError::SignIn { status, reason, log: log.into() }
}

/// The portal's entity id, its `client_id` at every provider.
pub fn client_id(state: &AppState) -> String {
    state.config.entity_id()
}

pub fn redirect_uri(state: &AppState) -> String {
    format!("{}{}", client_id(state), paths::OIDC_CALLBACK)
}

/// Starts an authentication at `provider` for the browser whose login value
/// hashes to `browser_binding`; returns the provider's URL.
pub async fn start(
    state: &AppState,
    provider: &str,
    level: Level,
    return_to: String,
    browser_binding: String,
    initiator: Option<AccountId>,
) -> AppResult<String> {
    let configured = state.oidc.provider(provider).cloned().ok_or_else(|| {
        refused(StatusCode::BAD_REQUEST, "signin-unknown-idp", format!("unknown OpenID Provider {provider}"))
    })?;
    let keys = state.oidc.keys.clone().ok_or_else(|| AppError::Internal("OpenID Connect keys missing".into()))?;
    let chain = chains::provider(state, provider).await.map_err(|e| {
        refused(StatusCode::SERVICE_UNAVAILABLE, "signin-untrusted-provider", format!("{provider}: {e}"))
    })?;
    let endpoint = chain.metadata.get("authorization_endpoint").and_then(Value::as_str).unwrap_or_default().to_string();
    let secrets = Secrets::new();
    let (client_id, redirect_uri) = (client_id(state), redirect_uri(state));
    let request = AuthRequest {
        client_id: &client_id,
        redirect_uri: &redirect_uri,
        provider,
        authorization_endpoint: &endpoint,
        credential: configured.credential,
        level,
        secrets: &secrets,
        now: state.clock.now().and_utc().timestamp(),
    };
    let url = request.url(&keys).map_err(|e| {
        refused(StatusCode::SERVICE_UNAVAILABLE, "signin-untrusted-provider", format!("{provider}: {e}"))
    })?;
    let row = Pending {
        state: secrets.state,
        provider: configured.entity_id,
        credential: configured.credential,
        level,
        nonce: secrets.nonce,
        code_verifier: secrets.code_verifier,
        return_to,
        browser_binding,
        initiator,
        metadata: chain.metadata,
    };
    let now = state.clock.now();
    crate::db::with_conn(&state.pool, move |c| pending::store(c, &row, now)).await?;
    Ok(url)
}

/// `GET /oidc/login`: like `/saml/login`, each one signs a request and
/// writes a row, so one client address may ask only so often.
pub async fn login(page: PageRequest, headers: HeaderMap, Query(q): Query<LoginQuery>) -> AppResult<Response> {
    crate::web::throttle::anonymous_work(&page, "login").await?;
    let state = page.state.clone();
    let provider = q
        .provider
        .filter(|s| !s.is_empty())
        .ok_or_else(|| refused(StatusCode::BAD_REQUEST, "signin-unknown-idp", "no provider"))?;
    let level = crate::auth::sso::login::level_asked(q.level.as_deref())?;
    let return_to = paths::safe_return_path(q.next.as_deref(), crate::auth::sso::login::DEFAULT_RETURN);
    let value = binding::current_or_new(&state.config, &headers);
    let initiator = page.principal.as_ref().map(|p| p.actor.account_id);
    let url = start(&state, &provider, level, return_to, binding::hash(&value), initiator).await?;
    Ok(binding::to_provider(&state.config, url, &value))
}
