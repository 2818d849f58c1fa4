//! `POST /profili/inviti/{id}`: the invited person accepts or refuses. Only
//! they may (their SPID or CIE codice fiscale is the one invited); anyone
//! else's invitation does not exist for them.
use super::members::invitations_conflict;
use crate::access::{self, Action, Resource};
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::identity::invitations::{self, Event, State};
use crate::kernel::InvitationId;
use crate::kernel::Principal;
use crate::paths;
use crate::web::render::{FormData, PageRequest};
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct AnswerForm {
    /// `accetta` or `rifiuta`.
    pub risposta: Option<String>,
}

pub async fn answer(
    req: PageRequest,
    who: Principal,
    Path(id): Path<InvitationId>,
    FormData(form): FormData<AnswerForm>,
) -> AppResult<Response> {
    let event = match form.risposta.as_deref() {
        Some("accetta") => Event::Accept,
        Some("rifiuta") => Event::Refuse,
        other => return Err(AppError::BadRequest(format!("answer {other:?}"))),
    };
    let now = req.state.clock.now();
    let invitation =
        with_conn(&req.state.pool, move |c| invitations::find(c, id, now)).await?.ok_or(AppError::NotFound)?;
    let resource = Resource::Invitation { id, invitee: &invitation.invitee };
    let permit = access::require(&req, Action::Decide, &resource, paths::PROFILES).await?;
    let account = permit.account_id();
    let action =
        match with_conn(&req.state.pool, move |c| invitations::apply(c, &permit, id, event, account, now)).await? {
            Ok(State::Accepted) => access::AuditAction::AcceptInvitation,
            Ok(_) => access::AuditAction::RefuseInvitation,
            Err(state) => return Err(invitations_conflict(state)),
        };
    let resource = format!("org:{}/invitation:{id}", invitation.organisation_id);
    super::members::audit(&req, &who, action, resource, String::new()).await?;
    Ok(Redirect::to(paths::PROFILES).into_response())
}
