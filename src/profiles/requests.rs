//! Association requests confirmed by the company: when the registry does not
//! name the person, a single-use link (valid 7 days) goes to the company's PEC
//! address and whoever opens it confirms or refuses with one click.
use crate::db::schema::association_requests as q;
use crate::db::AnyConnection;
use crate::kernel::AccountId;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// How long the company has to answer.
pub const VALID_DAYS: i64 = 7;

/// The life of a request; every change goes through [`State::decide`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Pending,
    Confirmed,
    Refused,
}

impl State {
    pub fn code(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Confirmed => "confirmed",
            State::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        [State::Pending, State::Confirmed, State::Refused].into_iter().find(|x| x.code() == s)
    }

    /// Only a pending request can be decided, once.
    pub fn decide(self, confirm: bool) -> Option<State> {
        match self {
            State::Pending => Some(if confirm { State::Confirmed } else { State::Refused }),
            State::Confirmed | State::Refused => None,
        }
    }
}

fn hash(token: &str) -> String {
    crate::kernel::token::sha256_hex(token.trim())
}

/// A new request; returns the token for the link.
pub fn create(
    conn: &mut AnyConnection,
    company: &str,
    account_id: AccountId,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let token = crate::kernel::token::random_hex(32);
    diesel::insert_into(q::table)
        .values((
            q::token_hash.eq(hash(&token)),
            q::company_codice_fiscale.eq(company),
            q::account_id.eq(account_id),
            q::state.eq(State::Pending.code()),
            q::created_at.eq(now),
            q::expires_at.eq(now + Duration::days(VALID_DAYS)),
        ))
        .execute(conn)?;
    Ok(token)
}

/// A request the link still opens: pending and not expired.
#[derive(Clone, Debug)]
pub struct Open {
    pub id: i64,
    pub company: String,
    pub account_id: AccountId,
}

pub fn open(conn: &mut AnyConnection, token: &str, now: NaiveDateTime) -> QueryResult<Option<Open>> {
    let row: Option<(i64, String, AccountId, String, NaiveDateTime)> = q::table
        .filter(q::token_hash.eq(hash(token)))
        .select((q::id, q::company_codice_fiscale, q::account_id, q::state, q::expires_at))
        .first(conn)
        .optional()?;
    Ok(row
        .filter(|(_, _, _, state, expires)| State::parse(state) == Some(State::Pending) && *expires > now)
        .map(|(id, company, account_id, _, _)| Open { id, company, account_id }))
}

/// Decides a pending request; `None` when it was decided meanwhile.
pub fn decide(conn: &mut AnyConnection, id: i64, confirm: bool, now: NaiveDateTime) -> QueryResult<Option<State>> {
    let Some(next) = State::Pending.decide(confirm) else { return Ok(None) };
    let n = diesel::update(q::table.find(id).filter(q::state.eq(State::Pending.code())))
        .set((q::state.eq(next.code()), q::decided_at.eq(now)))
        .execute(conn)?;
    Ok((n == 1).then_some(next))
}

/// A person's pending requests (company tax codes), for `/profili`.
pub fn pending_of(conn: &mut AnyConnection, account_id: AccountId, now: NaiveDateTime) -> QueryResult<Vec<String>> {
    q::table
        .filter(q::account_id.eq(account_id))
        .filter(q::state.eq(State::Pending.code()))
        .filter(q::expires_at.gt(now))
        .select(q::company_codice_fiscale)
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::State;

    #[test]
    fn only_a_pending_request_is_decided_and_only_once() {
        assert_eq!(State::Pending.decide(true), Some(State::Confirmed));
        assert_eq!(State::Pending.decide(false), Some(State::Refused));
        assert_eq!(State::Confirmed.decide(false), None);
        assert_eq!(State::Refused.decide(true), None);
    }
}
