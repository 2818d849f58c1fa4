//! The register of AuthnRequest/Response pairs that the SPID rules require
//! (DPCM 24/10/2014 art. 13): raw messages and their identifiers, kept 24 months.
use crate::db::schema::{saml_register as r, saml_replay};
use crate::db::AnyConnection;
use crate::saml::response::ResponseRecord;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub const RETENTION_MONTHS: u32 = 24;

pub fn record_request(
    conn: &mut AnyConnection,
    request_id: &str,
    issue_instant: NaiveDateTime,
    xml: &str,
    idp: &str,
    now: chrono::NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(r::table)
        .values((
            r::request_id.eq(request_id),
            r::request_issue_instant.eq(issue_instant),
            r::request_xml.eq(xml),
            r::idp_entity_id.eq(idp),
            r::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn record_response(conn: &mut AnyConnection, request_id: &str, rec: &ResponseRecord) -> QueryResult<()> {
    diesel::update(r::table.filter(r::request_id.eq(request_id)))
        .set((
            r::response_id.eq(&rec.response_id),
            r::response_issue_instant.eq(&rec.issue_instant),
            r::response_issuer.eq(&rec.issuer),
            r::assertion_id.eq(&rec.assertion_id),
            r::assertion_subject.eq(&rec.subject),
            r::assertion_name_qualifier.eq(&rec.name_qualifier),
            r::response_xml.eq(&rec.xml),
            r::outcome.eq(&rec.outcome),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Deletes register entries older than the retention period; returns how many.
pub fn purge(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<usize> {
    let cutoff = now.checked_sub_months(chrono::Months::new(RETENTION_MONTHS)).unwrap_or(now);
    diesel::delete(r::table.filter(r::created_at.lt(cutoff))).execute(conn)
}

/// Forgets assertion IDs past their validity (the scheduled clean-ups).
pub fn purge_replay(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(saml_replay::table.filter(saml_replay::expires_at.lt(now))).execute(conn)
}

/// Remembers an assertion ID until `until`; false when it was already used.
pub fn first_use(
    conn: &mut AnyConnection,
    id: &str,
    until: NaiveDateTime,
    now: chrono::NaiveDateTime,
) -> QueryResult<bool> {
    conn.transaction(|c| {
        diesel::delete(saml_replay::table.filter(saml_replay::expires_at.lt(now))).execute(c)?;
        let seen = saml_replay::table.find(id).count().get_result::<i64>(c)? > 0;
        if seen {
            return Ok(false);
        }
        diesel::insert_into(saml_replay::table)
            .values((saml_replay::id.eq(id), saml_replay::expires_at.eq(until)))
            .execute(c)?;
        Ok(true)
    })
    .or_else(|e| match e {
        // Two instances racing on the same ID: the loser sees a duplicate key.
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => Ok(false),
        other => Err(other),
    })
}
