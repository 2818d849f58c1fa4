//! `GET /saml/login?idp=<entity ID>[&level=1|2|3][&next=/path]`: sends the
//! browser to the IdP with a signed AuthnRequest. The level comes from what
//! the person is about to do: 1 for the portal, more when a service asks.
use super::binding;
use super::register;
use super::request_state::{self, PendingRequest, Purpose};
use crate::error::{AppError, AppResult};
use crate::kernel::Credential;
use crate::kernel::Level;
use crate::kernel::{AccountId, AppState};
use crate::saml::authn_request::AuthnRequest;
use crate::saml::codec::new_id;
use crate::saml::comparison::Comparison;
use crate::saml::sp::{ATTRIBUTE_SET_EIDAS_MINIMUM, ATTRIBUTE_SET_SPID};
use crate::web::render::PageRequest;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::SubsecRound;
use serde::Deserialize;

/// Where people land after signing in, unless they were going somewhere.
pub const DEFAULT_RETURN: &str = crate::paths::PERSONAL_AREA;

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    pub idp: Option<String>,
    pub level: Option<String>,
    pub next: Option<String>,
}

fn sign_in_error(status: StatusCode, reason: &'static str, log: impl Into<String>) -> AppError {
    AppError::SignIn { status, reason, log: log.into() }
}

/// The level a sign-in link asks for: 1 when it says none.
pub fn level_asked(level: Option<&str>) -> AppResult<Level> {
    match level {
        None | Some("") => Ok(Level::L1),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .and_then(Level::from_number)
            .ok_or_else(|| AppError::BadRequest(format!("level {v:?}"))),
    }
}

/// Starts an authentication at `idp_entity_id` for the browser whose login
/// value hashes to `browser_binding`; returns the IdP URL.
pub async fn start(
    state: &AppState,
    idp_entity_id: &str,
    level: Level,
    return_to: String,
    browser_binding: String,
    initiator_account_id: Option<AccountId>,
) -> AppResult<String> {
    let saml = state.saml.clone();
    let idp = saml.idps.get(idp_entity_id).ok_or_else(|| {
        sign_in_error(StatusCode::BAD_REQUEST, "signin-unknown-idp", format!("unknown IdP {idp_entity_id}"))
    })?;
    if idp.test && !state.config.test_idps_allowed(state.clock.now().date()) {
        return Err(sign_in_error(StatusCode::BAD_REQUEST, "signin-unknown-idp", "test IdP past its allowed date"));
    }
    // The eIDAS node serves only substantial/high (SPID level 2 or more) and
    // answers with the eIDAS minimum data set.
    let (attribute_set, level) = match idp.credential {
        Credential::Eidas => (ATTRIBUTE_SET_EIDAS_MINIMUM, level.max(Level::L2)),
        _ => (ATTRIBUTE_SET_SPID, level),
    };
    let request = AuthnRequest {
        id: new_id(),
        issue_instant: state.clock.now().and_utc().trunc_subsecs(0),
        sp: &saml.sp,
        idp,
        level,
        comparison: Comparison::Minimum,
        attribute_set,
    };
    let xml = request.to_xml();
    let pending = PendingRequest {
        relay_state: request_state::new_relay_state(),
        request_id: request.id.clone(),
        purpose: Purpose::Login,
        idp_entity_id: idp.entity_id.clone(),
        credential: idp.credential,
        level,
        comparison: request.comparison,
        attribute_set: request.attribute_set as i32,
        return_to,
        issue_instant: request.issue_instant.naive_utc(),
        browser_binding: Some(browser_binding),
        initiator_account_id,
    };
    let url = request.redirect_url(&xml, &pending.relay_state).map_err(|e| AppError::other("sso/login", e))?;
    let now = state.clock.now();
    crate::db::transaction(&state.pool, move |c| {
        request_state::store(c, &pending, now)?;
        register::record_request(c, &pending.request_id, pending.issue_instant, &xml, &pending.idp_entity_id, now)
    })
    .await?;
    Ok(url)
}

/// `GET /saml/login`: each one signs a request and writes the register, so
/// one client address may ask only so often.
pub async fn login(page: PageRequest, headers: HeaderMap, Query(q): Query<LoginQuery>) -> AppResult<Response> {
    crate::web::throttle::anonymous_work(&page, "login").await?;
    let state = page.state.clone();
    let idp = q
        .idp
        .filter(|s| !s.is_empty())
        .ok_or_else(|| sign_in_error(StatusCode::BAD_REQUEST, "signin-unknown-idp", "no idp"))?;
    // A step-up names the provider the person signed in with, which may be
    // one that speaks OpenID Connect.
    if state.saml.idps.get(&idp).is_none() && state.oidc.provider(&idp).is_some() {
        let mut to = url::form_urlencoded::Serializer::new(String::new());
        to.append_pair("provider", &idp);
        for (name, value) in [("level", &q.level), ("next", &q.next)] {
            if let Some(v) = value {
                to.append_pair(name, v);
            }
        }
        let to = format!("{}?{}", crate::paths::OIDC_LOGIN, to.finish());
        return Ok(axum::response::Redirect::to(&to).into_response());
    }
    let level = level_asked(q.level.as_deref())?;
    let return_to = request_state::safe_return_path(q.next.as_deref(), DEFAULT_RETURN);
    let value = binding::current_or_new(&state.config, &headers);
    let initiator = page.principal.as_ref().map(|p| p.actor.account_id);
    let url = start(&state, &idp, level, return_to, binding::hash(&value), initiator).await?;
    // 302, as the SPID validator expects for the HTTP-Redirect binding.
    Ok(binding::to_provider(&state.config, url, &value))
}
