//! Development only (`servizi-lavoro demo scale`): a client list at national
//! size to measure `/clienti` with — `clients` people, each of whom gave
//! the delegate a delega for their citizen services, ending over two years.
use super::lifecycle::State;
use super::model::Kind;
use crate::db::schema::{accounts as a, deleghe as d};
use crate::db::AnyConnection;
use crate::identity::account::IdKind;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// Rows written per statement.
const BATCH: usize = 500;

/// Adds `clients` client accounts and their deleghe to `delegate`; returns how many.
pub fn load_clients(
    conn: &mut AnyConnection,
    delegate: &str,
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
