//! `/accesso-utente-estero`: password, then a one-time code. At the first
//! sign-in after approval the person enrols an authenticator and receives
//! recovery codes. The sign-in counts as SPID level 2.
use super::model::{self, ForeignUser};
use super::status::Status;
use super::{password, totp};
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::i18n::t;
use crate::identity::account::{self, IdKind, Identity};
use crate::kernel::AppState;
use crate::kernel::ForeignUserId;
use crate::kernel::{Credential, Level};
use crate::kernel::{Principal, SignedIn};
use crate::paths;
use crate::web::components::form::{ErrorSummary, Field, FieldErrors};
use crate::web::layout::{FormPage, Page};
use crate::web::render::{FormData, PageRequest};
use crate::web::throttle;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

pub const PATH: &str = paths::FOREIGN_SIGN_IN;
const PENDING_KEY: &str = "foreign_pending";

/// Between the password and the code: who, and what comes next.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Pending {
    user_id: ForeignUserId,
    /// Of the password hash the password step checked: a password changed
    /// meanwhile ends this pending sign-in.
    #[serde(default)]
    password: String,
    /// Set while enrolling: the secret being shown (saved only once confirmed).
    enrol_secret: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct SignInSubmission {
    pub email: String,
    pub errors: FieldErrors,
    /// Too many attempts: how many seconds to wait before the next.
    pub wait: Option<i64>,
}

#[derive(Clone, Debug, Default)]
pub struct CodeSubmission(pub FieldErrors);

#[derive(Clone, Debug)]
pub struct Enrolment {
    pub secret: String,
    pub qr_svg: String,
    pub errors: FieldErrors,
}

#[derive(Clone, Debug)]
pub struct RecoveryCodes(pub Vec<String>);

#[component]
pub fn SignInPage(#[prop(optional)] sub: SignInSubmission) -> impl IntoView {
    let SignInSubmission { email, errors, wait } = sub;
    let e = errors.clone();
    let waiting = wait.map(|s| {
        view! { <p class="notice" role="alert">{crate::i18n::t_args("fsign-wait", &[("count", s.to_string())])}</p> }
    });
    let after = view! {
        <p><a href=paths::FOREIGN_FORGOT>{t("fsign-forgot")}</a></p>
        <p>{t("fsign-no-account")} " " <a href=paths::FOREIGN_REGISTER>{t("choice-foreign-register")}</a></p>
    };
    view! {
        <FormPage title=t("fsign-title") lead=t("fsign-lead") errors action=PATH.into() submit=t("fsign-submit") after=after.into_any()>
            {waiting}
            <Field name="email" label="reg-email" kind="email" value=email error=e.get("email") autocomplete="username"/>
            <Field name="password" label="reg-password" kind="password" error=e.get("password") autocomplete="current-password"/>
        </FormPage>
    }
}

#[component]
pub fn CodePage(#[prop(optional)] sub: CodeSubmission) -> impl IntoView {
    let CodeSubmission(errors) = sub;
    let e = errors.clone();
    view! {
        <FormPage title=t("fcode-title") lead=t("fcode-lead") errors action=paths::FOREIGN_CODE.into() submit=t("fcode-submit")>
            <Field name="code" label="fcode-label" error=e.get("code") autocomplete="one-time-code" inputmode=Some("numeric") hint="fcode-hint"/>
        </FormPage>
    }
}

#[component]
pub fn EnrolPage(en: Enrolment) -> impl IntoView {
    let e = en.errors.clone();
    view! {
        <Page title=t("fenrol-title")>
            <h1>{t("fenrol-title")}</h1>
            <p class="lead">{t("fenrol-lead")}</p>
            <ErrorSummary errors=en.errors.clone()/>
            <ol class="steps">
                <li>{t("fenrol-step-app")}</li>
                <li>
                    {t("fenrol-step-scan")}
                    <figure class="qr">
                        <img src=format!("data:image/svg+xml;base64,{}", crate::saml::codec::b64(en.qr_svg.as_bytes())) alt=t("fenrol-qr-alt") width="200" height="200"/>
                        <figcaption>{t("fenrol-secret")} " " <code class="secret">{en.secret.clone()}</code></figcaption>
                    </figure>
                </li>
                <li>{t("fenrol-step-code")}</li>
            </ol>
            <form method="post" action=paths::FOREIGN_ENROL novalidate>
                <Field name="code" label="fcode-label" error=e.get("code") autocomplete="one-time-code" inputmode=Some("numeric")/>
                <p><button type="submit">{t("fenrol-submit")}</button></p>
            </form>
        </Page>
    }
    .into_any()
}

#[component]
pub fn RecoveryCodesPage(codes: RecoveryCodes) -> impl IntoView {
    let RecoveryCodes(codes) = codes;
    view! {
        <Page title=t("frecovery-title")>
            <h1>{t("frecovery-title")}</h1>
            <p class="lead">{t("frecovery-lead")}</p>
            <ul class="recovery-codes">{codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ul>
            <p>{t("frecovery-keep")}</p>
            <p><a class="button" href=paths::PERSONAL_AREA>{t("frecovery-continue")}</a></p>
        </Page>
    }
}

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    pub email: Option<String>,
    pub password: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct CodeForm {
    pub code: Option<String>,
}

/// A short digest of a password hash, to notice that it changed.
fn fingerprint(phc: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(phc.as_bytes()).iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// The client's address as the throttle counts it.
pub fn client_address(req: &PageRequest) -> String {
    crate::web::client::throttle_key(req.client)
}

/// Checks a one-time code or a recovery code of `user`, spending it.
pub async fn second_factor(state: &AppState, user: &ForeignUser, code: &str) -> AppResult<bool> {
    let id = user.id;
    let now = state.clock.now().and_utc().timestamp();
    if let Some(step) = user.totp_secret.as_deref().and_then(|s| totp::verify(s, code, now, user.totp_last_step)) {
        return Ok(with_conn(&state.pool, move |c| model::used_step(c, id, step)).await?);
    }
    let h = totp::hash_recovery_code(code);
    let now = state.clock.now();
    Ok(code.len() >= 12 && with_conn(&state.pool, move |c| model::use_recovery_code(c, id, &h, now)).await?)
}

pub fn too_many(seconds: i64) -> Response {
    let mut res = AppError::Explained {
        status: StatusCode::TOO_MANY_REQUESTS,
        title: "error-429-title",
        detail: "fsign-throttled",
        log: format!("throttled for {seconds}s"),
    }
    .into_response();
    if let Ok(v) = header::HeaderValue::from_str(&seconds.to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

/// `POST /accesso-utente-estero`: the password step.
pub async fn submit_password(
    page: PageRequest,
    session: Session,
    FormData(form): FormData<SignInForm>,
) -> AppResult<Response> {
    let state = page.state.clone();
    let address = client_address(&page);
    let email = form.email.unwrap_or_default().trim().to_lowercase();
    let pw = form.password.unwrap_or_default();
    // An empty form is a mistake, not a guess: it is not counted.
    let mut errors = FieldErrors::default();
    if email.is_empty() {
        errors.add("email", "fsign-email-missing");
    }
    if pw.is_empty() {
        errors.add("password", "fsign-password-missing");
    }
    if !errors.is_empty() {
        let sub = SignInSubmission { email, errors, wait: None };
        return Ok(page.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <SignInPage sub/> }.into_any()));
    }
    // A full hashing line is answered before any other work.
    if password::busy() {
        return Err(AppError::Busy { retry_after_secs: 2 });
    }
    let now = state.clock.now();
    let (e1, a1) = (email.clone(), address.clone());
    let reserve = move |c: &mut _| throttle::reserve(c, &throttle::Attempt { email: &e1, address: &a1 }, now);
    if let throttle::Verdict::Wait(s) = with_conn(&state.pool, reserve).await? {
        // The form again, the e-mail kept, and how long to wait.
        let sub = SignInSubmission { email, errors: FieldErrors::default(), wait: Some(s) };
        let mut res = page.render(StatusCode::TOO_MANY_REQUESTS, move || view! { <SignInPage sub/> }.into_any());
        if let Ok(v) = header::HeaderValue::from_str(&s.to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(res);
    }
    let e2 = email.clone();
    let user = with_conn(&state.pool, move |c| model::by_email(c, &e2)).await?.filter(|u| u.status == Status::Approved);
    let verified = match &user {
        Some(u) => password::verify(pw.clone(), u.password_hash.clone()).await?,
        None => {
            // Same work for unknown addresses: the answer's timing tells nothing.
            password::verify_dummy(pw.clone()).await?;
            (false, false)
        }
    };
    let (Some(user), (true, rehash)) = (user, verified) else {
        let (e3, a3) = (email.clone(), address);
        with_conn(&state.pool, move |c| {
            throttle::failed(c, &throttle::Attempt { email: &e3, address: &a3 }, "password", now)
        })
        .await?;
        tracing::info!("Utente Estero sign-in refused");
        let mut errors = FieldErrors::default();
        errors.add("email", "fsign-wrong");
        let sub = SignInSubmission { email, errors, wait: None };
        return Ok(page.render(StatusCode::UNAUTHORIZED, move || view! { <SignInPage sub/> }.into_any()));
    };
    if rehash {
        let phc = password::hash(pw).await?;
        let id = user.id;
        with_conn(&state.pool, move |c| model::set_password_hash(c, id, &phc)).await?;
    }
    crate::auth::session::rotate(&session).await?;
    let enrolled = user.totp_enrolled_at.is_some();
    let pending = Pending { user_id: user.id, password: fingerprint(&user.password_hash), enrol_secret: None };
    session.insert(PENDING_KEY, pending).await?;
    Ok(Redirect::to(if enrolled { paths::FOREIGN_CODE } else { paths::FOREIGN_ENROL }).into_response())
}

async fn pending(state: &AppState, session: &Session) -> AppResult<(Pending, ForeignUser)> {
    let p: Pending = session.get(PENDING_KEY).await?.ok_or_else(|| AppError::Explained {
        status: StatusCode::BAD_REQUEST,
        title: "fsign-expired-title",
        detail: "fsign-expired",
        log: "no pending Utente Estero sign-in".into(),
    })?;
    let id = p.user_id;
    let user = with_conn(&state.pool, move |c| model::by_id(c, id))
        .await?
        .filter(|u| u.status == Status::Approved)
        .ok_or(AppError::Forbidden)?;
    if p.password != fingerprint(&user.password_hash) {
        session.remove::<Pending>(PENDING_KEY).await?;
        return Err(AppError::Explained {
            status: StatusCode::BAD_REQUEST,
            title: "fsign-expired-title",
            detail: "fsign-expired",
            log: "the password changed during the sign-in".into(),
        });
    }
    Ok((p, user))
}

/// Both steps done: the person is signed in, at level 2, under a new session id.
/// Signs the person in; returns who they now are (for a page shown at once).
async fn finish(state: &AppState, session: &Session, user: &ForeignUser, address: String) -> AppResult<Principal> {
    session.remove::<Pending>(PENDING_KEY).await?;
    let who = Identity {
        kind: IdKind::Foreign,
        identifier: user.public_id.clone(),
        given_name: user.given_name.clone(),
        family_name: user.family_name.clone(),
        date_of_birth: Some(user.birth_date),
        email: Some(user.email.clone()),
    };
    let (email, w, now) = (user.email.clone(), who.clone(), state.clock.now());
    let (acc, previous) = with_conn(&state.pool, move |c| {
        throttle::succeeded(c, &throttle::Attempt { email: &email, address: &address })?;
        let how = account::Authentication {
            credential: Credential::Foreign,
            level: Level::L2,
            protocol: crate::kernel::Protocol::Password,
            provider: "servizi-lavoro",
        };
        account::sign_in(c, &w, how, Some(&address), now)
    })
    .await?;
    crate::telemetry::sign_in(Credential::Foreign.code(), "success");
    let signed_in = SignedIn {
        account_id: acc.id,
        given_name: acc.given_name,
        family_name: acc.family_name,
        identifier: acc.identifier,
        credential: Credential::Foreign,
        level: Level::L2,
        idp_entity_id: "servizi-lavoro".into(),
        idp_name: "Servizi Lavoro".into(),
        at: state.clock.now(),
        previous,
        idp_session: None,
        protocol: crate::kernel::Protocol::Password,
        oidc_grant: None,
        declared_codice_fiscale: None,
    };
    crate::auth::session::sign_in(session, signed_in.clone(), Vec::new(), state.clock.now()).await?;
    Ok(Principal::signed_in(signed_in, Vec::new()))
}

/// `GET /accesso-utente-estero/attiva-codice`.
pub async fn enrol_page(page: PageRequest, session: Session) -> AppResult<Response> {
    let state = page.state.clone();
    let (mut p, user) = pending(&state, &session).await?;
    if user.totp_enrolled_at.is_some() {
        return Ok(Redirect::to(paths::FOREIGN_CODE).into_response());
    }
    let secret = p.enrol_secret.clone().unwrap_or_else(totp::new_secret);
    p.enrol_secret = Some(secret.clone());
    session.insert(PENDING_KEY, &p).await?;
    let en = Enrolment {
        qr_svg: totp::qr_svg(&totp::otpauth_url(&secret, &user.email)),
        secret,
        errors: FieldErrors::default(),
    };
    Ok(page.render(StatusCode::OK, move || view! { <EnrolPage en/> }.into_any()))
}

/// `POST /accesso-utente-estero/attiva-codice`: the first code proves the app works.
pub async fn enrol_submit(
    page: PageRequest,
    session: Session,
    FormData(form): FormData<CodeForm>,
) -> AppResult<Response> {
    let state = page.state.clone();
    let (p, user) = pending(&state, &session).await?;
    let Some(secret) = p.enrol_secret.clone().filter(|_| user.totp_enrolled_at.is_none()) else {
        return Ok(Redirect::to(paths::FOREIGN_ENROL).into_response());
    };
    let now = state.clock.now().and_utc().timestamp();
    let Some(step) = totp::verify(&secret, form.code.as_deref().unwrap_or(""), now, None) else {
        let mut errors = FieldErrors::default();
        errors.add("code", "fcode-wrong");
        let en = Enrolment { qr_svg: totp::qr_svg(&totp::otpauth_url(&secret, &user.email)), secret, errors };
        return Ok(page.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <EnrolPage en/> }.into_any()));
    };
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| totp::hash_recovery_code(c)).collect();
    let id = user.id;
    let now = state.clock.now();
    with_conn(&state.pool, move |c| model::enrol(c, id, &secret, step, &hashes, now)).await?;
    let who = finish(&state, &session, &user, client_address(&page)).await?;
    let rc = RecoveryCodes(codes);
    // Signed in now: the page's header says so, with the way out.
    let page = PageRequest { principal: Some(who), ..page };
    Ok(page.render(StatusCode::OK, move || view! { <RecoveryCodesPage codes=rc/> }.into_any()))
}

/// `POST /accesso-utente-estero/codice`: a one-time code, or a recovery code.
pub async fn code_submit(
    page: PageRequest,
    session: Session,
    FormData(form): FormData<CodeForm>,
) -> AppResult<Response> {
    let state = page.state.clone();
    let address = client_address(&page);
    let (_, user) = pending(&state, &session).await?;
    let code = form.code.unwrap_or_default();
    if code.trim().is_empty() {
        let mut errors = FieldErrors::default();
        errors.add("code", "fcode-missing");
        let sub = CodeSubmission(errors);
        return Ok(page.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <CodePage sub/> }.into_any()));
    }
    let now = state.clock.now();
    let (e1, a1) = (user.email.clone(), address.clone());
    let reserve = move |c: &mut _| throttle::reserve(c, &throttle::Attempt { email: &e1, address: &a1 }, now);
    if let throttle::Verdict::Wait(s) = with_conn(&state.pool, reserve).await? {
        return Ok(too_many(s));
    }
    if !second_factor(&state, &user, code.trim()).await? {
        let (e2, a2) = (user.email.clone(), address.clone());
        with_conn(&state.pool, move |c| {
            throttle::failed(c, &throttle::Attempt { email: &e2, address: &a2 }, "code", now)
        })
        .await?;
        let mut errors = FieldErrors::default();
        errors.add("code", "fcode-wrong");
        let sub = CodeSubmission(errors);
        return Ok(page.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <CodePage sub/> }.into_any()));
    }
    finish(&state, &session, &user, client_address(&page)).await?;
    Ok(Redirect::to(paths::PERSONAL_AREA).into_response())
}

/// `GET /accesso-utente-estero/codice`.
pub async fn code_page(page: PageRequest, session: Session) -> AppResult<Response> {
    pending(&page.state, &session).await?;
    Ok(page.render(StatusCode::OK, || view! { <CodePage/> }.into_any()))
}
