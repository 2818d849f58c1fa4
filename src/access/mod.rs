//! The one place that decides access: who is acting (the [`Principal`], or
//! nobody), may they do this [`Action`] on this [`Resource`], and if not, why
//! and what would fix it. [`authorize`] is the decision; [`check`] also logs it
//! and writes it to the append-only audit trail. A [`Permit`] can only be made
//! here, and what shows or changes protected data asks for one, so a handler
//! that forgets the check does not compile:
//!
//! ```compile_fail
//! // Outside `access` a Permit cannot be made…
//! let permit = servizi_lavoro::access::Permit { action: servizi_lavoro::access::Action::View };
//! ```
//!
//! ```compile_fail
//! // …and the helpdesk queue cannot be read without one.
//! fn queue(c: &mut servizi_lavoro::db::AnyConnection) {
//!     let _ = servizi_lavoro::auth::foreign::model::queue(c);
//! }
//! ```
mod audit;
mod decision;

pub use audit::{about_organisation, action_name, by_actor, recent, record, under_delega, AuditEvent};
pub use decision::{authorize, Action, DelegaLimit, Denial, Requirements, Resource, DIMISSIONI};

use crate::kernel::{AppState, Principal};

/// Proof that [`authorize`] allowed an action. Private fields: only this
/// module makes one; it is neither `Clone` nor `Default`.
#[derive(Debug)]
pub struct Permit {
    action: Action,
    resource: String,
    account_id: i64,
}

impl Permit {
    fn new(action: Action, resource: &Resource, who: &Principal) -> Self {
        Permit { action, resource: resource.code(), account_id: who.actor.account_id }
    }

    pub fn action(&self) -> Action {
        self.action
    }

    /// The resource allowed, as written in the audit trail.
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// Whether this permit allows `action` on `resource` (and nothing else):
    /// what reads or changes protected data checks it, so a permit for one
    /// thing cannot be spent on another.
    pub fn covers(&self, action: Action, resource: &Resource) -> bool {
        self.action == action && self.resource == resource.code()
    }

    /// The same as a database error, for data functions: a programming error.
    pub fn require(&self, action: Action, resource: &Resource) -> Result<(), diesel::result::Error> {
        if self.covers(action, resource) {
            Ok(())
        } else {
            Err(diesel::result::Error::QueryBuilderError(
                format!(
                    "a permit for {} {} used for {} {}",
                    self.action.code(),
                    self.resource,
                    action.code(),
                    resource.code()
                )
                .into(),
            ))
        }
    }

    /// The account that acts under this permit.
    pub fn account_id(&self) -> i64 {
        self.account_id
    }
}

/// Decides, logs the decision with its reason, and records it in the audit
/// trail (`request_id` ties it to the request's log lines).
pub async fn check(
    state: &AppState,
    who: Option<&Principal>,
    action: Action,
    resource: &Resource<'_>,
    request_id: &str,
) -> Result<Result<Permit, Denial>, crate::db::DbError> {
    let decision = authorize(who, action, resource);
    let reason = match &decision {
        Ok(_) => "allowed",
        Err(d) => d.code(),
    };
    tracing::info!(
        action = action.code(),
        resource = %resource.code(),
        account = who.map(|w| w.actor.account_id),
        credential = who.map(|w| w.actor.credential.code()),
        level = who.map(|w| w.actor.level.number()),
        profile = who.map(|w| w.profile().code()),
        decision = reason,
        "access decision"
    );
    let event = AuditEvent {
        at: state.clock.now(),
        actor_account_id: who.map(|w| w.actor.account_id),
        subject: who.map(|w| w.subject_ref()).unwrap_or_else(|| "anonymous".into()),
        action: action.code().into(),
        resource: resource.code(),
        outcome: if decision.is_ok() { "allowed" } else { "denied" }.into(),
        reason: reason.into(),
        request_id: request_id.into(),
    };
    crate::db::with_conn(&state.pool, move |c| record(c, &event)).await?;
    Ok(decision)
}
