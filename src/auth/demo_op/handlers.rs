use super::page::DemoOpLogin;
use crate::auth::demo_idp::people::{self, DemoPerson};
use crate::error::{AppError, AppResult};
use crate::kernel::{AppState, Credential, Level};
use crate::oidc::demo::DemoFederation;
use crate::oidc::jws;
use crate::web::render::{FormData, PageRequest};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use josekit::jwk::JwkSet;
use leptos::prelude::*;
use serde::Deserialize;
use serde_json::{json, Map, Value};

/// How long a code and an access token hold.
const CODE_SECS: i64 = 60;
const ACCESS_SECS: i64 = 600;

fn demo(state: &AppState) -> AppResult<&DemoFederation> {
    state.oidc.demo.as_ref().ok_or(AppError::NotFound)
}

fn now(state: &AppState) -> i64 {
    state.clock.now().and_utc().timestamp()
}

fn signed(jwt: Result<String, josekit::JoseError>) -> AppResult<Response> {
    let jwt = jwt.map_err(|e| AppError::other("demo_op", e))?;
    Ok(([(header::CONTENT_TYPE, crate::oidc::entity::MEDIA_TYPE)], jwt).into_response())
}

fn bad(why: impl Into<String>) -> AppError {
    AppError::BadRequest(format!("demo OP: {}", why.into()))
}

/// The portal's core signing key: the key of the only client the demo
/// provider serves (a real provider takes it from the client's trust chain).
fn client_keys(state: &AppState) -> AppResult<JwkSet> {
    let keys = state.oidc.keys.as_ref().ok_or(AppError::NotFound)?;
    let mut set = JwkSet::new();
    set.push_key(keys.signing.public.clone());
    Ok(set)
}

fn client_id(state: &AppState) -> String {
    crate::auth::openid::login::client_id(state)
}

/// `GET /demo-oidc/.well-known/openid-federation`.
pub async fn anchor_configuration(State(state): State<AppState>) -> AppResult<Response> {
    signed(demo(&state)?.anchor_configuration(now(&state)))
}

#[derive(Deserialize)]
pub struct FetchQuery {
    sub: Option<String>,
}

/// `GET /demo-oidc/fetch?sub=…`: the anchor's statement about its one subordinate.
pub async fn fetch(State(state): State<AppState>, Query(q): Query<FetchQuery>) -> AppResult<Response> {
    let d = demo(&state)?;
    if q.sub.as_deref() != Some(d.provider_id.as_str()) {
        return Err(AppError::NotFound);
    }
    signed(d.statement_about_provider(now(&state)))
}

#[derive(Deserialize)]
pub struct StatusForm {
    trust_mark: Option<String>,
}

/// `POST /demo-oidc/trust_mark_status`: active for a mark it issued, else 404.
pub async fn trust_mark_status(State(state): State<AppState>, Form(f): Form<StatusForm>) -> AppResult<Response> {
    let d = demo(&state)?;
    let answer =
        d.status(f.trust_mark.as_deref().unwrap_or(""), now(&state)).map_err(|e| AppError::other("demo_op", e))?;
    let jwt = answer.ok_or(AppError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, "application/trust-mark-status-response+jwt")], jwt).into_response())
}

/// `GET /demo-oidc/op/.well-known/openid-federation`.
pub async fn provider_configuration(State(state): State<AppState>) -> AppResult<Response> {
    signed(demo(&state)?.provider_configuration(now(&state)))
}

/// The portal's request object, checked: signed by the portal, for this
/// provider, in time, back to the portal's callback, with PKCE.
fn request_claims(state: &AppState, request: &str) -> AppResult<Map<String, Value>> {
    let d = demo(state)?;
    let payload = jws::verified(request, &client_keys(state)?, "JWT").map_err(|e| bad(e.to_string()))?;
    let c = payload.claims_set().clone();
    let text = |name: &str| c.get(name).and_then(Value::as_str).unwrap_or_default().to_string();
    let client = client_id(state);
    let callback = crate::auth::openid::login::redirect_uri(state);
    let aud_ok =
        c.get("aud").and_then(Value::as_array).is_some_and(|a| a.iter().any(|v| v.as_str() == Some(&d.provider_id)));
    let in_time = c.get("exp").and_then(Value::as_i64).is_some_and(|exp| exp > now(state));
    if text("client_id") != client || text("redirect_uri") != callback || !aud_ok || !in_time {
        return Err(bad("a request object not for this provider, or expired"));
    }
    if text("code_challenge_method") != "S256" || text("code_challenge").is_empty() || text("state").len() < 32 {
        return Err(bad("no PKCE or no state"));
    }
    Ok(c)
}

fn asked_level(c: &Map<String, Value>) -> Level {
    c.get("acr_values")
        .and_then(Value::as_str)
        .and_then(|v| v.split(' ').find_map(Level::from_uri))
        .unwrap_or(Level::L2)
}

#[derive(Deserialize)]
pub struct AuthorizationQuery {
    request: Option<String>,
}

/// `GET /demo-oidc/op/authorization?request=…`: the page to choose a person.
pub async fn authorization(page: PageRequest, Query(q): Query<AuthorizationQuery>) -> AppResult<Response> {
    let request = q.request.ok_or_else(|| bad("no request object"))?;
    let asked = asked_level(&request_claims(&page.state, &request)?);
    Ok(page.render(StatusCode::OK, move || view! { <DemoOpLogin request asked/> }.into_any()))
}

#[derive(Deserialize)]
pub struct AuthorizeForm {
    request: String,
    person: Option<String>,
    level: Option<String>,
    outcome: Option<String>,
}

/// `POST /demo-oidc/op/authorization`: back to the portal with a code (a JWT
/// the provider signed, good for a minute), or with the person's refusal.
pub async fn authorize(page: PageRequest, FormData(f): FormData<AuthorizeForm>) -> AppResult<Response> {
    let state = page.state.clone();
    let d = demo(&state)?;
    let c = request_claims(&state, &f.request)?;
    let text = |name: &str| c.get(name).and_then(Value::as_str).unwrap_or_default().to_string();
    let mut back = url::Url::parse(&text("redirect_uri")).map_err(|_| bad("redirect_uri"))?;
    if f.outcome.as_deref() == Some("access_denied") {
        back.query_pairs_mut()
            .append_pair("error", "access_denied")
            .append_pair("state", &text("state"))
            .append_pair("iss", &d.provider_id);
        return Ok(Redirect::to(back.as_str()).into_response());
    }
    let person = people::find(f.person.as_deref().unwrap_or(""))
        .filter(|p| p.usable_with(Credential::Spid))
        .ok_or_else(|| bad("choose a person"))?;
    let level = f.level.as_deref().and_then(|l| l.parse().ok()).and_then(Level::from_number).unwrap_or(asked_level(&c));
    let t = now(&state);
    let code = d
        .sign_core(
            "demo-code+jwt",
            json!({
                "iss": d.provider_id, "aud": text("client_id"), "iat": t, "exp": t + CODE_SECS,
                "jti": crate::kernel::token::random_hex(16),
                "person": person.key, "acr": level.uri(), "nonce": text("nonce"),
                "code_challenge": text("code_challenge"), "redirect_uri": text("redirect_uri"),
            }),
        )
        .map_err(|e| AppError::other("demo_op", e))?;
    back.query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", &text("state"))
        .append_pair("iss", &d.provider_id);
    Ok(Redirect::to(back.as_str()).into_response())
}

/// The provider's own JWT of type `typ`, in time.
fn own(d: &DemoFederation, jwt: &str, typ: &str, now: i64) -> AppResult<Map<String, Value>> {
    let mut keys = JwkSet::new();
    keys.push_key(d.provider_core.public.clone());
    let payload = jws::verified(jwt, &keys, typ).map_err(|e| bad(e.to_string()))?;
    let c = payload.claims_set().clone();
    match c.get("exp").and_then(Value::as_i64) {
        Some(exp) if exp > now => Ok(c),
        _ => Err(bad("expired")),
    }
}

/// A client assertion from the portal for `endpoint`.
fn check_assertion(state: &AppState, assertion: &str, endpoint: &str) -> AppResult<()> {
    let payload = jws::verified(assertion, &client_keys(state)?, "JWT").map_err(|e| bad(e.to_string()))?;
    let c = payload.claims_set();
    let client = client_id(state);
    let aud_ok = c.get("aud").and_then(Value::as_array).is_some_and(|a| a.iter().any(|v| v.as_str() == Some(endpoint)));
    let fresh = c.get("exp").and_then(Value::as_i64).is_some_and(|exp| exp > now(state));
    let mine =
        c.get("iss").and_then(Value::as_str) == Some(&client) && c.get("sub").and_then(Value::as_str) == Some(&client);
    match aud_ok && fresh && mine {
        true => Ok(()),
        false => Err(bad("a client assertion not from the portal, or not for this endpoint")),
    }
}

/// The subject the demo provider gives a person at the portal (pairwise).
fn subject(person: &str, client: &str) -> String {
    crate::kernel::token::sha256_hex(&format!("{person}\n{client}"))
}

#[derive(Deserialize)]
pub struct TokenForm {
    grant_type: Option<String>,
    code: Option<String>,
    code_verifier: Option<String>,
    redirect_uri: Option<String>,
    client_assertion: Option<String>,
}

/// `POST /demo-oidc/op/token`: a code (once), its PKCE verifier and the
/// portal's client assertion give an access token and an ID Token.
pub async fn token(State(state): State<AppState>, Form(f): Form<TokenForm>) -> AppResult<Response> {
    let d = demo(&state)?;
    let t = now(&state);
    if f.grant_type.as_deref() != Some("authorization_code") {
        return Err(bad("grant_type"));
    }
    check_assertion(&state, f.client_assertion.as_deref().unwrap_or(""), &format!("{}/token", d.provider_id))?;
    let code = own(d, f.code.as_deref().unwrap_or(""), "demo-code+jwt", t)?;
    let text = |name: &str| code.get(name).and_then(Value::as_str).unwrap_or_default().to_string();
    let verifier = f.code_verifier.unwrap_or_default();
    if crate::oidc::authorize::code_challenge(&verifier) != text("code_challenge")
        || f.redirect_uri.unwrap_or_default() != text("redirect_uri")
    {
        return Err(bad("PKCE or redirect_uri"));
    }
    // A code is used once.
    let (jti, until, at) = (text("jti"), state.clock.now() + chrono::Duration::seconds(CODE_SECS), state.clock.now());
    let first =
        crate::db::with_conn(&state.pool, move |c| crate::auth::sso::register::first_use(c, &jti, until, at)).await?;
    if !first {
        return Err(bad("a code used twice"));
    }
    let client = client_id(&state);
    let sub = subject(&text("person"), &client);
    let sign = |typ: &str, claims: Value| d.sign_core(typ, claims).map_err(|e| AppError::other("demo_op", e));
    let access_token = sign(
        "at+jwt",
        json!({ "iss": d.provider_id, "sub": sub, "aud": [format!("{}/userinfo", d.provider_id)], "client_id": client,
                "person": text("person"), "iat": t, "exp": t + ACCESS_SECS, "jti": crate::kernel::token::random_hex(16) }),
    )?;
    let id_token = sign(
        "JWT",
        json!({ "iss": d.provider_id, "sub": sub, "aud": [client], "iat": t, "exp": t + ACCESS_SECS,
                "nonce": text("nonce"), "acr": text("acr"), "at_hash": crate::oidc::id_token::left_hash(&access_token),
                "jti": crate::kernel::token::random_hex(16) }),
    )?;
    let body = json!({ "access_token": access_token, "id_token": id_token, "token_type": "Bearer", "expires_in": ACCESS_SECS });
    Ok(([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")], body.to_string())
        .into_response())
}

fn person_claims(person: &DemoPerson) -> Value {
    json!({
        "given_name": person.given_name,
        "family_name": person.family_name,
        crate::oidc::authorize::FISCAL_NUMBER: format!("TINIT-{}", person.codice_fiscale().unwrap_or_default()),
        "birthdate": person.date_of_birth,
        "email": person.email,
    })
}

/// `GET /demo-oidc/op/userinfo`: the person's data, signed by the provider
/// and encrypted to the portal's encryption key.
pub async fn userinfo(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let d = demo(&state)?;
    let bearer =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    let person = bearer
        .and_then(|b| own(d, b, "at+jwt", now(&state)).ok())
        .and_then(|at| Some((people::find(at.get("person")?.as_str()?)?, at)));
    // RFC 6750: no valid token, 401.
    let Some((person, at)) = person else { return Ok(StatusCode::UNAUTHORIZED.into_response()) };
    let mut claims = person_claims(person);
    claims["sub"] = at["sub"].clone();
    claims["iss"] = json!(d.provider_id);
    claims["aud"] = json!(client_id(&state));
    let jws = d.sign_core("JWT", claims).map_err(|e| AppError::other("demo_op", e))?;
    let portal = state.oidc.keys.as_ref().ok_or(AppError::NotFound)?;
    let mut header = josekit::jwe::JweHeader::new();
    header.set_content_encryption(crate::oidc::entity::USERINFO_ENC);
    header.set_content_type("JWT");
    header.set_key_id(&portal.encryption.kid);
    let jwe = josekit::jwe::RSA_OAEP
        .encrypter_from_jwk(&portal.encryption.public)
        .and_then(|e| josekit::jwe::serialize_compact(jws.as_bytes(), &header, &e))
        .map_err(|e| AppError::other("demo_op", e))?;
    Ok(([(header::CONTENT_TYPE, "application/jwt")], jwe).into_response())
}

#[derive(Deserialize)]
pub struct RevocationForm {
    token: Option<String>,
    client_assertion: Option<String>,
}

/// `POST /demo-oidc/op/revocation`: its tokens keep no session to end, so
/// a revocation from the portal is acknowledged (and logged).
pub async fn revocation(State(state): State<AppState>, Form(f): Form<RevocationForm>) -> AppResult<Response> {
    let d = demo(&state)?;
    check_assertion(&state, f.client_assertion.as_deref().unwrap_or(""), &format!("{}/revocation", d.provider_id))?;
    own(d, f.token.as_deref().unwrap_or(""), "at+jwt", now(&state))?;
    tracing::info!("demo OP: access token revoked");
    Ok(StatusCode::OK.into_response())
}
