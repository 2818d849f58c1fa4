//! What an audit event was about, read back from the code [`Resource::code`]
//! wrote, and said in words a person understands ("Delega a Luca Verdi",
//! "Modulo 2026… — Bianchi Servizi srl", "Smart working") with a link where
//! there is a page. Names are only looked up for allowed actions: a refused
//! attempt shows what was asked, never whose it turned out to be.
//!
//! [`Resource::code`]: super::Resource::code
use super::audit::{organisation_named, AuditAction, AuditEvent, Outcome};
use crate::db::schema::{accounts as a, deleghe as d, dimissioni_modules as m, organisations as o};
use crate::db::AnyConnection;
use crate::i18n::Lang;
use crate::kernel::{DelegaId, MemberRole, OrganisationId};
use crate::paths;
use diesel::prelude::*;
use std::collections::HashMap;

/// A resource as the audit trail names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResourceRef {
    Service(String),
    Organisation(OrganisationId),
    /// Granting a delega, for an organisation or for oneself.
    DelegaGrant(Option<OrganisationId>),
    Delega(DelegaId),
    Resignation(String),
    /// The modules of a worker (their own list).
    WorkerResignations,
    /// The modules of an organisation's employees, or those it sent.
    OrganisationResignations(OrganisationId),
    ItlResignations,
    Membership,
    /// A member of an organisation (a role changed, a member removed).
    Member(OrganisationId),
    /// A work group of an organisation (made, changed, deleted).
    Group(OrganisationId),
    /// An invitation, with the organisation that sent it when the code says so.
    Invitation(Option<OrganisationId>),
    /// The company a person associated as its legale rappresentante (by codice fiscale).
    Company(String),
    /// The profile a person switched to.
    Profile,
    SupportCase(String),
    OwnProfile,
    PortalPassword,
    HelpdeskQueue,
    ForeignRequest,
    OrganisationApplication,
    Relationship,
    Clients,
    DelegaRequest,
    RequestBatch,
    /// A code this version does not know (kept as written).
    Unknown(String),
}

impl ResourceRef {
    pub fn parse(code: &str) -> ResourceRef {
        let (kind, rest) = code.split_once(':').unwrap_or((code, ""));
        let org = |s: &str| s.parse::<OrganisationId>().ok();
        let unknown = || ResourceRef::Unknown(code.to_string());
        match (kind, rest) {
            ("service", slug) => ResourceRef::Service(slug.to_string()),
            ("org", rest) => match rest.split_once('/') {
                None => org(rest).map_or_else(unknown, ResourceRef::Organisation),
                Some((id, "delega-grant")) => org(id).map_or_else(unknown, |o| ResourceRef::DelegaGrant(Some(o))),
                Some((id, "dimissioni" | "dimissioni-sent")) => {
                    org(id).map_or_else(unknown, ResourceRef::OrganisationResignations)
                }
                Some((id, part)) if part.starts_with("member:") => org(id).map_or_else(unknown, ResourceRef::Member),
                Some((id, part)) if part.starts_with("group:") => org(id).map_or_else(unknown, ResourceRef::Group),
                Some((_, "clients")) => ResourceRef::Clients,
                Some((id, part)) if part.starts_with("invitation:") => {
                    org(id).map_or_else(unknown, |o| ResourceRef::Invitation(Some(o)))
                }
                Some(_) => unknown(),
            },
            ("delega-grant", "") => ResourceRef::DelegaGrant(None),
            ("delega", id) => id.parse().map_or_else(|_| unknown(), ResourceRef::Delega),
            ("dimissioni", code) => ResourceRef::Resignation(code.to_string()),
            ("dimissioni-of", _) => ResourceRef::WorkerResignations,
            ("itl-office", _) => ResourceRef::ItlResignations,
            ("membership", _) => ResourceRef::Membership,
            ("invitation", _) => ResourceRef::Invitation(None),
            ("company", cf) => ResourceRef::Company(cf.to_string()),
            ("profile", "") => ResourceRef::Profile,
            ("support-case", number) => ResourceRef::SupportCase(number.to_string()),
            ("profile", "own") => ResourceRef::OwnProfile,
            ("portal-password", "") => ResourceRef::PortalPassword,
            ("helpdesk", "queue") => ResourceRef::HelpdeskQueue,
            ("foreign-request" | "foreign-document", _) => ResourceRef::ForeignRequest,
            ("org-application" | "org-document", _) => ResourceRef::OrganisationApplication,
            ("relationship", _) => ResourceRef::Relationship,
            ("clients", "own") => ResourceRef::Clients,
            ("delega-request", _) => ResourceRef::DelegaRequest,
            ("delega-request-batch", _) => ResourceRef::RequestBatch,
            _ => unknown(),
        }
    }
}

/// The names an activity page needs, looked up once for all its rows.
#[derive(Clone, Debug, Default)]
pub struct Names {
    organisations: HashMap<OrganisationId, String>,
    /// A delega's delegate (their name once they signed in, else their codice fiscale).
    deleghe: HashMap<DelegaId, String>,
    /// A module's employer.
    modules: HashMap<String, String>,
    /// An organisation's name by its codice fiscale.
    companies: HashMap<String, String>,
    /// A service's name, in the page's language (the catalog is the caller's).
    services: HashMap<String, String>,
}

impl Names {
    /// Looks up the organisations, deleghe and modules the allowed `events`
    /// name, and the organisations they were done as; a kind of name no
    /// event needs costs no query.
    pub fn load(conn: &mut AnyConnection, events: &[AuditEvent]) -> QueryResult<Names> {
        let (mut orgs, mut deleghe, mut modules, mut companies) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        // As whom it was done (`org:5`, `org:5/delega:2`): shown for refused
        // attempts too, being the actor's own profile.
        orgs.extend(events.iter().filter_map(|e| organisation_named(&e.subject)));
        for r in events.iter().filter(|e| e.outcome == Outcome::Allowed).map(|e| ResourceRef::parse(&e.resource)) {
            match r {
                ResourceRef::Organisation(id)
                | ResourceRef::DelegaGrant(Some(id))
                | ResourceRef::OrganisationResignations(id)
                | ResourceRef::Member(id)
                | ResourceRef::Group(id)
                | ResourceRef::Invitation(Some(id)) => orgs.push(id),
                ResourceRef::Company(cf) => companies.push(cf),
                ResourceRef::Delega(id) => deleghe.push(id),
                ResourceRef::Resignation(code) => modules.push(code),
                _ => {}
            }
        }
        for keys in [&mut companies, &mut modules] {
            keys.sort_unstable();
            keys.dedup();
        }
        orgs.sort_unstable();
        orgs.dedup();
        deleghe.sort_unstable();
        deleghe.dedup();
        let organisations =
            unless_empty(&orgs, |ids| o::table.filter(o::id.eq_any(ids)).select((o::id, o::name)).load(conn))?;
        let delegates: Vec<(DelegaId, String, Option<String>, Option<String>)> = unless_empty(&deleghe, |ids| {
            d::table
                .left_join(a::table.on(d::delegate_account_id.eq(a::id.nullable())))
                .filter(d::id.eq_any(ids))
                .select((d::id, d::delegate_codice_fiscale, a::given_name.nullable(), a::family_name.nullable()))
                .load(conn)
        })?;
        // A delega an organisation holds is named by it (its account is only
        // the manager who asked for it).
        let holders: Vec<(DelegaId, String)> = unless_empty(&deleghe, |ids| {
            d::table
                .inner_join(o::table.on(d::delegate_organisation_id.eq(o::id.nullable())))
                .filter(d::id.eq_any(ids))
                .select((d::id, o::name))
                .load(conn)
        })?;
        let modules = unless_empty(&modules, |codes| {
            m::table.filter(m::code.eq_any(codes)).select((m::code, m::employer_name)).load(conn)
        })?;
        let companies = unless_empty(&companies, |codes| {
            o::table.filter(o::codice_fiscale.eq_any(codes)).select((o::codice_fiscale, o::name)).load(conn)
        })?;
        Ok(Names {
            organisations: organisations.into_iter().collect(),
            deleghe: delegates
                .into_iter()
                .map(|(id, cf, given, family)| match (holders.iter().find(|h| h.0 == id), given, family) {
                    (Some((_, holder)), _, _) => (id, holder.clone()),
                    (None, Some(g), Some(f)) => (id, format!("{g} {f}")),
                    _ => (id, cf),
                })
                .collect(),
            modules: modules.into_iter().collect(),
            companies: companies.into_iter().collect(),
            services: HashMap::new(),
        })
    }

    /// Adds the names of the services the events name (`name_of` reads the catalog).
    pub fn with_services(mut self, events: &[AuditEvent], name_of: impl Fn(&str) -> Option<String>) -> Names {
        for e in events {
            let mut slugs: Vec<String> = Vec::new();
            if let ResourceRef::Service(slug) = ResourceRef::parse(&e.resource) {
                slugs.push(slug);
            }
            // An operatore's services changed: "slug slug -> slug" ("*": all).
            if e.action == AuditAction::ChangeServices {
                slugs.extend(e.reason.split_whitespace().filter(|w| *w != "->" && *w != "*").map(str::to_string));
            }
            for slug in slugs {
                if let Some(name) = name_of(&slug) {
                    self.services.insert(slug, name);
                }
            }
        }
        self
    }
}

/// Rows for `keys`, without asking the database when there are none.
fn unless_empty<K, T>(keys: &[K], load: impl FnOnce(&[K]) -> QueryResult<Vec<T>>) -> QueryResult<Vec<T>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    load(keys)
}

impl Names {
    /// As whom an event was done: "Cittadino", or the organisation, and the
    /// delega it was done through.
    pub fn as_whom(&self, subject: &str, lang: Lang) -> String {
        let (base, delega) = subject.split_once("/delega:").map_or((subject, None), |(b, d)| (b, Some(d)));
        let whom = organisation_named(base)
            .and_then(|id| self.organisations.get(&id).cloned())
            .unwrap_or_else(|| lang.t("profile-citizen"));
        match delega {
            Some(id) => format!("{whom} · {} {id}", lang.t("activity-via-delega")),
            None => whom,
        }
    }
}

/// A resource in words, and where its page is (if the person may go there).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Described {
    pub text: String,
    pub href: Option<String>,
}

impl Described {
    /// A link when there is a page, else the words.
    pub fn into_view(self) -> leptos::prelude::AnyView {
        use leptos::prelude::*;
        match self.href {
            Some(href) => view! { <a href=href>{self.text}</a> }.into_any(),
            None => self.text.into_any(),
        }
    }
}

/// `e`'s resource in `lang`; a role change also says the role before and
/// after, an operatore's services changed the services before and after, and
/// a work group's change what changed.
pub fn describe(e: &AuditEvent, names: &Names, lang: Lang) -> Described {
    let mut described = resource_in_words(e, names, lang);
    // A work group's change: its name and what changed, as recorded
    // (names, and codici fiscali added "+" or taken out "-").
    if matches!(e.action, AuditAction::CreateGroup | AuditAction::ChangeGroup | AuditAction::DeleteGroup)
        && e.outcome == Outcome::Allowed
        && !e.reason.is_empty()
    {
        described.text = format!("{} ({})", described.text, e.reason);
    }
    if e.action == AuditAction::ChangeRole {
        let roles =
            e.reason.split_once(" -> ").and_then(|(from, to)| Some((MemberRole::parse(from)?, MemberRole::parse(to)?)));
        if let Some((from, to)) = roles {
            let change =
                lang.t_args("audit-role-change", &[("from", lang.t(from.name_key())), ("to", lang.t(to.name_key()))]);
            described.text = format!("{} {change}", described.text);
        }
    }
    if e.action == AuditAction::ChangeServices {
        if let Some((from, to)) = e.reason.split_once(" -> ") {
            let words = |side: &str| match side {
                "*" => lang.t("audit-services-all"),
                list => list
                    .split_whitespace()
                    .map(|slug| names.services.get(slug).cloned().unwrap_or_else(|| slug.to_string()))
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            let change = lang.t_args("audit-services-change", &[("from", words(from)), ("to", words(to))]);
            described.text = format!("{} {change}", described.text);
        }
    }
    described
}

fn resource_in_words(e: &AuditEvent, names: &Names, lang: Lang) -> Described {
    let allowed = e.outcome == Outcome::Allowed;
    let word = |key: &str| Described { text: lang.t(key), href: None };
    let with = |key: &str, name: &str, href: Option<String>| Described {
        text: lang.t_args(key, &[("name", name.to_string())]),
        href: href.filter(|_| allowed),
    };
    match ResourceRef::parse(&e.resource) {
        ResourceRef::Service(slug) => match names.services.get(&slug) {
            Some(name) => Described { text: name.clone(), href: Some(paths::service(&slug)) },
            None => with("audit-on-service", &slug, None),
        },
        ResourceRef::Organisation(id) => match names.organisations.get(&id).filter(|_| allowed) {
            Some(name) => Described { text: name.clone(), href: Some(paths::organisation(id)) },
            None => word("audit-on-organisation"),
        },
        ResourceRef::DelegaGrant(org) => match org.and_then(|id| names.organisations.get(&id)).filter(|_| allowed) {
            Some(name) => with("audit-on-delega-grant-for", name, None),
            None => word("audit-on-delega-grant"),
        },
        ResourceRef::Delega(id) => match names.deleghe.get(&id).filter(|_| allowed) {
            Some(name) => with("audit-on-delega-to", name, Some(paths::delega(id))),
            None => with("audit-on-delega", &id.to_string(), None),
        },
        ResourceRef::Resignation(code) => match names.modules.get(&code).filter(|_| allowed) {
            Some(employer) => Described {
                text: lang.t_args("audit-on-module-of", &[("code", code.clone()), ("name", employer.clone())]),
                href: Some(paths::dimissioni(&code)),
            },
            None => with("audit-on-module", &code, None),
        },
        ResourceRef::WorkerResignations => Described { text: lang.t("audit-on-own-modules"), href: None },
        ResourceRef::OrganisationResignations(id) => match names.organisations.get(&id).filter(|_| allowed) {
            Some(name) => with("audit-on-modules-of", name, None),
            None => word("audit-on-modules"),
        },
        ResourceRef::ItlResignations => word("audit-on-itl-modules"),
        ResourceRef::Membership => word("audit-on-membership"),
        ResourceRef::Member(id) => match names.organisations.get(&id).filter(|_| allowed) {
            Some(name) => with("audit-on-member-of", name, Some(paths::organisation(id))),
            None => word("audit-on-membership"),
        },
        ResourceRef::Group(id) => match names.organisations.get(&id).filter(|_| allowed) {
            Some(name) => with("audit-on-group-of", name, Some(paths::organisation_groups(id))),
            None => word("audit-on-group"),
        },
        ResourceRef::Invitation(org) => match org.and_then(|id| names.organisations.get(&id).map(|n| (id, n))) {
            Some((id, name)) if allowed => with("audit-on-invitation-of", name, Some(paths::organisation(id))),
            _ => word("audit-on-invitation"),
        },
        ResourceRef::Company(cf) => match names.companies.get(&cf).filter(|_| allowed) {
            Some(name) => Described { text: name.clone(), href: None },
            None => with("audit-on-company", &cf, None),
        },
        ResourceRef::Profile => word("audit-on-profile"),
        ResourceRef::SupportCase(number) => with("audit-on-support-case", &number, Some(paths::support_case(&number))),
        ResourceRef::OwnProfile => word("audit-on-own-profile"),
        ResourceRef::PortalPassword => word("audit-on-portal-password"),
        ResourceRef::HelpdeskQueue => word("audit-on-helpdesk-queue"),
        ResourceRef::ForeignRequest => word("audit-on-foreign-request"),
        ResourceRef::OrganisationApplication => word("audit-on-organisation-application"),
        ResourceRef::Relationship => word("audit-on-relationship"),
        ResourceRef::Clients => word("audit-on-clients"),
        ResourceRef::DelegaRequest => word("audit-on-delega-request"),
        ResourceRef::RequestBatch => word("audit-on-request-batch"),
        ResourceRef::Unknown(code) => Described { text: code, href: None },
    }
}

#[cfg(test)]
mod tests {
    use super::{Names, ResourceRef};
    use crate::access::{Listing, Resource};
    use crate::i18n::Lang;
    use crate::kernel::{AccountId, DelegaId, OrganisationId};

    #[test]
    fn as_whom_names_the_organisation_and_the_delega_else_the_citizen() {
        let mut names = Names::default();
        names.organisations.insert(OrganisationId::new(5), "Studio Verdi".into());
        assert_eq!(names.as_whom("org:5", Lang::It), "Studio Verdi");
        assert_eq!(names.as_whom("org:5/delega:2", Lang::En), "Studio Verdi · by delega no. 2");
        assert_eq!(names.as_whom("account:7", Lang::It), "Cittadino");
    }

    #[test]
    fn every_code_the_decision_writes_reads_back_as_a_known_resource() {
        let org = OrganisationId::new(2);
        let cases = [
            (Resource::OwnProfile, ResourceRef::OwnProfile),
            (Resource::Clients { delegate: "VRDLCU75C15L219T", holder: None }, ResourceRef::Clients),
            (Resource::Clients { delegate: "01234567897", holder: Some((org, None)) }, ResourceRef::Clients),
            (
                Resource::DelegaRequest {
                    id: 3,
                    requester: AccountId::new(7),
                    client: "X",
                    manages_client: false,
                    for_holder: None,
                },
                ResourceRef::DelegaRequest,
            ),
            (Resource::RequestBatch { id: 4, requester: AccountId::new(7) }, ResourceRef::RequestBatch),
            (Resource::Organisation { id: org, role: None }, ResourceRef::Organisation(org)),
            (
                Resource::DelegaGrant { organisation: Some((org, None)), needs: crate::kernel::Level::L2 },
                ResourceRef::DelegaGrant(Some(org)),
            ),
            (
                Resource::DelegaGrant { organisation: None, needs: crate::kernel::Level::L2 },
                ResourceRef::DelegaGrant(None),
            ),
            (
                Resource::Delega {
                    id: DelegaId::new(1),
                    grantor: AccountId::new(7),
                    delegate: "X",
                    for_organisation: false,
                    manages_subject: false,
                    held: None,
                },
                ResourceRef::Delega(DelegaId::new(1)),
            ),
            (
                Resource::SupportCase { number: "URP-2026-000001", owner: None },
                ResourceRef::SupportCase("URP-2026-000001".into()),
            ),
            (Resource::Resignations(Listing::Worker("RSSMRA80A01H501U")), ResourceRef::WorkerResignations),
            (
                Resource::Resignations(Listing::Employer { organisation: org }),
                ResourceRef::OrganisationResignations(org),
            ),
            (
                Resource::Resignations(Listing::SentFor { organisation: org }),
                ResourceRef::OrganisationResignations(org),
            ),
            (Resource::HelpdeskQueue, ResourceRef::HelpdeskQueue),
            (Resource::PortalPassword, ResourceRef::PortalPassword),
            (Resource::Rapporto { id: 3, employer: "A", typed: "A" }, ResourceRef::Relationship),
        ];
        for (resource, expected) in cases {
            assert_eq!(ResourceRef::parse(&resource.code()), expected, "{}", resource.code());
        }
        assert_eq!(ResourceRef::parse("dimissioni:20261202-ABC"), ResourceRef::Resignation("20261202-ABC".into()));
        assert_eq!(ResourceRef::parse("service:smart-working"), ResourceRef::Service("smart-working".into()));
        assert_eq!(ResourceRef::parse("org:x"), ResourceRef::Unknown("org:x".into()));
        // What the organisation pages write by hand.
        assert_eq!(ResourceRef::parse("org:4/member:9"), ResourceRef::Member(OrganisationId::new(4)));
        assert_eq!(ResourceRef::parse("org:4/group:3"), ResourceRef::Group(OrganisationId::new(4)));
        assert_eq!(ResourceRef::parse("org:4/invitation:2"), ResourceRef::Invitation(Some(OrganisationId::new(4))));
        assert_eq!(ResourceRef::parse("company:01234567897"), ResourceRef::Company("01234567897".into()));
        assert_eq!(ResourceRef::parse("profile"), ResourceRef::Profile);
    }
}
