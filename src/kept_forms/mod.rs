//! Timeouts that respect people (WCAG 2.2.1): a form posted after the
//! session ended is not lost. What was typed (never files, never passwords)
//! is kept on the server for 30 minutes under a cookie; the person signs in
//! again and lands on `/moduli-conservati`, which shows it and sends it on
//! with one click.
mod labels;

use crate::db::schema::kept_forms as k;
use crate::db::with_conn;
use crate::error::AppResult;
use crate::i18n::t;
use crate::kernel::{AccountId, AppState, Principal};
use crate::paths;
use crate::web::layout::Page;
use crate::web::render::PageRequest;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::Duration;
use diesel::prelude::*;
use leptos::prelude::*;

/// Its one page, `/moduli-conservati`.
pub fn routes() -> Router<AppState> {
    Router::new().route(paths::KEPT_FORM, get(page))
}

/// Kept forms past their time.
pub fn sweep(c: &mut crate::db::AnyConnection, now: chrono::NaiveDateTime) -> QueryResult<crate::kernel::sweep::Swept> {
    Ok(crate::kernel::sweep::Swept::rows(purge(c, now)?))
}

const COOKIE: &str = "sl_kept";
/// Forms about credentials are never kept, whatever their fields are called.
/// (`/accesso-utente-estero` covers the sign-in, its code and the password reset.)
const NEVER_KEPT: [&str; 3] = [paths::CHANGE_PASSWORD, paths::NOT_ME, paths::FOREIGN_SIGN_IN];
/// Fields that hold a secret (besides any `…password…`): one-time codes, the
/// current password, PINs, tokens.
const SECRET_FIELDS: [&str; 5] = ["current", "code", "codice", "pin", "token"];
/// Forms larger than this are not kept (they are not what people type).
const MAX_BODY: usize = 64 * 1024;
/// How long a kept form waits.
const KEEP_MINUTES: i64 = 30;

fn hash(token: &str) -> String {
    crate::kernel::token::sha256_hex(token)
}

fn cookie(req: &Request, name: &str) -> Option<String> {
    crate::cookies::read(req.headers(), name).map(str::to_string)
}

/// Middleware: a form posted by someone not (or no longer) signed in, that
/// the portal answers with "sign in first", is kept, and the sign-in then
/// leads to the page that offers it back.
pub async fn keep_forms(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let signed_in = req.extensions().get::<Option<Principal>>().is_some_and(Option::is_some);
    let form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if req.method() != Method::POST || !form || req.uri().path().starts_with("/saml/") {
        return next.run(req).await;
    }
    if signed_in {
        return sent_again(&state, req, next).await;
    }
    let path = req.uri().path().to_string();
    if NEVER_KEPT.iter().any(|p| path == *p || path.starts_with(&format!("{p}/"))) {
        return next.run(req).await;
    }
    // Whose session just ended: the form goes back to them only. Without a
    // session the portal knows an owner of (none, ended everywhere, long
    // gone), nothing is kept: it could be shown to the next person.
    let Some(id) = cookie(&req, crate::auth::session::cookie_name(&state.config)) else {
        return next.run(req).await;
    };
    let owner = match with_conn(&state.pool, move |c| crate::auth::session::owner_of(c, &id)).await {
        Ok(Some(Some(account))) => account,
        _ => return next.run(req).await,
    };
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let req = Request::from_parts(parts, Body::from(bytes.clone()));
    let mut res = next.run(req).await;
    let to_sign_in = res.status() == StatusCode::SEE_OTHER
        && res
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|l| l.starts_with(paths::SIGN_IN));
    if !to_sign_in {
        return res;
    }
    // Never secrets: only what can be typed again safely is kept.
    let body: String = url::form_urlencoded::parse(&bytes)
        .filter(|(k, _)| !k.contains("password") && !SECRET_FIELDS.contains(&k.as_ref()))
        .fold(url::form_urlencoded::Serializer::new(String::new()), |mut s, (k, v)| {
            s.append_pair(&k, &v);
            s
        })
        .finish();
    let token = crate::kernel::token::random_hex(24);
    let (h, until) = (hash(&token), state.clock.now() + Duration::minutes(KEEP_MINUTES));
    let kept = with_conn(&state.pool, move |c| {
        diesel::insert_into(k::table)
            .values((
                k::token_hash.eq(&h),
                k::path.eq(&path),
                k::body.eq(&body),
                k::expires_at.eq(until),
                k::account_id.eq(Some(owner)),
            ))
            .execute(c)
    })
    .await;
    if kept.is_err() {
        return res;
    }
    let secure = if state.config.secure_cookies() { "; Secure" } else { "" };
    let set = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}", KEEP_MINUTES * 60);
    if let Ok(v) = HeaderValue::from_str(&set) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&paths::sign_in_then(paths::KEPT_FORM)) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// A signed-in person posting where their kept form was going: once it is
/// accepted, the kept copy is gone (it is not offered twice).
async fn sent_again(state: &AppState, req: Request, next: Next) -> Response {
    let Some(token) = cookie(&req, COOKIE) else { return next.run(req).await };
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    if res.status().is_client_error() || res.status().is_server_error() {
        return res;
    }
    let h = hash(&token);
    let removed =
        with_conn(&state.pool, move |c| diesel::delete(k::table.find(&h).filter(k::path.eq(&path))).execute(c)).await;
    if removed.is_ok_and(|n| n == 1) {
        let secure = if state.config.secure_cookies() { "; Secure" } else { "" };
        if let Ok(v) = HeaderValue::from_str(&format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// The kept form for this browser and this person, if one is still waiting: (path, fields).
async fn kept(
    req: &PageRequest,
    token: Option<String>,
    account: AccountId,
) -> AppResult<Option<(String, Vec<(String, String)>)>> {
    let Some(token) = token else { return Ok(None) };
    let (h, now) = (hash(&token), req.state.clock.now());
    let row: Option<(String, String)> = with_conn(&req.state.pool, move |c| {
        k::table
            .find(&h)
            .filter(k::expires_at.gt(now))
            .filter(k::account_id.eq(account))
            .select((k::path, k::body))
            .first(c)
            .optional()
    })
    .await?;
    Ok(row.map(|(path, body)| (path, url::form_urlencoded::parse(body.as_bytes()).into_owned().collect())))
}

/// `GET /moduli-conservati`: what was typed, to send again.
pub async fn page(req: PageRequest, who: Principal, request: Request) -> AppResult<Response> {
    let token = cookie(&request, COOKIE);
    let found = kept(&req, token, who.actor.account_id).await?;
    let lang = req.lang;
    Ok(req.render(StatusCode::OK, move || {
        let body = match found {
            None => view! { <p>{t("kept-none")}</p> }.into_any(),
            Some((path, fields)) => {
                let (name, shown) = labels::describe(lang, &path, &fields);
                view! {
                <h2>{name}</h2>
                <p>{t("kept-lead")}</p>
                <dl class="facts">
                    {shown.into_iter().map(|(label, v)| view! { <dt>{label}</dt><dd class="wrap pre">{v}</dd> }).collect_view()}
                </dl>
                <form method="post" action=path>
                    {fields.iter().map(|(k, v)| view! { <input type="hidden" name=k.clone() value=v.clone()/> }).collect_view()}
                    <p><button type="submit">{t("kept-send")}</button></p>
                </form>
                <p class="hint">{t("kept-files")}</p>
                }
                .into_any()
            }
        };
        view! {
            <Page title=t("kept-title")>
                <h1>{t("kept-title")}</h1>
                {body}
            </Page>
        }
        .into_any()
    }))
}

/// Kept forms past their 30 minutes are forgotten.
pub fn purge(conn: &mut crate::db::AnyConnection, now: chrono::NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(k::table.filter(k::expires_at.le(now))).execute(conn)
}
