//! Portal roles held by identifier: helpdesk operators (named by
//! `servizi-lavoro operators add <codice fiscale>`) and Ispettorato officers
//! of an office (`servizi-lavoro itl add <codice fiscale> <codice ufficio>`;
//! the offices are the Dimissioni domain's). Found at sign-in
//! and kept in the principal; removing a role ends the person's sessions.
use crate::db::schema::{accounts as a, itl_officers as itl, operators as o};
use crate::db::AnyConnection;
use crate::kernel::{AccountId, Role};
use diesel::prelude::*;

/// Gives the operator role to a codice fiscale (idempotent).
pub fn add(conn: &mut AnyConnection, codice_fiscale: &str, now: chrono::NaiveDateTime) -> QueryResult<bool> {
    let exists = o::table.find(codice_fiscale).count().get_result::<i64>(conn)? > 0;
    if exists {
        return Ok(false);
    }
    diesel::insert_into(o::table).values((o::identifier.eq(codice_fiscale), o::added_at.eq(now))).execute(conn)?;
    Ok(true)
}

/// Takes the role away and ends the sessions of the accounts with that
/// codice fiscale, so it takes effect at once.
pub fn remove(conn: &mut AnyConnection, codice_fiscale: &str, now: chrono::NaiveDateTime) -> QueryResult<bool> {
    conn.transaction(|c| {
        let removed = diesel::delete(o::table.find(codice_fiscale)).execute(c)? > 0;
        end_sessions(c, codice_fiscale, now)?;
        Ok(removed)
    })
}

fn end_sessions(c: &mut AnyConnection, codice_fiscale: &str, now: chrono::NaiveDateTime) -> QueryResult<()> {
    {
        let accounts: Vec<AccountId> = a::table
            .filter(a::id_kind.eq(super::IdKind::CodiceFiscale.code()))
            .filter(a::identifier.eq(codice_fiscale))
            .select(a::id)
            .load(c)?;
        super::account::end_sessions_of(c, &accounts, now).map(|_| ())
    }
}

/// Makes a codice fiscale an officer of the Ispettorato's office `office`
/// (or moves them there).
pub fn add_itl(
    conn: &mut AnyConnection,
    codice_fiscale: &str,
    office: &str,
    now: chrono::NaiveDateTime,
) -> QueryResult<()> {
    conn.transaction(|c| {
        diesel::delete(itl::table.find(codice_fiscale)).execute(c)?;
        diesel::insert_into(itl::table)
            .values((
                itl::identifier.eq(codice_fiscale),
                itl::province.eq(""),
                itl::office_code.eq(office),
                itl::added_at.eq(now),
            ))
            .execute(c)?;
        end_sessions(c, codice_fiscale, now)
    })
}

/// Takes the officer role away (their sessions end).
pub fn remove_itl(conn: &mut AnyConnection, codice_fiscale: &str, now: chrono::NaiveDateTime) -> QueryResult<bool> {
    conn.transaction(|c| {
        let removed = diesel::delete(itl::table.find(codice_fiscale)).execute(c)? > 0;
        end_sessions(c, codice_fiscale, now)?;
        Ok(removed)
    })
}

/// Where a codice fiscale is an Ispettorato officer: their office, or (as
/// recorded before offices were loaded) a province.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItlPost {
    Office(String),
    Province(String),
}

pub fn itl_post(conn: &mut AnyConnection, codice_fiscale: &str) -> QueryResult<Option<ItlPost>> {
    let row: Option<(Option<String>, String)> =
        itl::table.find(codice_fiscale).select((itl::office_code, itl::province)).first(conn).optional()?;
    Ok(row.map(|(office, province)| match office {
        Some(o) => ItlPost::Office(o),
        None => ItlPost::Province(province),
    }))
}

/// The roles of a person signed in with a codice fiscale (none for others).
pub fn of(conn: &mut AnyConnection, kind: super::IdKind, identifier: &str) -> QueryResult<Vec<Role>> {
    if kind != super::IdKind::CodiceFiscale {
        return Ok(Vec::new());
    }
    let mut roles = Vec::new();
    if o::table.find(identifier).count().get_result::<i64>(conn)? > 0 {
        roles.push(Role::HelpdeskOperator);
    }
    if itl_post(conn, identifier)?.is_some() {
        roles.push(Role::ItlOfficer);
    }
    Ok(roles)
}
