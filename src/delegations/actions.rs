//! `POST /deleghe/{id}/azione`: each side's actions on a delega, through the
//! lifecycle (an illegal transition is a 409), mailed to both sides; and
//! `POST /deleghe/codice`: accepting with the code the grantor passed on.
use super::confirm;
use super::lifecycle::{Event, State};
use super::model::{self, Kind};
use super::notify::{self, Notice};
use super::outcome::Done;
use super::pages::{self, Lists};
use super::permit::permit;
use crate::access::Action;
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::kernel::{AccountId, DelegaId};
use crate::kernel::{Credential, Principal};
use crate::paths;
use crate::web::components::FieldErrors;
use crate::web::render::{FormData, PageRequest};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct ActionForm {
    pub azione: Option<String>,
    /// `si` once the person answered the question before an irreversible action.
    pub conferma: Option<String>,
}

fn conflict(state: State) -> AppError {
    AppError::Explained {
        status: StatusCode::CONFLICT,
        title: "delega-conflict-title",
        detail: "delega-conflict",
        log: format!("delega action refused in state {}", state.code()),
    }
}

/// The lifecycle event for a side's action, the mail it sends and what the
/// page confirms afterwards.
fn event_for(action: &str) -> Option<(Action, Event, Notice, Done)> {
    Some(match action {
        "accetta" => (Action::Decide, Event::Accept, Notice::Accepted, Done::Accepted),
        "rifiuta" => (Action::Decide, Event::Refuse, Notice::Refused, Done::Refused),
        "rinuncia" => (Action::Decide, Event::Renounce, Notice::Renounced, Done::Renounced),
        "revoca" => (Action::Change, Event::Revoke, Notice::Revoked, Done::Revoked),
        _ => return None,
    })
}

pub async fn act(
    req: PageRequest,
    who: Principal,
    Path(id): Path<DelegaId>,
    FormData(form): FormData<ActionForm>,
) -> AppResult<Response> {
    let action = form.azione.unwrap_or_default();
    let (account, now, lang, state) = (who.actor.account_id, req.state.clock.now(), req.lang, req.state.clone());
    let today = crate::kernel::clock::rome(now).date();
    // Each change and its mails: one transaction.
    let done = match action.as_str() {
        // A temporanea: the delegate asks for today, the grantor's side approves.
        "chiedi" => {
            // One's own delega: its delegate asks (a strong act); an
            // organisation's: any member who acts through it, operatori included.
            let held = with_conn(&req.state.pool, move |c| model::parties(c, id)).await?.and_then(|p| p.held_by);
            let action = if held.is_some() { Action::Switch } else { Action::Decide };
            let (_, d) = permit(&req, &who, id, action).await?;
            if d.kind != Kind::Temporanea || d.state != State::Active {
                return Err(conflict(d.state));
            }
            crate::db::transaction(&req.state.pool, move |c| {
                if model::ask_approval(c, id, today, now)? {
                    model::record(c, id, Some(account), Notice::ApprovalAsked.code(), &today.to_string(), now)?;
                    notify::queue(c, &state, &d, Notice::ApprovalAsked, lang, now)?;
                }
                Ok(())
            })
            .await?;
            Done::Asked
        }
        "approva" => {
            let (_, d) = permit(&req, &who, id, Action::Change).await?;
            let was = d.state;
            let approved = crate::db::transaction(&req.state.pool, move |c| {
                let ok = model::approve(c, id, today, account, now)?;
                if ok {
                    model::record(c, id, Some(account), Notice::Approved.code(), &today.to_string(), now)?;
                    notify::queue(c, &state, &d, Notice::Approved, lang, now)?;
                }
                Ok(ok)
            })
            .await?;
            if !approved {
                return Err(conflict(was));
            }
            Done::Approved
        }
        other => {
            let (side, event, mail, done) =
                event_for(other).ok_or_else(|| AppError::BadRequest(format!("action {other:?}")))?;
            let (_, d) = permit(&req, &who, id, side).await?;
            // Only accepting can be undone (by renouncing): the rest is asked first.
            if event != Event::Accept && form.conferma.as_deref() != Some("si") {
                if d.state.after(event).is_none() {
                    return Err(conflict(d.state));
                }
                return confirm::question(&req, d, event, other).await;
            }
            change(&req, id, event, mail, account).await?;
            done
        }
    };
    req.state.deliver_mail();
    Ok(Redirect::to(&paths::delega_done(id, done.code())).into_response())
}

/// Applies `event` to delega `id` and queues its `mail`, in one transaction;
/// a refused transition is a 409.
async fn change(req: &PageRequest, id: DelegaId, event: Event, mail: Notice, account: AccountId) -> AppResult<()> {
    let (now, lang, state) = (req.state.clock.now(), req.lang, req.state.clone());
    crate::db::transaction(&req.state.pool, move |c| {
        let result = model::apply(c, id, event, Some(account), now)?;
        if result.is_ok() {
            if let Some(d) = model::find(c, id, now)? {
                notify::queue(c, &state, &d, mail, lang, now)?;
            }
        }
        Ok(result)
    })
    .await?
    .map_err(conflict)?;
    Ok(())
}

#[derive(Debug, Deserialize)]
pub struct CodeForm {
    pub codice: Option<String>,
}

/// `POST /deleghe/codice`: a pending delega for this person with that code is accepted.
pub async fn accept_by_code(
    req: PageRequest,
    who: Principal,
    FormData(form): FormData<CodeForm>,
) -> AppResult<Response> {
    let typed: String = form.codice.unwrap_or_default().trim().chars().take(40).collect();
    let code = crate::web::text::code_signs(&typed, 20).to_ascii_uppercase();
    let now = req.state.clock.now();
    let codice_fiscale = who.actor.identifier.clone();
    let strong = matches!(who.actor.credential, Credential::Spid | Credential::Cie);
    let found = if strong && !code.is_empty() {
        with_conn(&req.state.pool, move |c| Ok(model::pending_with_code(c, &codice_fiscale, &code, now)?.map(|d| d.id)))
            .await?
    } else {
        None
    };
    let Some(id) = found else {
        let mut lists: Lists = pages::load(&req, &who, pages::ListQuery::default()).await?;
        let mut errors = FieldErrors::default();
        errors.add("codice", "delega-error-code");
        lists.errors = errors;
        lists.code = typed;
        return Ok(pages::render_list(&req, StatusCode::UNPROCESSABLE_ENTITY, lists));
    };
    permit(&req, &who, id, Action::Decide).await?;
    change(&req, id, Event::Accept, Notice::Accepted, who.actor.account_id).await?;
    req.state.deliver_mail();
    Ok(Redirect::to(&paths::delega_done(id, Done::Accepted.code())).into_response())
}
