use crate::access::is_helpdesk_operator;
use crate::app::AppState;
use crate::auth::foreign::model::{self, Decision, ForeignUser};
use crate::auth::foreign::registration::send;
use crate::auth::pages::format_when;
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::i18n::{t, use_lang, Lang};
use crate::identity::SignedIn;
use crate::web::components::form::{ErrorSummary, FieldErrors};
use crate::web::components::Crumb;
use crate::web::layout::Page;
use crate::web::render::render_view;
use axum::extract::{Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use leptos::prelude::*;
use serde::Deserialize;

pub const PATH: &str = "/assistenza";

/// The operator behind this request, or the right refusal.
async fn operator(state: &AppState, who: Option<SignedIn>) -> AppResult<SignedIn> {
    let Some(who) = who else {
        return Err(AppError::Explained {
            status: StatusCode::UNAUTHORIZED,
            title: "helpdesk-signin-title",
            detail: "helpdesk-signin",
            log: "helpdesk: not signed in".into(),
        });
    };
    let w = who.clone();
    if !with_conn(&state.pool, move |c| is_helpdesk_operator(c, &w)).await? {
        return Err(AppError::Explained {
            status: StatusCode::FORBIDDEN,
            title: "helpdesk-forbidden-title",
            detail: "helpdesk-forbidden",
            log: format!("helpdesk: account {} is not an operator", who.account_id),
        });
    }
    Ok(who)
}

#[derive(Clone)]
struct QueueData(Vec<ForeignUser>, Vec<Decision>);

#[component]
fn QueuePage() -> impl IntoView {
    let Some(QueueData(queue, decisions)) = use_context::<QueueData>() else { return ().into_any() };
    let lang = use_lang();
    view! {
        <Page title=t("helpdesk-title")>
            <h1>{t("helpdesk-title")}</h1>
            <section aria-labelledby="queue-heading">
                <h2 id="queue-heading">{t("helpdesk-queue")} " (" {queue.len()} ")"</h2>
                {if queue.is_empty() {
                    view! { <p>{t("helpdesk-queue-empty")}</p> }.into_any()
                } else {
                    view! {
                        <table class="table">
                            <caption>{t("helpdesk-queue-caption")}</caption>
                            <thead><tr>
                                <th scope="col">{t("helpdesk-col-applicant")}</th>
                                <th scope="col">{t("reg-citizenship")}</th>
                                <th scope="col">{t("helpdesk-col-received")}</th>
                            </tr></thead>
                            <tbody>
                                {queue.into_iter().map(|u| view! {
                                    <tr>
                                        <td><a href=format!("{PATH}/richieste/{}", u.id)>{format!("{} {}", u.given_name, u.family_name)}</a></td>
                                        <td>{u.citizenship.clone()}</td>
                                        <td>{format_when(u.created_at, lang)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </section>
            <section aria-labelledby="decisions-heading">
                <h2 id="decisions-heading">{t("helpdesk-decisions")}</h2>
                {if decisions.is_empty() {
                    view! { <p>{t("helpdesk-decisions-empty")}</p> }.into_any()
                } else {
                    view! {
                        <table class="table">
                            <caption>{t("helpdesk-decisions-caption")}</caption>
                            <thead><tr>
                                <th scope="col">{t("helpdesk-col-applicant")}</th>
                                <th scope="col">{t("helpdesk-col-decision")}</th>
                                <th scope="col">{t("helpdesk-col-reason")}</th>
                                <th scope="col">{t("helpdesk-col-operator")}</th>
                                <th scope="col">{t("helpdesk-col-when")}</th>
                            </tr></thead>
                            <tbody>
                                {decisions.into_iter().map(|d| view! {
                                    <tr>
                                        <td>{format!("{} ({})", d.applicant, d.public_id)}</td>
                                        <td>{t(&format!("helpdesk-{}", d.decision))}</td>
                                        <td>{d.reason.clone()}</td>
                                        <td>{d.operator.clone()}</td>
                                        <td>{format_when(d.at, lang)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </section>
        </Page>
    }
    .into_any()
}

/// `GET /assistenza`.
pub async fn queue_page(State(state): State<AppState>, Extension(who): Extension<Option<SignedIn>>, req: Request) -> AppResult<Response> {
    operator(&state, who).await?;
    let data = with_conn(&state.pool, |c| Ok(QueueData(model::queue(c)?, model::recent_decisions(c, 50)?))).await?;
    let (parts, _) = req.into_parts();
    Ok(render_view(&state, parts, StatusCode::OK, move || provide_context(data.clone()), QueuePage).await)
}

#[derive(Clone)]
struct RequestData(ForeignUser, String, FieldErrors);

#[component]
fn RequestPage() -> impl IntoView {
    let Some(RequestData(u, reason, errors)) = use_context::<RequestData>() else { return ().into_any() };
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
            <p><a href=format!("{PATH}/richieste/{}/documento", u.id)>{t("helpdesk-open-document")}</a></p>
            <div class="decision">
                <form method="post" action=format!("{PATH}/richieste/{}/decisione", u.id)>
                    <input type="hidden" name="decision" value="approve"/>
                    <p><button type="submit">{t("helpdesk-approve")}</button></p>
                </form>
                <form method="post" action=format!("{PATH}/richieste/{}/decisione", u.id) novalidate>
                    <input type="hidden" name="decision" value="reject"/>
                    <div class="field" class:field--error=reason_error.is_some()>
                        <label for="reason">{t("helpdesk-reason")}</label>
                        {reason_error.map(|k| view! { <p class="field-error" id="reason-error">{t(k)}</p> })}
                        <textarea id="reason" name="reason" rows="3" aria-invalid=reason_error.map(|_| "true")
                            aria-describedby=reason_error.map(|_| "reason-error")>{reason}</textarea>
                    </div>
                    <p><button type="submit" class="button--secondary">{t("helpdesk-reject")}</button></p>
                </form>
            </div>
        </Page>
    }
    .into_any()
}

async fn pending_request(state: &AppState, id: i64) -> AppResult<ForeignUser> {
    with_conn(&state.pool, move |c| model::by_id(c, id)).await?.filter(|u| u.status == model::STATUS_PENDING).ok_or(AppError::NotFound)
}

/// `GET /assistenza/richieste/{id}`.
pub async fn request_page(
    State(state): State<AppState>,
    Extension(who): Extension<Option<SignedIn>>,
    Path(id): Path<i64>,
    req: Request,
) -> AppResult<Response> {
    operator(&state, who).await?;
    let user = pending_request(&state, id).await?;
    let (parts, _) = req.into_parts();
    let data = RequestData(user, String::new(), FieldErrors::default());
    Ok(render_view(&state, parts, StatusCode::OK, move || provide_context(data.clone()), RequestPage).await)
}

/// `GET /assistenza/richieste/{id}/documento`: the scan, to operators only.
pub async fn document(State(state): State<AppState>, Extension(who): Extension<Option<SignedIn>>, Path(id): Path<i64>) -> AppResult<Response> {
    operator(&state, who).await?;
    let user = pending_request(&state, id).await?;
    let path = state.config.data_dir.join("uploads").join(&user.doc_file);
    let bytes = tokio::fs::read(&path).await.map_err(|e| AppError::Internal(format!("document {}: {e}", path.display())))?;
    Ok((
        [
            (header::CONTENT_TYPE, user.doc_mime.clone()),
            (header::CONTENT_DISPOSITION, "inline".to_string()),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    pub decision: Option<String>,
    pub reason: Option<String>,
}

/// `POST /assistenza/richieste/{id}/decisione`.
pub async fn decide(
    State(state): State<AppState>,
    Extension(who): Extension<Option<SignedIn>>,
    Path(id): Path<i64>,
    req: Request,
) -> AppResult<Response> {
    let op = operator(&state, who).await?;
    let (parts, form) = crate::web::render::read_form::<DecisionForm>(&state, req).await?;
    let approve = match form.decision.as_deref() {
        Some("approve") => true,
        Some("reject") => false,
        _ => return Err(AppError::BadRequest("decision".into())),
    };
    let reason = form.reason.unwrap_or_default().trim().to_string();
    if !approve && reason.is_empty() {
        let user = pending_request(&state, id).await?;
        let mut errors = FieldErrors::default();
        errors.add("reason", "helpdesk-reason-missing");
        let data = RequestData(user, reason, errors);
        return Ok(render_view(&state, parts, StatusCode::UNPROCESSABLE_ENTITY, move || provide_context(data.clone()), RequestPage).await);
    }
    let (r, operator_account) = (reason.clone(), op.account_id);
    let decided = with_conn(&state.pool, move |c| model::decide(c, id, operator_account, approve, &r)).await?.ok_or(AppError::NotFound)?;
    tracing::info!(request = id, operator = op.account_id, approve, "helpdesk decision");
    let lang = Lang::parse(&decided.lang).unwrap_or_default();
    if approve {
        let link = format!("{}{}", state.config.origin(), crate::auth::foreign::signin::PATH);
        send(&state, &decided.email, lang, "mail-approved-subject", "mail-approved-body", &[("link", link), ("id", decided.public_id.clone())]).await;
    } else {
        send(&state, &decided.email, lang, "mail-rejected-subject", "mail-rejected-body", &[("reason", reason)]).await;
    }
    Ok(Redirect::to(PATH).into_response())
}
