//! `GET /oidc/callback?code=…&state=…`: the provider's answer. The request is
//! claimed once (by `state`) from the browser that made it; the code is
//! redeemed with the PKCE verifier and a client assertion; the ID Token and
//! UserInfo are checked against the keys of the provider's trust chain; the
//! person lands in the same account as over SAML.
use super::login::{client_id, redirect_uri, refused};
use super::pending::{self, Pending};
use crate::auth::sso::binding;
use crate::auth::sso::complete::{self, Vouched};
use crate::error::{AppError, AppResult};
use crate::identity::account::{IdKind, Identity};
use crate::kernel::{AppState, CodiceFiscale, OidcGrant, Protocol};
use crate::oidc::authorize::FISCAL_NUMBER;
use crate::oidc::endpoints::{self, Redeem};
use crate::oidc::id_token::{self, Expected, TokenRejection};
use crate::web::render::PageRequest;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use josekit::jwk::JwkSet;
use serde::Deserialize;
use serde_json::{Map, Value};
use tower_sessions::Session;

#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    pub code: Option<String>,
    pub state: Option<String>,
    /// RFC 9207: who answered; against mix-ups between providers.
    pub iss: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// The message key for a refused answer.
fn explain(r: &TokenRejection) -> &'static str {
    match r {
        TokenRejection::Time => "signin-expired",
        TokenRejection::Level(_) => "signin-level",
        _ => "signin-invalid",
    }
}

/// Who the person is, from the claims the provider vouched for.
pub fn identity_from(claims: &Map<String, Value>) -> Result<Identity, &'static str> {
    let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::trim).filter(|v| !v.is_empty());
    let given_name = text("given_name").ok_or("given_name")?.to_string();
    let family_name = text("family_name").ok_or("family_name")?.to_string();
    let raw = text(FISCAL_NUMBER).ok_or("fiscal_number")?;
    // SPID gives `TINIT-` and the code; CIE id the code alone.
    let identifier =
        CodiceFiscale::parse(raw.strip_prefix("TINIT-").unwrap_or(raw)).map(String::from).ok_or("fiscal_number")?;
    let date_of_birth = text("birthdate").and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let email = text("email").filter(|e| e.contains('@')).map(str::to_string);
    Ok(Identity { kind: IdKind::CodiceFiscale, identifier, given_name, family_name, date_of_birth, email })
}

/// What the checks need from the provider's metadata.
struct Provider {
    issuer: String,
    /// The provider says it names itself in its answers (RFC 9207).
    iss_parameter: bool,
    token_endpoint: String,
    userinfo_endpoint: String,
    revocation_endpoint: Option<String>,
    keys: JwkSet,
}

impl Provider {
    fn of(p: &Pending) -> Result<Provider, String> {
        let m = &p.metadata;
        let text = |name: &str| m.get(name).and_then(Value::as_str).map(str::to_string);
        let need = |name: &str| text(name).ok_or_else(|| format!("the provider's metadata has no {name}"));
        let jwks = m.get("jwks").and_then(Value::as_object).ok_or("the provider's metadata has no jwks")?;
        // In the federations a provider's issuer is its entity id.
        let issuer = text("issuer").unwrap_or_else(|| p.provider.clone());
        if issuer != p.provider {
            return Err(format!("the provider's metadata names issuer {issuer}"));
        }
        let iss_parameter = m.get("authorization_response_iss_parameter_supported").and_then(Value::as_bool);
        Ok(Provider {
            iss_parameter: iss_parameter.unwrap_or(false),
            issuer,
            token_endpoint: need("token_endpoint")?,
            userinfo_endpoint: need("userinfo_endpoint")?,
            revocation_endpoint: text("revocation_endpoint"),
            keys: JwkSet::from_map(jwks.clone()).map_err(|e| e.to_string())?,
        })
    }
}

/// What the provider's endpoints gave, checked.
struct Answer {
    level: crate::kernel::Level,
    claims: Map<String, Value>,
    access_token: String,
}

#[derive(Debug)]
enum Failure {
    NoKeys,
    Endpoint(endpoints::EndpointError),
    Rejected(TokenRejection),
}

fn redeem_and_check(state: &AppState, p: &Pending, provider: &Provider, code: &str) -> Result<Answer, Failure> {
    let keys = state.oidc.keys.as_ref().ok_or(Failure::NoKeys)?;
    let agent = crate::oidc::discovery::agent(state.config.is_production());
    let (client_id, redirect_uri) = (client_id(state), redirect_uri(state));
    let now = state.clock.now().and_utc().timestamp();
    let redeem = Redeem {
        token_endpoint: &provider.token_endpoint,
        client_id: &client_id,
        redirect_uri: &redirect_uri,
        code,
        code_verifier: &p.code_verifier,
        state: &p.state,
        now,
    };
    let tokens = endpoints::redeem(&agent, keys, &redeem).map_err(Failure::Endpoint)?;
    let expected = Expected {
        issuer: &provider.issuer,
        client_id: &client_id,
        nonce: &p.nonce,
        level: p.level,
        keys: &provider.keys,
        now,
    };
    let id = id_token::check_id_token(&tokens.id_token, &tokens.access_token, &expected).map_err(Failure::Rejected)?;
    let jwe =
        endpoints::userinfo(&agent, &provider.userinfo_endpoint, &tokens.access_token).map_err(Failure::Endpoint)?;
    let claims = id_token::check_userinfo(
        jwe.trim(),
        &keys.encryption,
        crate::oidc::entity::USERINFO_ENC,
        &expected,
        &id.subject,
    )
    .map_err(Failure::Rejected)?;
    Ok(Answer { level: id.level, claims, access_token: tokens.access_token })
}

pub async fn callback(
    page: PageRequest,
    session: Session,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> AppResult<Response> {
    crate::web::throttle::anonymous_work(&page, "acs").await?;
    let state = page.state.clone();
    let key = q
        .state
        .filter(|s| !s.is_empty())
        .ok_or_else(|| refused(StatusCode::BAD_REQUEST, "signin-unsolicited", "no state"))?;
    let now = state.clock.now();
    let pending = crate::db::with_conn(&state.pool, move |c| pending::claim(c, &key, now))
        .await?
        .ok_or_else(|| refused(StatusCode::BAD_REQUEST, "signin-unsolicited", "unknown, expired or used state"))?;
    // Login CSRF: the answer must come through the browser that asked.
    let bound = binding::read(&state.config, &headers).is_some_and(|v| binding::hash(&v) == pending.browser_binding);
    if !bound {
        return Err(refused(
            StatusCode::BAD_REQUEST,
            "signin-other-browser",
            "login cookie missing or not the one bound",
        ));
    }
    let provider = Provider::of(&pending)
        .map_err(|why| refused(StatusCode::BAD_GATEWAY, "signin-idp-error", format!("{}: {why}", pending.provider)))?;
    // RFC 9207: an answer naming another provider is a mix-up; one that
    // should name its provider and does not, too.
    match q.iss.as_deref() {
        Some(iss) if iss != provider.issuer => {
            let log = format!("answer from {iss}, not {}", provider.issuer);
            return Err(refused(StatusCode::BAD_REQUEST, "signin-invalid", log));
        }
        None if provider.iss_parameter => {
            return Err(refused(StatusCode::BAD_REQUEST, "signin-invalid", "answer without iss"));
        }
        _ => {}
    }
    if let Some(error) = q.error {
        let reason = match error.as_str() {
            "access_denied" => "signin-nr22",
            _ => "signin-idp-error",
        };
        let detail = q.error_description.unwrap_or_default();
        return Err(refused(StatusCode::FORBIDDEN, reason, format!("{}: {error}: {detail}", pending.provider)));
    }
    let code = q
        .code
        .filter(|c| !c.is_empty())
        .ok_or_else(|| refused(StatusCode::BAD_REQUEST, "signin-invalid", "no code"))?;
    let configured = state.oidc.provider(&pending.provider).cloned().ok_or_else(|| {
        refused(StatusCode::BAD_REQUEST, "signin-unknown-idp", "OpenID Provider no longer configured")
    })?;
    let (st, p) = (state.clone(), pending.clone());
    let revocation_endpoint = provider.revocation_endpoint.clone();
    let answer = tokio::task::spawn_blocking(move || redeem_and_check(&st, &p, &provider, &code))
        .await
        .map_err(|e| AppError::other("oidc/callback", e))?;
    let answer = match answer {
        Ok(a) => a,
        Err(Failure::NoKeys) => return Err(AppError::Internal("OpenID Connect keys missing".into())),
        Err(Failure::Endpoint(e)) => {
            return Err(refused(StatusCode::BAD_GATEWAY, "signin-idp-error", format!("{}: {e}", pending.provider)))
        }
        Err(Failure::Rejected(r)) => {
            let status = match r {
                TokenRejection::Level(_) | TokenRejection::Time => StatusCode::FORBIDDEN,
                _ => StatusCode::BAD_REQUEST,
            };
            return Err(refused(status, explain(&r), format!("{}: {r}", pending.provider)));
        }
    };
    let who = identity_from(&answer.claims).map_err(|missing| {
        refused(StatusCode::FORBIDDEN, "signin-missing-attributes", format!("missing claim {missing}"))
    })?;
    let vouched = Vouched {
        who,
        credential: pending.credential,
        level: answer.level,
        protocol: Protocol::OpenIdConnect,
        provider_id: configured.entity_id,
        provider_name: configured.name,
        idp_session: None,
        oidc_grant: revocation_endpoint
            .map(|revocation_endpoint| OidcGrant { revocation_endpoint, access_token: answer.access_token }),
        initiator: pending.initiator,
    };
    complete::sign_in(&page, &session, vouched).await?;
    Ok(Redirect::to(&pending.return_to).into_response())
}
