//! `/assistenza/supporto`: the support requests' queue, by state and words;
//! each case with its conversation, internal notes and attachment; an
//! operator takes it, replies (the requester is mailed, with a fresh link to
//! the case), notes, or closes it. State changes go through the case's
//! lifecycle; an illegal one is a 409.
use super::console::permit;
use crate::access::{Action, Permit, Resource};
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::i18n::{t, t_args, use_lang, Lang};
use crate::mail::outbox;
use crate::paths;
use crate::support::cases::{self, Case, Event, State};
use crate::support::Conversation;
use crate::web::are_you_sure::AreYouSure;
use crate::web::components::{
    split_page, CheckboxField, Crumb, ErrorSummary, FieldErrors, Pager, TableOrEmpty, TextareaField,
};
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

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    pub stato: Option<String>,
    pub q: Option<String>,
    /// The page: cases after this one (`cases::QueueAfter`).
    pub dopo: Option<String>,
}

/// Cases on a page of the helpdesk's list.
const PAGE: i64 = 50;

/// This search's address, from its first page or after a case.
fn queue_href(state: &str, q: &str, after: Option<cases::QueueAfter>) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if !state.is_empty() {
        query.append_pair("stato", state);
    }
    if !q.is_empty() {
        query.append_pair("q", q);
    }
    if let Some(a) = after {
        query.append_pair("dopo", &a.code());
    }
    format!("{}?{}", paths::HELPDESK_SUPPORT, query.finish())
}

#[component]
fn QueuePage(list: Vec<Case>, state: String, q: String, later: bool, next: Option<cases::QueueAfter>) -> impl IntoView {
    let first_href = later.then(|| queue_href(&state, &q, None));
    let next_href = next.map(|after| queue_href(&state, &q, Some(after)));
    let lang = use_lang();
    let rows: Vec<AnyView> = list
        .into_iter()
        .map(|c| {
            view! {
                <tr>
                    <td><a href=paths::helpdesk_support_case(&c.number)>{c.number.clone()}</a></td>
                    <td>{c.name.clone()} <br/><span class="hint">{c.email.clone()}</span></td>
                    <td>{t(&format!("support-category-{}", c.category))}</td>
                    <td>{t(&c.state.name_key())}</td>
                    <td>{format_when(c.updated_at, lang)}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    view! {
        <Page title=t("helpdesk-support-title") trail=vec![Crumb { label: t("helpdesk-title"), href: paths::HELPDESK.into() }]>
            <h1>{t("helpdesk-support-title")}</h1>
            <form method="get" action=paths::HELPDESK_SUPPORT class="filters" role="search" aria-label=t("helpdesk-support-search")>
                <div class="field">
                    <label for="stato">{t("support-state")}</label>
                    <select id="stato" name="stato">
                        <option value="">{t("helpdesk-support-open")}</option>
                        {State::ALL.into_iter().map(|s| view! { <option value=s.code() selected=s.code() == state>{t(&s.name_key())}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field"><label for="q">{t("helpdesk-support-words")}</label><input id="q" name="q" type="search" value=q/></div>
                <p><button type="submit">{t("catalog-apply")}</button></p>
            </form>
            <TableOrEmpty
                caption="helpdesk-support-caption"
                empty="helpdesk-support-empty"
                columns=&["helpdesk-support-col-case", "helpdesk-col-applicant", "support-category", "support-state", "helpdesk-col-when"]
                rows
            />
            <Pager label=t("helpdesk-support-pages") first=first_href next=next_href/>
        </Page>
    }
}

/// `GET /assistenza/supporto[?stato=…&q=…]`.
pub async fn queue(page: PageRequest, Query(q): Query<QueueQuery>) -> AppResult<Response> {
    permit(&page, Action::View, Resource::HelpdeskQueue).await?;
    let state: String = q.stato.unwrap_or_default().chars().take(20).collect();
    let words: String = q.q.unwrap_or_default().chars().take(100).collect();
    let (st, w) = (State::parse(&state), words.clone());
    // A boundary that does not parse starts from the first page.
    let after = q.dopo.as_deref().and_then(cases::QueueAfter::parse);
    let list = with_conn(&page.state.pool, move |c| cases::queue(c, st, &w, after, PAGE + 1)).await?;
    let (list, next) = split_page(list, PAGE, |c| cases::QueueAfter { updated_at: c.updated_at, id: c.id });
    let later = after.is_some();
    Ok(page.render(StatusCode::OK, move || view! { <QueuePage list state q=words later next/> }.into_any()))
}

#[derive(Debug, Deserialize)]
pub struct Number {
    pub numero: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct CaseQuery {
    pub allegato: Option<String>,
}

#[component]
fn CasePage(case: Case, messages: Vec<cases::Message>, errors: FieldErrors) -> impl IntoView {
    let number = case.number.clone();
    let open = case.state != State::Closed;
    let e = errors.clone();
    let action = paths::helpdesk_support_action(&number);
    view! {
        <Page title=case.number.clone() trail=vec![Crumb { label: t("helpdesk-support-title"), href: paths::HELPDESK_SUPPORT.into() }]>
            <h1>{case.number.clone()}</h1>
            <dl class="facts">
                <dt>{t("support-state")}</dt><dd><strong>{t(&case.state.name_key())}</strong></dd>
                <dt>{t("support-name")}</dt><dd>{case.name.clone()}</dd>
                <dt>{t("support-email")}</dt><dd>{case.email.clone()}</dd>
                <dt>{t("support-category")}</dt><dd>{t(&format!("support-category-{}", case.category))}</dd>
                {case.service.clone().map(|s| view! { <dt>{t("support-service")}</dt><dd>{s}</dd> })}
                {case.attachment.as_ref().map(|_| view! {
                    <dt>{t("support-attachment")}</dt><dd><a href=format!("{}?allegato=1", paths::helpdesk_support_case(&number))>{t("helpdesk-open-document")}</a></dd>
                })}
            </dl>
            <Conversation case=case.clone() messages/>
            {open.then(|| view! {
                <div class="actions">
                    <form method="post" action=action.clone() class="inline-form">
                        <input type="hidden" name="azione" value="assegna"/>
                        <button type="submit" class="button--secondary">{t("helpdesk-support-take")}</button>
                    </form>
                    " "
                    <form method="post" action=action.clone() class="inline-form">
                        <input type="hidden" name="azione" value="chiudi"/>
                        <button type="submit" class="button--secondary">{t("helpdesk-support-close")}</button>
                    </form>
                </div>
                <section aria-labelledby="answer-heading" class="card">
                    <h2 id="answer-heading">{t("helpdesk-support-answer")}</h2>
                    <ErrorSummary errors=errors.clone()/>
                    <form method="post" action=action.clone() novalidate>
                        <TextareaField name="testo" label="helpdesk-support-text" error=e.get("testo") rows=6 maxlength=5000/>
                        <CheckboxField name="attesa" label="helpdesk-support-waiting"/>
                        <p>
                            <button type="submit" name="azione" value="rispondi">{t("helpdesk-support-reply")}</button>
                            " "
                            <button type="submit" name="azione" value="nota" class="button--secondary">{t("helpdesk-support-note")}</button>
                        </p>
                    </form>
                </section>
            })}
        </Page>
    }
}

async fn load(page: &PageRequest, permit: Arc<Permit>, number: &str) -> AppResult<Case> {
    let n = number.to_string();
    with_conn(&page.state.pool, move |c| cases::by_number(c, &permit, &n))
        .await?
        .filter(|c| c.state != State::Unconfirmed)
        .ok_or(AppError::NotFound)
}

/// `GET /assistenza/supporto/{numero}[?allegato=1]`.
pub async fn case(
    page: PageRequest,
    Path(Number { numero }): Path<Number>,
    Query(q): Query<CaseQuery>,
) -> AppResult<Response> {
    let p = Arc::new(permit(&page, Action::View, Resource::HelpdeskQueue).await?);
    let case = load(&page, p.clone(), &numero).await?;
    if q.allegato.is_some() {
        let (file, mime) = case.attachment.clone().ok_or(AppError::NotFound)?;
        let bytes = tokio::fs::read(page.state.config.data_dir.join("uploads").join(&file))
            .await
            .map_err(|e| AppError::other("reading an attachment", e))?;
        return Ok(download(mime.clone(), format!("allegato-{numero}.{}", extension(&mime)), bytes));
    }
    let c2 = case.clone();
    let messages = with_conn(&page.state.pool, move |c| cases::messages(c, &c2, Some(&p))).await?;
    Ok(page
        .render(StatusCode::OK, move || view! { <CasePage case messages errors=FieldErrors::default()/> }.into_any()))
}

#[derive(Debug, Deserialize)]
pub struct ActionForm {
    pub azione: Option<String>,
    pub testo: Option<String>,
    pub attesa: Option<String>,
    /// `si` once the operator answered the question before closing.
    pub conferma: Option<String>,
}

/// `POST /assistenza/supporto/{numero}/azione`.
pub async fn act(
    page: PageRequest,
    Path(Number { numero }): Path<Number>,
    FormData(f): FormData<ActionForm>,
) -> AppResult<Response> {
    let p = Arc::new(permit(&page, Action::Decide, Resource::HelpdeskQueue).await?);
    let operator = p.account_id();
    let case = load(&page, p.clone(), &numero).await?;
    let (id, now) = (case.id, page.state.clock.now());
    let text = f.testo.unwrap_or_default().trim().to_string();
    let action = f.azione.unwrap_or_default();
    if matches!(action.as_str(), "rispondi" | "nota")
        && (text.is_empty() || text.chars().count() > crate::support::cases::MAX_MESSAGE)
    {
        let mut errors = FieldErrors::default();
        errors.add("testo", if text.is_empty() { "support-error-reply" } else { "support-error-description-long" });
        let (c2, p2) = (case.clone(), p.clone());
        let messages = with_conn(&page.state.pool, move |c| cases::messages(c, &c2, Some(&p2))).await?;
        return Ok(page
            .render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <CasePage case messages errors/> }.into_any()));
    }
    // Closing cannot be undone (the requester then writes a new request): asked first.
    if action == "chiudi" && f.conferma.as_deref() != Some("si") {
        if case.state == State::Closed {
            return Err(AppError::Explained {
                status: StatusCode::CONFLICT,
                title: "support-closed-title",
                detail: "support-closed",
                log: format!("case {numero}: already closed"),
            });
        }
        return Ok(page.render(StatusCode::OK, move || {
            view! {
                <AreYouSure
                    title=t("helpdesk-close-title")
                    lead=t_args("helpdesk-close-lead", &[("case", case.number.clone())])
                    effect=t("helpdesk-close-effect")
                    action=paths::helpdesk_support_action(&case.number)
                    hidden=vec![("azione", "chiudi".to_string())]
                    submit=t("helpdesk-close-submit")
                    cancel_href=paths::helpdesk_support_case(&case.number)
                    cancel_label=t("helpdesk-close-cancel")
                    trail=vec![Crumb { label: t("helpdesk-support-title"), href: paths::HELPDESK_SUPPORT.into() }]
                />
            }
            .into_any()
        }));
    }
    let waiting = f.attesa.as_deref() == Some("si");
    let event = match action.as_str() {
        "assegna" => Some(Event::Assign),
        "rispondi" => Some(Event::Reply { waiting }),
        "chiudi" => Some(Event::Close),
        "nota" => None,
        other => return Err(AppError::BadRequest(format!("action {other:?}"))),
    };
    let t2 = text.clone();
    let (st, n2, email, lang) =
        (page.state.clone(), numero.clone(), case.email.clone(), Lang::parse(&case.lang).unwrap_or_default());
    // The change, and the requester's mail with a fresh link to the case when
    // it concerns them: one transaction.
    let moved = crate::db::transaction(&page.state.pool, move |c| {
        if event.is_none() {
            cases::add_message(c, id, "note", Some(operator), &t2, now)?;
            return Ok(Ok(State::New));
        }
        let moved = cases::apply(c, id, event.unwrap_or(Event::Assign), now)?;
        let Ok(state) = moved else { return Ok(moved) };
        match event {
            Some(Event::Assign) => cases::assign(c, id, operator)?,
            Some(Event::Reply { .. }) => cases::add_message(c, id, "operator", Some(operator), &t2, now)?,
            _ => {}
        }
        if event != Some(Event::Assign) {
            let access = cases::renew_access(c, id, now)?;
            let link = format!("{}{}?chiave={access}", st.config.origin(), paths::support_case(&n2));
            let args = [("case", n2.clone()), ("state", lang.t(&state.name_key())), ("link", link)];
            let keys = ("mail-support-update-subject", "mail-support-update-body");
            let key = format!("support:{n2}:update:{}", uuid::Uuid::new_v4().simple());
            outbox::queue(c, &st.mailer, &key, &email, lang, keys, &args, now)?;
        }
        Ok(moved)
    })
    .await?;
    page.state.deliver_mail();
    if moved.is_err() {
        return Err(AppError::Explained {
            status: StatusCode::CONFLICT,
            title: "support-closed-title",
            detail: "support-closed",
            log: format!("case {numero}: {action} not allowed"),
        });
    }
    Ok(Redirect::to(&paths::helpdesk_support_case(&numero)).into_response())
}
