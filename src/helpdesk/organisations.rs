//! `/assistenza/organizzazioni/{id}`: an application to register an
//! organisation or a soggetto abilitato, its supporting document, and the
//! decision. Approving creates the organisation with the applicant as its
//! legale rappresentante; either way the applicant is told by e-mail.
use super::console::{permit, DecisionForm, DecisionForms};
use crate::access::{Action, Permit, Resource};
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::i18n::{t, use_lang};
use crate::kernel::ApplicationId;
use crate::mail::outbox;
use crate::paths;
use crate::profiles::applications::{self, Application, State, Undecided};
use crate::web::components::{Crumb, ErrorSummary, FieldErrors};
use crate::web::format::format_when;
use crate::web::layout::Page;
use crate::web::render::{FormData, PageRequest};
use crate::web::upload::{download, extension};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use std::sync::Arc;

/// A rejection's reason: at most this many characters.
const MAX_REASON: usize = 500;

#[component]
fn ApplicationPage(app: Application, reason: String, errors: FieldErrors) -> impl IntoView {
    let lang = use_lang();
    let org = app.organisation.clone();
    let reason_error = errors.get("reason");
    let facts: Vec<(&'static str, Option<String>)> = vec![
        ("register-org-kind", org.kind.map(|k| t(&k.name_key()))),
        ("register-org-identifier", Some(org.codice_fiscale.clone())),
        ("register-org-pec", Some(org.pec.clone())),
        ("register-org-seat", Some(org.seat.clone())),
        ("register-org-ordine", org.ordine.clone()),
        ("register-org-albo", org.albo_number.clone()),
        ("helpdesk-col-applicant", Some(format!("{} ({})", app.applicant, app.applicant_codice_fiscale))),
        ("helpdesk-col-received", Some(format_when(app.created_at, lang))),
    ];
    let title = format!("{} {}", t("helpdesk-application"), org.name);
    view! {
        <Page title=title.clone() trail=vec![Crumb { label: t("helpdesk-title"), href: paths::HELPDESK.into() }]>
            <h1>{title}</h1>
            <ErrorSummary errors=errors.clone()/>
            <dl class="facts">
                {facts.into_iter().filter_map(|(k, v)| v.map(|v| view! { <dt>{t(k)}</dt><dd>{v}</dd> })).collect_view()}
            </dl>
            <p><a href=paths::helpdesk_organisation_document(app.id)>{t("helpdesk-open-document")}</a></p>
            <p>{t("helpdesk-application-check")}</p>
            <DecisionForms action=paths::helpdesk_organisation_decision(app.id) reason reason_error/>
        </Page>
    }
}

/// The resource an application is to the decision (with its applicant), or 404.
async fn application(page: &PageRequest, id: ApplicationId) -> AppResult<Resource<'static>> {
    let applicant = with_conn(&page.state.pool, move |c| applications::applicant_of(c, id)).await?;
    Ok(Resource::OrganisationApplication { id, applicant: applicant.ok_or(AppError::NotFound)? })
}

/// The pending application `id` (decided ones are gone from the console).
async fn pending(
    page: &PageRequest,
    action: Action,
    resource: Resource<'_>,
    id: ApplicationId,
) -> AppResult<(Arc<Permit>, Application)> {
    let p = Arc::new(permit(page, action, resource).await?);
    let p2 = p.clone();
    let app = with_conn(&page.state.pool, move |c| applications::find(c, &p2, id)).await?;
    match app {
        Some(app) if app.state == State::Pending => Ok((p, app)),
        _ => Err(AppError::NotFound),
    }
}

/// `GET /assistenza/organizzazioni/{id}`.
pub async fn page(page: PageRequest, Path(id): Path<ApplicationId>) -> AppResult<Response> {
    let (_, app) = pending(&page, Action::View, application(&page, id).await?, id).await?;
    Ok(page.render(StatusCode::OK, move || {
        view! { <ApplicationPage app reason=String::new() errors=FieldErrors::default()/> }.into_any()
    }))
}

/// `GET /assistenza/organizzazioni/{id}/documento`: to operators only, audited.
pub async fn document(page: PageRequest, Path(id): Path<ApplicationId>) -> AppResult<Response> {
    let (_, app) = pending(&page, Action::View, Resource::OrganisationDocument(id), id).await?;
    let path = page.state.config.data_dir.join("uploads").join(&app.doc_file);
    let bytes = tokio::fs::read(&path).await.map_err(|e| AppError::other("reading a stored document", e))?;
    Ok(download(app.doc_mime.clone(), format!("documento-organizzazione-{id}.{}", extension(&app.doc_mime)), bytes))
}

/// `POST /assistenza/organizzazioni/{id}/decisione`.
pub async fn decide(
    page: PageRequest,
    Path(id): Path<ApplicationId>,
    FormData(form): FormData<DecisionForm>,
) -> AppResult<Response> {
    let (permit, app) = pending(&page, Action::Decide, application(&page, id).await?, id).await?;
    let approve = match form.decision.as_deref() {
        Some("approve") => true,
        Some("reject") => false,
        _ => return Err(AppError::BadRequest("decision".into())),
    };
    let reason = form.reason.unwrap_or_default().trim().to_string();
    let problem = match (approve, reason.chars().count()) {
        (false, 0) => Some("helpdesk-reason-missing"),
        (_, n) if n > MAX_REASON => Some("helpdesk-reason-too-long"),
        _ => None,
    };
    if let Some(key) = problem {
        let mut errors = FieldErrors::default();
        errors.add("reason", key);
        return Ok(page.render(StatusCode::UNPROCESSABLE_ENTITY, move || {
            view! { <ApplicationPage app reason errors/> }.into_any()
        }));
    }
    let (r, now, state, lang) = (reason.clone(), page.state.clock.now(), page.state.clone(), page.lang);
    // The decision and the applicant's mail: one transaction.
    let decided = crate::db::transaction(&page.state.pool, move |c| {
        let decided = applications::decide(c, &permit, id, approve, &r, now)?;
        if let (Ok(app), Some(to)) = (&decided, decided.as_ref().ok().and_then(|a| a.applicant_email.clone())) {
            let name = app.organisation.name.clone();
            let (keys, args) = if approve {
                let link = format!("{}{}", state.config.origin(), paths::PROFILES);
                (("mail-org-approved-subject", "mail-org-approved-body"), vec![("organisation", name), ("link", link)])
            } else {
                let args = vec![("organisation", name), ("reason", r.clone())];
                (("mail-org-rejected-subject", "mail-org-rejected-body"), args)
            };
            outbox::queue(c, &state.mailer, &format!("org-application:{id}"), &to, lang, keys, &args, now)?;
        }
        Ok(decided)
    })
    .await?;
    page.state.deliver_mail();
    let decided = match decided {
        Ok(decided) => decided,
        Err(Undecided::AlreadyDecided) => return Err(AppError::NotFound),
        // Known already: it can only be rejected, and the page says why.
        Err(Undecided::Known) => {
            let mut errors = FieldErrors::default();
            errors.add("reason", "helpdesk-application-known");
            return Ok(
                page.render(StatusCode::CONFLICT, move || view! { <ApplicationPage app reason errors/> }.into_any())
            );
        }
    };
    tracing::info!(application = %id, approve, "helpdesk decision on an organisation");
    // Checked: the document is no longer needed (what was decided stays recorded).
    let scan = page.state.config.data_dir.join("uploads").join(&decided.doc_file);
    if let Err(e) = tokio::fs::remove_file(&scan).await {
        tracing::warn!(error = %e, "could not delete a decided organisation document");
    }
    Ok(Redirect::to(paths::HELPDESK).into_response())
}
