//! Gruppi di lavoro: inside an organisation that holds deleghe (a studio),
//! those who manage it put some operatori and some clients (by codice
//! fiscale) in a group; an operatore sees and acts only for the clients of
//! their groups, managers for all. Read again on every request, so a change
//! applies from the operatore's next page. Changing a group needs a permit
//! to change the organisation; reading one's own assignment needs none (it
//! only ever narrows what a member may do).
use super::model::Delega;
use crate::access::{Action, Holding, Permit, Resource};
use crate::db::schema::{
    accounts as a, memberships as m, organisations as o, work_group_clients as gc, work_group_members as gm,
    work_groups as g,
};
use crate::db::AnyConnection;
use crate::kernel::{AccountId, GroupId, MemberRole, MembershipId, OrganisationId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Most groups an organisation keeps, and clients added in one go.
pub const MAX_GROUPS: i64 = 200;
pub const MAX_CLIENTS_AT_ONCE: usize = 500;

/// A group as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub id: GroupId,
    pub name: String,
    pub members: i64,
    pub clients: i64,
}

/// A group's operatori and clients.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupDetail {
    pub id: GroupId,
    pub name: String,
    /// Active memberships in it, with the person's name.
    pub members: Vec<(MembershipId, String)>,
    /// Clients by codice fiscale, with their name when the portal knows it.
    pub clients: Vec<(String, Option<String>)>,
}

fn org(id: OrganisationId) -> Resource<'static> {
    Resource::Organisation { id, role: None }
}

fn may_read(permit: &Permit, id: OrganisationId) -> QueryResult<()> {
    if permit.covers(Action::Change, &org(id)) {
        return Ok(());
    }
    permit.require(Action::View, &org(id))
}

/// The organisation's groups by name.
pub fn list(conn: &mut AnyConnection, permit: &Permit, organisation: OrganisationId) -> QueryResult<Vec<Group>> {
    may_read(permit, organisation)?;
    let groups: Vec<(GroupId, String)> = g::table
        .filter(g::organisation_id.eq(organisation))
        .order((g::name.asc(), g::id.asc()))
        .limit(MAX_GROUPS)
        .select((g::id, g::name))
        .load(conn)?;
    let ids: Vec<GroupId> = groups.iter().map(|x| x.0).collect();
    let members: Vec<(GroupId, i64)> = gm::table
        .inner_join(m::table.on(m::id.eq(gm::membership_id)))
        .filter(gm::group_id.eq_any(&ids))
        .filter(m::until.is_null())
        .group_by(gm::group_id)
        .select((gm::group_id, diesel::dsl::count_star()))
        .load(conn)?;
    let clients: Vec<(GroupId, i64)> = gc::table
        .filter(gc::group_id.eq_any(&ids))
        .group_by(gc::group_id)
        .select((gc::group_id, diesel::dsl::count_star()))
        .load(conn)?;
    let count = |list: &[(GroupId, i64)], id| list.iter().find(|x| x.0 == id).map_or(0, |x| x.1);
    Ok(groups
        .into_iter()
        .map(|(id, name)| Group { id, members: count(&members, id), clients: count(&clients, id), name })
        .collect())
}

/// Why a change to a group was not made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupRefusal {
    /// Another group of the organisation has that name.
    NameTaken,
    /// The organisation keeps [`MAX_GROUPS`] already.
    TooMany,
}

/// A new, empty group.
pub fn create(
    conn: &mut AnyConnection,
    permit: &Permit,
    organisation: OrganisationId,
    name: &str,
    now: NaiveDateTime,
) -> QueryResult<Result<GroupId, GroupRefusal>> {
    permit.require(Action::Change, &org(organisation))?;
    conn.transaction(|c| {
        // The organisation's row first: two groups made at once are checked
        // one after the other ("Edilizia" and "edilizia" are one name).
        diesel::update(o::table.find(organisation)).set(o::name.eq(o::name)).execute(c)?;
        let existing: Vec<String> = g::table.filter(g::organisation_id.eq(organisation)).select(g::name).load(c)?;
        if existing.iter().any(|n| n.to_lowercase() == name.to_lowercase()) {
            return Ok(Err(GroupRefusal::NameTaken));
        }
        if existing.len() as i64 >= MAX_GROUPS {
            return Ok(Err(GroupRefusal::TooMany));
        }
        let id = diesel::insert_into(g::table)
            .values((g::organisation_id.eq(organisation), g::name.eq(name), g::created_at.eq(now)))
            .returning(g::id)
            .get_result(c)?;
        Ok(Ok(id))
    })
}

/// Group `id` of the organisation, with its operatori and clients; another
/// organisation's group is not found.
pub fn find(
    conn: &mut AnyConnection,
    permit: &Permit,
    organisation: OrganisationId,
    id: GroupId,
) -> QueryResult<Option<GroupDetail>> {
    may_read(permit, organisation)?;
    let Some(name) = g::table
        .filter(g::id.eq(id))
        .filter(g::organisation_id.eq(organisation))
        .select(g::name)
        .first::<String>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let members: Vec<(MembershipId, String, String)> = gm::table
        .inner_join(m::table.on(m::id.eq(gm::membership_id)))
        .inner_join(a::table.on(a::id.eq(m::account_id)))
        .filter(gm::group_id.eq(id))
        .filter(m::until.is_null())
        .order((a::family_name, a::given_name, m::id))
        .select((m::id, a::given_name, a::family_name))
        .load(conn)?;
    let codes: Vec<String> = gc::table
        .filter(gc::group_id.eq(id))
        .order(gc::client_codice_fiscale)
        .select(gc::client_codice_fiscale)
        .load(conn)?;
    let names = client_names(conn, &codes)?;
    Ok(Some(GroupDetail {
        id,
        name,
        members: members.into_iter().map(|(id, given, family)| (id, format!("{given} {family}"))).collect(),
        clients: codes
            .into_iter()
            .map(|cf| {
                let name = names.iter().find(|n| n.0 == cf).map(|n| n.1.clone());
                (cf, name)
            })
            .collect(),
    }))
}

/// Names the portal knows for these codici fiscali: organisations first, then people.
fn client_names(conn: &mut AnyConnection, codes: &[String]) -> QueryResult<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> =
        o::table.filter(o::codice_fiscale.eq_any(codes)).select((o::codice_fiscale, o::name)).load(conn)?;
    let people: Vec<(String, String, String)> = a::table
        .filter(a::identifier.eq_any(codes))
        .select((a::identifier, a::given_name, a::family_name))
        .load(conn)?;
    out.extend(people.into_iter().map(|(cf, given, family)| (cf, format!("{given} {family}"))));
    Ok(out)
}

/// Makes the group's operatori exactly `members` (only the organisation's
/// active operatori count; managers act for every client anyway). The
/// operatori before and after, for the activity.
pub fn set_members(
    conn: &mut AnyConnection,
    permit: &Permit,
    organisation: OrganisationId,
    id: GroupId,
    members: &[MembershipId],
) -> QueryResult<Option<(Vec<MembershipId>, Vec<MembershipId>)>> {
    permit.require(Action::Change, &org(organisation))?;
    conn.transaction(|c| {
        if !lock_group(c, organisation, id)? {
            return Ok(None);
        }
        let mut wanted: Vec<MembershipId> = m::table
            .filter(m::organisation_id.eq(organisation))
            .filter(m::until.is_null())
            .filter(m::role.eq(MemberRole::Operatore.code()))
            .filter(m::id.eq_any(members))
            .select(m::id)
            .load(c)?;
        wanted.sort();
        let mut before: Vec<MembershipId> = gm::table.filter(gm::group_id.eq(id)).select(gm::membership_id).load(c)?;
        before.sort();
        diesel::delete(gm::table.filter(gm::group_id.eq(id))).execute(c)?;
        for membership in &wanted {
            diesel::insert_into(gm::table)
                .values((gm::group_id.eq(id), gm::membership_id.eq(membership)))
                .execute(c)?;
        }
        Ok(Some((before, wanted)))
    })
}

/// Adds clients (codici fiscali already checked) to the group; those added.
pub fn add_clients(
    conn: &mut AnyConnection,
    permit: &Permit,
    organisation: OrganisationId,
    id: GroupId,
    clients: &[String],
) -> QueryResult<Option<Vec<String>>> {
    permit.require(Action::Change, &org(organisation))?;
    conn.transaction(|c| {
        if !lock_group(c, organisation, id)? {
            return Ok(None);
        }
        let present: Vec<String> = gc::table
            .filter(gc::group_id.eq(id))
            .filter(gc::client_codice_fiscale.eq_any(clients))
            .select(gc::client_codice_fiscale)
            .load(c)?;
        let mut added = Vec::new();
        for cf in clients.iter().filter(|cf| !present.contains(cf)) {
            if added.contains(cf) {
                continue;
            }
            diesel::insert_into(gc::table)
                .values((gc::group_id.eq(id), gc::client_codice_fiscale.eq(cf)))
                .execute(c)?;
            added.push(cf.clone());
        }
        Ok(Some(added))
    })
}

/// Takes a client out of the group; whether it was in it.
pub fn remove_client(
    conn: &mut AnyConnection,
    permit: &Permit,
    organisation: OrganisationId,
    id: GroupId,
    client: &str,
) -> QueryResult<bool> {
    permit.require(Action::Change, &org(organisation))?;
    conn.transaction(|c| {
        if !lock_group(c, organisation, id)? {
            return Ok(false);
        }
        let n = diesel::delete(gc::table.filter(gc::group_id.eq(id)).filter(gc::client_codice_fiscale.eq(client)))
            .execute(c)?;
        Ok(n == 1)
    })
}

/// Deletes the group (its operatori keep no clients through it); whether it existed.
pub fn delete(
    conn: &mut AnyConnection,
    permit: &Permit,
    organisation: OrganisationId,
    id: GroupId,
) -> QueryResult<bool> {
    permit.require(Action::Change, &org(organisation))?;
    conn.transaction(|c| {
        if !lock_group(c, organisation, id)? {
            return Ok(false);
        }
        diesel::delete(gc::table.filter(gc::group_id.eq(id))).execute(c)?;
        diesel::delete(gm::table.filter(gm::group_id.eq(id))).execute(c)?;
        Ok(diesel::delete(g::table.find(id)).execute(c)? == 1)
    })
}

/// Whether group `id` is the organisation's, taking its row for the rest of
/// the transaction (PostgreSQL's row lock, SQLite's writer lock): two changes
/// to one group at once are made one after the other, so neither inserts a
/// row the other has just written.
fn lock_group(c: &mut AnyConnection, organisation: OrganisationId, id: GroupId) -> QueryResult<bool> {
    let target = g::table.filter(g::id.eq(id)).filter(g::organisation_id.eq(organisation));
    Ok(diesel::update(target).set(g::name.eq(g::name)).execute(c)? == 1)
}

/// Whether membership `membership`'s groups include client `client`.
pub fn is_assigned(conn: &mut AnyConnection, membership: MembershipId, client: &str) -> QueryResult<bool> {
    let query = gc::table
        .inner_join(gm::table.on(gm::group_id.eq(gc::group_id)))
        .filter(gm::membership_id.eq(membership))
        .filter(gc::client_codice_fiscale.eq(client))
        .select(gc::client_codice_fiscale);
    let found: Option<String> = crate::db::on_backend!(conn, |c| query.first(c).optional())?;
    Ok(found.is_some())
}

/// How `account` stands toward a delega for `client` held by `holder` now:
/// their role there, whether their groups give them that client, and the
/// services the organisation limited them to (an operatore given only some;
/// acting through its deleghe they use no other).
pub fn standing(
    conn: &mut AnyConnection,
    holder: OrganisationId,
    account: AccountId,
    client: &str,
) -> QueryResult<(Holding, Option<Vec<String>>)> {
    let query = m::table
        .filter(m::organisation_id.eq(holder))
        .filter(m::account_id.eq(account))
        .filter(m::until.is_null())
        .select((m::id, m::role, m::services));
    let membership: Option<(MembershipId, String, Option<String>)> =
        crate::db::on_backend!(conn, |c| query.first(c).optional())?;
    let Some((id, role, services)) = membership else { return Ok((Holding { role: None, assigned: false }, None)) };
    let role = MemberRole::parse(&role);
    let operatore = role == Some(MemberRole::Operatore);
    let assigned = operatore && is_assigned(conn, id, client)?;
    let limit = services.filter(|_| operatore).map(|s| s.split_whitespace().map(str::to_string).collect());
    Ok((Holding { role, assigned }, limit))
}

/// The principal's standing toward delega `d` if an organisation holds it.
pub fn holding_of(
    conn: &mut AnyConnection,
    d: &Delega,
    account: AccountId,
) -> QueryResult<Option<(Holding, Option<Vec<String>>)>> {
    match d.held_by {
        Some(holder) => standing(conn, holder, account, &d.client_codice_fiscale).map(Some),
        None => Ok(None),
    }
}

/// The same, from a delega's parties (for deciding before reading the delega itself).
pub fn held_standing(
    conn: &mut AnyConnection,
    parties: &super::model::Parties,
    account: AccountId,
) -> QueryResult<Option<Holding>> {
    let Some(holder) = parties.held_by else { return Ok(None) };
    standing(conn, holder, account, &parties.client_codice_fiscale).map(|(holding, _)| Some(holding))
}

/// Of `codes`, the clients organisation `holder` holds a delega from that is
/// waiting, accepted or in force today: those a group can be given.
pub fn held_clients(
    conn: &mut AnyConnection,
    holder: OrganisationId,
    codes: &[String],
    today: chrono::NaiveDate,
) -> QueryResult<Vec<String>> {
    use super::lifecycle::State;
    use crate::db::schema::deleghe as d;
    let live = [State::Pending.code(), State::Accepted.code(), State::Active.code()];
    let mut found: Vec<String> = d::table
        .inner_join(o::table.on(o::id.nullable().eq(d::organisation_id)))
        .filter(d::delegate_organisation_id.eq(holder))
        .filter(d::state.eq_any(live))
        .filter(d::ends_on.ge(today))
        .filter(o::codice_fiscale.eq_any(codes))
        .select(o::codice_fiscale)
        .load(conn)?;
    let people: Vec<String> = d::table
        .inner_join(a::table.on(a::id.eq(d::grantor_account_id)))
        .filter(d::delegate_organisation_id.eq(holder))
        .filter(d::organisation_id.is_null())
        .filter(d::state.eq_any(live))
        .filter(d::ends_on.ge(today))
        .filter(a::identifier.eq_any(codes))
        .select(a::identifier)
        .load(conn)?;
    found.extend(people);
    found.sort();
    found.dedup();
    Ok(found)
}

/// A client as typed in a group's form: a personal codice fiscale or a
/// partita IVA, as a request names them.
pub fn typed_client(typed: &str) -> Option<String> {
    super::asking::client_of(typed).map(|(code, _)| code)
}
