//! The decision itself: pure, so every combination can be tested in a table.
use super::Permit;
use crate::kernel::{
    AccountId, ApplicationId, Credential, DelegaGrant, DelegaId, ForeignUserId, InvitationId, Level, MemberRole,
    MembershipId, OrganisationId, Principal, Profile, Role,
};

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
    pub const ALL: [Action; 5] = [Action::Enter, Action::View, Action::Decide, Action::Change, Action::Switch];

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
    ForeignRequest(ForeignUserId),
    /// The identity document of one registration request.
    ForeignDocument(ForeignUserId),
    /// The password the portal holds for the signed-in person.
    PortalPassword,
    /// Acting as oneself (Cittadino).
    OwnProfile,
    /// Acting for an organisation through a membership held by `holder`.
    Membership {
        id: MembershipId,
        holder: AccountId,
    },
    /// An organisation's members, invitations and activity; `role` is the
    /// principal's own role in it now (none: not a member).
    Organisation {
        id: OrganisationId,
        role: Option<MemberRole>,
    },
    /// Granting a new delega for oneself (`organisation` none) or for an
    /// organisation, with the principal's role in it now; `needs` is the
    /// highest level among the services it would cover.
    DelegaGrant {
        organisation: Option<(OrganisationId, Option<MemberRole>)>,
        needs: Level,
    },
    /// An invitation to join an organisation, addressed to a codice fiscale.
    Invitation {
        id: InvitationId,
        invitee: &'a str,
    },
    /// An application to register an organisation, checked by the helpdesk;
    /// `applicant` is the account that sent it (no operator decides their own).
    OrganisationApplication {
        id: ApplicationId,
        applicant: AccountId,
    },
    /// The supporting document of such an application.
    OrganisationDocument(ApplicationId),
    /// A Dimissioni module: the worker's codice fiscale, the organisation
    /// that employs them (when the portal knows it), who sent it, the
    /// workplace's province, and the province the principal is an Ispettorato
    /// officer for (if any).
    Resignation {
        /// The module's codice identificativo: what the audit trail names
        /// (never the worker, so a denied probe records only what was asked).
        code: &'a str,
        worker: &'a str,
        employer: Option<OrganisationId>,
        filed_by: AccountId,
        /// The soggetto abilitato it was sent for (none: sent by the worker).
        sent_for: Option<OrganisationId>,
        province: &'a str,
        /// The provinces of the Ispettorato office the principal is an
        /// officer of (none: not an officer).
        officer_for: &'a [&'a str],
        /// The soggetto abilitato for which the principal found it with the
        /// worker's retrieval code (nota 3575/2020), if any.
        retrieved_for: Option<OrganisationId>,
    },
    /// A list of Dimissioni modules: whose, and for whom.
    Resignations(Listing<'a>),
    /// A support request `number`, opened by `owner` (none: without signing in).
    SupportCase {
        number: &'a str,
        owner: Option<AccountId>,
    },
    /// One delega: who granted it, to whom (a codice fiscale), whether it was
    /// granted for an organisation, and whether the principal manages that
    /// organisation now. An organisation's delega belongs to its current
    /// managers, not to the person who once granted it.
    Delega {
        id: DelegaId,
        grantor: AccountId,
        delegate: &'a str,
        for_organisation: bool,
        manages_subject: bool,
        /// Held by an organisation (a studio), not by the person `delegate` names.
        held: Option<Holding>,
    },
    /// A delega asked for by an intermediary (`requester`) of a client: a
    /// person (`client` is their codice fiscale) or an organisation the
    /// principal manages now (`manages_client`).
    DelegaRequest {
        id: i64,
        requester: AccountId,
        client: &'a str,
        manages_client: bool,
        /// Asked for an organisation: whether the principal manages it now
        /// (then the request is its managers', not the asker's alone).
        for_holder: Option<bool>,
    },
    /// A file of delega requests one sent, and its report: the sender's alone.
    RequestBatch {
        id: i64,
        requester: AccountId,
    },
    /// The subjects one may act for through deleghe received (`/clienti`):
    /// `delegate` is the codice fiscale the deleghe are addressed to; an
    /// organisation's list (`holder`) is its members', with the principal's
    /// role in it now (none: not a member).
    Clients {
        delegate: &'a str,
        holder: Option<(OrganisationId, Option<MemberRole>)>,
    },
    /// An employment relationship from the Comunicazioni Obbligatorie, looked
    /// up by a soggetto abilitato for a worker: `employer` is the employer's
    /// codice fiscale on record, `typed` the one the operator entered.
    Rapporto {
        id: i64,
        employer: &'a str,
        typed: &'a str,
    },
}

impl Resource<'_> {
    /// What a permit for module `code` names.
    pub fn resignation_code(code: &str) -> String {
        format!("dimissioni:{code}")
    }

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
            Resource::DelegaGrant { organisation: Some((id, _)), .. } => format!("org:{id}/delega-grant"),
            Resource::DelegaGrant { organisation: None, .. } => "delega-grant".into(),
            Resource::Invitation { id, .. } => format!("invitation:{id}"),
            Resource::OrganisationApplication { id, .. } => format!("org-application:{id}"),
            Resource::OrganisationDocument(id) => format!("org-document:{id}"),
            Resource::Delega { id, .. } => format!("delega:{id}"),
            Resource::SupportCase { number, .. } => format!("support-case:{number}"),
            Resource::Resignation { code, .. } => Resource::resignation_code(code),
            Resource::Resignations(listing) => listing.code(),
            Resource::Rapporto { id, .. } => format!("relationship:{id}"),
            // Whose list it is goes in the actor's column, not here.
            Resource::Clients { holder: None, .. } => "clients:own".into(),
            Resource::Clients { holder: Some((id, _)), .. } => format!("org:{id}/clients"),
            Resource::DelegaRequest { id, .. } => format!("delega-request:{id}"),
            Resource::RequestBatch { id, .. } => format!("delega-request-batch:{id}"),
        }
    }
}

/// A delega an organisation holds, as it stands for the principal now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Holding {
    /// Their role in the holding organisation (none: not a member).
    pub role: Option<MemberRole>,
    /// Whether their work groups give them the delega's client.
    pub assigned: bool,
}

impl Holding {
    /// Managers act for every client; an operatore for those of their groups.
    pub fn acts(self) -> bool {
        self.role.is_some_and(|r| r.manages() || self.assigned)
    }

    /// Answering or renouncing for the organisation: those who manage it.
    pub fn answers(self) -> bool {
        self.role.is_some_and(MemberRole::manages)
    }
}

/// Whose Dimissioni modules a list shows.
#[derive(Clone, Copy, Debug)]
pub enum Listing<'a> {
    /// The worker's own (their codice fiscale).
    Worker(&'a str),
    /// Those of an organisation's relationships, to the company.
    Employer { organisation: OrganisationId },
    /// Those the operator sent for a soggetto abilitato.
    SentFor { organisation: OrganisationId },
    /// Those of an Ispettorato office's provinces, to its officers: the
    /// office listed and the one the principal is an officer of (if any).
    Office { office: &'a str, officer_of: Option<&'a str> },
}

impl Listing<'_> {
    fn code(&self) -> String {
        match self {
            Listing::Worker(cf) => format!("dimissioni-of:{cf}"),
            Listing::Employer { organisation } => format!("org:{organisation}/dimissioni"),
            Listing::SentFor { organisation } => format!("org:{organisation}/dimissioni-sent"),
            Listing::Office { office, .. } => format!("itl-office:{office}/dimissioni"),
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
    /// An operatore the organisation gave only other services.
    MemberServices,
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
            Denial::MemberServices => "member-services",
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
    Approval { delega: DelegaId },
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
fn delega_in_force(id: DelegaId, grant: &DelegaGrant) -> Result<(), DelegaLimit> {
    if grant.today < grant.from || grant.today > grant.until {
        return Err(DelegaLimit::Dates);
    }
    if grant.temporary && !grant.approved_today {
        return Err(DelegaLimit::Approval { delega: id });
    }
    Ok(())
}

/// Whether a delega covers service `s` on the day it was checked.
fn delega_covers(id: DelegaId, grant: &DelegaGrant, s: &Requirements, capacity: Profile) -> Result<(), DelegaLimit> {
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

/// The level asked of acts that give, take or manage power over others
/// (an organisation's members, invitations, deleghe) and of Dimissioni
/// volontarie, whose service is at level 2: a password alone (level 1) must
/// not be enough to hand a company's services to someone else.
pub const MANAGE_LEVEL: Level = Level::L2;

/// The highest level a credential can reach by authenticating again.
fn reachable(credential: Credential) -> Level {
    match credential {
        Credential::Spid | Credential::Cie | Credential::Eidas => Level::L3,
        // Password + one-time code: level 2 and no more.
        Credential::Foreign => Level::L2,
    }
}

/// SPID or CIE (the identities that carry a codice fiscale) at `needed` or
/// more; below it, a new authentication at that level.
fn strong(who: &Principal, needed: Level) -> Result<(), Denial> {
    if !matches!(who.actor.credential, Credential::Spid | Credential::Cie) {
        return Err(Denial::Credential { allowed: vec![Credential::Spid, Credential::Cie] });
    }
    at_level(who, needed)
}

/// At `needed` or more, or a new authentication when the credential can reach it.
fn at_level(who: &Principal, needed: Level) -> Result<(), Denial> {
    if who.actor.level < needed {
        return Err(Denial::Level { needed, step_up: reachable(who.actor.credential) >= needed });
    }
    Ok(())
}

/// Whether the principal acts for organisation `id` as a company, with a
/// delega (if through one) that covers Dimissioni volontarie today.
fn as_company(who: &Principal, id: Option<OrganisationId>) -> bool {
    let acting_for =
        matches!(&who.acting.subject, crate::kernel::Subject::Organisation { id: o, .. } if Some(*o) == id);
    acting_for
        && who.profile() == Profile::Azienda
        && who.delega().is_none_or(|(d, grant)| {
            grant.services.as_ref().is_none_or(|s| s.iter().any(|x| x == DIMISSIONI))
                && delega_in_force(d, grant).is_ok()
        })
}

/// Those who manage an organisation (legale rappresentante, amministratore);
/// to anyone else who is no member it does not exist.
fn manages(role: Option<MemberRole>) -> Result<(), Denial> {
    match role {
        None => Err(Denial::NotYours),
        Some(r) if r.manages() => Ok(()),
        Some(_) => Err(Denial::MemberRole { needed: MemberRole::ALL.into_iter().filter(|r| r.manages()).collect() }),
    }
}

/// Whether the principal acts for soggetto abilitato `id` (not for another
/// organisation they belong to).
fn as_abilitato(who: &Principal, id: Option<OrganisationId>) -> bool {
    who.profile() == Profile::SoggettoAbilitato
        && matches!(&who.acting.subject, crate::kernel::Subject::Organisation { id: o, .. } if Some(*o) == id)
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
            at_level(who, s.min_level)?;
            // Through a delega: only within its dates and scope, and a
            // temporanea only on a day the grantor approved.
            if let Some((id, grant)) = who.delega() {
                delega_covers(id, grant, s, who.profile()).map_err(Denial::Delega)?;
            }
            // An operatore the organisation gave only some services.
            if who.member_services().is_some_and(|list| !list.iter().any(|x| x == s.slug)) {
                return Err(Denial::MemberServices);
            }
            allowed()
        }
        // Operators see identity documents and decide: only signed in with
        // SPID or CIE as themselves, at level 2 or more.
        // (Deciding on the queue: answering support requests.)
        (Action::View, Resource::ForeignDocument(_) | Resource::OrganisationDocument(_))
        | (
            Action::View | Action::Decide,
            Resource::HelpdeskQueue | Resource::ForeignRequest(_) | Resource::OrganisationApplication { .. },
        ) => {
            if !who.has_role(Role::HelpdeskOperator) {
                return Err(Denial::Role { needed: Role::HelpdeskOperator });
            }
            strong(who, HELPDESK_LEVEL)?;
            // Nobody decides on their own application.
            if let (Action::Decide, Resource::OrganisationApplication { applicant, .. }) = (action, resource) {
                if *applicant == who.actor.account_id {
                    return Err(Denial::NotApplicable);
                }
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
        // Deleghe are addressed to the codice fiscale SPID and CIE vouch for:
        // one's own client list only, by that.
        // Asking a client for a delega adds to it: a strong act.
        // An organisation's: its members acting for it; asking, those who manage it.
        (Action::View | Action::Change, Resource::Clients { delegate, holder }) => {
            if !matches!(who.actor.credential, Credential::Spid | Credential::Cie) {
                return Err(Denial::Credential { allowed: vec![Credential::Spid, Credential::Cie] });
            }
            match holder {
                Some((id, role)) => {
                    let acting_for = matches!(who.organisation(), Some((o, _)) if o == *id);
                    if !acting_for || role.is_none() {
                        return Err(Denial::NotYours);
                    }
                    if action == Action::Change {
                        manages(*role)?;
                    }
                }
                None if who.actor.identifier != *delegate => return Err(Denial::NotYours),
                None => {}
            }
            if action == Action::Change {
                strong(who, MANAGE_LEVEL)?;
            }
            allowed()
        }
        // A request for a delega: both sides see it; only the client's side
        // answers it (granting power over the client is a strong act).
        (
            Action::View | Action::Decide,
            Resource::DelegaRequest { requester, client, manages_client, for_holder, .. },
        ) => {
            let client_side = *manages_client
                || (matches!(who.actor.credential, Credential::Spid | Credential::Cie)
                    && who.actor.identifier == *client);
            // Asked for an organisation: whoever manages it now (one who left keeps nothing).
            let requester_side = match for_holder {
                Some(manages) => *manages,
                None => *requester == who.actor.account_id,
            };
            match action {
                Action::View if client_side || requester_side => allowed(),
                Action::Decide if client_side => {
                    strong(who, MANAGE_LEVEL)?;
                    allowed()
                }
                Action::Decide if requester_side => Err(Denial::NotApplicable),
                _ => Err(Denial::NotYours),
            }
        }
        // A file's report shows whom the sender asked: theirs alone.
        (Action::View, Resource::RequestBatch { requester, .. }) => {
            if *requester != who.actor.account_id {
                return Err(Denial::NotYours);
            }
            allowed()
        }
        (Action::Switch, Resource::Membership { holder, .. }) => {
            if *holder != who.actor.account_id {
                return Err(Denial::NotYours);
            }
            allowed()
        }
        // Members, invitations and the organisation's activity: those who
        // manage it (legale rappresentante, amministratore); to anyone else
        // it does not exist.
        // Managing is a strong act: SPID or CIE at level 2.
        (Action::View | Action::Change, Resource::Organisation { role, .. }) => {
            manages(*role)?;
            strong(who, MANAGE_LEVEL)?;
            allowed()
        }
        // A new delega: for oneself, or for an organisation one manages; at
        // level 2, and at least the level of every service it covers.
        (Action::Change, Resource::DelegaGrant { organisation, needs }) => {
            if let Some((_, role)) = organisation {
                manages(*role)?;
            }
            strong(who, (*needs).max(MANAGE_LEVEL))?;
            allowed()
        }
        // Only the person invited, known by the codice fiscale SPID or CIE
        // gave; joining an organisation is a strong act.
        (Action::Decide, Resource::Invitation { invitee, .. }) => {
            if !matches!(who.actor.credential, Credential::Spid | Credential::Cie) || who.actor.identifier != *invitee {
                return Err(Denial::NotYours);
            }
            strong(who, MANAGE_LEVEL)?;
            allowed()
        }
        // A Dimissioni module: the worker (as themself) and the soggetto
        // abilitato who sent it see and revoke it; the employer (as the
        // company, also through a delega covering the service) and the
        // province's Ispettorato officers only see it. To anyone else it does
        // not exist; to those it concerns, only at the service's level 2.
        (
            Action::View | Action::Change,
            Resource::Resignation {
                worker, employer, filed_by, sent_for, province, officer_for, retrieved_for, ..
            },
        ) => {
            // The worker: by the codice fiscale SPID or CIE vouch for, or an
            // eIDAS person declared and the portal checked.
            let own =
                who.acting.subject == crate::kernel::Subject::Themself && who.actor.codice_fiscale() == Some(*worker);
            // The operator who sent it, acting again for the soggetto abilitato
            // it was sent for (not for another organisation they belong to).
            let sender = *filed_by == who.actor.account_id && as_abilitato(who, *sent_for);
            // Any soggetto abilitato the worker gave the retrieval code to,
            // acting for the one it was looked up for: the revoca "con le
            // medesime modalità" (art. 26 c. 2) through whoever the worker chooses.
            let sender = sender || as_abilitato(who, *retrieved_for);
            let reader = action == Action::View
                && (as_company(who, *employer)
                    || (who.has_role(Role::ItlOfficer)
                        && officer_for.iter().any(|p| p.eq_ignore_ascii_case(province))));
            if !(own || sender || reader) {
                return Err(Denial::NotYours);
            }
            at_level(who, MANAGE_LEVEL)?;
            allowed()
        }
        // A list of modules: one's own, the company's, those one sent for a
        // soggetto abilitato, a province's; at the service's level 2.
        (Action::View, Resource::Resignations(listing)) => {
            let entitled = match listing {
                Listing::Worker(cf) => {
                    who.acting.subject == crate::kernel::Subject::Themself && who.actor.codice_fiscale() == Some(*cf)
                }
                Listing::Employer { organisation } => as_company(who, Some(*organisation)),
                Listing::SentFor { organisation } => as_abilitato(who, Some(*organisation)),
                Listing::Office { office, officer_of } => {
                    who.has_role(Role::ItlOfficer) && *officer_of == Some(*office)
                }
            };
            if !entitled {
                return Err(Denial::NotYours);
            }
            at_level(who, MANAGE_LEVEL)?;
            allowed()
        }
        // An employment relationship, to a soggetto abilitato filing for the
        // worker: only when the employer's codice fiscale typed is the one on
        // record (the operator must already know whom the worker works for).
        (Action::View, Resource::Rapporto { employer, typed, .. }) => {
            if who.profile() != Profile::SoggettoAbilitato || !employer.eq_ignore_ascii_case(typed) {
                return Err(Denial::NotYours);
            }
            at_level(who, MANAGE_LEVEL)?;
            allowed()
        }
        // A support request: its requester; operators use the console.
        (Action::View | Action::Change, Resource::SupportCase { owner, .. }) => {
            if *owner == Some(who.actor.account_id) {
                allowed()
            } else {
                Err(Denial::NotYours)
            }
        }
        // A delega: both sides see it; the grantor's side (the grantor, or
        // whoever manages the organisation it is for) revokes and approves;
        // only the delegate answers, renounces, asks and acts through it.
        (action, Resource::Delega { grantor, delegate, for_organisation, manages_subject, held, .. }) => {
            // An organisation's delega: whoever manages it now (a manager who
            // left keeps nothing); one's own: the grantor.
            let grantor_side = if *for_organisation { *manages_subject } else { *grantor == who.actor.account_id };
            // One held by an organisation: its members who may act for the
            // client (never by the codice fiscale: a sole trader's studio has its owner's).
            let delegate_side = matches!(who.actor.credential, Credential::Spid | Credential::Cie)
                && match held {
                    Some(h) => h.acts(),
                    None => who.actor.identifier == *delegate,
                };
            let ok = match action {
                Action::View => grantor_side || delegate_side,
                Action::Change => grantor_side,
                Action::Decide => delegate_side && held.is_none_or(|h| h.answers()),
                Action::Switch => delegate_side,
                Action::Enter => return Err(Denial::NotApplicable),
            };
            if ok {
                // Changing it, or answering it, is a strong act; acting
                // through it asks what each service asks.
                if matches!(action, Action::Change | Action::Decide) {
                    strong(who, MANAGE_LEVEL)?;
                }
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
