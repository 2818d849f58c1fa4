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

/// What the decision on a delega needs to know of the person asking, as read
/// for the permit: whether they manage the organisation it is for, and
/// their standing in the organisation holding it (if one does).
#[derive(Clone, Copy, Debug)]
pub struct Sides {
    manages: bool,
    held: Option<access::Holding>,
}

impl Sides {
    /// The delega as the one decision names it, for this person.
    pub fn resource<'a>(&self, d: &'a Delega) -> Resource<'a> {
        Resource::Delega {
            id: d.id,
            grantor: d.grantor_account_id,
            delegate: &d.delegate_codice_fiscale,
            for_organisation: d.organisation.is_some(),
            manages_subject: self.manages,
            held: self.held,
        }
    }
}

pub async fn permit(req: &PageRequest, who: &Principal, id: DelegaId, action: Action) -> AppResult<(Permit, Delega)> {
    permit_and_sides(req, who, id, action).await.map(|(permit, delega, _)| (permit, delega))
}

/// The same, with the person's sides (a page then asks what else they may do).
pub async fn permit_and_sides(
    req: &PageRequest,
    who: &Principal,
    id: DelegaId,
    action: Action,
) -> AppResult<(Permit, Delega, Sides)> {
    let (account, now) = (who.actor.account_id, req.state.clock.now());
    let (delega, manages, held) = with_conn(&req.state.pool, move |c| {
        let Some(d) = model::find(c, id, now)? else { return Ok((None, false, None)) };
        let manages = match &d.organisation {
            Some(org) => organisations::role_in(c, org.id, account)?.is_some_and(|r| r.manages()),
            None => false,
        };
        let held = super::groups::holding_of(c, &d, account)?.map(|(holding, _)| holding);
        Ok((Some(d), manages, held))
    })
    .await?;
    let delega = delega.ok_or(AppError::NotFound)?;
    let sides = Sides { manages, held };
    let resource = sides.resource(&delega);
    match access::check(&req.state, Some(who), action, &resource, &req.request_id).await? {
        Ok(permit) => Ok((permit, delega, sides)),
        Err(Denial::NotApplicable) => Err(AppError::Explained {
            status: StatusCode::FORBIDDEN,
            title: "delega-other-side-title",
            detail: "delega-other-side",
            log: format!("delega {id}: the other side's action"),
        }),
        Err(denial) => Err(access::refusal(req, denial, &crate::paths::delega(id))),
    }
}
