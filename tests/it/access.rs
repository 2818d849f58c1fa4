//! The one access decision, over every action × resource × principal that
//! exists today, against the rules restated here independently; and the
//! audit trail that `check` writes.
use crate::common::saml::signed_in;
use crate::common::TestApp;
use axum::http::StatusCode;
use diesel::prelude::*;
use servizi_lavoro::access::{self, authorize, Action, Denial, Holding, Listing, Resource};
use servizi_lavoro::catalog::model;
use servizi_lavoro::kernel::{
    AccountId, ApplicationId, DelegaId, ForeignUserId, InvitationId, MembershipId, OrganisationId,
};
use servizi_lavoro::kernel::{Acting, Basis, Credential, Level, MemberRole, Principal, Profile, Role, Subject};

const CREDENTIALS: [Credential; 4] = [Credential::Spid, Credential::Cie, Credential::Eidas, Credential::Foreign];
const ACTIONS: [Action; 5] = [Action::Enter, Action::View, Action::Decide, Action::Change, Action::Switch];

fn principal(credential: Credential, level: Level, profile: Profile, roles: Vec<Role>) -> Principal {
    crate::common::principal_of(crate::common::person(credential, level), profile, roles)
}

/// Every principal: nobody, and each credential × level × profile, with and without the operator role.
fn principals() -> Vec<Option<Principal>> {
    let mut all = vec![None];
    for credential in CREDENTIALS {
        for level in Level::ALL {
            for profile in Profile::ALL {
                for roles in [vec![], vec![Role::HelpdeskOperator], vec![Role::ItlOfficer]] {
                    all.push(Some(principal(credential, level, profile, roles.clone())));
                }
                // An eIDAS person who declared the codice fiscale "X" (every credential gets one:
                // only eIDAS uses it).
                let mut declared = principal(credential, level, profile, Vec::new());
                declared.actor.declared_codice_fiscale = Some("X".into());
                all.push(Some(declared));
            }
        }
    }
    all
}

fn resources() -> Vec<Resource<'static>> {
    let mut all: Vec<Resource> = model::all().iter().map(|s| Resource::Service(s.requirements())).collect();
    all.extend([
        Resource::HelpdeskQueue,
        Resource::ForeignRequest(ForeignUserId::new(1)),
        Resource::ForeignDocument(ForeignUserId::new(1)),
        Resource::PortalPassword,
        Resource::OwnProfile,
        Resource::Membership { id: MembershipId::new(1), holder: AccountId::new(7) },
        Resource::Membership { id: MembershipId::new(2), holder: AccountId::new(8) },
        Resource::OrganisationApplication { id: ApplicationId::new(1), applicant: AccountId::new(8) },
        // `person()`'s own application: never theirs to decide.
        Resource::OrganisationApplication { id: ApplicationId::new(2), applicant: AccountId::new(7) },
        Resource::OrganisationDocument(ApplicationId::new(1)),
        Resource::Organisation { id: OrganisationId::new(1), role: None },
        Resource::Organisation { id: OrganisationId::new(1), role: Some(MemberRole::LegaleRappresentante) },
        Resource::Organisation { id: OrganisationId::new(1), role: Some(MemberRole::Amministratore) },
        Resource::Organisation { id: OrganisationId::new(1), role: Some(MemberRole::Operatore) },
        // Granting a delega: for oneself, for an organisation one manages,
        // one one only works in, one one is no member of; and one covering
        // a level-3 service.
        Resource::DelegaGrant { organisation: None, needs: Level::L1 },
        Resource::DelegaGrant { organisation: None, needs: Level::L3 },
        Resource::DelegaGrant {
            organisation: Some((OrganisationId::new(1), Some(MemberRole::Amministratore))),
            needs: Level::L2,
        },
        Resource::DelegaGrant {
            organisation: Some((OrganisationId::new(1), Some(MemberRole::Operatore))),
            needs: Level::L1,
        },
        Resource::DelegaGrant { organisation: Some((OrganisationId::new(1), None)), needs: Level::L1 },
        // `person()` is known by the identifier "X".
        Resource::Invitation { id: InvitationId::new(1), invitee: "X" },
        Resource::Invitation { id: InvitationId::new(2), invitee: "Y" },
        // `person()`'s own client list, and someone else's.
        Resource::Clients { delegate: "X", holder: None },
        Resource::Clients { delegate: "Y", holder: None },
        // An organisation's client list: table principals act as themselves, never for it.
        Resource::Clients { delegate: "X", holder: Some((OrganisationId::new(1), Some(MemberRole::Amministratore))) },
        // Requests for a delega: sent by `person()`, addressed to them, to an
        // organisation they manage, and between strangers.
        Resource::DelegaRequest {
            id: 1,
            requester: AccountId::new(7),
            client: "Z",
            manages_client: false,
            for_holder: None,
        },
        Resource::DelegaRequest {
            id: 2,
            requester: AccountId::new(8),
            client: "X",
            manages_client: false,
            for_holder: None,
        },
        Resource::DelegaRequest {
            id: 3,
            requester: AccountId::new(8),
            client: "01234567897",
            manages_client: true,
            for_holder: None,
        },
        Resource::DelegaRequest {
            id: 4,
            requester: AccountId::new(8),
            client: "Z",
            manages_client: false,
            for_holder: None,
        },
        // Asked for an organisation by someone else: `person()` manages it now, or does not.
        Resource::DelegaRequest {
            id: 5,
            requester: AccountId::new(8),
            client: "Z",
            manages_client: false,
            for_holder: Some(true),
        },
        Resource::DelegaRequest {
            id: 6,
            requester: AccountId::new(7),
            client: "Z",
            manages_client: false,
            for_holder: Some(false),
        },
        // A file of requests `person()` sent, and someone else's.
        Resource::RequestBatch { id: 1, requester: AccountId::new(7) },
        Resource::RequestBatch { id: 2, requester: AccountId::new(8) },
        // A delega given by `person()` (account 7) for themself, one given to
        // them, one of an organisation they manage, one of an organisation
        // they granted but no longer manage, and one of strangers.
        Resource::Delega {
            id: DelegaId::new(1),
            grantor: AccountId::new(7),
            delegate: "Y",
            for_organisation: false,
            manages_subject: false,
            held: None,
        },
        Resource::Delega {
            id: DelegaId::new(2),
            grantor: AccountId::new(8),
            delegate: "X",
            for_organisation: false,
            manages_subject: false,
            held: None,
        },
        Resource::Delega {
            id: DelegaId::new(3),
            grantor: AccountId::new(8),
            delegate: "Y",
            for_organisation: true,
            manages_subject: true,
            held: None,
        },
        Resource::Delega {
            id: DelegaId::new(5),
            grantor: AccountId::new(7),
            delegate: "Y",
            for_organisation: true,
            manages_subject: false,
            held: None,
        },
        // Deleghe an organisation holds, `person()` ("X") its manager, an
        // operatore given the client, one not given it, and no member (even
        // with the organisation's codice fiscale the same as theirs).
        Resource::Delega {
            id: DelegaId::new(6),
            grantor: AccountId::new(8),
            delegate: "Y",
            for_organisation: false,
            manages_subject: false,
            held: Some(Holding { role: Some(MemberRole::Amministratore), assigned: false }),
        },
        Resource::Delega {
            id: DelegaId::new(7),
            grantor: AccountId::new(8),
            delegate: "Y",
            for_organisation: false,
            manages_subject: false,
            held: Some(Holding { role: Some(MemberRole::Operatore), assigned: true }),
        },
        Resource::Delega {
            id: DelegaId::new(8),
            grantor: AccountId::new(8),
            delegate: "Y",
            for_organisation: false,
            manages_subject: false,
            held: Some(Holding { role: Some(MemberRole::Operatore), assigned: false }),
        },
        Resource::Delega {
            id: DelegaId::new(9),
            grantor: AccountId::new(8),
            delegate: "X",
            for_organisation: false,
            manages_subject: false,
            held: Some(Holding { role: None, assigned: false }),
        },
        Resource::Delega {
            id: DelegaId::new(4),
            grantor: AccountId::new(8),
            delegate: "Y",
            for_organisation: false,
            manages_subject: false,
            held: None,
        },
        // Dimissioni modules: of `person()` ("X"), sent by them (account 7), of a stranger
        // in Milano (seen by an officer for MI, not for RM).
        Resource::Resignation {
            code: "20270101100000000",
            worker: "X",
            employer: None,
            filed_by: AccountId::new(9),
            sent_for: None,
            province: "MI",
            officer_for: &[],
            retrieved_for: None,
        },
        Resource::Resignation {
            code: "20270101100000001",
            worker: "Y",
            employer: None,
            filed_by: AccountId::new(7),
            sent_for: Some(OrganisationId::new(5)),
            province: "MI",
            officer_for: &[],
            retrieved_for: None,
        },
        Resource::Resignation {
            code: "20270101100000002",
            worker: "Y",
            employer: Some(OrganisationId::new(3)),
            filed_by: AccountId::new(9),
            sent_for: None,
            province: "MI",
            officer_for: &["MI", "LO", "MB"],
            retrieved_for: None,
        },
        Resource::Resignation {
            code: "20270101100000003",
            worker: "Y",
            employer: None,
            filed_by: AccountId::new(9),
            sent_for: None,
            province: "MI",
            officer_for: &["RM"],
            retrieved_for: None,
        },
        // Lists of modules: one's own, another worker's, a company's, a
        // soggetto abilitato's, a province's for its officer and for another's.
        Resource::Resignations(Listing::Worker("X")),
        Resource::Resignations(Listing::Worker("Y")),
        Resource::Resignations(Listing::Employer { organisation: OrganisationId::new(3) }),
        Resource::Resignations(Listing::SentFor { organisation: OrganisationId::new(5) }),
        Resource::Resignations(Listing::Office { office: "ITL-MILANO", officer_of: Some("ITL-MILANO") }),
        Resource::Resignations(Listing::Office { office: "ITL-MILANO", officer_of: Some("ITL-ROMA") }),
        // Support requests: one's own, someone else's, an anonymous one.
        Resource::SupportCase { number: "URP-2027-000001", owner: Some(AccountId::new(7)) },
        Resource::SupportCase { number: "URP-2027-000002", owner: Some(AccountId::new(8)) },
        Resource::SupportCase { number: "URP-2027-000003", owner: None },
        // A relationship looked up with the employer on record, and with another.
        Resource::Rapporto { id: 1, employer: "01234567897", typed: "01234567897" },
        Resource::Rapporto { id: 1, employer: "01234567897", typed: "12345678903" },
    ]);
    all
}

/// The rules, written out again: what the decision must answer.
fn expected(who: Option<&Principal>, action: Action, resource: &Resource) -> Result<(), Denial> {
    let Some(p) = who else { return Err(Denial::SignIn) };
    let (credential, level) = (p.actor.credential, p.actor.level);
    let reachable = if credential == Credential::Foreign { Level::L2 } else { Level::L3 };
    // At `needed` or a new authentication (when the credential reaches it).
    let at = |needed: Level| {
        if level < needed {
            Err(Denial::Level { needed, step_up: reachable >= needed })
        } else {
            Ok(())
        }
    };
    let spid_or_cie = matches!(credential, Credential::Spid | Credential::Cie);
    // SPID or CIE at `needed`: acts that give or manage power over others.
    let strong = |needed: Level| {
        if !spid_or_cie {
            Err(Denial::Credential { allowed: vec![Credential::Spid, Credential::Cie] })
        } else {
            at(needed)
        }
    };
    let manages = |role: &Option<MemberRole>| match role {
        None => Err(Denial::NotYours),
        Some(MemberRole::LegaleRappresentante | MemberRole::Amministratore) => Ok(()),
        Some(MemberRole::Operatore) => {
            Err(Denial::MemberRole { needed: vec![MemberRole::LegaleRappresentante, MemberRole::Amministratore] })
        }
    };
    let officer_of =
        |province: &str, officer_for: &[&str]| p.roles.contains(&Role::ItlOfficer) && officer_for.contains(&province);
    match (action, resource) {
        (Action::Enter | Action::View, Resource::Service(s)) => {
            if !s.credentials.contains(&credential) {
                Err(Denial::Credential { allowed: s.credentials.to_vec() })
            } else if !s.audience.contains(&p.acting.capacity) {
                Err(Denial::Profile { needed: s.audience.to_vec() })
            } else {
                at(s.min_level)
            }
        }
        (Action::View, Resource::ForeignDocument(_) | Resource::OrganisationDocument(_))
        | (
            Action::View | Action::Decide,
            Resource::HelpdeskQueue | Resource::ForeignRequest(_) | Resource::OrganisationApplication { .. },
        ) => {
            if !p.roles.contains(&Role::HelpdeskOperator) {
                return Err(Denial::Role { needed: Role::HelpdeskOperator });
            }
            strong(Level::L2)?;
            match (action, resource) {
                (Action::Decide, Resource::OrganisationApplication { applicant, .. })
                    if *applicant == p.actor.account_id =>
                {
                    Err(Denial::NotApplicable)
                }
                _ => Ok(()),
            }
        }
        (Action::Change, Resource::PortalPassword) => {
            if credential == Credential::Foreign {
                Ok(())
            } else {
                Err(Denial::Credential { allowed: vec![Credential::Foreign] })
            }
        }
        (Action::Switch, Resource::OwnProfile) => Ok(()),
        (Action::Switch, Resource::Membership { holder, .. }) => {
            if *holder == p.actor.account_id {
                Ok(())
            } else {
                Err(Denial::NotYours)
            }
        }
        (Action::View | Action::Change, Resource::Organisation { role, .. }) => {
            manages(role)?;
            strong(Level::L2)
        }
        (Action::Change, Resource::DelegaGrant { organisation, needs }) => {
            if let Some((_, role)) = organisation {
                manages(role)?;
            }
            strong((*needs).max(Level::L2))
        }
        (action, Resource::Delega { grantor, delegate, for_organisation, manages_subject, held, .. }) => {
            let grantor_side = if *for_organisation { *manages_subject } else { *grantor == p.actor.account_id };
            // Held by an organisation: its managers, and operatori given the client.
            let delegate_side = spid_or_cie
                && match held {
                    Some(h) => {
                        matches!(h.role, Some(MemberRole::LegaleRappresentante | MemberRole::Amministratore))
                            || (h.role == Some(MemberRole::Operatore) && h.assigned)
                    }
                    None => *delegate == p.actor.identifier,
                };
            let answers = held
                .is_none_or(|h| matches!(h.role, Some(MemberRole::LegaleRappresentante | MemberRole::Amministratore)));
            let allowed = match action {
                Action::View => grantor_side || delegate_side,
                Action::Change => grantor_side,
                Action::Decide => delegate_side && answers,
                Action::Switch => delegate_side,
                Action::Enter => return Err(Denial::NotApplicable),
            };
            match (allowed, grantor_side || delegate_side) {
                (true, _) if matches!(action, Action::Change | Action::Decide) => strong(Level::L2),
                (true, _) => Ok(()),
                (false, true) => Err(Denial::NotApplicable),
                (false, false) => Err(Denial::NotYours),
            }
        }
        (Action::View | Action::Change, Resource::Resignation { worker, province, officer_for, .. }) => {
            // Table principals act as themselves (no organisation, no delega):
            // never as the company nor as the soggetto abilitato a module was sent for.
            // SPID and CIE vouch for the codice fiscale; eIDAS people declare it.
            let own = p.actor.codice_fiscale() == Some(*worker);
            let officer = action == Action::View && officer_of(province, officer_for);
            if own || officer {
                at(Level::L2)
            } else {
                Err(Denial::NotYours)
            }
        }
        (Action::View, Resource::Resignations(listing)) => {
            let entitled = match listing {
                Listing::Worker(cf) => p.actor.codice_fiscale() == Some(*cf),
                Listing::Employer { .. } | Listing::SentFor { .. } => false,
                Listing::Office { office, officer_of } => {
                    p.roles.contains(&Role::ItlOfficer) && *officer_of == Some(*office)
                }
            };
            if entitled {
                at(Level::L2)
            } else {
                Err(Denial::NotYours)
            }
        }
        (Action::View | Action::Change, Resource::SupportCase { owner, .. }) => {
            if *owner == Some(p.actor.account_id) {
                Ok(())
            } else {
                Err(Denial::NotYours)
            }
        }
        (Action::View, Resource::Rapporto { employer, typed, .. }) => {
            if p.acting.capacity == Profile::SoggettoAbilitato && employer == typed {
                at(Level::L2)
            } else {
                Err(Denial::NotYours)
            }
        }
        (Action::Decide, Resource::Invitation { invitee, .. }) => {
            if spid_or_cie && *invitee == p.actor.identifier {
                strong(Level::L2)
            } else {
                Err(Denial::NotYours)
            }
        }
        // One's own client list: the deleghe addressed to one's codice fiscale,
        // which SPID and CIE give; asking for a new one is a strong act.
        (Action::View | Action::Change, Resource::Clients { delegate, holder }) => {
            strong(Level::L1)?;
            if holder.is_some() || *delegate != p.actor.identifier {
                Err(Denial::NotYours)
            } else if action == Action::Change {
                strong(Level::L2)
            } else {
                Ok(())
            }
        }
        // A request: both sides see it, the client's side answers.
        (
            Action::View | Action::Decide,
            Resource::DelegaRequest { requester, client, manages_client, for_holder, .. },
        ) => {
            let client_side = *manages_client || (spid_or_cie && *client == p.actor.identifier);
            let requester_side = for_holder.unwrap_or(*requester == p.actor.account_id);
            match action {
                Action::View if client_side || requester_side => Ok(()),
                Action::Decide if client_side => strong(Level::L2),
                Action::Decide if requester_side => Err(Denial::NotApplicable),
                _ => Err(Denial::NotYours),
            }
        }
        // A file's report: its sender's alone.
        (Action::View, Resource::RequestBatch { requester, .. }) => {
            if *requester == p.actor.account_id {
                Ok(())
            } else {
                Err(Denial::NotYours)
            }
        }
        _ => Err(Denial::NotApplicable),
    }
}

/// The kind of a resource: an exhaustive match, so a new kind of resource
/// does not compile here until the table lists it (and the rules say what it allows).
fn kind(r: &Resource) -> &'static str {
    match r {
        Resource::Service(_) => "service",
        Resource::HelpdeskQueue => "helpdesk-queue",
        Resource::ForeignRequest(_) => "foreign-request",
        Resource::ForeignDocument(_) => "foreign-document",
        Resource::PortalPassword => "portal-password",
        Resource::OwnProfile => "own-profile",
        Resource::Membership { .. } => "membership",
        Resource::Organisation { .. } => "organisation",
        Resource::DelegaGrant { .. } => "delega-grant",
        Resource::Invitation { .. } => "invitation",
        Resource::OrganisationApplication { .. } => "organisation-application",
        Resource::OrganisationDocument(_) => "organisation-document",
        Resource::Resignation { .. } => "resignation",
        Resource::Resignations(_) => "resignations",
        Resource::SupportCase { .. } => "support-case",
        Resource::Delega { .. } => "delega",
        Resource::Rapporto { .. } => "relationship",
        Resource::Clients { .. } => "clients",
        Resource::DelegaRequest { .. } => "delega-request",
        Resource::RequestBatch { .. } => "request-batch",
    }
}

#[test]
fn every_kind_of_resource_is_in_the_table() {
    let listed: std::collections::BTreeSet<&str> = resources().iter().map(kind).collect();
    assert_eq!(listed.len(), 20, "{listed:?}");
}

#[test]
fn every_action_resource_and_principal_is_decided_by_the_rules() {
    let (principals, resources) = (principals(), resources());
    let mut allowed = 0;
    for who in &principals {
        for action in ACTIONS {
            for resource in &resources {
                let got = authorize(who.as_ref(), action, resource);
                let want = expected(who.as_ref(), action, resource);
                match (&got, &want) {
                    (Ok(permit), Ok(())) => {
                        allowed += 1;
                        assert_eq!(permit.action(), action);
                        assert_eq!(permit.resource(), resource.code());
                        assert_eq!(Some(permit.account_id()), who.as_ref().map(|w| w.actor.account_id));
                    }
                    (Err(g), Err(w)) => assert_eq!(g, w, "{who:?} {action:?} {resource:?}"),
                    _ => panic!("{who:?} {action:?} {}: got {got:?}, want {want:?}", resource.code()),
                }
            }
        }
    }
    // Every (resource, action) pair the portal has, for every principal.
    assert_eq!(
        (principals.len(), resources.len()),
        (109 + 36, 24 + 56),
        "the services and every other kind of resource"
    );
    assert!(allowed > 0, "some combinations are allowed");
}

#[test]
fn spot_checks_written_by_hand() {
    let operator = principal(Credential::Spid, Level::L2, Profile::Cittadino, vec![Role::HelpdeskOperator]);
    assert!(authorize(Some(&operator), Action::Decide, &Resource::ForeignRequest(ForeignUserId::new(3))).is_ok());
    // The operator role does not travel with an eIDAS or Utente Estero sign-in.
    let eidas_operator = principal(Credential::Eidas, Level::L3, Profile::Cittadino, vec![Role::HelpdeskOperator]);
    assert!(matches!(
        authorize(Some(&eidas_operator), Action::View, &Resource::HelpdeskQueue),
        Err(Denial::Credential { .. })
    ));
    let citizen = principal(Credential::Spid, Level::L3, Profile::Cittadino, vec![]);
    assert_eq!(
        authorize(Some(&citizen), Action::View, &Resource::HelpdeskQueue).unwrap_err(),
        Denial::Role { needed: Role::HelpdeskOperator }
    );
    assert_eq!(authorize(Some(&citizen), Action::Change, &Resource::PortalPassword).unwrap_err().code(), "credential");
    let foreign = principal(Credential::Foreign, Level::L2, Profile::Cittadino, vec![]);
    assert!(authorize(Some(&foreign), Action::Change, &Resource::PortalPassword).is_ok());
    // Deciding on a service means nothing.
    let dimissioni = model::find("dimissioni-volontarie").expect("service");
    assert_eq!(
        authorize(Some(&citizen), Action::Decide, &Resource::Service(dimissioni.requirements())).unwrap_err(),
        Denial::NotApplicable
    );
}

#[tokio::test]
async fn decisions_that_guard_are_written_to_the_audit_trail_with_the_request_id() {
    let app = TestApp::new();
    let mut b = signed_in(&app, "spid", Level::L2, None).await;
    let res = b.get("/servizi/dimissioni-volontarie/accedi").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let request_id = res.header("x-request-id").to_string();
    assert!(!request_id.is_empty());
    assert_eq!(b.get("/assistenza").await.status, StatusCode::FORBIDDEN);
    let events = servizi_lavoro::db::with_conn(&app.state.pool, |c| access::recent(c, 10)).await.expect("audit");
    let refused = &events[0];
    assert_eq!((refused.action.code(), refused.resource.as_str()), ("view", "helpdesk:queue"));
    assert_eq!((refused.outcome.code(), refused.reason.as_str()), ("denied", "role"));
    let entered = &events[1];
    assert_eq!((entered.action.code(), entered.resource.as_str()), ("enter", "service:dimissioni-volontarie"));
    assert_eq!((entered.outcome.code(), entered.reason.as_str()), ("allowed", "allowed"));
    assert_eq!(entered.request_id, request_id);
    let account = entered.actor_account_id.expect("actor");
    assert_eq!(entered.subject, format!("account:{account}"));
}

#[tokio::test]
async fn the_audit_trail_is_append_only() {
    use servizi_lavoro::db::schema::audit_events as a;
    let app = TestApp::new();
    Browser::new(&app).get("/assistenza").await;
    let (updated, deleted) = servizi_lavoro::db::with_conn(&app.state.pool, |c| {
        let updated = diesel::update(a::table).set(a::outcome.eq("allowed")).execute(c).is_err();
        let deleted = diesel::delete(a::table).execute(c).is_err();
        Ok((updated, deleted))
    })
    .await
    .expect("database");
    assert!(updated && deleted, "the database refuses to change or remove audit events");
    let n =
        servizi_lavoro::db::with_conn(&app.state.pool, |c| a::table.count().get_result::<i64>(c)).await.expect("count");
    assert_eq!(n, 1);
}

use crate::common::Browser;

#[test]
fn a_permit_covers_only_what_was_allowed() {
    let operator = principal(Credential::Spid, Level::L2, Profile::Cittadino, vec![Role::HelpdeskOperator]);
    let permit =
        authorize(Some(&operator), Action::View, &Resource::ForeignRequest(ForeignUserId::new(3))).expect("allowed");
    assert!(permit.covers(Action::View, &Resource::ForeignRequest(ForeignUserId::new(3))));
    assert!(!permit.covers(Action::Decide, &Resource::ForeignRequest(ForeignUserId::new(3))), "another action");
    assert!(!permit.covers(Action::View, &Resource::ForeignRequest(ForeignUserId::new(4))), "another request");
    assert!(permit.require(Action::View, &Resource::HelpdeskQueue).is_err());
}

#[test]
fn a_delega_covers_only_its_services_on_its_days_and_never_what_the_law_reserves() {
    use servizi_lavoro::access::DelegaLimit;
    use servizi_lavoro::kernel::{Acting, Basis, DelegaGrant, Subject};
    let d = |m, day| chrono::NaiveDate::from_ymd_opt(2027, m, day).expect("date");
    let grant = |today, services: Option<Vec<&str>>, temporary, approved_today| DelegaGrant {
        services: services.map(|s| s.into_iter().map(str::to_string).collect()),
        from: d(3, 1),
        until: d(6, 30),
        temporary,
        today,
        approved_today,
    };
    let through = |grant: DelegaGrant, capacity: Profile| {
        let mut who = principal(Credential::Spid, Level::L2, capacity, vec![]);
        let subject = Subject::Organisation { id: OrganisationId::new(3), name: "Rossi srl".into() };
        who.acting = Acting { subject, capacity, basis: Basis::Delega { id: DelegaId::new(5), grant } };
        who
    };
    let service = |slug| Resource::Service(model::find(slug).expect("service").requirements());
    let enter = |who: &Principal, slug| authorize(Some(who), Action::Enter, &service(slug)).map(|_| ());
    let limit = |l| Err(Denial::Delega(l));
    let cigs = Some(vec!["cigsonline"]);
    assert_eq!(enter(&through(grant(d(4, 1), cigs.clone(), false, false), Profile::Azienda), "cigsonline"), Ok(()));
    assert_eq!(
        enter(&through(grant(d(4, 1), cigs.clone(), false, false), Profile::Azienda), "smart-working"),
        limit(DelegaLimit::Scope)
    );
    assert_eq!(
        enter(&through(grant(d(2, 28), cigs.clone(), false, false), Profile::Azienda), "cigsonline"),
        limit(DelegaLimit::Dates)
    );
    assert_eq!(
        enter(&through(grant(d(7, 1), cigs.clone(), false, false), Profile::Azienda), "cigsonline"),
        limit(DelegaLimit::Dates)
    );
    assert_eq!(enter(&through(grant(d(6, 30), None, false, false), Profile::Azienda), "smart-working"), Ok(()));
    assert_eq!(
        enter(&through(grant(d(4, 1), None, true, false), Profile::Azienda), "cigsonline"),
        limit(DelegaLimit::Approval { delega: DelegaId::new(5) })
    );
    assert_eq!(enter(&through(grant(d(4, 1), None, true, true), Profile::Azienda), "cigsonline"), Ok(()));
    assert_eq!(
        enter(&through(grant(d(4, 1), None, false, false), Profile::Cittadino), "dimissioni-volontarie"),
        limit(DelegaLimit::Reserved)
    );
}

/// An operatore of a company given only CIGSonline may use it and nothing
/// else the company may; a manager of the same company, and an operatore
/// with no limit, every service the company may.
#[test]
fn an_operatore_limited_to_some_services_is_refused_the_others_and_nothing_else_changes() {
    let acting = |role: MemberRole, services: Option<Vec<String>>| Acting {
        subject: Subject::Organisation { id: OrganisationId::new(1), name: "Bianchi".into() },
        capacity: Profile::Azienda,
        basis: Basis::Membership { id: MembershipId::new(3), role, services },
    };
    let limited = Some(vec!["cigsonline".to_string()]);
    let mut checked = 0;
    for credential in CREDENTIALS {
        for level in Level::ALL {
            let mut base = principal(credential, level, Profile::Azienda, Vec::new());
            let free = {
                base.acting = acting(MemberRole::Operatore, None);
                base.clone()
            };
            let mut operatore = base.clone();
            operatore.acting = acting(MemberRole::Operatore, limited.clone());
            let mut manager = base.clone();
            manager.acting = acting(MemberRole::Amministratore, limited.clone());
            for s in model::all() {
                let r = Resource::Service(s.requirements());
                for action in [Action::Enter, Action::View] {
                    let unlimited = authorize(Some(&free), action, &r).map(|_| ());
                    assert_eq!(authorize(Some(&manager), action, &r).map(|_| ()), unlimited, "a manager has them all");
                    let want = match unlimited {
                        Ok(()) if s.slug != "cigsonline" => Err(Denial::MemberServices),
                        other => other,
                    };
                    assert_eq!(authorize(Some(&operatore), action, &r).map(|_| ()), want, "{} {action:?}", s.slug);
                    checked += usize::from(want == Err(Denial::MemberServices));
                }
            }
        }
    }
    assert!(checked > 0, "some services were refused for the limit alone");
}
