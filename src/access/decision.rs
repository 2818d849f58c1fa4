//! The decision itself: pure, so every combination can be tested in a table.
use super::Permit;
use crate::kernel::{Credential, DelegaGrant, Level, MemberRole, Principal, Profile, Role};

/// What the principal wants to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Go into a service.
    Enter,
    /// See protected data.
    View,
    /// Decide on a request (approve or reject).
    Decide,
    /// Change something that belongs to the principal.
    Change,
    /// Act in another profile.
    Switch,
}

impl Action {
    pub fn code(self) -> &'static str {
        match self {
            Action::Enter => "enter",
            Action::View => "view",
            Action::Decide => "decide",
            Action::Change => "change",
            Action::Switch => "switch",
        }
    }
}

/// What a service asks of whoever enters it (from the catalog).
#[derive(Clone, Copy, Debug)]
pub struct Requirements<'a> {
    pub slug: &'a str,
    pub audience: &'a [Profile],
    pub credentials: &'a [Credential],
    pub min_level: Level,
    /// Profiles in which it cannot be used through a delega.
    pub reserved: &'a [Profile],
}

/// What the action is on.
#[derive(Clone, Copy, Debug)]
pub enum Resource<'a> {
    Service(Requirements<'a>),
    /// The helpdesk console's queue and decisions.
    HelpdeskQueue,
    /// One Utente Estero registration request.
    ForeignRequest(i64),
    /// The identity document of one registration request.
    ForeignDocument(i64),
    /// The password the portal holds for the signed-in person.
    PortalPassword,
    /// Acting as oneself (Cittadino).
    OwnProfile,
    /// Acting for an organisation through a membership held by `holder`.
    Membership {
        id: i64,
        holder: i64,
    },
    /// An organisation's members, invitations and activity; `role` is the
    /// principal's own role in it now (none: not a member).
    Organisation {
        id: i64,
        role: Option<MemberRole>,
    },
    /// An invitation to join an organisation, addressed to a codice fiscale.
    Invitation {
        id: i64,
        invitee: &'a str,
    },
    /// An application to register an organisation, checked by the helpdesk.
    OrganisationApplication(i64),
    /// The supporting document of such an application.
    OrganisationDocument(i64),
    /// A Dimissioni module: the worker's codice fiscale, the organisation
    /// that employs them (when the portal knows it), who sent it, the
    /// workplace's province, and the province the principal is an Ispettorato
    /// officer for (if any).
    Resignation {
        worker: &'a str,
        employer: Option<i64>,
        filed_by: i64,
        /// The soggetto abilitato it was sent for (none: sent by the worker).
        sent_for: Option<i64>,
        province: &'a str,
        officer_for: Option<&'a str>,
    },
    /// A support request, opened by `owner` (none: without signing in).
    SupportCase {
        owner: Option<i64>,
    },
    /// One delega: who granted it, to whom (a codice fiscale), and whether the
    /// principal manages the organisation it was granted for.
    Delega {
        id: i64,
        grantor: i64,
        delegate: &'a str,
        manages_subject: bool,
    },
}

impl Resource<'_> {
    /// How the resource is written in logs and the audit trail.
    pub fn code(&self) -> String {
        match self {
            Resource::Service(s) => format!("service:{}", s.slug),
            Resource::HelpdeskQueue => "helpdesk:queue".into(),
            Resource::ForeignRequest(id) => format!("foreign-request:{id}"),
            Resource::ForeignDocument(id) => format!("foreign-document:{id}"),
            Resource::PortalPassword => "portal-password".into(),
            Resource::OwnProfile => "profile:own".into(),
            Resource::Membership { id, .. } => format!("membership:{id}"),
            Resource::Organisation { id, .. } => format!("org:{id}"),
            Resource::Invitation { id, .. } => format!("invitation:{id}"),
            Resource::OrganisationApplication(id) => format!("org-application:{id}"),
            Resource::OrganisationDocument(id) => format!("org-document:{id}"),
            Resource::Delega { id, .. } => format!("delega:{id}"),
            Resource::SupportCase { .. } => "support-case".into(),
            Resource::Resignation { worker, .. } => format!("dimissioni:{worker}"),
        }
    }
}

/// Why not, and what would fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Denial {
    /// Sign in first.
    SignIn,
    /// This credential cannot be used here: sign in with one of these.
    Credential { allowed: Vec<Credential> },
    /// The service is for other profiles: act as one of these.
    Profile { needed: Vec<Profile> },
    /// A higher level is needed; `step_up` says a new authentication can give it.
    Level { needed: Level, step_up: bool },
    /// The action needs a portal role the person does not have.
    Role { needed: Role },
    /// The action needs one of these roles in the organisation.
    MemberRole { needed: Vec<MemberRole> },
    /// Acting through a delega that does not allow this.
    Delega(DelegaLimit),
    /// It belongs to someone else (answered as if it did not exist).
    NotYours,
    /// This action does not apply to this resource.
    NotApplicable,
}

impl Denial {
    /// A short code for logs, the audit trail and tests.
    pub fn code(&self) -> &'static str {
        match self {
            Denial::SignIn => "sign-in",
            Denial::Credential { .. } => "credential",
            Denial::Profile { .. } => "profile",
            Denial::Level { .. } => "level",
            Denial::Role { .. } => "role",
            Denial::MemberRole { .. } => "member-role",
            Denial::Delega(limit) => limit.code(),
            Denial::NotYours => "not-yours",
            Denial::NotApplicable => "not-applicable",
        }
    }
}

/// Why a delega does not cover a use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DelegaLimit {
    /// Not in its dates (before the start or after the end).
    Dates,
    /// The service is not among those delegated.
    Scope,
    /// Temporanea: today's use is not approved by the grantor yet.
    Approval { delega: i64 },
    /// The law reserves the service to the person.
    Reserved,
}

impl DelegaLimit {
    pub fn code(self) -> &'static str {
        match self {
            DelegaLimit::Dates => "delega-dates",
            DelegaLimit::Scope => "delega-scope",
            DelegaLimit::Approval { .. } => "delega-approval",
            DelegaLimit::Reserved => "delega-reserved",
        }
    }
}

/// The Dimissioni volontarie service's slug.
pub const DIMISSIONI: &str = "dimissioni-volontarie";

/// Whether a delega is usable on the day it was checked (dates, approval).
fn delega_in_force(id: i64, grant: &DelegaGrant) -> Result<(), DelegaLimit> {
    if grant.today < grant.from || grant.today > grant.until {
        return Err(DelegaLimit::Dates);
    }
    if grant.temporary && !grant.approved_today {
        return Err(DelegaLimit::Approval { delega: id });
    }
    Ok(())
}

/// Whether a delega covers service `s` on the day it was checked.
fn delega_covers(id: i64, grant: &DelegaGrant, s: &Requirements, capacity: Profile) -> Result<(), DelegaLimit> {
    if s.reserved.contains(&capacity) {
        return Err(DelegaLimit::Reserved);
    }
    if grant.services.as_ref().is_some_and(|list| !list.iter().any(|x| x == s.slug)) {
        return Err(DelegaLimit::Scope);
    }
    delega_in_force(id, grant)
}

/// The level the helpdesk console asks of operators.
pub const HELPDESK_LEVEL: Level = Level::L2;

/// The highest level a credential can reach by authenticating again.
fn reachable(credential: Credential) -> Level {
    match credential {
        Credential::Spid | Credential::Cie | Credential::Eidas => Level::L3,
        // Password + one-time code: level 2 and no more.
        Credential::Foreign => Level::L2,
    }
}

/// May `who` (nobody, when `None`) do `action` on `resource`?
pub fn authorize(who: Option<&Principal>, action: Action, resource: &Resource<'_>) -> Result<Permit, Denial> {
    let Some(who) = who else { return Err(Denial::SignIn) };
    let allowed = || Ok(Permit::new(action, resource, who));
    match (action, resource) {
        (Action::Enter | Action::View, Resource::Service(s)) => {
            let person = &who.actor;
            if !s.credentials.contains(&person.credential) {
                return Err(Denial::Credential { allowed: s.credentials.to_vec() });
            }
            if !s.audience.contains(&who.profile()) {
                return Err(Denial::Profile { needed: s.audience.to_vec() });
            }
            if person.level < s.min_level {
                return Err(Denial::Level {
                    needed: s.min_level,
                    step_up: reachable(person.credential) >= s.min_level,
                });
            }
            // Through a delega: only within its dates and scope, and a
            // temporanea only on a day the grantor approved.
            if let Some((id, grant)) = who.delega() {
                delega_covers(id, grant, s, who.profile()).map_err(Denial::Delega)?;
            }
            allowed()
        }
        // Operators see identity documents and decide: only signed in with
        // SPID or CIE as themselves, at level 2 or more.
        // (Deciding on the queue: answering support requests.)
        (Action::View, Resource::ForeignDocument(_) | Resource::OrganisationDocument(_))
        | (
            Action::View | Action::Decide,
            Resource::HelpdeskQueue | Resource::ForeignRequest(_) | Resource::OrganisationApplication(_),
        ) => {
            if !who.has_role(Role::HelpdeskOperator) {
                return Err(Denial::Role { needed: Role::HelpdeskOperator });
            }
            if !matches!(who.actor.credential, Credential::Spid | Credential::Cie) {
                return Err(Denial::Credential { allowed: vec![Credential::Spid, Credential::Cie] });
            }
            if who.actor.level < HELPDESK_LEVEL {
                return Err(Denial::Level { needed: HELPDESK_LEVEL, step_up: true });
            }
            allowed()
        }
        // Only Utente Estero sign-ins use a password the portal holds.
        (Action::Change, Resource::PortalPassword) => {
            if who.actor.credential != Credential::Foreign {
                return Err(Denial::Credential { allowed: vec![Credential::Foreign] });
            }
            allowed()
        }
        // Everyone may act as themself; for an organisation only through their own membership.
        (Action::Switch, Resource::OwnProfile) => allowed(),
        (Action::Switch, Resource::Membership { holder, .. }) => {
            if *holder != who.actor.account_id {
                return Err(Denial::NotYours);
            }
            allowed()
        }
        // Members, invitations and the organisation's activity: those who
        // manage it (legale rappresentante, amministratore); to anyone else
        // it does not exist.
        (Action::View | Action::Change, Resource::Organisation { role, .. }) => match role {
            None => Err(Denial::NotYours),
            Some(r) if r.manages() => allowed(),
            Some(_) => {
                Err(Denial::MemberRole { needed: MemberRole::ALL.into_iter().filter(|r| r.manages()).collect() })
            }
        },
        // Only the person invited, known by the codice fiscale SPID or CIE gave.
        (Action::Decide, Resource::Invitation { invitee, .. }) => {
            if !matches!(who.actor.credential, Credential::Spid | Credential::Cie) || who.actor.identifier != *invitee {
                return Err(Denial::NotYours);
            }
            allowed()
        }
        // A Dimissioni module: the worker (as themself) and the soggetto
        // abilitato who sent it see and revoke it; the employer (as the
        // company, also through a delega covering the service) and the
        // province's Ispettorato officers only see it. To anyone else it does not exist.
        (
            Action::View | Action::Change,
            Resource::Resignation { worker, employer, filed_by, sent_for, province, officer_for },
        ) => {
            let strong = matches!(who.actor.credential, Credential::Spid | Credential::Cie);
            let own =
                strong && who.acting.subject == crate::kernel::Subject::Themself && who.actor.identifier == *worker;
            // The operator who sent it, acting again for the soggetto abilitato
            // it was sent for (not for another organisation they belong to).
            let sender = *filed_by == who.actor.account_id
                && who.profile() == Profile::SoggettoAbilitato
                && matches!(&who.acting.subject, crate::kernel::Subject::Organisation { id, .. } if Some(*id) == *sent_for);
            if own || sender {
                return allowed();
            }
            if action == Action::View {
                let company = match &who.acting.subject {
                    crate::kernel::Subject::Organisation { id, .. } => Some(*id) == *employer,
                    _ => false,
                } && who.profile() == Profile::Azienda
                    && who.delega().is_none_or(|(id, grant)| {
                        grant.services.as_ref().is_none_or(|s| s.iter().any(|x| x == DIMISSIONI))
                            && delega_in_force(id, grant).is_ok()
                    });
                let officer = who.has_role(Role::ItlOfficer)
                    && officer_for.is_some_and(|p| p.eq_ignore_ascii_case(province))
                    && who.actor.level >= Level::L2;
                if company || officer {
                    return allowed();
                }
            }
            Err(Denial::NotYours)
        }
        // A support request: its requester; operators use the console.
        (Action::View | Action::Change, Resource::SupportCase { owner }) => {
            if *owner == Some(who.actor.account_id) {
                allowed()
            } else {
                Err(Denial::NotYours)
            }
        }
        // A delega: both sides see it; the grantor's side (the grantor, or
        // whoever manages the organisation it is for) revokes and approves;
        // only the delegate answers, renounces, asks and acts through it.
        (action, Resource::Delega { grantor, delegate, manages_subject, .. }) => {
            let grantor_side = *grantor == who.actor.account_id || *manages_subject;
            let delegate_side =
                matches!(who.actor.credential, Credential::Spid | Credential::Cie) && who.actor.identifier == *delegate;
            let ok = match action {
                Action::View => grantor_side || delegate_side,
                Action::Change => grantor_side,
                Action::Decide | Action::Switch => delegate_side,
                Action::Enter => return Err(Denial::NotApplicable),
            };
            if ok {
                allowed()
            } else if grantor_side || delegate_side {
                // The other side's action: theirs to take, not this person's.
                Err(Denial::NotApplicable)
            } else {
                Err(Denial::NotYours)
            }
        }
        _ => Err(Denial::NotApplicable),
    }
}
