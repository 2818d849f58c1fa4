//! The worker's retrieval code (nota INL 3575/2020): a revoca is made "con le
//! medesime modalità" (art. 26 c. 2) through *any* soggetto abilitato, not
//! only the one who sent the module. At transmission the worker gets a code
//! (on their copy of the module and in their receipt); an operator acting for
//! a soggetto abilitato (a sede dell'Ispettorato included) who has it and the
//! worker's codice fiscale finds that one module at
//! `/dimissioni-volontarie/ritrova`, and may then see it and revoke it with
//! the worker's new PIN. Every lookup, found or not, is recorded.
use super::filer::{self, Filer};
use super::retrieval_code::normalise;
use crate::db::schema::{dimissioni_modules as m, dimissioni_retrievals as r};
use crate::db::{with_conn, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::i18n::t;
use crate::kernel::OrganisationId;
use crate::kernel::{AccountId, CodiceFiscale};
use crate::paths;
use crate::web::components::{Crumb, ErrorSummary, Field, FieldErrors};
use crate::web::layout::Page;
use crate::web::render::{FormData, PageRequest};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use leptos::prelude::*;
use serde::Deserialize;

/// Lookups an account may make per hour (the code is not guessable; this
/// keeps a stolen session from trying codes against many workers).
const PER_HOUR: i32 = 20;

/// The module (not a revoca) of `worker` with retrieval code `code`,
/// recording the lookup by `account` for `organisation` whatever its outcome.
pub fn find(
    conn: &mut AnyConnection,
    account: AccountId,
    organisation: OrganisationId,
    worker: &str,
    code: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<String>> {
    conn.transaction(|c| {
        let found: Option<String> = m::table
            .filter(m::retrieval_code.eq(code))
            .filter(m::worker_codice_fiscale.eq(worker))
            .filter(m::kind.ne(super::modulo::Kind::Revoca.code()))
            .select(m::code)
            .first(c)
            .optional()?;
        diesel::insert_into(r::table)
            .values((
                r::account_id.eq(account),
                r::organisation_id.eq(Some(organisation)),
                r::module_code.eq(&found),
                r::found.eq(found.is_some()),
                r::at.eq(now),
            ))
            .execute(c)?;
        Ok(found)
    })
}

/// The organisations for which `account` found module `code` by its
/// retrieval code: what lets an operator of another soggetto abilitato see
/// and revoke it.
pub fn found_for(conn: &mut AnyConnection, account: AccountId, code: &str) -> QueryResult<Vec<OrganisationId>> {
    let orgs: Vec<Option<OrganisationId>> = r::table
        .filter(r::account_id.eq(account))
        .filter(r::module_code.eq(code))
        .filter(r::found.eq(true))
        .select(r::organisation_id)
        .distinct()
        .load(conn)?;
    Ok(orgs.into_iter().flatten().collect())
}

#[derive(Clone, Debug, Default)]
struct Values {
    worker: String,
    code: String,
    errors: FieldErrors,
}

#[component]
fn RetrievalPage(v: Values) -> impl IntoView {
    let e = v.errors.clone();
    view! {
        <Page title=t("dim-retrieve-title") trail=vec![Crumb { label: t("dim-title"), href: paths::DIMISSIONI.into() }]>
            <h1>{t("dim-retrieve-title")}</h1>
            <p class="lead">{t("dim-retrieve-lead")}</p>
            <ErrorSummary errors=v.errors.clone()/>
            <form method="post" action=paths::DIMISSIONI_RETRIEVE novalidate>
                <Field name="cf_lavoratore" label="dim-worker-codice-fiscale" value=v.worker.clone() error=e.get("cf_lavoratore") autocomplete="off" identifier=true/>
                <Field name="codice_recupero" label="dim-retrieval-code" hint="dim-retrieve-code-hint" value=v.code.clone() error=e.get("codice_recupero") autocomplete="off" identifier=true/>
                <p><button type="submit">{t("dim-retrieve-submit")}</button></p>
            </form>
        </Page>
    }
}

/// Who may look up: an operator acting for a soggetto abilitato, at the service's level.
async fn operator(req: &PageRequest) -> AppResult<(AccountId, OrganisationId)> {
    let who = filer::enter(req).await?;
    match filer::filer(req, &who).await? {
        Filer::Operator(org) => Ok((who.actor.account_id, org.id)),
        Filer::Worker => Err(AppError::Explained {
            status: StatusCode::FORBIDDEN,
            title: "dim-retrieve-not-operator-title",
            detail: "dim-retrieve-not-operator",
            log: "dimissioni: retrieval by someone not acting for a soggetto abilitato".into(),
        }),
    }
}

/// `GET /dimissioni-volontarie/ritrova`.
pub async fn form(req: PageRequest) -> AppResult<Response> {
    operator(&req).await?;
    Ok(req.render(StatusCode::OK, || view! { <RetrievalPage v=Values::default()/> }.into_any()))
}

#[derive(Debug, Deserialize)]
pub struct RetrievalForm {
    pub cf_lavoratore: Option<String>,
    pub codice_recupero: Option<String>,
}

/// `POST /dimissioni-volontarie/ritrova`: to the module, or the form again
/// (422) saying no module matches, which says nothing of whose codes exist.
pub async fn lookup(req: PageRequest, FormData(f): FormData<RetrievalForm>) -> AppResult<Response> {
    let (account, organisation) = operator(&req).await?;
    let mut v = Values {
        worker: f.cf_lavoratore.unwrap_or_default().trim().chars().take(40).collect(),
        code: f.codice_recupero.unwrap_or_default().trim().chars().take(40).collect(),
        errors: FieldErrors::default(),
    };
    let worker = CodiceFiscale::parse(&v.worker).map(String::from);
    if worker.is_none() {
        v.errors.add("cf_lavoratore", "dim-error-worker-codice-fiscale");
    }
    let code = normalise(&v.code);
    if code.is_none() {
        v.errors.add("codice_recupero", "dim-retrieve-error-code");
    }
    let (Some(worker), Some(code)) = (worker, code) else {
        return Ok(req.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <RetrievalPage v/> }.into_any()));
    };
    let now = req.state.clock.now();
    let key = format!("retrieval:{account}");
    let found = with_conn(&req.state.pool, move |c| {
        match crate::web::throttle::take(c, &key, PER_HOUR, Duration::minutes(60) / PER_HOUR, now)? {
            crate::web::throttle::Verdict::Allowed => Ok(Ok(find(c, account, organisation, &worker, &code, now)?)),
            crate::web::throttle::Verdict::Wait(s) => Ok(Err(s)),
        }
    })
    .await?
    .map_err(|s| AppError::RateLimited { retry_after_secs: s.clamp(1, 3600) as u32 })?;
    match found {
        Some(module) => Ok(Redirect::to(&paths::dimissioni(&module)).into_response()),
        None => {
            tracing::info!(%account, %organisation, "dimissioni: a retrieval code matched no module");
            v.errors.add("codice_recupero", "dim-retrieve-error-none");
            Ok(req.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <RetrievalPage v/> }.into_any()))
        }
    }
}
