//! The append-only audit trail of access decisions (the database refuses
//! updates and deletes of its rows).
use super::decision::Action;
use crate::db::schema::audit_events as a;
use crate::db::AnyConnection;
use crate::kernel::{AccountId, DelegaId, OrganisationId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// What was done: an access decision's action, or one of the changes
/// recorded after it (a profile's own words in the activity pages).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    Decided(Action),
    Associate,
    Invite,
    RevokeInvitation,
    AcceptInvitation,
    RefuseInvitation,
    ChangeRole,
    RemoveMember,
    /// An operatore given only some services, or all of them again.
    ChangeServices,
    /// A work group made, its operatori or clients changed, or deleted.
    CreateGroup,
    ChangeGroup,
    DeleteGroup,
}

impl AuditAction {
    const CHANGES: [AuditAction; 11] = [
        AuditAction::Associate,
        AuditAction::Invite,
        AuditAction::RevokeInvitation,
        AuditAction::AcceptInvitation,
        AuditAction::RefuseInvitation,
        AuditAction::ChangeRole,
        AuditAction::RemoveMember,
        AuditAction::ChangeServices,
        AuditAction::CreateGroup,
        AuditAction::ChangeGroup,
        AuditAction::DeleteGroup,
    ];

    /// The stored code (also the end of its message key, `activity-action-…`).
    pub fn code(self) -> &'static str {
        match self {
            AuditAction::Decided(a) => a.code(),
            AuditAction::Associate => "associate",
            AuditAction::Invite => "invite",
            AuditAction::RevokeInvitation => "revoke-invitation",
            AuditAction::AcceptInvitation => "accept-invitation",
            AuditAction::RefuseInvitation => "refuse-invitation",
            AuditAction::ChangeRole => "change-role",
            AuditAction::RemoveMember => "remove-member",
            AuditAction::ChangeServices => "change-services",
            AuditAction::CreateGroup => "create-group",
            AuditAction::ChangeGroup => "change-group",
            AuditAction::DeleteGroup => "delete-group",
        }
    }

    pub fn parse(s: &str) -> Option<AuditAction> {
        Action::ALL.into_iter().map(AuditAction::Decided).chain(Self::CHANGES).find(|a| a.code() == s)
    }

    /// Its name in `lang`.
    pub fn name(self, lang: crate::i18n::Lang) -> String {
        lang.t(&format!("activity-action-{}", self.code()))
    }
}

impl TryFrom<String> for AuditAction {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s).ok_or_else(|| format!("unknown audit action {s:?}"))
    }
}

/// Whether the decision allowed what was asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Allowed,
    Denied,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Denied => "denied",
        }
    }

    /// Its name in `lang`.
    pub fn name(self, lang: crate::i18n::Lang) -> String {
        lang.t(match self {
            Outcome::Allowed => "activity-allowed",
            Outcome::Denied => "activity-denied",
        })
    }
}

impl TryFrom<String> for Outcome {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        match s.as_str() {
            "allowed" => Ok(Outcome::Allowed),
            "denied" => Ok(Outcome::Denied),
            _ => Err(format!("unknown outcome {s:?}")),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Queryable)]
pub struct AuditEvent {
    pub at: NaiveDateTime,
    pub actor_account_id: Option<AccountId>,
    /// Whom the actor acted for: `account:7`, `org:3`, `anonymous`.
    pub subject: String,
    #[diesel(deserialize_as = String)]
    pub action: AuditAction,
    pub resource: String,
    #[diesel(deserialize_as = String)]
    pub outcome: Outcome,
    /// `allowed`, or the denial's code.
    pub reason: String,
    pub request_id: String,
}

impl AuditEvent {
    /// The same act as `other`: who, for whom, what, on what, with what outcome.
    fn same_act(&self, other: &AuditEvent) -> bool {
        (self.actor_account_id, &self.subject, self.action, &self.resource, self.outcome)
            == (other.actor_account_id, &other.subject, other.action, &other.resource, other.outcome)
    }
}

/// Events as people read them: one row per act, however many pages it took
/// (the same page viewed again and again in a row is one row, with how
/// many times). Newest first, as given.
pub fn in_runs(events: &[AuditEvent]) -> Vec<(&AuditEvent, usize)> {
    let mut out: Vec<(&AuditEvent, usize)> = Vec::new();
    for e in events {
        match out.last_mut() {
            Some((first, n)) if first.same_act(e) => *n += 1,
            _ => out.push((e, 1)),
        }
    }
    out
}

pub fn record(conn: &mut AnyConnection, e: &AuditEvent) -> QueryResult<()> {
    diesel::insert_into(a::table)
        .values((
            a::at.eq(e.at),
            a::actor_account_id.eq(e.actor_account_id),
            a::subject.eq(&e.subject),
            a::action.eq(e.action.code()),
            a::resource.eq(&e.resource),
            a::outcome.eq(e.outcome.code()),
            a::reason.eq(&e.reason),
            a::request_id.eq(&e.request_id),
            a::subject_org.eq(organisation_named(&e.subject).map(OrganisationId::get)),
            a::resource_org.eq(organisation_named(&e.resource).map(OrganisationId::get)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The organisation a subject or resource code names (`org:5`, `org:5/delega:2`, `org:5/members`…).
pub(super) fn organisation_named(code: &str) -> Option<OrganisationId> {
    code.strip_prefix("org:")?.split('/').next()?.parse().ok()
}

/// The most recent events, newest first (for tests and the activity history).
pub fn recent(conn: &mut AnyConnection, limit: i64) -> QueryResult<Vec<AuditEvent>> {
    a::table
        .order(a::id.desc())
        .limit(limit)
        .select((a::at, a::actor_account_id, a::subject, a::action, a::resource, a::outcome, a::reason, a::request_id))
        .load(conn)
}

/// What one person did, newest first (their activity history).
pub fn by_actor(conn: &mut AnyConnection, account_id: AccountId, limit: i64) -> QueryResult<Vec<AuditEvent>> {
    a::table
        .filter(a::actor_account_id.eq(account_id))
        .order(a::id.desc())
        .limit(limit)
        .select((a::at, a::actor_account_id, a::subject, a::action, a::resource, a::outcome, a::reason, a::request_id))
        .load(conn)
}

/// What was done for or to organisation `id` — on its behalf, or to its
/// members and invitations — newest first, older than `before` (the last id
/// of the page shown), at most `limit`, each with its id: two index ranges
/// (as the subject, as the resource) merged.
pub fn about_organisation(
    conn: &mut AnyConnection,
    id: OrganisationId,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<(i64, AuditEvent)>> {
    let columns =
        (a::at, a::actor_account_id, a::subject, a::action, a::resource, a::outcome, a::reason, a::request_id);
    let below = before.unwrap_or(i64::MAX);
    let org = id.get();
    let mut found: Vec<(i64, AuditEvent)> = a::table
        .filter(a::subject_org.eq(org))
        .filter(a::id.lt(below))
        .order(a::id.desc())
        .limit(limit)
        .select((a::id, columns))
        .load(conn)?;
    found.extend(
        a::table
            .filter(a::resource_org.eq(org))
            .filter(a::id.lt(below))
            .order(a::id.desc())
            .limit(limit)
            .select((a::id, columns))
            .load::<(i64, AuditEvent)>(conn)?,
    );
    found.sort_by_key(|(id, _)| std::cmp::Reverse(*id));
    found.dedup_by_key(|(id, _)| *id);
    found.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(found)
}

/// What was done through delega `id`, newest first (shown to its grantor's side).
pub fn under_delega(conn: &mut AnyConnection, id: DelegaId, limit: i64) -> QueryResult<Vec<AuditEvent>> {
    a::table
        .filter(a::subject.like(format!("%/delega:{id}")))
        .order(a::id.desc())
        .limit(limit)
        .select((a::at, a::actor_account_id, a::subject, a::action, a::resource, a::outcome, a::reason, a::request_id))
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::{in_runs, organisation_named, Action, AuditAction, AuditEvent, OrganisationId, Outcome};

    #[test]
    fn the_organisation_a_code_names_is_read_from_its_start() {
        assert_eq!(organisation_named("org:5").map(OrganisationId::get), Some(5));
        assert_eq!(organisation_named("org:12/delega:3").map(OrganisationId::get), Some(12));
        assert_eq!(organisation_named("org:7/dimissioni").map(OrganisationId::get), Some(7));
        assert_eq!(organisation_named("org-application:4").map(OrganisationId::get), None);
        assert_eq!(organisation_named("service:org:5").map(OrganisationId::get), None);
        assert_eq!(organisation_named("me").map(OrganisationId::get), None);
    }

    fn viewed(resource: &str, minute: u32) -> AuditEvent {
        AuditEvent {
            at: chrono::NaiveDate::from_ymd_opt(2026, 12, 2).and_then(|d| d.and_hms_opt(10, minute, 0)).expect("time"),
            actor_account_id: None,
            subject: "org:1/delega:2".into(),
            action: AuditAction::Decided(Action::View),
            resource: resource.into(),
            outcome: Outcome::Allowed,
            reason: "allowed".into(),
            request_id: String::new(),
        }
    }

    #[test]
    fn the_same_page_viewed_in_a_row_is_one_row_with_its_count() {
        let events = [
            viewed("dimissioni:list", 3),
            viewed("dimissioni:list", 2),
            viewed("service:x", 1),
            viewed("dimissioni:list", 0),
        ];
        let runs: Vec<(String, usize)> = in_runs(&events).into_iter().map(|(e, n)| (e.resource.clone(), n)).collect();
        assert_eq!(runs, [("dimissioni:list".into(), 2), ("service:x".into(), 1), ("dimissioni:list".into(), 1)]);
    }
    use crate::i18n::Lang;

    /// Each action reads back from its stored code and has its name in both languages.
    #[test]
    fn every_audit_action_reads_back_and_has_a_name() {
        let all = Action::ALL.into_iter().map(AuditAction::Decided).chain(AuditAction::CHANGES);
        for a in all {
            assert_eq!(AuditAction::parse(a.code()), Some(a));
            for lang in [Lang::It, Lang::En] {
                assert!(!a.name(lang).starts_with(crate::i18n::MISSING_MARKER), "{} in {lang:?}", a.code());
            }
        }
        assert_eq!(AuditAction::parse("dimissioni"), None);
    }
}
