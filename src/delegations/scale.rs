//! Development only (`servizi-lavoro demo scale`): deleghe at national size
//! to measure the lists with — a client list (`clients` people, each of whom
//! gave the delegate a delega for their citizen services, ending over two
//! years) and a company's deleghe given (to made-up delegates, in every state).
use super::lifecycle::State;
use super::model::Kind;
use crate::db::schema::{accounts as a, deleghe as d};
use crate::db::AnyConnection;
use crate::identity::account::IdKind;
use crate::kernel::{AccountId, OrganisationId};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// Rows written per statement.
const BATCH: usize = 500;

/// Adds `clients` client accounts and their deleghe to `delegate` (held by
/// organisation `held_by`, a studio, when given); returns how many.
pub fn load_clients(
    conn: &mut AnyConnection,
    delegate: &str,
    held_by: Option<OrganisationId>,
    clients: usize,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let today = crate::kernel::clock::italian_day(now);
    let first: i64 = a::table.count().get_result(conn)?;
    let mut done = 0;
    // One transaction per batch; row by row, as the multi-backend
    // connection writes no multi-row INSERT.
    for chunk in (0..clients).collect::<Vec<_>>().chunks(BATCH) {
        conn.transaction(|c| {
            for i in chunk {
                let id: i64 = diesel::insert_into(a::table)
                    .values((
                        a::id_kind.eq(IdKind::CodiceFiscale.code()),
                        // Not a real codice fiscale: these people never sign in.
                        a::identifier.eq(format!("SCALA{:011}", first + *i as i64)),
                        a::given_name.eq(format!("Cliente {i}")),
                        a::family_name.eq("Scala"),
                        a::created_at.eq(now),
                    ))
                    .returning(a::id)
                    .get_result(c)?;
                diesel::insert_into(d::table)
                    .values((
                        d::grantor_account_id.eq(id),
                        d::delegate_codice_fiscale.eq(delegate),
                        d::delegate_organisation_id.eq(held_by),
                        d::kind.eq(if i % 10 == 0 { Kind::Temporanea.code() } else { Kind::NonTemporanea.code() }),
                        d::starts_on.eq(today),
                        d::ends_on.eq(today + Duration::days(1 + (*i as i64 * 7) % 730)),
                        d::state.eq(if i % 20 == 0 { State::Pending.code() } else { State::Active.code() }),
                        d::acceptance_code.eq(format!("S{i:07}")),
                        d::created_at.eq(now),
                        d::answer_by.eq(now + Duration::days(14)),
                        d::updated_at.eq(now),
                    ))
                    .execute(c)?;
            }
            Ok::<_, diesel::result::Error>(())
        })?;
        done += chunk.len();
    }
    Ok(done)
}

/// Adds `count` deleghe that `grantor` gave for organisation `org` to made-up
/// delegates, in every state and ending over two years; returns how many.
pub fn load_company_deleghe(
    conn: &mut AnyConnection,
    grantor: AccountId,
    org: OrganisationId,
    count: usize,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let today = crate::kernel::clock::italian_day(now);
    let states = [State::Active, State::Active, State::Active, State::Pending, State::Revoked, State::Expired];
    let mut done = 0;
    for chunk in (0..count).collect::<Vec<_>>().chunks(BATCH) {
        conn.transaction(|c| {
            for i in chunk {
                diesel::insert_into(d::table)
                    .values((
                        d::grantor_account_id.eq(grantor),
                        d::organisation_id.eq(org),
                        // Not real codici fiscali: these people never sign in.
                        d::delegate_codice_fiscale.eq(format!("SCALD{:05}{:06}", org.get(), i)),
                        d::kind.eq(Kind::NonTemporanea.code()),
                        d::services.eq((i % 2 == 0).then_some("cigsonline smart-working")),
                        d::starts_on.eq(today - Duration::days(30)),
                        d::ends_on.eq(today + Duration::days(1 + (*i as i64 * 7) % 730)),
                        d::state.eq(states[i % states.len()].code()),
                        d::acceptance_code.eq(format!("C{i:07}")),
                        d::created_at.eq(now),
                        d::answer_by.eq(now + Duration::days(14)),
                        d::updated_at.eq(now),
                    ))
                    .execute(c)?;
            }
            Ok::<_, diesel::result::Error>(())
        })?;
        done += chunk.len();
    }
    Ok(done)
}

/// Shares the clients of studio `studio` among its operatori: `groups` work
/// groups, each with an equal part of the operatori (in membership order)
/// and of the clients (by codice fiscale); `first` (a demo person who can
/// sign in) joins the first. Returns the groups made.
pub fn share_clients(
    conn: &mut AnyConnection,
    studio: OrganisationId,
    groups: usize,
    first: Option<crate::kernel::MembershipId>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    use crate::db::schema::{memberships as m, work_group_clients as gc, work_group_members as gm, work_groups as g};
    let groups = groups.max(1);
    let operatori: Vec<crate::kernel::MembershipId> = m::table
        .filter(m::organisation_id.eq(studio))
        .filter(m::until.is_null())
        .filter(m::role.eq(crate::kernel::MemberRole::Operatore.code()))
        .filter(m::id.nullable().ne(first))
        .order(m::id)
        .select(m::id)
        .load(conn)?;
    let clients: Vec<String> = d::table
        .inner_join(a::table.on(a::id.eq(d::grantor_account_id)))
        .filter(d::delegate_organisation_id.eq(studio))
        .order(a::identifier)
        .select(a::identifier)
        .load(conn)?;
    conn.transaction(|c| {
        for n in 0..groups {
            let id: i64 = diesel::insert_into(g::table)
                .values((g::organisation_id.eq(studio), g::name.eq(format!("Gruppo {}", n + 1)), g::created_at.eq(now)))
                .returning(g::id)
                .get_result(c)?;
            let part = |len: usize| (len * n / groups)..(len * (n + 1) / groups);
            let mut members: Vec<_> = operatori[part(operatori.len())].to_vec();
            if n == 0 {
                members.extend(first);
            }
            for membership in members {
                diesel::insert_into(gm::table)
                    .values((gm::group_id.eq(id), gm::membership_id.eq(membership)))
                    .execute(c)?;
            }
            for cf in &clients[part(clients.len())] {
                diesel::insert_into(gc::table)
                    .values((gc::group_id.eq(id), gc::client_codice_fiscale.eq(cf)))
                    .execute(c)?;
            }
        }
        Ok(groups)
    })
}
