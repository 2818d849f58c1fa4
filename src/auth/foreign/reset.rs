//! Forgotten and changed passwords. A reset link (single use, one hour) also
//! needs the second factor or a recovery code, so a stolen mailbox alone is
//! not enough; the answer never says whether an address is registered.
use super::model::{self, ForeignUser, STATUS_APPROVED};
use super::registration::send;
use super::signin::PATH;
use super::{password, throttle, totp};
use crate::app::AppState;
use crate::db::schema::{password_resets as r, sessions};
use crate::db::{with_conn, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::i18n::{t, Lang};
use crate::identity::SignedIn;
use crate::web::components::form::{ErrorSummary, Field, FieldErrors};
use crate::web::layout::Page;
use crate::web::render::render_view;
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::{Duration, NaiveDateTime, Utc};
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
pub fn ForgotPage() -> impl IntoView {
    let ForgotSubmission(email, errors) = use_context::<ForgotSubmission>().unwrap_or_default();
    let e = errors.clone();
    view! {
        <Page title=t("freset-title")>
            <h1>{t("freset-title")}</h1>
            <p class="lead">{t("freset-lead")}</p>
            <ErrorSummary errors=errors/>
            <form method="post" action=format!("{PATH}/password-dimenticata") novalidate>
                <Field name="email" label="reg-email" kind="email" value=email error=e.get("email") autocomplete="email"/>
                <p><button type="submit">{t("freset-submit")}</button></p>
            </form>
        </Page>
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
pub fn ResetPage() -> impl IntoView {
    let ResetSubmission { token, needs_code, errors } = use_context::<ResetSubmission>().unwrap_or_default();
    let e = errors.clone();
    view! {
        <Page title=t("fnew-title")>
            <h1>{t("fnew-title")}</h1>
            <ErrorSummary errors=errors/>
            <form method="post" action=format!("{PATH}/nuova-password") novalidate>
                <input type="hidden" name="token" value=token/>
                <Field name="password" label="fnew-password" kind="password" error=e.get("password") autocomplete="new-password" hint="reg-password-hint"/>
                <Field name="password_confirm" label="reg-password-confirm" kind="password" error=e.get("password_confirm") autocomplete="new-password"/>
                {needs_code.then(|| view! {
                    <Field name="code" label="fcode-label" error=e.get("code") autocomplete="one-time-code" hint="fcode-hint"/>
                })}
                <p><button type="submit">{t("fnew-submit")}</button></p>
            </form>
        </Page>
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
pub fn ChangePasswordPage() -> impl IntoView {
    let ChangeSubmission(errors) = use_context::<ChangeSubmission>().unwrap_or_default();
    let e = errors.clone();
    view! {
        <Page title=t("fchange-title")>
            <h1>{t("fchange-title")}</h1>
            <ErrorSummary errors=errors/>
            <form method="post" action="/area-personale/password" novalidate>
                <Field name="current" label="fchange-current" kind="password" error=e.get("current") autocomplete="current-password"/>
                <Field name="password" label="fnew-password" kind="password" error=e.get("password") autocomplete="new-password" hint="reg-password-hint"/>
                <Field name="password_confirm" label="reg-password-confirm" kind="password" error=e.get("password_confirm") autocomplete="new-password"/>
                <p><button type="submit">{t("fchange-submit")}</button></p>
            </form>
        </Page>
    }
}

#[derive(Debug, Deserialize)]
pub struct ForgotForm {
    pub email: Option<String>,
}

/// `POST /accesso-utente-estero/password-dimenticata`.
pub async fn forgot_submit(State(state): State<AppState>, Extension(lang): Extension<Lang>, req: Request) -> AppResult<Response> {
    let (parts, form) = crate::web::render::read_form::<ForgotForm>(&state, req).await?;
    let email = form.email.unwrap_or_default().trim().to_lowercase();
    if !email.contains('@') {
        let mut errors = FieldErrors::default();
        errors.add("email", "reg-error-email");
        let sub = ForgotSubmission(email, errors);
        return Ok(render_view(&state, parts, StatusCode::UNPROCESSABLE_ENTITY, move || provide_context(sub.clone()), ForgotPage).await);
    }
    let e = email.clone();
    let issued = with_conn(&state.pool, move |c| {
        let Some(user) = model::by_email(c, &e)?.filter(|u| u.status == STATUS_APPROVED) else { return Ok(None) };
        let (token, hash) = model::new_token();
        diesel::insert_into(r::table)
            .values((r::token_hash.eq(hash), r::foreign_user_id.eq(user.id), r::expires_at.eq(Utc::now().naive_utc() + Duration::minutes(RESET_MINUTES))))
            .execute(c)?;
        Ok(Some((user, token)))
    })
    .await?;
    if let Some((user, token)) = issued {
        let link = format!("{}{PATH}/nuova-password?token={token}", state.config.origin());
        let lang = Lang::parse(&user.lang).unwrap_or(lang);
        send(&state, &user.email, lang, "mail-reset-subject", "mail-reset-body", &[("link", link)]).await;
    }
    Ok(Redirect::to(&format!("{PATH}/password-dimenticata/inviata")).into_response())
}

type ResetRow = (i64, NaiveDateTime, Option<NaiveDateTime>);

fn valid_reset(conn: &mut AnyConnection, token: &str) -> QueryResult<Option<ForeignUser>> {
    let row: Option<ResetRow> = r::table
        .find(model::token_hash(token))
        .select((r::foreign_user_id, r::expires_at, r::used_at))
        .first(conn)
        .optional()?;
    match row {
        Some((id, expires, None)) if expires > Utc::now().naive_utc() => Ok(model::by_id(conn, id)?.filter(|u| u.status == STATUS_APPROVED)),
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
pub async fn reset_page(State(state): State<AppState>, Query(q): Query<TokenQuery>, req: Request) -> AppResult<Response> {
    let token = q.token.unwrap_or_default();
    let tk = token.clone();
    let user = with_conn(&state.pool, move |c| valid_reset(c, &tk)).await?.ok_or_else(invalid_link)?;
    let sub = ResetSubmission { token, needs_code: user.totp_enrolled_at.is_some(), errors: FieldErrors::default() };
    let (parts, _) = req.into_parts();
    Ok(render_view(&state, parts, StatusCode::OK, move || provide_context(sub.clone()), ResetPage).await)
}

#[derive(Debug, Deserialize)]
pub struct ResetForm {
    pub token: Option<String>,
    pub password: Option<String>,
    pub password_confirm: Option<String>,
    pub code: Option<String>,
}

/// Checks a one-time or recovery code of `user`, spending it.
async fn second_factor(state: &AppState, user: &ForeignUser, code: &str) -> AppResult<bool> {
    let id = user.id;
    if let Some(step) = user.totp_secret.as_deref().and_then(|s| totp::verify(s, code, Utc::now().timestamp(), user.totp_last_step)) {
        with_conn(&state.pool, move |c| model::used_step(c, id, step)).await?;
        return Ok(true);
    }
    let h = totp::hash_recovery_code(code);
    Ok(code.len() >= 12 && with_conn(&state.pool, move |c| model::use_recovery_code(c, id, &h)).await?)
}

/// A new password ends every session of the account.
fn store_password(conn: &mut AnyConnection, user: &ForeignUser, phc: &str) -> QueryResult<()> {
    use crate::db::schema::accounts as a;
    conn.transaction(|c| {
        model::set_password_hash(c, user.id, phc)?;
        throttle::succeeded(c, &user.email)?;
        let account: Option<i64> = a::table
            .filter(a::id_kind.eq(crate::identity::IdKind::Foreign.code()))
            .filter(a::identifier.eq(&user.public_id))
            .select(a::id)
            .first(c)
            .optional()?;
        if let Some(id) = account {
            diesel::delete(sessions::table.filter(sessions::account_id.eq(id))).execute(c)?;
        }
        Ok(())
    })
}

/// `POST /accesso-utente-estero/nuova-password`.
pub async fn reset_submit(State(state): State<AppState>, req: Request) -> AppResult<Response> {
    let (parts, form) = crate::web::render::read_form::<ResetForm>(&state, req).await?;
    let token = form.token.unwrap_or_default();
    let tk = token.clone();
    let user = with_conn(&state.pool, move |c| valid_reset(c, &tk)).await?.ok_or_else(invalid_link)?;
    let (pw, pw2) = (form.password.unwrap_or_default(), form.password_confirm.unwrap_or_default());
    let mut errors = FieldErrors::default();
    let local = user.email.split('@').next().unwrap_or("").to_string();
    if let Err(key) = password::check_policy(&pw, &[&user.given_name, &user.family_name, &local]) {
        errors.add("password", key);
    } else if pw != pw2 {
        errors.add("password_confirm", "reg-error-password-confirm");
    }
    let needs_code = user.totp_enrolled_at.is_some();
    if errors.is_empty() && needs_code && !second_factor(&state, &user, form.code.as_deref().unwrap_or("")).await? {
        errors.add("code", "fcode-wrong");
    }
    if !errors.is_empty() {
        let sub = ResetSubmission { token, needs_code, errors };
        return Ok(render_view(&state, parts, StatusCode::UNPROCESSABLE_ENTITY, move || provide_context(sub.clone()), ResetPage).await);
    }
    let phc = password::hash(pw).await.map_err(|e| AppError::Internal(e.to_string()))?;
    let hash = model::token_hash(&token);
    let used = with_conn(&state.pool, move |c| {
        c.transaction(|c| {
            let n = diesel::update(r::table.find(&hash).filter(r::used_at.is_null())).set(r::used_at.eq(Utc::now().naive_utc())).execute(c)?;
            if n == 1 {
                store_password(c, &user, &phc)?;
            }
            Ok(n == 1)
        })
    })
    .await?;
    if !used {
        return Err(invalid_link());
    }
    Ok(Redirect::to(&format!("{PATH}/password-aggiornata")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    pub current: Option<String>,
    pub password: Option<String>,
    pub password_confirm: Option<String>,
}

async fn signed_in_foreign(state: &AppState, who: Option<SignedIn>) -> AppResult<ForeignUser> {
    let who = who.filter(crate::access::may_change_portal_password).ok_or(AppError::Forbidden)?;
    let public_id = who.identifier.clone();
    with_conn(&state.pool, move |c| {
        use crate::db::schema::foreign_users as u;
        u::table.filter(u::public_id.eq(&public_id)).first::<ForeignUser>(c).optional()
    })
    .await?
    .ok_or(AppError::Forbidden)
}

/// `GET /area-personale/password`.
pub async fn change_page(State(state): State<AppState>, Extension(who): Extension<Option<SignedIn>>, req: Request) -> AppResult<Response> {
    signed_in_foreign(&state, who).await?;
    let (parts, _) = req.into_parts();
    Ok(render_view(&state, parts, StatusCode::OK, || (), ChangePasswordPage).await)
}

/// `POST /area-personale/password`.
pub async fn change_submit(State(state): State<AppState>, Extension(who): Extension<Option<SignedIn>>, req: Request) -> AppResult<Response> {
    let user = signed_in_foreign(&state, who).await?;
    let (parts, form) = crate::web::render::read_form::<ChangeForm>(&state, req).await?;
    let (pw, pw2) = (form.password.unwrap_or_default(), form.password_confirm.unwrap_or_default());
    let mut errors = FieldErrors::default();
    let (ok, _) = password::verify(form.current.unwrap_or_default(), user.password_hash.clone()).await.map_err(|e| AppError::Internal(e.to_string()))?;
    if !ok {
        errors.add("current", "fchange-wrong-current");
    }
    let local = user.email.split('@').next().unwrap_or("").to_string();
    if let Err(key) = password::check_policy(&pw, &[&user.given_name, &user.family_name, &local]) {
        errors.add("password", key);
    } else if pw != pw2 {
        errors.add("password_confirm", "reg-error-password-confirm");
    }
    if !errors.is_empty() {
        let sub = ChangeSubmission(errors);
        return Ok(render_view(&state, parts, StatusCode::UNPROCESSABLE_ENTITY, move || provide_context(sub.clone()), ChangePasswordPage).await);
    }
    let phc = password::hash(pw).await.map_err(|e| AppError::Internal(e.to_string()))?;
    // Every session ends, this one too: the person signs in again with the new password.
    with_conn(&state.pool, move |c| store_password(c, &user, &phc)).await?;
    Ok(Redirect::to(&format!("{PATH}/password-aggiornata")).into_response())
}
