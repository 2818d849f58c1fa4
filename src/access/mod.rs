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
//!     let _ = servizi_lavoro::foreign::model::queue(c);
//! }
//! ```
mod audit;
mod decision;
mod reference;
pub mod scale;

pub use audit::{
    about_organisation, by_actor, in_runs, recent, record, under_delega, AuditAction, AuditEvent, Outcome,
};
pub use decision::{
    authorize, Action, DelegaLimit, Denial, Holding, Listing, Requirements, Resource, DIMISSIONI, HELPDESK_LEVEL,
    MANAGE_LEVEL,
};
pub use reference::{describe, Described, Names, ResourceRef};

use crate::error::{AppError, AppResult};
use crate::kernel::{AccountId, AppState, Principal};
use crate::web::render::PageRequest;
use axum::http::StatusCode;

/// Proof that [`authorize`] allowed an action. Private fields: only this
/// module makes one; it is neither `Clone` nor `Default`.
#[derive(Debug)]
pub struct Permit {
    action: Action,
    resource: String,
    account_id: AccountId,
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
        self.require_code(action, &resource.code())
    }

    /// [`Permit::require`] for the module with `code`, where the data
    /// function knows only the code (who it concerns was weighed when the
    /// permit was given).
    pub fn require_resignation(&self, action: Action, code: &str) -> Result<(), diesel::result::Error> {
        self.require_code(action, &Resource::resignation_code(code))
    }

    fn require_code(&self, action: Action, resource: &str) -> Result<(), diesel::result::Error> {
        if self.action == action && self.resource == resource {
            return Ok(());
        }
        Err(diesel::result::Error::QueryBuilderError(
            format!("a permit for {} {} used for {} {resource}", self.action.code(), self.resource, action.code())
                .into(),
        ))
    }

    /// The account that acts under this permit.
    pub fn account_id(&self) -> AccountId {
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
        account = who.map(|w| w.actor.account_id.get()),
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
        action: AuditAction::Decided(action),
        resource: resource.code(),
        outcome: if decision.is_ok() { Outcome::Allowed } else { Outcome::Denied },
        reason: reason.into(),
        request_id: request_id.into(),
    };
    // Committed with the decisions of concurrent requests, before the answer.
    state.group_commit.write(&state.pool, move |c| record(c, &event)).await?;
    Ok(decision)
}

/// The one way handlers ask: decides, audits, and turns a refusal into the
/// answer that helps ([`refusal`]). `back` is where a sign-in or a new
/// authentication at a higher level returns to: the page itself for a GET,
/// the page the form is on for a POST.
pub async fn require(req: &PageRequest, action: Action, resource: &Resource<'_>, back: &str) -> AppResult<Permit> {
    check(&req.state, req.principal.as_ref(), action, resource, &req.request_id)
        .await?
        .map_err(|denial| refusal(req, denial, back))
}

/// A refusal as the person meets it: sign in, or authenticate again at the
/// level needed (at the same identity provider), and come back to `back`;
/// what is someone else's does not exist (404); the rest is a 403 that says
/// what would fix it.
pub fn refusal(req: &PageRequest, denial: Denial, back: &str) -> AppError {
    let forbidden = |title: &'static str, detail: &'static str| AppError::Explained {
        status: StatusCode::FORBIDDEN,
        title,
        detail,
        log: format!("{} refused ({})", req.at.path, denial.code()),
    };
    match &denial {
        Denial::SignIn => AppError::SignInRequired { next: back.to_string() },
        Denial::Level { needed, step_up: true } => AppError::StepUpRequired {
            idp: req.principal.as_ref().map(|p| p.actor.idp_entity_id.clone()).unwrap_or_default(),
            level: needed.number(),
            next: back.to_string(),
        },
        Denial::NotYours => AppError::NotFound,
        Denial::Credential { .. } => forbidden("access-strong-title", "access-strong"),
        Denial::MemberRole { .. } => forbidden("organisation-forbidden-title", "organisation-forbidden"),
        Denial::MemberServices => forbidden("member-services-title", "member-services"),
        Denial::Level { step_up: false, .. }
        | Denial::Role { .. }
        | Denial::Profile { .. }
        | Denial::Delega(_)
        | Denial::NotApplicable => forbidden("access-forbidden-title", "access-forbidden"),
    }
}
