//! `POST /saml/acs`: the IdP's answer. The pending request is claimed once
//! (by RelayState), the Response checked against every rule, the pair
//! recorded in the register, and the person signed in under a new session id.
use super::binding;
use super::register;
use super::request_state::{self, Purpose};
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::identity::account::{IdKind, Identity};
use crate::kernel::AppState;
use crate::kernel::CodiceFiscale;
use crate::kernel::Credential;
use crate::kernel::{IdpSession, Protocol};
use crate::saml::response::ResponseRecord;
use crate::saml::response::{self, Expected, Rejection, VerifiedLogin};
use crate::web::render::PageRequest;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Debug, Deserialize)]
pub struct AcsForm {
    #[serde(rename = "SAMLResponse")]
    pub saml_response: Option<String>,
    #[serde(rename = "RelayState")]
    pub relay_state: Option<String>,
}

/// How much of a refused Response the register keeps.
const REJECTED_XML_KEPT: usize = 8 * 1024;

fn refused(status: StatusCode, reason: &'static str, log: impl Into<String>) -> AppError {
    metrics::counter!("acs_refusals_total", "reason" => reason).increment(1);
    AppError::SignIn { status, reason, log: log.into() }
}

/// The message key explaining a rejection to the person, and its status.
fn explain(r: &Rejection) -> (StatusCode, &'static str) {
    match r {
        Rejection::IdpError { anomaly: Some(19), .. } => (StatusCode::FORBIDDEN, "signin-nr19"),
        Rejection::IdpError { anomaly: Some(20), .. } => (StatusCode::FORBIDDEN, "signin-nr20"),
        Rejection::IdpError { anomaly: Some(21), .. } => (StatusCode::FORBIDDEN, "signin-nr21"),
        Rejection::IdpError { anomaly: Some(22), .. } => (StatusCode::FORBIDDEN, "signin-nr22"),
        Rejection::IdpError { anomaly: Some(23), .. } => (StatusCode::FORBIDDEN, "signin-nr23"),
        Rejection::IdpError { anomaly: Some(25), .. } => (StatusCode::FORBIDDEN, "signin-nr25"),
        Rejection::IdpError { anomaly: Some(30), .. } => (StatusCode::FORBIDDEN, "signin-nr30"),
        Rejection::IdpError { .. } => (StatusCode::FORBIDDEN, "signin-idp-error"),
        Rejection::Level => (StatusCode::FORBIDDEN, "signin-level"),
        Rejection::Replay => (StatusCode::FORBIDDEN, "signin-replay"),
        Rejection::Time(_) => (StatusCode::FORBIDDEN, "signin-expired"),
        Rejection::Signature(_) => (StatusCode::FORBIDDEN, "signin-invalid"),
        Rejection::Invalid(_) | Rejection::Malformed(_) => (StatusCode::BAD_REQUEST, "signin-invalid"),
    }
}

/// Who the person is, from the attributes the IdP vouched for.
pub fn identity_from(
    credential: Credential,
    attrs: &std::collections::BTreeMap<String, String>,
) -> Result<Identity, &'static str> {
    let given_name = attrs.get("name").filter(|v| !v.is_empty()).ok_or("name")?.clone();
    let family_name = attrs.get("familyName").filter(|v| !v.is_empty()).ok_or("familyName")?.clone();
    let date_of_birth = attrs.get("dateOfBirth").and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let email = attrs.get("email").filter(|e| e.contains('@')).cloned();
    let (kind, identifier) = match credential {
        Credential::Spid | Credential::Cie => {
            let raw = attrs.get("fiscalNumber").ok_or("fiscalNumber")?;
            let cf = raw
                .strip_prefix("TINIT-")
                .and_then(|s| CodiceFiscale::parse(s).map(String::from))
                .ok_or("fiscalNumber")?;
            (IdKind::CodiceFiscale, cf)
        }
        Credential::Eidas => {
            (IdKind::Eidas, attrs.get("spidCode").filter(|v| !v.is_empty()).ok_or("spidCode")?.clone())
        }
        Credential::Foreign => return Err("credential"),
    };
    Ok(Identity { kind, identifier, given_name, family_name, date_of_birth, email })
}

pub async fn acs(
    page: PageRequest,
    session: Session,
    headers: HeaderMap,
    Form(form): Form<AcsForm>,
) -> AppResult<Response> {
    crate::web::throttle::anonymous_work(&page, "acs").await?;
    let state = page.state.clone();
    let relay_state = form
        .relay_state
        .filter(|r| !r.is_empty())
        .ok_or_else(|| refused(StatusCode::BAD_REQUEST, "signin-unsolicited", "no RelayState"))?;
    let encoded = form
        .saml_response
        .filter(|r| !r.is_empty())
        .ok_or_else(|| refused(StatusCode::BAD_REQUEST, "signin-invalid", "no SAMLResponse"))?;
    let rs = relay_state.clone();
    let now = state.clock.now();
    let pending = with_conn(&state.pool, move |c| request_state::claim(c, &rs, Purpose::Login, now))
        .await?
        .ok_or_else(|| refused(StatusCode::BAD_REQUEST, "signin-unsolicited", "unknown, expired or used RelayState"))?;
    // Login CSRF: the answer must come through the browser that asked.
    let from_same_browser = pending
        .browser_binding
        .as_deref()
        .is_some_and(|bound| binding::read(&state.config, &headers).is_some_and(|v| binding::hash(&v) == bound));
    if !from_same_browser {
        return Err(refused(
            StatusCode::BAD_REQUEST,
            "signin-other-browser",
            "login cookie missing or not the one bound",
        ));
    }
    let xml = crate::saml::codec::unb64(&encoded)
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| refused(StatusCode::BAD_REQUEST, "signin-invalid", "SAMLResponse is not base64 UTF-8"))?;

    let saml = state.saml.clone();
    let idp = saml
        .idps
        .get(&pending.idp_entity_id)
        .ok_or_else(|| refused(StatusCode::BAD_REQUEST, "signin-unknown-idp", "IdP no longer configured"))?
        .clone();
    if idp.test && !state.config.test_idps_allowed(state.clock.now().date()) {
        return Err(refused(StatusCode::BAD_REQUEST, "signin-unknown-idp", "test IdP past its allowed date"));
    }
    let expected = Expected {
        request_id: pending.request_id.clone(),
        request_instant: pending.issue_instant.and_utc(),
        sp_entity_id: saml.sp.entity_id.clone(),
        acs_url: saml.sp.acs_url.clone(),
        idp_entity_id: idp.entity_id.clone(),
        idp_certs_der: idp.current_certs_der(),
        credential: pending.credential,
        level: pending.level,
        comparison: pending.comparison,
        now: state.clock.now().and_utc(),
    };
    // Signature checking is CPU work in C: keep it off the async workers.
    let (result, mut record) = tokio::task::spawn_blocking(move || {
        let mut record = ResponseRecord::default();
        let result = response::verify(&xml, &expected, &mut record);
        (result, record)
    })
    .await
    .map_err(|e| AppError::other("sso/acs", e))?;
    let outcome = match result {
        Ok(login) => first_use(&state, login).await,
        Err(r) => Err(r),
    };
    let login = match outcome {
        Ok(login) => login,
        Err(rejection) => {
            if record.outcome.is_empty() || record.outcome == "success" {
                record.outcome = format!("rejected: {rejection}");
            }
            // A refused answer proves nobody: the register keeps only its start.
            if record.xml.len() > REJECTED_XML_KEPT {
                let cut = (0..=REJECTED_XML_KEPT).rev().find(|i| record.xml.is_char_boundary(*i)).unwrap_or(0);
                record.xml.truncate(cut);
            }
            save_record(&state, &pending.request_id, record).await?;
            let (status, reason) = explain(&rejection);
            return Err(refused(status, reason, rejection.to_string()));
        }
    };
    save_record(&state, &pending.request_id, record).await?;

    let who = identity_from(pending.credential, &login.attributes).map_err(|missing| {
        refused(StatusCode::FORBIDDEN, "signin-missing-attributes", format!("missing attribute {missing}"))
    })?;
    let vouched = super::complete::Vouched {
        who,
        credential: pending.credential,
        level: login.level,
        protocol: Protocol::Saml,
        provider_id: idp.entity_id.clone(),
        provider_name: idp.display_name.clone(),
        idp_session: Some(IdpSession {
            name_id: login.name_id,
            name_qualifier: login.name_qualifier,
            session_index: login.session_index,
        }),
        oidc_grant: None,
        initiator: pending.initiator_account_id,
    };
    super::complete::sign_in(&page, &session, vouched).await?;
    Ok(Redirect::to(&pending.return_to).into_response())
}

async fn first_use(state: &AppState, login: VerifiedLogin) -> Result<VerifiedLogin, Rejection> {
    let (id, until) = (login.assertion_id.clone(), login.not_on_or_after.naive_utc());
    let now = state.clock.now();
    match with_conn(&state.pool, move |c| register::first_use(c, &id, until, now)).await {
        Ok(true) => Ok(login),
        Ok(false) => Err(Rejection::Replay),
        Err(e) => {
            tracing::error!(error = %e, "replay cache unavailable");
            Err(Rejection::Replay)
        }
    }
}

async fn save_record(state: &AppState, request_id: &str, record: ResponseRecord) -> AppResult<()> {
    let id = request_id.to_string();
    with_conn(&state.pool, move |c| register::record_response(c, &id, &record)).await?;
    Ok(())
}
