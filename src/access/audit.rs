//! The append-only audit trail of access decisions (the database refuses
//! updates and deletes of its rows).
use crate::db::schema::audit_events as a;
use crate::db::AnyConnection;
use crate::kernel::{DelegaId, OrganisationId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, Queryable)]
pub struct AuditEvent {
    pub at: NaiveDateTime,
    pub actor_account_id: Option<i64>,
    /// Whom the actor acted for: `account:7`, `org:3`, `anonymous`.
    pub subject: String,
    pub action: String,
    pub resource: String,
    /// `allowed` or `denied`.
    pub outcome: String,
    /// `allowed`, or the denial's code.
    pub reason: String,
    pub request_id: String,
}

pub fn record(conn: &mut AnyConnection, e: &AuditEvent) -> QueryResult<()> {
    diesel::insert_into(a::table)
        .values((
            a::at.eq(e.at),
            a::actor_account_id.eq(e.actor_account_id),
            a::subject.eq(&e.subject),
            a::action.eq(&e.action),
            a::resource.eq(&e.resource),
            a::outcome.eq(&e.outcome),
            a::reason.eq(&e.reason),
            a::request_id.eq(&e.request_id),
        ))
        .execute(conn)
        .map(|_| ())
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
pub fn by_actor(conn: &mut AnyConnection, account_id: i64, limit: i64) -> QueryResult<Vec<AuditEvent>> {
    a::table
        .filter(a::actor_account_id.eq(account_id))
        .order(a::id.desc())
        .limit(limit)
        .select((a::at, a::actor_account_id, a::subject, a::action, a::resource, a::outcome, a::reason, a::request_id))
        .load(conn)
}

/// What was done for or to organisation `id` — on its behalf, or to its
/// members and invitations — newest first (its activity page).
pub fn about_organisation(conn: &mut AnyConnection, id: OrganisationId, limit: i64) -> QueryResult<Vec<AuditEvent>> {
    let own = format!("org:{id}");
    let within = format!("org:{id}/%");
    a::table
        .filter(a::subject.eq(&own).or(a::subject.like(&within)).or(a::resource.eq(&own)).or(a::resource.like(&within)))
        .order(a::id.desc())
        .limit(limit)
        .select((a::at, a::actor_account_id, a::subject, a::action, a::resource, a::outcome, a::reason, a::request_id))
        .load(conn)
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

/// The name of an action (`activity-action-…`), or its code.
pub fn action_name(code: &str, lang: crate::i18n::Lang) -> String {
    let key = format!("activity-action-{code}");
    let name = lang.t(&key);
    if name.starts_with(crate::i18n::MISSING_MARKER) {
        code.to_string()
    } else {
        name
    }
}
