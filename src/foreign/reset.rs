//! Forgotten and changed passwords. A reset link (single use, one hour) also
//! needs the second factor or a recovery code, so a stolen mailbox alone is
//! not enough; the answer never says whether an address is registered.
use super::model::{self, ForeignUser};
use super::password;
use super::signin::PATH;
use super::signin::{client_address, second_factor, too_many};
use super::status::Status;
use crate::access::{self, Action, Denial, Resource};
use crate::db::schema::password_resets as r;
use crate::db::{with_conn, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::i18n::{t, Lang};
use crate::kernel::Email;
use crate::kernel::{AccountId, AppState};
use crate::mail::outbox;
use crate::paths;
use crate::web::components::form::{Field, FieldErrors};
use crate::web::layout::{FormPage, Page};
use crate::web::render::{FormData, PageRequest};
use crate::web::throttle;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use leptos::prelude::*;
use serde::Deserialize;

pub const RESET_MINUTES: i64 = 60;

#[derive(Clone, Debug, Default)]
pub struct ForgotSubmission(pub String, pub FieldErrors);

#[derive(Clone, Debug, Default)]
pub struct ResetSubmission {
    pub token: String,
    pub needs_code: bool,
    pub errors: FieldErrors,
}

#[derive(Clone, Debug, Default)]
pub struct ChangeSubmission(pub FieldErrors);

#[component]
pub fn ForgotPage(#[prop(optional)] sub: ForgotSubmission) -> impl IntoView {
    let ForgotSubmission(email, errors) = sub;
    let e = errors.clone();
    view! {
        <FormPage title=t("freset-title") lead=t("freset-lead") errors action=paths::FOREIGN_FORGOT.into() submit=t("freset-submit")>
            <Field name="email" label="reg-email" kind="email" value=email error=e.get("email") autocomplete="email"/>
        </FormPage>
    }
}

#[component]
pub fn ForgotSentPage() -> impl IntoView {
    view! {
        <Page title=t("freset-sent-title")>
            <h1>{t("freset-sent-title")}</h1>
            <p class="lead">{t("freset-sent-body")}</p>
        </Page>
    }
}

#[component]
pub fn ResetPage(sub: ResetSubmission) -> impl IntoView {
    let ResetSubmission { token, needs_code, errors } = sub;
    let e = errors.clone();
    view! {
        <FormPage title=t("fnew-title") errors action=paths::FOREIGN_RESET.into() submit=t("fnew-submit")>
            <input type="hidden" name="token" value=token/>
            <Field name="password" label="fnew-password" kind="password" error=e.get("password") autocomplete="new-password" hint="reg-password-hint"/>
            <Field name="password_confirm" label="reg-password-confirm" kind="password" error=e.get("password_confirm") autocomplete="new-password"/>
            {needs_code.then(|| view! {
                <Field name="code" label="fcode-label" error=e.get("code") autocomplete="one-time-code" inputmode=Some("numeric") hint="fcode-hint"/>
            })}
        </FormPage>
    }
}

#[component]
pub fn PasswordUpdatedPage() -> impl IntoView {
    view! {
        <Page title=t("fnew-done-title")>
            <h1>{t("fnew-done-title")}</h1>
            <p class="lead">{t("fnew-done-body")}</p>
            <p><a class="button" href=PATH>{t("choice-foreign-signin")}</a></p>
        </Page>
    }
}

#[component]
pub fn ChangePasswordPage(#[prop(optional)] sub: ChangeSubmission) -> impl IntoView {
    let ChangeSubmission(errors) = sub;
    let e = errors.clone();
    view! {
        <FormPage title=t("fchange-title") errors action=paths::CHANGE_PASSWORD.into() submit=t("fchange-submit")>
            <Field name="current" label="fchange-current" kind="password" error=e.get("current") autocomplete="current-password"/>
            <Field name="password" label="fnew-password" kind="password" error=e.get("password") autocomplete="new-password" hint="reg-password-hint"/>
            <Field name="password_confirm" label="reg-password-confirm" kind="password" error=e.get("password_confirm") autocomplete="new-password"/>
        </FormPage>
    }
}

#[derive(Debug, Deserialize)]
pub struct ForgotForm {
    pub email: Option<String>,
}

/// Reset links one e-mail address can be sent per hour.
const FORGOT_PER_HOUR: i32 = 3;

/// `POST /accesso-utente-estero/password-dimenticata`.
pub async fn forgot_submit(page: PageRequest, FormData(form): FormData<ForgotForm>) -> AppResult<Response> {
    let (state, lang) = (page.state.clone(), page.lang);
    let email = form.email.unwrap_or_default().trim().to_lowercase();
    if Email::parse(&email).is_none() {
        let mut errors = FieldErrors::default();
        errors.add("email", "reg-error-email");
        let sub = ForgotSubmission(email, errors);
        return Ok(page.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <ForgotPage sub/> }.into_any()));
    }
    throttle::anonymous_work(&page, "forgot").await?;
    // A few links an hour per address at most; past that the answer is the
    // same (no enumeration) but no mail leaves.
    let (key, now) = (format!("forgot:{email}"), state.clock.now());
    let verdict =
        with_conn(&state.pool, move |c| throttle::take(c, &key, FORGOT_PER_HOUR, Duration::minutes(60 / 3), now))
            .await?;
    if verdict != throttle::Verdict::Allowed {
        return Ok(Redirect::to(paths::FOREIGN_FORGOT_SENT).into_response());
    }
    // The link and its mail: one transaction, off the request path, so known
    // and unknown addresses answer in the same time.
    let (e, s2, s3) = (email.clone(), state.clone(), state.clone());
    tokio::spawn(async move {
        let queued = crate::db::transaction(&s3.pool, move |c| {
            let Some(user) = model::by_email(c, &e)?.filter(|u| u.status == Status::Approved) else {
                return Ok(false);
            };
            let (token, hash) = model::new_token();
            diesel::insert_into(r::table)
                .values((
                    r::token_hash.eq(hash),
                    r::foreign_user_id.eq(user.id),
                    r::expires_at.eq(now + Duration::minutes(RESET_MINUTES)),
                ))
                .execute(c)?;
            let link = format!("{}{}?token={token}", s2.config.origin(), paths::FOREIGN_RESET);
            let lang = Lang::parse(&user.lang).unwrap_or(lang);
            let key = format!("reset:{}", uuid::Uuid::new_v4().simple());
            let keys = ("mail-reset-subject", "mail-reset-body");
            outbox::queue(c, &s2.mailer, &key, &user.email, lang, keys, &[("link", link)], now)
        })
        .await;
        match queued {
            Ok(true) => s3.deliver_mail(),
            Ok(false) => {}
            Err(e) => tracing::error!(error = %e, "could not queue a reset link"),
        }
    });
    Ok(Redirect::to(paths::FOREIGN_FORGOT_SENT).into_response())
}

type ResetRow = (crate::kernel::ForeignUserId, NaiveDateTime, Option<NaiveDateTime>);

fn valid_reset(conn: &mut AnyConnection, token: &str, now: chrono::NaiveDateTime) -> QueryResult<Option<ForeignUser>> {
    let row: Option<ResetRow> = r::table
        .find(model::token_hash(token))
        .select((r::foreign_user_id, r::expires_at, r::used_at))
        .first(conn)
        .optional()?;
    match row {
        Some((id, expires, None)) if expires > now => {
            Ok(model::by_id(conn, id)?.filter(|u| u.status == Status::Approved))
        }
        _ => Ok(None),
    }
}

fn invalid_link() -> AppError {
    AppError::Explained {
        status: StatusCode::BAD_REQUEST,
        title: "reg-confirm-invalid-title",
        detail: "fnew-invalid",
        log: "unknown, used or expired reset token".into(),
    }
}

#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    pub token: Option<String>,
}

/// `GET /accesso-utente-estero/nuova-password?token=…`.
pub async fn reset_page(page: PageRequest, Query(q): Query<TokenQuery>) -> AppResult<Response> {
    let state = page.state.clone();
    let token = q.token.unwrap_or_default();
    let tk = token.clone();
    let now = state.clock.now();
    let user = with_conn(&state.pool, move |c| valid_reset(c, &tk, now)).await?.ok_or_else(invalid_link)?;
    let sub = ResetSubmission { token, needs_code: user.totp_enrolled_at.is_some(), errors: FieldErrors::default() };
    Ok(page.render(StatusCode::OK, move || view! { <ResetPage sub/> }.into_any()))
}

#[derive(Debug, Deserialize)]
pub struct ResetForm {
    pub token: Option<String>,
    pub password: Option<String>,
    pub password_confirm: Option<String>,
    pub code: Option<String>,
}

/// Wrong second factors a reset link survives; then it is burnt.
const RESET_CODE_ATTEMPTS: i32 = 5;

/// Counts a wrong second factor against the link; true when it is now burnt.
fn wrong_code(conn: &mut AnyConnection, token_hash: &str, now: NaiveDateTime) -> QueryResult<bool> {
    conn.transaction(|c| {
        diesel::update(r::table.find(token_hash)).set(r::code_failures.eq(r::code_failures + 1)).execute(c)?;
        let n: i32 = r::table.find(token_hash).select(r::code_failures).first(c)?;
        if n >= RESET_CODE_ATTEMPTS {
            diesel::update(r::table.find(token_hash)).set(r::used_at.eq(now)).execute(c)?;
        }
        Ok(n >= RESET_CODE_ATTEMPTS)
    })
}

/// A new password ends every session of the account, every pending sign-in
/// (they carry the old password's fingerprint) and every other reset link.
/// Stores the new password, ends every session, pending sign-in and reset
/// link of the account, and queues the mail that tells the person (in case
/// it was not them): one transaction.
fn store_password(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &ForeignUser,
    phc: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    use crate::db::schema::accounts as a;
    conn.transaction(|c| {
        model::set_password_hash(c, user.id, phc)?;
        throttle::reset_account(c, &user.email)?;
        diesel::delete(r::table.filter(r::foreign_user_id.eq(user.id)).filter(r::used_at.is_null())).execute(c)?;
        let account: Option<AccountId> = a::table
            .filter(a::id_kind.eq(crate::identity::IdKind::Foreign.code()))
            .filter(a::identifier.eq(&user.public_id))
            .select(a::id)
            .first(c)
            .optional()?;
        if let Some(id) = account {
            crate::identity::account::end_sessions_of(c, &[id], now)?;
        }
        let lang = Lang::parse(&user.lang).unwrap_or_default();
        let keys = ("mail-password-changed-subject", "mail-password-changed-body");
        let key = format!("password-changed:{}", crate::kernel::token::random_hex(8));
        outbox::queue(c, &state.mailer, &key, &user.email, lang, keys, &[], now)?;
        Ok(())
    })
}

/// Forgets reset links a day after they expired (the scheduled clean-ups).
pub fn purge_spent(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(r::table.filter(r::expires_at.lt(now - Duration::days(1)))).execute(conn)
}

/// `POST /accesso-utente-estero/nuova-password`.
pub async fn reset_submit(page: PageRequest, FormData(form): FormData<ResetForm>) -> AppResult<Response> {
    let state = page.state.clone();
    let token = form.token.unwrap_or_default();
    let tk = token.clone();
    let now = state.clock.now();
    let user = with_conn(&state.pool, move |c| valid_reset(c, &tk, now)).await?.ok_or_else(invalid_link)?;
    let (pw, pw2) = (form.password.unwrap_or_default(), form.password_confirm.unwrap_or_default());
    let mut errors = FieldErrors::default();
    let local = user.email.split('@').next().unwrap_or("").to_string();
    if let Err(key) = password::check_policy(&pw, &[&user.given_name, &user.family_name, &local]) {
        errors.add("password", key);
    } else if pw != pw2 {
        errors.add("password_confirm", "reg-error-password-confirm");
    }
    let needs_code = user.totp_enrolled_at.is_some();
    if errors.is_empty() && needs_code {
        // The second factor is throttled like sign-in, and the link burns after a few wrong codes.
        let (now, address) = (state.clock.now(), client_address(&page));
        let (e1, a1) = (user.email.clone(), address.clone());
        let reserve = move |c: &mut _| throttle::reserve(c, &throttle::Attempt { email: &e1, address: &a1 }, now);
        if let throttle::Verdict::Wait(s) = with_conn(&state.pool, reserve).await? {
            return Ok(too_many(s));
        }
        if !second_factor(&state, &user, form.code.as_deref().unwrap_or("").trim()).await? {
            let (e2, a2, hash) = (user.email.clone(), address, model::token_hash(&token));
            let burnt = with_conn(&state.pool, move |c| {
                throttle::failed(c, &throttle::Attempt { email: &e2, address: &a2 }, "reset-code", now)?;
                wrong_code(c, &hash, now)
            })
            .await?;
            if burnt {
                return Err(AppError::Explained {
                    status: StatusCode::BAD_REQUEST,
                    title: "reg-confirm-invalid-title",
                    detail: "fnew-too-many-codes",
                    log: "reset link burnt after wrong second factors".into(),
                });
            }
            errors.add("code", "fcode-wrong");
        }
    }
    if !errors.is_empty() {
        let sub = ResetSubmission { token, needs_code, errors };
        return Ok(page.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <ResetPage sub/> }.into_any()));
    }
    let phc = password::hash(pw).await?;
    let hash = model::token_hash(&token);
    let (u, s2, now) = (user.clone(), state.clone(), state.clock.now());
    let used = crate::db::transaction(&state.pool, move |c| {
        let n = diesel::update(r::table.find(&hash).filter(r::used_at.is_null())).set(r::used_at.eq(now)).execute(c)?;
        if n == 1 {
            store_password(c, &s2, &u, &phc, now)?;
        }
        Ok(n == 1)
    })
    .await?;
    if !used {
        return Err(invalid_link());
    }
    state.deliver_mail();
    Ok(Redirect::to(paths::FOREIGN_PASSWORD_UPDATED).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    pub current: Option<String>,
    pub password: Option<String>,
    pub password_confirm: Option<String>,
}

/// The Utente Estero whose portal password the principal may change.
async fn signed_in_foreign(page: &PageRequest) -> AppResult<ForeignUser> {
    let who = page.principal.as_ref();
    let decision = access::check(&page.state, who, Action::Change, &Resource::PortalPassword, &page.request_id).await?;
    let permit = match decision {
        Ok(permit) => permit,
        Err(Denial::SignIn) => return Err(AppError::SignInRequired { next: page.at.path.clone() }),
        Err(_) => return Err(AppError::Forbidden),
    };
    let public_id = who.map(|w| w.actor.identifier.clone()).unwrap_or_default();
    with_conn(&page.state.pool, move |c| model::password_owner(c, &permit, &public_id))
        .await?
        .ok_or(AppError::Forbidden)
}

/// `GET /area-personale/password`.
pub async fn change_page(page: PageRequest) -> AppResult<Response> {
    signed_in_foreign(&page).await?;
    Ok(page.render(StatusCode::OK, || view! { <ChangePasswordPage/> }.into_any()))
}

/// `POST /area-personale/password`.
pub async fn change_submit(page: PageRequest, FormData(form): FormData<ChangeForm>) -> AppResult<Response> {
    let state = page.state.clone();
    let user = signed_in_foreign(&page).await?;
    let (pw, pw2) = (form.password.unwrap_or_default(), form.password_confirm.unwrap_or_default());
    let mut errors = FieldErrors::default();
    // The current password is guessed no faster than at sign-in (a stolen session cookie).
    let (now, address) = (state.clock.now(), client_address(&page));
    let (e1, a1) = (user.email.clone(), address.clone());
    let reserve = move |c: &mut _| throttle::reserve(c, &throttle::Attempt { email: &e1, address: &a1 }, now);
    if let throttle::Verdict::Wait(s) = with_conn(&state.pool, reserve).await? {
        return Ok(too_many(s));
    }
    let (ok, _) = password::verify(form.current.unwrap_or_default(), user.password_hash.clone()).await?;
    if !ok {
        errors.add("current", "fchange-wrong-current");
        let (e2, a2) = (user.email.clone(), address);
        let attempt = move |c: &mut _| {
            throttle::failed(c, &throttle::Attempt { email: &e2, address: &a2 }, "current-password", now)
        };
        with_conn(&state.pool, attempt).await?;
    }
    let local = user.email.split('@').next().unwrap_or("").to_string();
    if let Err(key) = password::check_policy(&pw, &[&user.given_name, &user.family_name, &local]) {
        errors.add("password", key);
    } else if pw != pw2 {
        errors.add("password_confirm", "reg-error-password-confirm");
    }
    if !errors.is_empty() {
        let sub = ChangeSubmission(errors);
        return Ok(
            page.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <ChangePasswordPage sub/> }.into_any())
        );
    }
    let phc = password::hash(pw).await?;
    // Every session ends, this one too: the person signs in again with the new password.
    let (u, s2, now) = (user.clone(), state.clone(), state.clock.now());
    with_conn(&state.pool, move |c| store_password(c, &s2, &u, &phc, now)).await?;
    state.deliver_mail();
    Ok(Redirect::to(paths::FOREIGN_PASSWORD_UPDATED).into_response())
}
