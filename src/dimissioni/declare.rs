//! `/dimissioni-volontarie/codice-fiscale`: an EU citizen signed in with
//! eIDAS declares their Italian codice fiscale (eIDAS does not carry it, and
//! the Comunicazioni Obbligatorie know workers by it). It is checked against
//! the surname, name and date of birth eIDAS vouched for (omocodia included)
//! before it is kept; then it finds their relationships like SPID's does.
use super::filer;
use crate::auth::session;
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::i18n::t;
use crate::identity::codice_fiscale::Misfit;
use crate::identity::declared::{self, Refusal};
use crate::kernel::{Credential, Principal};
use crate::paths;
use crate::web::components::{Crumb, ErrorSummary, Field, FieldErrors};
use crate::web::layout::Page;
use crate::web::render::{FormData, PageRequest};
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;

#[derive(Clone, Debug, Default)]
struct Values {
    typed: String,
    next: String,
    errors: FieldErrors,
}

#[component]
fn DeclarePage(v: Values, name: String) -> impl IntoView {
    let e = v.errors.clone();
    view! {
        <Page title=t("dim-declare-title") trail=vec![Crumb { label: t("dim-title"), href: paths::DIMISSIONI.into() }]>
            <h1>{t("dim-declare-title")}</h1>
            <p class="lead">{crate::i18n::t_args("dim-declare-lead", &[("name", name)])}</p>
            <ErrorSummary errors=v.errors.clone()/>
            <form method="post" action=paths::DIMISSIONI_DECLARE novalidate>
                <input type="hidden" name="next" value=v.next.clone()/>
                <Field name="codice_fiscale" label="dim-declare-field" hint="dim-declare-hint" value=v.typed.clone() error=e.get("codice_fiscale") autocomplete="off" identifier=true/>
                <p><button type="submit">{t("dim-declare-submit")}</button></p>
            </form>
        </Page>
    }
}

/// Only for someone signed in with eIDAS, at the service's level.
async fn eidas_person(req: &PageRequest) -> AppResult<Principal> {
    let who = filer::enter_then(req, paths::DIMISSIONI_DECLARE).await?;
    if who.actor.credential != Credential::Eidas {
        // SPID and CIE already vouch for a codice fiscale.
        return Err(AppError::FirstGoTo(paths::DIMISSIONI.into()));
    }
    Ok(who)
}

#[derive(Debug, Deserialize)]
pub struct Next {
    pub next: Option<String>,
}

/// `GET /dimissioni-volontarie/codice-fiscale`.
pub async fn form(req: PageRequest, Query(q): Query<Next>) -> AppResult<Response> {
    let who = eidas_person(&req).await?;
    let next = paths::safe_return_path(q.next.as_deref(), paths::DIMISSIONI_NEW);
    let v = Values { typed: who.actor.declared_codice_fiscale.clone().unwrap_or_default(), next, ..Values::default() };
    let name = who.actor.full_name();
    Ok(req.render(StatusCode::OK, move || view! { <DeclarePage v name/> }.into_any()))
}

#[derive(Debug, Deserialize)]
pub struct DeclareForm {
    pub codice_fiscale: Option<String>,
    pub next: Option<String>,
}

/// `POST /dimissioni-volontarie/codice-fiscale`.
pub async fn submit(
    req: PageRequest,
    session: tower_sessions::Session,
    FormData(f): FormData<DeclareForm>,
) -> AppResult<Response> {
    let who = eidas_person(&req).await?;
    let typed: String = f.codice_fiscale.unwrap_or_default().trim().chars().take(40).collect();
    let next = paths::safe_return_path(f.next.as_deref(), paths::DIMISSIONI_NEW);
    let (account, t2, now) = (who.actor.account_id, typed.clone(), req.state.clock.now());
    let declared = with_conn(&req.state.pool, move |c| declared::declare(c, account, &t2, now)).await?;
    match declared {
        Ok(cf) => {
            tracing::info!(%account, "eIDAS person declared a codice fiscale that fits");
            let actor = crate::kernel::SignedIn { declared_codice_fiscale: Some(cf), ..who.actor.clone() };
            session::update_actor(&session, &who, actor).await?;
            Ok(Redirect::to(&next).into_response())
        }
        Err(refusal) => {
            let key = match refusal {
                Refusal::Format => "dim-declare-error-format",
                Refusal::Misfit(Misfit::FamilyName) => "dim-declare-error-family-name",
                Refusal::Misfit(Misfit::GivenName) => "dim-declare-error-given-name",
                Refusal::Misfit(Misfit::Birth) => "dim-declare-error-birth",
                Refusal::NoBirthDate => "dim-declare-error-no-birth-date",
                Refusal::Taken => "dim-declare-error-taken",
            };
            tracing::info!(%account, refusal = ?refusal, "eIDAS codice fiscale declaration refused");
            let mut errors = FieldErrors::default();
            errors.add("codice_fiscale", key);
            let v = Values { typed, next, errors };
            let name = who.actor.full_name();
            Ok(req.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <DeclarePage v name/> }.into_any()))
        }
    }
}
