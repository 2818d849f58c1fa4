//! Development only (`servizi-lavoro demo scale --activity N`): an
//! organisation's activity at national size — `count` reads of its pages by
//! one of its people, one a second back from now — written by one statement
//! in the database (a million rows in seconds, not a million round trips).
use crate::db::AnyConnection;
use crate::kernel::{AccountId, OrganisationId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Adds `count` events done as organisation `org` by `actor`; returns how many.
pub fn load_activity(
    conn: &mut AnyConnection,
    org: OrganisationId,
    actor: AccountId,
    count: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    // Only numbers and a formatted time are written into the statement.
    let (org, actor, at) = (org.get(), actor.get(), now.format("%Y-%m-%d %H:%M:%S"));
    let columns =
        "at, actor_account_id, subject, action, resource, outcome, reason, request_id, subject_org, resource_org";
    let resource =
        format!("CASE i % 3 WHEN 0 THEN 'org:{org}' WHEN 1 THEN 'service:cigsonline' ELSE 'org:{org}/dimissioni' END");
    let resource_org = format!("CASE i % 3 WHEN 1 THEN NULL ELSE {org} END");
    let sql = match conn {
        AnyConnection::Sqlite(_) => format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count}) \
             INSERT INTO audit_events ({columns}) \
             SELECT datetime('{at}', '-' || ({count} - i) || ' seconds'), {actor}, 'org:{org}', 'view', {resource}, \
             'allowed', 'allowed', 'scale-' || i, {org}, {resource_org} FROM n"
        ),
        AnyConnection::Postgresql(_) => format!(
            "INSERT INTO audit_events ({columns}) \
             SELECT TIMESTAMP '{at}' - ({count} - i) * INTERVAL '1 second', {actor}, 'org:{org}', 'view', {resource}, \
             'allowed', 'allowed', 'scale-' || i, {org}, {resource_org} FROM generate_series(1, {count}) AS n(i)"
        ),
    };
    diesel::sql_query(sql).execute(conn)
}
