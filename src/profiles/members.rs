//! What those who manage an organisation do to its members: invite a
//! colleague by codice fiscale, withdraw an invitation, change a member's
//! role, remove a member (after a confirmation page). The organisation is
//! never left without someone to manage it. Every change is in the audit
//! trail under `org:{id}/…`, which the organisation's activity page reads.
use super::organisation::{self, InviteValues};
use crate::access::{self, Action, AuditEvent, Permit};
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::i18n::{t, t_args};
use crate::identity::account;
use crate::identity::invitations::{self, Event, InviteRefusal};
use crate::identity::organisations::{self, Member, MemberList, MembersRefusal, Organisation, Role};
use crate::kernel::CodiceFiscale;
use crate::kernel::Principal;
use crate::kernel::{InvitationId, MembershipId, OrganisationId};
use crate::mail::outbox;
use crate::paths;
use crate::web::are_you_sure::AreYouSure;
use crate::web::check_answers::{self, CheckAnswers};
use crate::web::components::{Answer, Crumb, FieldErrors};
use crate::web::render::{FormData, PageRequest};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Debug, Deserialize)]
pub struct MemberPath {
    pub id: OrganisationId,
    pub member: MembershipId,
}

#[derive(Debug, Deserialize)]
pub struct InvitationPath {
    pub id: OrganisationId,
    pub invitation: InvitationId,
}

/// Writes what was done to the organisation in the audit trail.
pub(super) async fn audit(
    req: &PageRequest,
    who: &Principal,
    action: access::AuditAction,
    resource: String,
    detail: String,
) -> AppResult<()> {
    let event = AuditEvent {
        at: req.state.clock.now(),
        actor_account_id: Some(who.actor.account_id),
        subject: who.subject_ref(),
        action,
        resource,
        outcome: access::Outcome::Allowed,
        reason: detail,
        request_id: req.request_id.clone(),
    };
    Ok(with_conn(&req.state.pool, move |c| access::record(c, &event)).await?)
}

pub(super) fn refused(refusal: MembersRefusal, id: OrganisationId) -> AppError {
    let (title, detail) = match refusal {
        MembersRefusal::NotFound => return AppError::NotFound,
        MembersRefusal::LastManager => ("members-last-manager-title", "members-last-manager"),
        MembersRefusal::RepresentativeRole => ("members-representative-title", "members-representative"),
        MembersRefusal::OnlyOperatore => ("members-services-operatore-title", "members-services-operatore"),
    };
    AppError::Explained { status: StatusCode::CONFLICT, title, detail, log: format!("organisation {id}: {refusal:?}") }
}

#[derive(Debug, Deserialize)]
pub struct InviteForm {
    pub codice_fiscale: Option<String>,
    pub ruolo: Option<String>,
    /// From the check page: `conferma` sends it, `modifica` shows the form again.
    pub passo: Option<String>,
}

/// `POST /profili/organizzazioni/{id}/inviti`.
pub async fn invite(
    req: PageRequest,
    who: Principal,
    Path(id): Path<OrganisationId>,
    FormData(form): FormData<InviteForm>,
) -> AppResult<Response> {
    let (permit, org) = organisation::permit(&req, &who, id, Action::Change).await?;
    let typed: String = form.codice_fiscale.unwrap_or_default().trim().chars().take(40).collect();
    let role_typed: String = form.ruolo.unwrap_or_default().chars().take(40).collect();
    let step = form.passo.unwrap_or_default();
    if step == check_answers::CHANGE {
        let mut data = organisation::load(&req, &who, permit, org, None, None).await?;
        data.invite = InviteValues { codice_fiscale: typed, role: role_typed, errors: FieldErrors::default() };
        return Ok(organisation::render(&req, StatusCode::OK, data));
    }
    let mut errors = FieldErrors::default();
    let codice_fiscale = CodiceFiscale::personal(&typed).map(String::from);
    if codice_fiscale.is_none() {
        errors.add("codice_fiscale", "organisation-error-codice-fiscale");
    }
    let role = Role::parse(&role_typed).filter(|r| Role::ASSIGNABLE.contains(r));
    if role.is_none() {
        errors.add("ruolo", "organisation-error-role");
    }
    match (&codice_fiscale, role) {
        (Some(cf), Some(role)) if step != check_answers::CONFIRM => {
            return check_invitation(&req, &org, cf, role).await
        }
        _ => {}
    }
    let outcome = match (&codice_fiscale, role) {
        // Each may mail someone: a ceiling on those waiting at once.
        (Some(_), Some(_)) if waiting_invitations(&req, id).await? >= MAX_PENDING_INVITATIONS => {
            errors.add("codice_fiscale", "organisation-error-too-many");
            None
        }
        (Some(cf), Some(role)) => {
            let (cf, account, now) = (cf.clone(), who.actor.account_id, req.state.clock.now());
            let (state, lang, org_name, name) = (req.state.clone(), req.lang, org.name.clone(), who.actor.full_name());
            // The invitation and its mail: one transaction.
            let created = crate::db::transaction(&req.state.pool, move |c| {
                let created = invitations::create(c, id, &cf, role, account, now)?;
                if let Ok(invitation) = created {
                    notify_invitee(c, &state, invitation, &cf, (&name, &org_name), lang, now)?;
                }
                Ok(created)
            })
            .await?;
            req.state.deliver_mail();
            Some(created)
        }
        _ => None,
    };
    match outcome {
        Some(Ok(invitation)) => {
            let cf = codice_fiscale.unwrap_or_default();
            let detail = format!("{cf} {}", role.map_or("", Role::code));
            audit(&req, &who, access::AuditAction::Invite, format!("org:{id}/invitation:{invitation}"), detail).await?;
            Ok(Redirect::to(&format!("{}?invito={invitation}", paths::organisation(id))).into_response())
        }
        refusal => {
            match refusal {
                Some(Err(InviteRefusal::AlreadyMember)) => errors.add("codice_fiscale", "organisation-error-member"),
                Some(Err(InviteRefusal::AlreadyInvited)) => errors.add("codice_fiscale", "organisation-error-invited"),
                _ => {}
            }
            let mut data = organisation::load(&req, &who, permit, org, None, None).await?;
            data.invite = InviteValues { codice_fiscale: typed, role: role_typed, errors };
            Ok(organisation::render(&req, StatusCode::UNPROCESSABLE_ENTITY, data))
        }
    }
}

/// The invitation in words before it is sent: the organisation, the
/// colleague (by name when the portal knows them), the role.
async fn check_invitation(req: &PageRequest, org: &Organisation, cf: &str, role: Role) -> AppResult<Response> {
    let (lang, c2) = (req.lang, cf.to_string());
    let colleague = with_conn(&req.state.pool, move |c| account::known_as(c, &c2, lang)).await?;
    let (id, name) = (org.id, org.name.clone());
    let change = |field: &str| Some(format!("{}#{field}", paths::organisation_invite(id)));
    let answers = vec![
        Answer { question: lang.t("organisation-invite-for"), answer: vec![name.clone()], change: None },
        Answer {
            question: lang.t("organisation-invite-who"),
            answer: vec![colleague],
            change: change("codice_fiscale"),
        },
        Answer {
            question: lang.t("organisation-col-role"),
            answer: vec![lang.t(role.name_key()), lang.t(&format!("organisation-role-does-{}", role.code()))],
            change: change("ruolo"),
        },
    ];
    let hidden = vec![("codice_fiscale", cf.to_string()), ("ruolo", role.code().to_string())];
    Ok(req.render(StatusCode::OK, move || {
        view! {
            <CheckAnswers
                title=t("organisation-invite-check-title")
                answers
                action=paths::organisation_invite(id)
                hidden
                submit=t("organisation-invite-submit")
                note=t("organisation-invite-check-note")
                trail=vec![
                    Crumb { label: t("profiles-title"), href: paths::PROFILES.into() },
                    Crumb { label: name.clone(), href: paths::organisation(id) },
                ]
            />
        }
        .into_any()
    }))
}

/// Invitations one organisation may have waiting at once.
const MAX_PENDING_INVITATIONS: i64 = 50;

async fn waiting_invitations(req: &PageRequest, id: OrganisationId) -> AppResult<i64> {
    let now = req.state.clock.now();
    Ok(with_conn(&req.state.pool, move |c| invitations::pending_count(c, id, now)).await?)
}

/// Queues the mail to the invited person, when the portal knows their
/// address (they signed in before); otherwise they find it at their next sign-in.
fn notify_invitee(
    c: &mut crate::db::AnyConnection,
    state: &crate::kernel::AppState,
    invitation: InvitationId,
    codice_fiscale: &str,
    (name, organisation): (&str, &str),
    lang: crate::i18n::Lang,
    now: chrono::NaiveDateTime,
) -> diesel::QueryResult<()> {
    use crate::db::schema::accounts as a;
    use diesel::prelude::*;
    let email: Option<String> = a::table
        .filter(a::identifier.eq(codice_fiscale))
        .select(a::email)
        .first::<Option<String>>(c)
        .optional()?
        .flatten();
    if let Some(to) = email {
        let link = format!("{}{}", state.config.origin(), paths::PROFILES);
        let args = [("name", name.to_string()), ("organisation", organisation.to_string()), ("link", link)];
        let keys = ("mail-invitation-subject", "mail-invitation-body");
        outbox::queue(c, &state.mailer, &format!("invitation:{invitation}"), &to, lang, keys, &args, now)?;
    }
    Ok(())
}

/// `POST /profili/organizzazioni/{id}/inviti/{invitation}/revoca`.
pub async fn revoke(
    req: PageRequest,
    who: Principal,
    Path(InvitationPath { id, invitation }): Path<InvitationPath>,
) -> AppResult<Response> {
    let (permit, _) = organisation::permit(&req, &who, id, Action::Change).await?;
    let (account, now) = (who.actor.account_id, req.state.clock.now());
    let result = with_conn(&req.state.pool, move |c| {
        // Another organisation's invitation does not exist here.
        match invitations::find(c, invitation, now)? {
            Some(i) if i.organisation_id == id => {
                invitations::apply(c, &permit, invitation, Event::Revoke, account, now).map(Some)
            }
            _ => Ok(None),
        }
    })
    .await?
    .ok_or(AppError::NotFound)?;
    if let Err(state) = result {
        return Err(invitations_conflict(state));
    }
    audit(
        &req,
        &who,
        access::AuditAction::RevokeInvitation,
        format!("org:{id}/invitation:{invitation}"),
        String::new(),
    )
    .await?;
    Ok(Redirect::to(&paths::organisation(id)).into_response())
}

/// An invitation already answered, withdrawn or run out (409).
pub fn invitations_conflict(state: invitations::State) -> AppError {
    AppError::Explained {
        status: StatusCode::CONFLICT,
        title: "invitation-closed-title",
        detail: "invitation-closed",
        log: format!("invitation already {}", state.code()),
    }
}

#[derive(Debug, Deserialize)]
pub struct RoleForm {
    pub ruolo: Option<String>,
}

/// `POST /profili/organizzazioni/{id}/membri/{member}/ruolo`.
pub async fn change_role(
    req: PageRequest,
    who: Principal,
    Path(MemberPath { id, member }): Path<MemberPath>,
    FormData(form): FormData<RoleForm>,
) -> AppResult<Response> {
    let (permit, _) = organisation::permit(&req, &who, id, Action::Change).await?;
    let role = form
        .ruolo
        .as_deref()
        .and_then(Role::parse)
        .ok_or_else(|| AppError::BadRequest(format!("role {:?}", form.ruolo)))?;
    let changed = with_conn(&req.state.pool, move |c| organisations::change_role(c, &permit, id, member, role)).await?;
    let old = changed.map_err(|r| refused(r, id))?;
    if old != role {
        let detail = format!("{} -> {}", old.code(), role.code());
        audit(&req, &who, access::AuditAction::ChangeRole, format!("org:{id}/member:{member}"), detail).await?;
    }
    Ok(Redirect::to(&paths::organisation_role_changed(id, member)).into_response())
}

/// The active member `member` of organisation `id`, or 404.
async fn active_member(
    req: &PageRequest,
    permit: Arc<Permit>,
    id: OrganisationId,
    member: MembershipId,
) -> AppResult<Member> {
    with_conn(&req.state.pool, move |c| organisations::members(c, &permit, id, MemberList::One(member)))
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)
}

/// `GET /profili/organizzazioni/{id}/membri/{member}/rimuovi`: are you sure?
pub async fn confirm_remove(
    req: PageRequest,
    who: Principal,
    Path(MemberPath { id, member }): Path<MemberPath>,
) -> AppResult<Response> {
    let (permit, org) = organisation::permit(&req, &who, id, Action::Change).await?;
    let m = active_member(&req, Arc::new(permit), id, member).await?;
    let yourself = m.account_id == who.actor.account_id;
    let action = paths::member_remove(id, member);
    Ok(req.render(StatusCode::OK, move || {
        let lead = if yourself {
            t_args("members-remove-yourself", &[("organisation", org.name.clone())])
        } else {
            t_args("members-remove-lead", &[("name", m.name.clone()), ("organisation", org.name.clone())])
        };
        view! {
            <AreYouSure
                title=t("members-remove-title")
                lead
                effect=t("members-remove-effect")
                action
                hidden=Vec::new()
                submit=t("members-remove-submit")
                cancel_href=paths::organisation(id)
                cancel_label=t("members-remove-cancel")
                trail=vec![
                    Crumb { label: t("profiles-title"), href: paths::PROFILES.into() },
                    Crumb { label: org.name.clone(), href: paths::organisation(id) },
                ]
            />
        }
        .into_any()
    }))
}

/// `POST /profili/organizzazioni/{id}/membri/{member}/rimuovi`.
pub async fn remove(
    req: PageRequest,
    who: Principal,
    Path(MemberPath { id, member }): Path<MemberPath>,
) -> AppResult<Response> {
    let (permit, _) = organisation::permit(&req, &who, id, Action::Change).await?;
    let permit = Arc::new(permit);
    let m = active_member(&req, permit.clone(), id, member).await?;
    let (now, by) = (req.state.clock.now(), who.actor.account_id);
    with_conn(&req.state.pool, move |c| organisations::remove(c, &permit, id, member, by, now))
        .await?
        .map_err(|r| refused(r, id))?;
    audit(&req, &who, access::AuditAction::RemoveMember, format!("org:{id}/member:{member}"), m.identifier.clone())
        .await?;
    // Who removed themself no longer sees the organisation.
    let next = if m.account_id == who.actor.account_id { paths::PROFILES.to_string() } else { paths::organisation(id) };
    Ok(Redirect::to(&next).into_response())
}
