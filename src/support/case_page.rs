//! `/supporto/richieste/{numero}`: a case's status and conversation, for its
//! requester only: signed in as the person who opened it (through the
//! access decision), or through the secret link mailed to them (the link is
//! the proof). They can reply until it is closed. Anyone else: 404.
use super::cases::{self, Case, Event, Message};
use crate::access::{self, Action, Resource};
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::i18n::{t, t_args, use_lang};
use crate::paths;
use crate::web::components::{ErrorSummary, FieldErrors, TextareaField};
use crate::web::format::format_when;
use crate::web::layout::Page;
use crate::web::render::{FormData, PageRequest};
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Number {
    pub numero: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct Secret {
    pub chiave: Option<String>,
}

/// The case, if the request is its requester's.
async fn requester_case(req: &PageRequest, number: &str, secret: Option<&str>) -> AppResult<Case> {
    let (n, s) = (number.to_string(), secret.unwrap_or("").to_string());
    if !s.is_empty() {
        let found = with_conn(&req.state.pool, move |c| {
            Ok(match cases::by_secret(c, &n, &s)? {
                Some(case) => Ok(case),
                None => Err(cases::was_replaced(c, &n, &s)?),
            })
        })
        .await?;
        return match found {
            Ok(case) => Ok(case),
            // A link the requester once had: say a newer mail carries the new one.
            Err(true) => Err(AppError::Explained {
                status: StatusCode::GONE,
                title: "support-link-replaced-title",
                detail: "support-link-replaced",
                log: format!("support case {number}: a replaced link"),
            }),
            Err(false) => Err(AppError::NotFound),
        };
    }
    let n = number.to_string();
    let owner = with_conn(&req.state.pool, move |c| cases::owner_of(c, &n)).await?.ok_or(AppError::NotFound)?;
    let resource = Resource::SupportCase { number, owner };
    let permit = access::require(req, Action::View, &resource, &req.at.path).await?;
    let n = number.to_string();
    with_conn(&req.state.pool, move |c| cases::by_number(c, &permit, &n)).await?.ok_or(AppError::NotFound)
}

#[component]
pub fn Conversation(case: Case, messages: Vec<Message>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ol class="conversation">
            <li>
                <p class="hint">{case.name.clone()} " · " {format_when(case.created_at, lang)}</p>
                <p class="wrap pre">{case.description.clone()}</p>
            </li>
            {messages.into_iter().map(|m| {
                let who = t(&format!("support-author-{}", m.author));
                view! {
                    <li class=format!("message message--{}", m.author)>
                        <p class="hint">{who} " · " {format_when(m.at, lang)}</p>
                        <p class="wrap pre">{m.body}</p>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

#[component]
fn CasePage(case: Case, messages: Vec<Message>, secret: String, reply: String, errors: FieldErrors) -> impl IntoView {
    let title = t_args("support-case-title", &[("case", case.number.clone())]);
    let open = case.state != cases::State::Closed;
    let number = case.number.clone();
    let e = errors.clone();
    view! {
        <Page title=title.clone()>
            <h1>{title}</h1>
            <dl class="facts">
                <dt>{t("support-state")}</dt><dd><strong>{t(&case.state.name_key())}</strong></dd>
                <dt>{t("support-category")}</dt><dd>{t(&format!("support-category-{}", case.category))}</dd>
            </dl>
            <Conversation case=case.clone() messages/>
            {open.then(|| view! {
                <section aria-labelledby="reply-heading" class="card">
                    <h2 id="reply-heading">{t("support-reply")}</h2>
                    <ErrorSummary errors=errors.clone()/>
                    <form method="post" action=paths::support_reply(&number) novalidate>
                        <input type="hidden" name="chiave" value=secret.clone()/>
                        <TextareaField name="testo" label="support-reply-text" value=reply.clone() error=e.get("testo") rows=5 maxlength=5000/>
                        <p><button type="submit">{t("support-reply-submit")}</button></p>
                    </form>
                </section>
            })}
        </Page>
    }
}

/// `GET /supporto/richieste/{numero}[?chiave=…]`.
pub async fn page(
    req: PageRequest,
    Path(Number { numero }): Path<Number>,
    Query(s): Query<Secret>,
) -> AppResult<Response> {
    let secret = s.chiave.unwrap_or_default().chars().take(100).collect::<String>();
    let case = requester_case(&req, &numero, Some(&secret)).await?;
    let c2 = case.clone();
    let messages = with_conn(&req.state.pool, move |c| cases::messages(c, &c2, None)).await?;
    Ok(req.render(StatusCode::OK, move || {
        view! { <CasePage case messages secret reply=String::new() errors=FieldErrors::default()/> }.into_any()
    }))
}

#[derive(Debug, Deserialize)]
pub struct ReplyForm {
    pub chiave: Option<String>,
    pub testo: Option<String>,
}

/// `POST /supporto/richieste/{numero}/risposta`: the requester writes back.
pub async fn reply(
    req: PageRequest,
    Path(Number { numero }): Path<Number>,
    FormData(f): FormData<ReplyForm>,
) -> AppResult<Response> {
    let secret: String = f.chiave.unwrap_or_default().chars().take(100).collect();
    let case = requester_case(&req, &numero, Some(&secret)).await?;
    let text = f.testo.unwrap_or_default().trim().to_string();
    let bad = match text.chars().count() {
        0 => Some("support-error-reply"),
        n if n > super::request::MAX_TEXT => Some("support-error-description-long"),
        _ => None,
    };
    if let Some(key) = bad {
        let mut errors = FieldErrors::default();
        errors.add("testo", key);
        let c2 = case.clone();
        let messages = with_conn(&req.state.pool, move |c| cases::messages(c, &c2, None)).await?;
        return Ok(req.render(StatusCode::UNPROCESSABLE_ENTITY, move || {
            view! { <CasePage case messages secret reply=text errors/> }.into_any()
        }));
    }
    let (id, now, account) = (case.id, req.state.clock.now(), req.principal.as_ref().map(|p| p.actor.account_id));
    let moved = with_conn(&req.state.pool, move |c| {
        let moved = cases::apply(c, id, Event::RequesterReply, now)?;
        if moved.is_ok() {
            cases::add_message(c, id, "requester", account, &text, now)?;
        }
        Ok(moved)
    })
    .await?;
    if moved.is_err() {
        return Err(AppError::Explained {
            status: StatusCode::CONFLICT,
            title: "support-closed-title",
            detail: "support-closed",
            log: format!("case {numero}: reply to a closed case"),
        });
    }
    let to = if secret.is_empty() {
        paths::support_case(&numero)
    } else {
        format!("{}?chiave={secret}", paths::support_case(&numero))
    };
    Ok(Redirect::to(&to).into_response())
}
