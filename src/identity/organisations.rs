//! Organisations people act for, and their roles in them. A membership is
//! active from `since` until `until` (none: still active); ending it takes
//! effect on the member's next request (the principal is checked against it).
use crate::db::schema::{memberships as m, organisations as o};
use crate::db::AnyConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// What kind of organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrganisationKind {
    /// A company in the Italian registry.
    Impresa,
}

impl OrganisationKind {
    pub fn code(self) -> &'static str {
        match self {
            OrganisationKind::Impresa => "impresa",
        }
    }
}

/// A person's role in an organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Named by the registry; may manage members and deleghe.
    LegaleRappresentante,
    /// May manage members and deleghe.
    Amministratore,
    Operatore,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::LegaleRappresentante, Role::Amministratore, Role::Operatore];

    pub fn code(self) -> &'static str {
        match self {
            Role::LegaleRappresentante => "legale_rappresentante",
            Role::Amministratore => "amministratore",
            Role::Operatore => "operatore",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }

    /// The message key of the role's name.
    pub fn name_key(self) -> &'static str {
        match self {
            Role::LegaleRappresentante => "role-legal-representative",
            Role::Amministratore => "role-administrator",
            Role::Operatore => "role-operator",
        }
    }
}

/// An active membership with its organisation, as a person's profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub membership_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub tax_code: String,
    pub role: Role,
    pub since: NaiveDateTime,
}

/// The organisation with `tax_code`, created from the registry's data if new.
pub fn organisation_for(
    conn: &mut AnyConnection,
    kind: OrganisationKind,
    tax_code: &str,
    name: &str,
    pec: &str,
    seat: &str,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    if let Some(id) = o::table.filter(o::tax_code.eq(tax_code)).select(o::id).first(conn).optional()? {
        diesel::update(o::table.find(id)).set((o::name.eq(name), o::pec.eq(pec), o::seat.eq(seat))).execute(conn)?;
        return Ok(id);
    }
    diesel::insert_into(o::table)
        .values((
            o::kind.eq(kind.code()),
            o::tax_code.eq(tax_code),
            o::name.eq(name),
            o::pec.eq(pec),
            o::seat.eq(seat),
            o::created_at.eq(now),
        ))
        .execute(conn)?;
    o::table.filter(o::tax_code.eq(tax_code)).select(o::id).first(conn)
}

/// Gives `account` `role` in `organisation` unless it already has an active
/// membership there; returns the membership and whether it is new.
pub fn join(
    conn: &mut AnyConnection,
    organisation_id: i64,
    account_id: i64,
    role: Role,
    now: NaiveDateTime,
) -> QueryResult<(i64, bool)> {
    let active = m::table
        .filter(m::organisation_id.eq(organisation_id))
        .filter(m::account_id.eq(account_id))
        .filter(m::until.is_null())
        .select(m::id)
        .first::<i64>(conn)
        .optional()?;
    if let Some(id) = active {
        return Ok((id, false));
    }
    // In a savepoint: the same membership created at the same moment by
    // another request (a unique index allows one active) is not an error.
    let _ = conn.transaction(|c| {
        diesel::insert_into(m::table)
            .values((
                m::organisation_id.eq(organisation_id),
                m::account_id.eq(account_id),
                m::role.eq(role.code()),
                m::since.eq(now),
            ))
            .execute(c)
    });
    let id = m::table
        .filter(m::organisation_id.eq(organisation_id))
        .filter(m::account_id.eq(account_id))
        .filter(m::until.is_null())
        .select(m::id)
        .first(conn)?;
    Ok((id, true))
}

/// A person's active profiles, by organisation name.
pub fn profiles_of(conn: &mut AnyConnection, account_id: i64) -> QueryResult<Vec<Profile>> {
    let rows: Vec<(i64, i64, String, String, String, NaiveDateTime)> = m::table
        .inner_join(o::table)
        .filter(m::account_id.eq(account_id))
        .filter(m::until.is_null())
        .order(o::name)
        .select((m::id, o::id, o::name, o::tax_code, m::role, m::since))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(membership_id, organisation_id, organisation_name, tax_code, role, since)| {
            Some(Profile {
                membership_id,
                organisation_id,
                organisation_name,
                tax_code,
                role: Role::parse(&role)?,
                since,
            })
        })
        .collect())
}

/// The active membership `id` of `account_id`, if it is one: anyone else's
/// id, or an ended membership, finds nothing.
pub fn active_membership(conn: &mut AnyConnection, id: i64, account_id: i64) -> QueryResult<Option<Profile>> {
    Ok(profiles_of(conn, account_id)?.into_iter().find(|p| p.membership_id == id))
}

/// Who holds the active membership `id`, if it is active.
pub fn holder_of(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<i64>> {
    m::table.find(id).filter(m::until.is_null()).select(m::account_id).first(conn).optional()
}

/// Ends a membership (the person was removed, or the registry no longer names them).
pub fn end_membership(conn: &mut AnyConnection, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    Ok(diesel::update(m::table.find(id).filter(m::until.is_null())).set(m::until.eq(now)).execute(conn)? == 1)
}

/// Organisation names by id, for showing whom someone acted for.
pub fn names(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    o::table.filter(o::id.eq_any(ids)).select((o::id, o::name)).load(conn)
}
