//! Sign-in alerts (after GOV.UK One Login's "report suspicious activity"):
//! the first request after each sign-in checks the browser (a long-lived
//! random cookie) against those the person used before; from a new one —
//! or at every sign-in, if they asked — they get an e-mail with a "this
//! wasn't me" link that ends all their sessions and opens a support request
//! already filled in.
use crate::auth::session::{end_account_sessions, DEVICE_KEY};
use crate::db::schema::{accounts as a, alert_tokens as at, known_devices as kd};
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::i18n::t;
use crate::identity::account;
use crate::kernel::{AccountId, AppState, Principal};
use crate::paths;
use crate::web::layout::FormPage;
use crate::web::render::{FormData, PageRequest};
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Duration;
use diesel::prelude::*;
use leptos::prelude::*;
use serde::Deserialize;
use tower_sessions::Session;

const COOKIE: &str = "sl_device";
const CHECKED_KEY: &str = "device_checked";

fn hash(s: &str) -> String {
    crate::kernel::token::sha256_hex(s)
}

/// The browser mark, when it is one the portal set (48 hex digits).
fn cookie(req: &Request, name: &str) -> Option<String> {
    crate::cookies::read(req.headers(), name)
        .filter(|v| v.len() == 48 && v.chars().all(|c| c.is_ascii_hexdigit()))
        .map(str::to_string)
}

/// Middleware: once per session, the browser is checked and the person told of a new one.
pub async fn sign_in_alerts(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let who = req.extensions().get::<Option<Principal>>().cloned().flatten();
    let session = req.extensions().get::<Session>().cloned();
    let (Some(who), Some(session)) = (who, session) else { return next.run(req).await };
    // Once per sign-in (a step-up or a new sign-in in the same session counts anew).
    if session.get::<chrono::NaiveDateTime>(CHECKED_KEY).await.ok().flatten() == Some(who.actor.at) {
        return next.run(req).await;
    }
    if let Err(e) = session.insert(CHECKED_KEY, who.actor.at).await {
        tracing::warn!(error = %e, "session: the browser check could not be noted");
    }
    let existing = cookie(&req, COOKIE);
    let device_id = existing.clone().unwrap_or_else(|| crate::kernel::token::random_hex(24));
    let device = session.get::<String>(DEVICE_KEY).await.ok().flatten().unwrap_or_default();
    let (account, now, h) = (who.actor.account_id, state.clock.now(), hash(&device_id));
    let found = with_conn(&state.pool, move |c| {
        let known = kd::table.find((account, &h)).count().get_result::<i64>(c)? > 0;
        let any = kd::table.filter(kd::account_id.eq(account)).count().get_result::<i64>(c)? > 0;
        if !known {
            diesel::insert_into(kd::table)
                .values((kd::account_id.eq(account), kd::device_hash.eq(&h), kd::first_seen.eq(now)))
                .execute(c)?;
        }
        let every = account::alert_every_sign_in(c, account)?;
        let email: Option<String> =
            a::table.find(account).select(a::email).first::<Option<String>>(c).optional()?.flatten();
        Ok((known, any, every, email))
    })
    .await;
    if let Ok((known, any, every, Some(email))) = found {
        // The very first browser of an account is not news; a new one after it is.
        if (!known && any) || every {
            let detail = format!(
                "{} · {} · {}",
                crate::web::format::format_when(who.actor.at, crate::i18n::Lang::It),
                who.actor.credential.code(),
                device
            );
            let token = crate::kernel::token::random_hex(24);
            let (th, d2, until) = (hash(&token), detail.clone(), now + Duration::days(7));
            let link = format!("{}{}?token={token}", state.config.origin(), paths::NOT_ME);
            let body = if known { "mail-alert-body" } else { "mail-alert-new-body" };
            let s2 = state.clone();
            // The "this wasn't me" link and the mail that carries it: one transaction.
            let stored = crate::db::transaction(&state.pool, move |c| {
                diesel::insert_into(at::table)
                    .values((
                        at::token_hash.eq(&th),
                        at::account_id.eq(account),
                        at::detail.eq(&d2),
                        at::expires_at.eq(until),
                    ))
                    .execute(c)?;
                let args = [("detail", detail.clone()), ("link", link.clone())];
                let key = format!("sign-in-alert:{th}");
                let keys = ("mail-alert-subject", body);
                crate::mail::outbox::queue(c, &s2.mailer, &key, &email, crate::i18n::Lang::It, keys, &args, now)
            })
            .await;
            match stored {
                Ok(_) => state.deliver_mail(),
                Err(e) => tracing::error!(error = %e, "could not queue a sign-in alert"),
            }
        }
    }
    let mut res = next.run(req).await;
    if existing.is_none() {
        let secure = if state.config.secure_cookies() { "; Secure" } else { "" };
        let set = format!("{COOKIE}={device_id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=63072000{secure}");
        if let Ok(v) = HeaderValue::from_str(&set) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    pub token: Option<String>,
}

fn invalid() -> AppError {
    AppError::Explained {
        status: StatusCode::NOT_FOUND,
        title: "not-me-invalid-title",
        detail: "not-me-invalid",
        log: "not-me: unknown, used or expired token".into(),
    }
}

/// `GET /area-personale/non-ero-io?token=…`: what happened, and the button.
pub async fn page(req: PageRequest, Query(q): Query<TokenQuery>) -> AppResult<Response> {
    let token: String = q.token.unwrap_or_default().chars().take(100).collect();
    let (h, now) = (hash(&token), req.state.clock.now());
    let detail: String = with_conn(&req.state.pool, move |c| {
        at::table
            .find(&h)
            .filter(at::used_at.is_null())
            .filter(at::expires_at.gt(now))
            .select(at::detail)
            .first(c)
            .optional()
    })
    .await?
    .ok_or_else(invalid)?;
    Ok(req.render(StatusCode::OK, move || {
        view! {
            <FormPage
                title=t("not-me-title")
                lead=crate::i18n::t_args("not-me-lead", &[("detail", detail)])
                errors=Default::default()
                action=paths::NOT_ME.into()
                submit=t("not-me-submit")
            >
                <input type="hidden" name="token" value=token/>
                <p>{t("not-me-effect")}</p>
            </FormPage>
        }
        .into_any()
    }))
}

#[derive(Debug, Deserialize)]
pub struct TokenForm {
    pub token: Option<String>,
}

/// `POST /area-personale/non-ero-io`: every session ends; a support request is opened.
pub async fn report(req: PageRequest, FormData(f): FormData<TokenForm>) -> AppResult<Response> {
    let token: String = f.token.unwrap_or_default().chars().take(100).collect();
    let (h, now) = (hash(&token), req.state.clock.now());
    let found = crate::db::transaction(&req.state.pool, move |c| {
        let row: Option<(AccountId, String)> = at::table
            .find(&h)
            .filter(at::used_at.is_null())
            .filter(at::expires_at.gt(now))
            .select((at::account_id, at::detail))
            .first(c)
            .optional()?;
        let Some((account, detail)) = row else { return Ok(None) };
        diesel::update(at::table.find(&h)).set(at::used_at.eq(now)).execute(c)?;
        let grants = end_account_sessions(c, account, now)?;
        let (given, family, email): (String, String, Option<String>) =
            a::table.find(account).select((a::given_name, a::family_name, a::email)).first(c)?;
        Ok(Some((account, detail, format!("{given} {family}"), email.unwrap_or_default(), grants)))
    })
    .await?;
    let (account, detail, name, email, grants) = found.ok_or_else(invalid)?;
    // Someone else may hold those sessions: their providers end theirs too.
    crate::auth::session::revoke_grants(&req.state, grants).await;
    tracing::warn!(%account, "sign-in reported as not the person's: every session ended");
    let description = format!("{}\n{detail}", req.lang.t("not-me-case"));
    let lang = req.lang.code();
    let (number, access) = with_conn(&req.state.pool, move |c| {
        let new = crate::support::cases::NewCase {
            account_id: Some(account),
            name: &name,
            email: &email,
            lang,
            category: "accesso",
            service: None,
            description: &description,
            attachment: None,
            unconfirmed: false,
            form_key: None,
        };
        let (number, access, _) = crate::support::cases::open(c, &new, now)?;
        Ok((number, access))
    })
    .await?;
    Ok(Redirect::to(&format!("{}?chiave={access}", paths::support_case(&number))).into_response())
}
