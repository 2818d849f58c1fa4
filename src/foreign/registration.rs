//! `/registrazione-utente-estero`: the registration of a foreign user, with
//! a scan of the identity document, then e-mail confirmation.
use super::model::{self, NewRegistration};
use super::password;
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::i18n::{t, Lang};
use crate::kernel::AppState;
use crate::kernel::Email;
use crate::mail::outbox;
use crate::paths;
use crate::web::components::form::{ErrorSummary, Field, FieldErrors};
use crate::web::components::{Choice, Choices};
use crate::web::layout::Page;
use crate::web::render::PageRequest;
use crate::web::upload::{self, write_private};
use axum::extract::{Multipart, Query, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;

pub const PATH: &str = paths::FOREIGN_REGISTER;

/// What was typed in, kept when the form comes back with errors (never the
/// password or the file).
#[derive(Clone, Debug, Default)]
pub struct RegistrationValues {
    pub given_name: String,
    pub family_name: String,
    pub birth_date: String,
    pub birth_country: String,
    pub citizenship: String,
    pub email: String,
    pub phone: String,
    pub doc_type: String,
    pub doc_number: String,
    pub doc_country: String,
    pub doc_expiry: String,
    pub consent: bool,
}

#[derive(Clone, Debug, Default)]
pub struct RegistrationSubmission(pub RegistrationValues, pub FieldErrors);

pub use crate::web::upload::{sniff_document, MAX_DOCUMENT_BYTES};

fn valid_phone(p: &str) -> bool {
    let digits = p.chars().filter(|c| c.is_ascii_digit()).count();
    (6..=20).contains(&digits) && p.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c))
}

fn text_ok(s: &str, max: usize) -> bool {
    let t = s.trim();
    !t.is_empty() && t.chars().count() <= max && !t.chars().any(char::is_control)
}

/// The message for a text field that is not right: missing, or too long
/// (saying the limit), or with characters that cannot be typed.
fn text_error(s: &str, max: usize, missing: &'static str) -> Option<&'static str> {
    let t = s.trim();
    if t.chars().count() > max {
        return Some(if max <= 80 { "error-too-long-80" } else { "error-too-long-100" });
    }
    (!text_ok(s, max)).then_some(missing)
}

#[component]
pub fn RegistrationPage(#[prop(optional)] sub: RegistrationSubmission) -> impl IntoView {
    let RegistrationSubmission(v, errors) = sub;
    let e = errors.clone();
    let doc_error = e.get("doc_type");
    let consent_error = e.get("consent");
    view! {
        <Page title=t("reg-title")>
            <h1>{t("reg-title")}</h1>
            <p class="lead">{t("reg-lead")}</p>
            <ErrorSummary errors=errors/>
            <form method="post" action=PATH enctype="multipart/form-data" novalidate>
                <fieldset>
                    <legend>{t("reg-person")}</legend>
                    <Field name="given_name" label="reg-given-name" value=v.given_name error=e.get("given_name") autocomplete="given-name"/>
                    <Field name="family_name" label="reg-family-name" value=v.family_name error=e.get("family_name") autocomplete="family-name"/>
                    <Field name="birth_date" label="reg-birth-date" kind="date" value=v.birth_date error=e.get("birth_date") autocomplete="bday"/>
                    <CountryField name="birth_country" label="reg-birth-country" value=v.birth_country error=e.get("birth_country")/>
                    <CountryField name="citizenship" label="reg-citizenship" value=v.citizenship error=e.get("citizenship")/>
                </fieldset>
                <fieldset>
                    <legend>{t("reg-contacts")}</legend>
                    <Field name="email" label="reg-email" kind="email" value=v.email error=e.get("email") autocomplete="email" hint="reg-email-hint"/>
                    <Field name="phone" label="reg-phone" kind="tel" value=v.phone error=e.get("phone") autocomplete="tel" hint="reg-phone-hint"/>
                </fieldset>
                <fieldset>
                    <legend>{t("reg-document")}</legend>
                    <Choices name="doc_type" legend=t("reg-doc-type") error=doc_error choices=vec![
                        Choice::new("passport", t("reg-doc-passport"), v.doc_type == "passport"),
                        Choice::new("id_card", t("reg-doc-id-card"), v.doc_type == "id_card"),
                    ]/>
                    <Field name="doc_number" label="reg-doc-number" value=v.doc_number error=e.get("doc_number")/>
                    <CountryField name="doc_country" label="reg-doc-country" value=v.doc_country error=e.get("doc_country")/>
                    <Field name="doc_expiry" label="reg-doc-expiry" kind="date" value=v.doc_expiry error=e.get("doc_expiry")/>
                    <Field name="document" label="reg-doc-file" kind="file" error=e.get("document") hint="reg-doc-file-hint"/>
                </fieldset>
                <fieldset>
                    <legend>{t("reg-credentials")}</legend>
                    <Field name="password" label="reg-password" kind="password" error=e.get("password") autocomplete="new-password" hint="reg-password-hint"/>
                    <Field name="password_confirm" label="reg-password-confirm" kind="password" error=e.get("password_confirm") autocomplete="new-password"/>
                </fieldset>
                <div class="field" class:field--error=consent_error.is_some()>
                    {consent_error.map(|k| view! { <p class="field-error" id="consent-error">{t(k)}</p> })}
                    // The control's own markup: its label carries a link (the privacy notice).
                    <div class="control">
                        <input class="control__input" type="checkbox" id="consent" name="consent" value="yes" checked=v.consent
                            aria-invalid=consent_error.map(|_| "true") aria-describedby=consent_error.map(|_| "consent-error")/>
                        <label class="control__label" for="consent">{t("reg-consent")} " " <a href=paths::PRIVACY>{t("reg-consent-link")}</a></label>
                    </div>
                </div>
                <p><button type="submit">{t("reg-submit")}</button></p>
            </form>
        </Page>
    }
}

#[component]
pub fn RegistrationSentPage() -> impl IntoView {
    view! {
        <Page title=t("reg-sent-title")>
            <h1>{t("reg-sent-title")}</h1>
            <p class="lead">{t("reg-sent-body")}</p>
            <p>{t("reg-sent-spam")}</p>
        </Page>
    }
}

#[component]
pub fn RegistrationConfirmedPage() -> impl IntoView {
    view! {
        <Page title=t("reg-confirmed-title")>
            <h1>{t("reg-confirmed-title")}</h1>
            <p class="lead">{t("reg-confirmed-body")}</p>
        </Page>
    }
}

/// A country chosen from the list (ISO 3166-1, names in the page's language).
#[component]
fn CountryField(
    name: &'static str,
    label: &'static str,
    value: String,
    #[prop(optional_no_strip)] error: Option<&'static str>,
) -> impl IntoView {
    let lang = crate::i18n::use_lang();
    view! {
        <div class="field" class:field--error=error.is_some()>
            <label for=name>{t(label)}</label>
            {error.map(|e| view! { <p class="field-error" id=format!("{name}-error")>{t(e)}</p> })}
            <select id=name name=name aria-invalid=error.map(|_| "true") aria-describedby=error.map(|_| format!("{name}-error"))>
                <option value="">{t("reg-country-choose")}</option>
                {crate::i18n::countries::all(lang).into_iter().map(|(code, country)| view! {
                    <option value=code selected=code == value>{country}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

/// Reads the multipart form: what was typed, the passwords and the file.
async fn read_form(
    multipart: Multipart,
) -> AppResult<(RegistrationValues, String, String, Result<Option<Vec<u8>>, &'static str>)> {
    let form = upload::read(multipart, "document").await.checked()?;
    let raw = |name: &str| form.fields.get(name).cloned().unwrap_or_default();
    let v = RegistrationValues {
        given_name: raw("given_name"),
        family_name: raw("family_name"),
        birth_date: raw("birth_date"),
        birth_country: raw("birth_country"),
        citizenship: raw("citizenship"),
        email: raw("email").trim().to_string(),
        phone: raw("phone"),
        doc_type: raw("doc_type"),
        doc_number: raw("doc_number").trim().to_string(),
        doc_country: raw("doc_country"),
        doc_expiry: raw("doc_expiry"),
        consent: raw("consent") == "yes",
    };
    Ok((v, raw("password"), raw("password_confirm"), form.file))
}

/// `POST /registrazione-utente-estero`.
pub async fn submit(page: PageRequest, req: Request) -> AppResult<Response> {
    // Each stores a document, hashes a password and sends a mail: a ceiling per address.
    crate::web::throttle::anonymous_work(&page, "register").await?;
    let (state, lang) = (page.state.clone(), page.lang);
    let multipart = <Multipart as axum::extract::FromRequest<AppState>>::from_request(req, &state)
        .await
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let (v, pw, pw2, file) = read_form(multipart).await?;
    let today = page.state.clock.now().date();
    let mut errors = FieldErrors::default();
    let date = crate::kernel::clock::parse_day;
    if let Some(key) = text_error(&v.given_name, 100, "reg-error-given-name") {
        errors.add("given_name", key);
    }
    if let Some(key) = text_error(&v.family_name, 100, "reg-error-family-name") {
        errors.add("family_name", key);
    }
    let birth = date(&v.birth_date).filter(|d| *d < today && d.format("%Y").to_string().as_str() > "1900");
    if birth.is_none() {
        errors.add("birth_date", "reg-error-birth-date");
    }
    if crate::i18n::countries::name(&v.birth_country, Lang::It).is_none() {
        errors.add("birth_country", "reg-error-birth-country");
    }
    if crate::i18n::countries::name(&v.citizenship, Lang::It).is_none() {
        errors.add("citizenship", "reg-error-citizenship");
    }
    if Email::parse(&v.email).is_none() {
        errors.add("email", "reg-error-email");
    }
    if !valid_phone(&v.phone) {
        errors.add("phone", "reg-error-phone");
    }
    if v.doc_type != "passport" && v.doc_type != "id_card" {
        errors.add("doc_type", "reg-error-doc-type");
    }
    if !(5..=20).contains(&v.doc_number.len()) || !v.doc_number.chars().all(|c| c.is_ascii_alphanumeric()) {
        errors.add("doc_number", "reg-error-doc-number");
    }
    if crate::i18n::countries::name(&v.doc_country, Lang::It).is_none() {
        errors.add("doc_country", "reg-error-doc-country");
    }
    let expiry = date(&v.doc_expiry);
    match expiry {
        None => errors.add("doc_expiry", "reg-error-doc-expiry"),
        Some(d) if d < today => errors.add("doc_expiry", "reg-error-doc-expired"),
        _ => {}
    }
    let document = match &file {
        Err(key) => {
            errors.add("document", key);
            None
        }
        Ok(None) => {
            errors.add("document", "reg-error-file-missing");
            None
        }
        Ok(Some(bytes)) => match sniff_document(bytes) {
            Some((mime, ext)) => Some((bytes.clone(), mime, ext)),
            None => {
                errors.add("document", "reg-error-file-type");
                None
            }
        },
    };
    let local = v.email.split('@').next().unwrap_or("");
    if let Err(key) = password::check_policy(&pw, &[&v.given_name, &v.family_name, local]) {
        errors.add("password", key);
    } else if pw != pw2 {
        errors.add("password_confirm", "reg-error-password-confirm");
    }
    if !v.consent {
        errors.add("consent", "reg-error-consent");
    }
    let (Some(birth), Some(expiry), Some((bytes, mime, ext)), true) = (birth, expiry, document, errors.is_empty())
    else {
        let sub = RegistrationSubmission(v, errors);
        return Ok(page.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <RegistrationPage sub/> }.into_any()));
    };

    // Outside the web root, never served publicly: only the helpdesk console reads it.
    let dir = state.config.data_dir.join("uploads");
    let file_name = format!("{}.{ext}", uuid::Uuid::new_v4().simple());
    write_private(&dir, &file_name, &bytes).map_err(|e| AppError::other("storing the document", e))?;
    let password_hash = password::hash(pw).await?;
    let (token, token_hash) = model::new_token();
    let reg = NewRegistration {
        email: v.email.to_lowercase(),
        given_name: v.given_name.trim().to_string(),
        family_name: v.family_name.trim().to_string(),
        birth_date: birth,
        // Kept as the country's Italian name, as the helpdesk reads it.
        birth_country: crate::i18n::countries::name(&v.birth_country, Lang::It).unwrap_or_default().to_string(),
        // Kept as the country's Italian name, as the helpdesk reads it.
        citizenship: crate::i18n::countries::name(&v.citizenship, Lang::It).unwrap_or_default().to_string(),
        phone: v.phone.trim().to_string(),
        doc_type: v.doc_type.clone(),
        doc_number: v.doc_number.to_uppercase(),
        // Kept as the country's Italian name, as the helpdesk reads it.
        doc_country: crate::i18n::countries::name(&v.doc_country, Lang::It).unwrap_or_default().to_string(),
        doc_expiry: expiry,
        doc_file: file_name.clone(),
        doc_mime: mime.to_string(),
        password_hash,
        lang: lang.code().to_string(),
    };
    // The registration and its mail: one transaction. The same answer whether
    // the address was known or not: only the mail differs.
    let (s2, email, given) = (state.clone(), v.email.clone(), v.given_name.clone());
    let now = state.clock.now();
    let stored = crate::db::transaction(&state.pool, move |c| {
        let stored = model::register(c, &reg, &token_hash, now)?;
        let origin = s2.config.origin();
        let (keys, args) = match stored {
            Some(_) => (
                ("mail-confirm-subject", "mail-confirm-body"),
                vec![("link", format!("{origin}{PATH}/conferma?token={token}")), ("name", given.clone())],
            ),
            None => (
                ("mail-already-subject", "mail-already-body"),
                vec![("link", format!("{origin}/accesso-utente-estero"))],
            ),
        };
        let key = format!("registration:{}", uuid::Uuid::new_v4().simple());
        outbox::queue(c, &s2.mailer, &key, &email, lang, keys, &args, now)?;
        Ok(stored)
    })
    .await?;
    state.deliver_mail();
    if stored.is_none() {
        if let Err(e) = std::fs::remove_file(dir.join(&file_name)) {
            tracing::warn!(error = %e, "an unused registration document could not be removed");
        }
    }
    Ok(Redirect::to(paths::FOREIGN_REGISTER_SENT).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ConfirmQuery {
    pub token: Option<String>,
}

/// `GET /registrazione-utente-estero/conferma?token=…`.
pub async fn confirm(page: PageRequest, Query(q): Query<ConfirmQuery>) -> AppResult<Response> {
    let state = page.state.clone();
    let token = q.token.unwrap_or_default();
    let now = state.clock.now();
    let confirmed = with_conn(&state.pool, move |c| model::confirm(c, &token, now)).await?;
    if confirmed.is_none() {
        return Err(AppError::Explained {
            status: StatusCode::BAD_REQUEST,
            title: "reg-confirm-invalid-title",
            detail: "reg-confirm-invalid",
            log: "unknown, used or expired confirmation token".into(),
        });
    }
    Ok(page.render(StatusCode::OK, || view! { <RegistrationConfirmedPage/> }.into_any()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_recognised_by_content() {
        assert_eq!(sniff_document(b"%PDF-1.7 ..."), Some(("application/pdf", "pdf")));
        assert_eq!(sniff_document(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(("image/jpeg", "jpg")));
        assert_eq!(sniff_document(b"\x89PNG\r\n\x1a\n...."), Some(("image/png", "png")));
        assert_eq!(sniff_document(b"<html>not a scan</html>"), None);
        assert_eq!(sniff_document(b"MZ\x90\x00"), None);
    }

    #[test]
    fn contact_checks() {
        assert!(Email::parse("ana.perez@example.com").is_some());
        assert!(Email::parse("ana.perez@example").is_none());
        assert!(Email::parse("ana perez@example.com").is_none());
        assert!(valid_phone("+1 (415) 555-0100"));
        assert!(!valid_phone("call me"));
    }
}
