//! `/verifica`: public verification, without signing in. Whoever holds a
//! module (the employer, a judge, a lawyer, the worker's new employer) types
//! its code and the verification code printed on it, and learns whether it is
//! authentic, when it was transmitted and whether it was revoked — nothing
//! personal. A wrong pair says only that no module matches (404).
use super::modulo::{self, Verified};
use crate::db::with_conn;
use crate::error::AppResult;
use crate::i18n::{t, t_args, use_lang};
use crate::paths;
use crate::web::components::{ErrorSummary, Field, FieldErrors};
use crate::web::format::format_when;
use crate::web::layout::Page;
use crate::web::render::PageRequest;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use leptos::prelude::*;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct VerifyQuery {
    pub codice: Option<String>,
    pub verifica: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    /// Nothing asked yet, or the form again with its errors.
    Form,
    Authentic(Verified),
    NoMatch,
}

#[component]
fn VerifyPage(code: String, verification: String, errors: FieldErrors, outcome: Outcome) -> impl IntoView {
    let lang = use_lang();
    let e = errors.clone();
    let result = match outcome {
        Outcome::Form => None,
        Outcome::NoMatch => Some(
            view! {
                <section class="notice" role="status" aria-labelledby="result-heading">
                    <h2 id="result-heading">{t("verify-none-title")}</h2>
                    <p>{t("verify-none")}</p>
                </section>
            }
            .into_any(),
        ),
        Outcome::Authentic(v) => {
            let revoked = match &v.revoked {
                Some((by, at)) => t_args("verify-revoked", &[("code", by.clone()), ("when", format_when(*at, lang))]),
                None => t("verify-not-revoked"),
            };
            Some(
                view! {
                    <section class="notice" role="status" aria-labelledby="result-heading">
                        <h2 id="result-heading">{t("verify-authentic-title")}</h2>
                        <dl class="facts">
                            <dt>{t("dim-code")}</dt><dd>{v.code.clone()}</dd>
                            <dt>{t("dim-kind")}</dt><dd>{t(&v.kind.name_key())}</dd>
                            <dt>{t("dim-transmitted")}</dt><dd>{format_when(v.transmitted_at, lang)}</dd>
                            <dt>{t("verify-state")}</dt><dd>{revoked}</dd>
                        </dl>
                    </section>
                }
                .into_any(),
            )
        }
    };
    view! {
        <Page title=t("verify-title")>
            <h1>{t("verify-title")}</h1>
            <p class="lead">{t("verify-lead")}</p>
            <ErrorSummary errors/>
            {result}
            <form method="get" action=paths::VERIFY novalidate>
                <Field name="codice" label="verify-code" hint="verify-code-hint" value=code error=e.get("codice") autocomplete="off"/>
                <Field name="verifica" label="verify-verification" hint="verify-verification-hint" value=verification error=e.get("verifica") autocomplete="off"/>
                <p><button type="submit">{t("verify-submit")}</button></p>
            </form>
        </Page>
    }
}

/// `GET /verifica[?codice=…&verifica=…]`.
pub async fn page(req: PageRequest, Query(q): Query<VerifyQuery>) -> AppResult<Response> {
    let code = crate::web::text::code_signs(&q.codice.unwrap_or_default(), 40);
    let verification: String = q.verifica.unwrap_or_default().trim().chars().take(40).collect();
    let render = |status, errors, outcome, code: String, verification: String| {
        req.render(status, move || view! { <VerifyPage code verification errors outcome/> }.into_any())
    };
    if code.is_empty() && verification.is_empty() {
        return Ok(render(StatusCode::OK, FieldErrors::default(), Outcome::Form, code, verification));
    }
    let mut errors = FieldErrors::default();
    if code.len() != 17 || !code.chars().all(|c| c.is_ascii_digit()) {
        errors.add("codice", "verify-error-code");
    }
    if verification.chars().filter(char::is_ascii_alphanumeric).count() != 12 {
        errors.add("verifica", "verify-error-verification");
    }
    if !errors.is_empty() {
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, errors, Outcome::Form, code, verification));
    }
    // Anyone may ask, so everyone is held to a ceiling per address (guessing is slow).
    crate::web::throttle::anonymous_work(&req, "verify").await?;
    let (c2, v2) = (code.clone(), verification.clone());
    let found = with_conn(&req.state.pool, move |c| modulo::verified(c, &c2, &v2)).await?;
    Ok(match found {
        Some(v) => render(StatusCode::OK, FieldErrors::default(), Outcome::Authentic(v), code, verification),
        None => render(StatusCode::NOT_FOUND, FieldErrors::default(), Outcome::NoMatch, code, verification),
    })
}
