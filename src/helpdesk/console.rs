use crate::access::{self, Action, Denial, Permit, Resource};
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::foreign::model::{self, Decision, ForeignUser};
use crate::i18n::{t, use_lang, Lang};
use crate::kernel::ForeignUserId;
use crate::mail::outbox;
use crate::paths;
use crate::profiles::applications::{self, Application};
use crate::web::components::form::{ErrorSummary, FieldErrors, TextareaField};
use crate::web::components::{id_cursor, split_page, Crumb, Pager, SuccessBanner, TableOrEmpty};
use crate::web::format::format_when;
use crate::web::layout::Page;
use crate::web::render::{FormData, PageRequest};
use crate::web::upload::{download, extension};
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;
use std::sync::Arc;

pub const PATH: &str = paths::HELPDESK;

/// The permit for `action` on `resource`, or the refusal explained for the console.
pub(super) async fn permit(page: &PageRequest, action: Action, resource: Resource<'_>) -> AppResult<Permit> {
    let decision = access::check(&page.state, page.principal.as_ref(), action, &resource, &page.request_id).await?;
    decision.map_err(|denial| match denial {
        Denial::SignIn => AppError::Explained {
            status: StatusCode::UNAUTHORIZED,
            title: "helpdesk-signin-title",
            detail: "helpdesk-signin",
            log: "helpdesk: not signed in".into(),
        },
        Denial::Level { needed, .. } => AppError::StepUpRequired {
            idp: page.principal.as_ref().map(|p| p.actor.idp_entity_id.clone()).unwrap_or_default(),
            level: needed.number(),
            next: if page.at.path.ends_with("/decisione") { PATH.into() } else { page.at.path.clone() },
        },
        // Their own application: another operator decides it.
        Denial::NotApplicable => AppError::Explained {
            status: StatusCode::FORBIDDEN,
            title: "helpdesk-own-title",
            detail: "helpdesk-own",
            log: "helpdesk: an operator's own application".into(),
        },
        other => AppError::Explained {
            status: StatusCode::FORBIDDEN,
            title: "helpdesk-forbidden-title",
            detail: "helpdesk-forbidden",
            log: format!("helpdesk: refused ({})", other.code()),
        },
    })
}

/// The console's lists: each queue's page (and how many wait in all), recent decisions.
#[derive(Clone)]
struct QueueData {
    requests: Vec<ForeignUser>,
    requests_waiting: i64,
    decisions: Vec<Decision>,
    applications: Vec<Application>,
    applications_waiting: i64,
    /// The pages of each queue: (first, next).
    requests_pages: (Option<String>, Option<String>),
    applications_pages: (Option<String>, Option<String>),
}

/// `GET /assistenza?esito=approvata|respinta`: the decision just taken, to
/// confirm; `richieste_dopo` and `domande_prima` page the two queues.
#[derive(Debug, Default, serde::Deserialize)]
pub struct QueueQuery {
    esito: Option<String>,
    richieste_dopo: Option<String>,
    domande_prima: Option<String>,
}

/// Rows on a page of each queue.
const PAGE: i64 = 50;

/// The console's address with each queue's cursor.
fn console_href(requests: Option<i64>, applications: Option<i64>, anchor: &str) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if let Some(id) = requests {
        query.append_pair("richieste_dopo", &id.to_string());
    }
    if let Some(id) = applications {
        query.append_pair("domande_prima", &id.to_string());
    }
    format!("{}?{}#{anchor}", paths::HELPDESK, query.finish())
}

#[component]
fn QueuePage(data: QueueData, done: Option<&'static str>) -> impl IntoView {
    let QueueData {
        requests: queue,
        requests_waiting,
        decisions,
        applications,
        applications_waiting,
        requests_pages,
        applications_pages,
    } = data;
    let lang = use_lang();
    view! {
        <Page title=t("helpdesk-title")>
            <h1>{t("helpdesk-title")}</h1>
            // The decision just taken, confirmed.
            {done.map(|key| view! { <SuccessBanner text=t(key)/> })}
            <p><a class="button" href=paths::HELPDESK_SUPPORT>{t("helpdesk-support-title")}</a></p>
            <section aria-labelledby="queue-heading">
                <h2 id="queue-heading">{t("helpdesk-queue")} " (" {requests_waiting} ")"</h2>
                <TableOrEmpty
                    caption="helpdesk-queue-caption"
                    empty="helpdesk-queue-empty"
                    columns=&["helpdesk-col-applicant", "reg-citizenship", "helpdesk-col-received"]
                    rows=queue
                        .into_iter()
                        .map(|u| view! {
                            <tr>
                                <td><a href=paths::helpdesk_request(u.id)>{format!("{} {}", u.given_name, u.family_name)}</a></td>
                                <td>{u.citizenship.clone()}</td>
                                <td>{format_when(u.created_at, lang)}</td>
                            </tr>
                        }.into_any())
                        .collect()
                />
                <Pager label=t("helpdesk-queue-pages") first=requests_pages.0 next=requests_pages.1/>
            </section>
            <section aria-labelledby="applications-heading">
                <h2 id="applications-heading">{t("helpdesk-applications")} " (" {applications_waiting} ")"</h2>
                <TableOrEmpty
                    caption="helpdesk-applications-caption"
                    empty="helpdesk-applications-empty"
                    columns=&["helpdesk-col-organisation", "register-org-kind", "helpdesk-col-applicant", "helpdesk-col-received"]
                    rows=applications
                        .into_iter()
                        .map(|a| view! {
                            <tr>
                                <td><a href=paths::helpdesk_organisation(a.id)>{a.organisation.name.clone()}</a></td>
                                <td>{a.organisation.kind.map(|k| t(&k.name_key()))}</td>
                                <td>{a.applicant.clone()}</td>
                                <td>{format_when(a.created_at, lang)}</td>
                            </tr>
                        }.into_any())
                        .collect()
                />
                <Pager label=t("helpdesk-applications-pages") first=applications_pages.0 next=applications_pages.1/>
            </section>
            <section aria-labelledby="decisions-heading">
                <h2 id="decisions-heading">{t("helpdesk-decisions")}</h2>
                <TableOrEmpty
                    caption="helpdesk-decisions-caption"
                    empty="helpdesk-decisions-empty"
                    columns=&["helpdesk-col-applicant", "helpdesk-col-decision", "helpdesk-col-reason", "helpdesk-col-operator", "helpdesk-col-when"]
                    rows=decisions
                        .into_iter()
                        .map(|d| view! {
                            <tr>
                                <td>{format!("{} ({})", d.applicant, d.public_id)}</td>
                                <td>{t(&format!("helpdesk-{}", d.decision.code()))}</td>
                                <td>{d.reason.clone()}</td>
                                <td>{d.operator.clone()}</td>
                                <td>{format_when(d.at, lang)}</td>
                            </tr>
                        }.into_any())
                        .collect()
                />
            </section>
        </Page>
    }
    .into_any()
}

/// `GET /assistenza`.
pub async fn queue_page(page: PageRequest, Query(q): Query<QueueQuery>) -> AppResult<Response> {
    let done = match q.esito.as_deref() {
        Some("approvata") => Some("helpdesk-done-approved"),
        Some("respinta") => Some("helpdesk-done-rejected"),
        _ => None,
    };
    let p = permit(&page, Action::View, Resource::HelpdeskQueue).await?;
    let (requests_at, applications_at) =
        (id_cursor(q.richieste_dopo.as_deref()), id_cursor(q.domande_prima.as_deref()));
    let (requests, requests_waiting, decisions, applications, applications_waiting) =
        with_conn(&page.state.pool, move |c| {
            Ok((
                model::queue(c, &p, requests_at, PAGE + 1)?,
                model::queue_count(c, &p)?,
                model::recent_decisions(c, &p, 50)?,
                applications::queue(c, &p, applications_at, PAGE + 1)?,
                applications::queue_count(c, &p)?,
            ))
        })
        .await?;
    let (requests, requests_next) = split_page(requests, PAGE, |u| u.id.get());
    let (applications, applications_next) = split_page(applications, PAGE, |a| a.id.get());
    // Each queue's next page keeps the other where it is.
    let requests_pages = (
        requests_at.map(|_| console_href(None, applications_at, "queue-heading")),
        requests_next.map(|id| console_href(Some(id), applications_at, "queue-heading")),
    );
    let applications_pages = (
        applications_at.map(|_| console_href(requests_at, None, "applications-heading")),
        applications_next.map(|id| console_href(requests_at, Some(id), "applications-heading")),
    );
    let data = QueueData {
        requests,
        requests_waiting,
        decisions,
        applications,
        applications_waiting,
        requests_pages,
        applications_pages,
    };
    Ok(page.render(StatusCode::OK, move || view! { <QueuePage data done/> }.into_any()))
}

#[derive(Clone)]
struct RequestData(ForeignUser, String, FieldErrors);

#[component]
fn RequestPage(data: RequestData) -> impl IntoView {
    let RequestData(u, reason, errors) = data;
    let lang = use_lang();
    let e = errors.clone();
    let reason_error = e.get("reason");
    let facts = [
        ("reg-given-name", u.given_name.clone()),
        ("reg-family-name", u.family_name.clone()),
        ("reg-birth-date", u.birth_date.format("%d/%m/%Y").to_string()),
        ("reg-birth-country", u.birth_country.clone()),
        ("reg-citizenship", u.citizenship.clone()),
        ("reg-email", u.email.clone()),
        ("reg-phone", u.phone.clone()),
        ("helpdesk-document", t(if u.doc_type == "passport" { "reg-doc-passport" } else { "reg-doc-id-card" })),
        ("reg-doc-number", u.doc_number.clone()),
        ("reg-doc-country", u.doc_country.clone()),
        ("reg-doc-expiry", u.doc_expiry.format("%d/%m/%Y").to_string()),
        ("helpdesk-col-received", format_when(u.created_at, lang)),
    ];
    let title = format!("{} {} {}", t("helpdesk-request"), u.given_name, u.family_name);
    view! {
        <Page title=title.clone() trail=vec![Crumb { label: t("helpdesk-title"), href: PATH.into() }]>
            <h1>{title}</h1>
            <ErrorSummary errors=errors/>
            <dl class="facts">
                {facts.into_iter().map(|(k, v)| view! { <dt>{t(k)}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
            <p><a href=paths::helpdesk_document(u.id)>{t("helpdesk-open-document")}</a></p>
            <DecisionForms action=paths::helpdesk_decision(u.id) reason reason_error/>
        </Page>
    }
    .into_any()
}

/// Approve, or reject with a reason (kept when it comes back with an error).
#[component]
pub fn DecisionForms(action: String, reason: String, reason_error: Option<&'static str>) -> impl IntoView {
    view! {
        <div class="decision">
            <form method="post" action=action.clone()>
                <input type="hidden" name="decision" value="approve"/>
                <p><button type="submit">{t("helpdesk-approve")}</button></p>
            </form>
            <form method="post" action=action novalidate>
                <input type="hidden" name="decision" value="reject"/>
                <TextareaField name="reason" label="helpdesk-reason" value=reason error=reason_error rows=3 maxlength=500/>
                <p><button type="submit" class="button--secondary">{t("helpdesk-reject")}</button></p>
            </form>
        </div>
    }
}

/// The request `id` if still pending, with the permit to act on it.
async fn pending_request(
    page: &PageRequest,
    action: Action,
    id: ForeignUserId,
) -> AppResult<(Arc<Permit>, ForeignUser)> {
    let p = Arc::new(permit(page, action, Resource::ForeignRequest(id)).await?);
    let p2 = p.clone();
    let user =
        with_conn(&page.state.pool, move |c| model::pending_request(c, &p2, id)).await?.ok_or(AppError::NotFound)?;
    Ok((p, user))
}

/// `GET /assistenza/richieste/{id}`.
pub async fn request_page(page: PageRequest, Path(id): Path<ForeignUserId>) -> AppResult<Response> {
    let (_, user) = pending_request(&page, Action::View, id).await?;
    let data = RequestData(user, String::new(), FieldErrors::default());
    Ok(page.render(StatusCode::OK, move || view! { <RequestPage data/> }.into_any()))
}

/// `GET /assistenza/richieste/{id}/documento`: the scan, to operators only.
/// Every view is in the audit trail, with the operator.
pub async fn document(page: PageRequest, Path(id): Path<ForeignUserId>) -> AppResult<Response> {
    let p = permit(&page, Action::View, Resource::ForeignDocument(id)).await?;
    let user =
        with_conn(&page.state.pool, move |c| model::pending_request(c, &p, id)).await?.ok_or(AppError::NotFound)?;
    let path = page.state.config.data_dir.join("uploads").join(&user.doc_file);
    let bytes = tokio::fs::read(&path).await.map_err(|e| AppError::other("reading a stored document", e))?;
    let name = format!("documento-{id}.{}", extension(&user.doc_mime));
    Ok(download(user.doc_mime.clone(), name, bytes))
}

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    /// `approve` or `reject`.
    pub decision: Option<String>,
    pub reason: Option<String>,
}

/// `POST /assistenza/richieste/{id}/decisione`.
pub async fn decide(
    page: PageRequest,
    Path(id): Path<ForeignUserId>,
    FormData(form): FormData<DecisionForm>,
) -> AppResult<Response> {
    let state = page.state.clone();
    let (permit, user) = pending_request(&page, Action::Decide, id).await?;
    let approve = match form.decision.as_deref() {
        Some("approve") => true,
        Some("reject") => false,
        _ => return Err(AppError::BadRequest("decision".into())),
    };
    let reason = form.reason.unwrap_or_default().trim().to_string();
    let problem = match (approve, reason.chars().count()) {
        (false, 0) => Some("helpdesk-reason-missing"),
        (_, n) if n > 500 => Some("helpdesk-reason-too-long"),
        _ => None,
    };
    if let Some(key) = problem {
        let mut errors = FieldErrors::default();
        errors.add("reason", key);
        let data = RequestData(user, reason, errors);
        return Ok(page.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <RequestPage data/> }.into_any()));
    }
    let operator = permit.account_id();
    let (r, s2, now) = (reason.clone(), state.clone(), state.clock.now());
    // The decision and the applicant's mail: one transaction (a decision is
    // taken once, and so is its mail: keyed by the request).
    let decided = crate::db::transaction(&state.pool, move |c| {
        let Some(decided) = model::decide(c, &permit, id, approve, &r, now)? else { return Ok(None) };
        let lang = Lang::parse(&decided.lang).unwrap_or_default();
        let (keys, args) = if approve {
            let link = format!("{}{}", s2.config.origin(), crate::foreign::signin::PATH);
            (("mail-approved-subject", "mail-approved-body"), vec![("link", link), ("id", decided.public_id.clone())])
        } else {
            (("mail-rejected-subject", "mail-rejected-body"), vec![("reason", r.clone())])
        };
        let now = s2.clock.now();
        outbox::queue(c, &s2.mailer, &format!("foreign-decision:{id}"), &decided.email, lang, keys, &args, now)?;
        Ok(Some(decided))
    })
    .await?
    .ok_or(AppError::NotFound)?;
    state.deliver_mail();
    tracing::info!(request = %id, %operator, approve, "helpdesk decision");
    if !decided.doc_file.is_empty() {
        let scan = state.config.data_dir.join("uploads").join(&decided.doc_file);
        if let Err(e) = tokio::fs::remove_file(&scan).await {
            tracing::warn!(error = %e, "could not delete a decided document; the clean-ups will");
        }
    }
    Ok(Redirect::to(&format!("{PATH}?esito={}", if approve { "approvata" } else { "respinta" })).into_response())
}
