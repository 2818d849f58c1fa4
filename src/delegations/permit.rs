//! Who may do what to a delega, asked of the one decision (`access`): its
//! two sides see it; the grantor's side revokes and approves; the delegate
//! answers, renounces, asks and acts through it. Anyone else is told it
//! does not exist (404); the wrong side's action is a 403. An organisation's
//! delega is its current managers': one who left it has no side any more.
use super::model::{self, Delega};
use crate::access::{self, Action, Denial, Permit, Resource};
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::identity::organisations;
use crate::kernel::DelegaId;
use crate::kernel::Principal;
use crate::web::render::PageRequest;
use axum::http::StatusCode;

pub async fn permit(req: &PageRequest, who: &Principal, id: DelegaId, action: Action) -> AppResult<(Permit, Delega)> {
    let (account, now) = (who.actor.account_id, req.state.clock.now());
    let (delega, manages, held) = with_conn(&req.state.pool, move |c| {
        let Some(d) = model::find(c, id, now)? else { return Ok((None, false, None)) };
        let manages = match &d.organisation {
            Some(org) => organisations::role_in(c, org.id, account)?.is_some_and(|r| r.manages()),
            None => false,
        };
        let held = super::groups::holding_of(c, &d, account)?;
        Ok((Some(d), manages, held))
    })
    .await?;
    let delega = delega.ok_or(AppError::NotFound)?;
    let resource = Resource::Delega {
        id,
        grantor: delega.grantor_account_id,
        delegate: &delega.delegate_codice_fiscale,
        for_organisation: delega.organisation.is_some(),
        manages_subject: manages,
        held,
    };
    match access::check(&req.state, Some(who), action, &resource, &req.request_id).await? {
        Ok(permit) => Ok((permit, delega)),
        Err(Denial::NotApplicable) => Err(AppError::Explained {
            status: StatusCode::FORBIDDEN,
            title: "delega-other-side-title",
            detail: "delega-other-side",
            log: format!("delega {id}: the other side's action"),
        }),
        Err(denial) => Err(access::refusal(req, denial, &crate::paths::delega(id))),
    }
}
