//! Throttling of password and code attempts, per account and per client
//! address, over a decaying window: every attempt counts until it is
//! forgiven (one per account every `ACCOUNT_FORGIVE`, one per address every
//! `ADDRESS_FORGIVE`). An account never locks hard, so nobody can keep a known
//! person out: its attempts only wait longer and longer (`delay_after`). An
//! address has a ceiling instead (offices and NAT share one, so it is high).
//!
//! An attempt is *reserved* before the password is hashed, in one transaction
//! that holds the counters' rows, so a burst of guesses cannot all pass the
//! check before any is recorded. A success gives the reservation back.
//! Failures are also written to an audit table.
use crate::db::schema::{auth_failures as f, auth_throttle as t};
use crate::db::AnyConnection;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// Attempts are forgiven one per this long, per account…
const ACCOUNT_FORGIVE: Duration = Duration::minutes(10);
/// …and per address.
const ADDRESS_FORGIVE: Duration = Duration::minutes(1);
/// Attempts an address may have in its window.
pub const ADDRESS_LIMIT: i32 = 20;
/// The longest wait between two attempts on one account.
const MAX_DELAY_SECS: i64 = 900;

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Try again after this many seconds.
    Wait(i64),
}

/// What is throttled: an account (by e-mail) and the address it is tried from.
pub struct Attempt<'a> {
    pub email: &'a str,
    /// As `web::client::throttle_key` writes it.
    pub address: &'a str,
}

fn key_account(email: &str) -> String {
    format!("account:{}", email.trim().to_lowercase())
}

fn key_address(address: &str) -> String {
    format!("address:{address}")
}

/// Seconds to wait after `attempts` recent attempts: 0, 0, 0, 1, 2, 4, 8, … up to 15 minutes.
fn delay_after(attempts: i32) -> i64 {
    if attempts < 3 {
        0
    } else {
        (1i64 << (attempts - 3).min(10)).min(MAX_DELAY_SECS)
    }
}

/// Whole seconds from `now` until `later`, rounded up: waiting them is enough.
fn seconds_until(later: NaiveDateTime, now: NaiveDateTime) -> i64 {
    (((later - now).num_milliseconds() + 999) / 1000).max(1)
}

/// The attempts still counted `now`, of `stored` made up to `last`.
fn decayed(stored: i32, last: NaiveDateTime, now: NaiveDateTime, forgive: Duration) -> i32 {
    let forgiven = (now - last).num_milliseconds().max(0) / forgive.num_milliseconds().max(1);
    (i64::from(stored) - forgiven).max(0) as i32
}

/// Takes the row of `key` for this transaction (creating it), so concurrent
/// attempts on the same key wait for each other; returns (attempts, last).
fn lock(conn: &mut AnyConnection, key: &str, now: NaiveDateTime) -> QueryResult<(i32, NaiveDateTime)> {
    // In a savepoint: a concurrent insert of the same key is not an error here.
    let inserted = conn.transaction(|c| {
        diesel::insert_into(t::table).values((t::key.eq(key), t::failures.eq(0), t::last_failure_at.eq(now))).execute(c)
    });
    match inserted {
        Ok(_) | Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {}
        Err(e) => return Err(e),
    }
    diesel::update(t::table.find(key)).set(t::key.eq(key)).execute(conn)?;
    t::table.find(key).select((t::failures, t::last_failure_at)).first(conn)
}

fn store(conn: &mut AnyConnection, key: &str, attempts: i32, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(t::table.find(key))
        .set((t::failures.eq(attempts), t::last_failure_at.eq(at)))
        .execute(conn)
        .map(|_| ())
}

/// May this attempt go ahead? If so it is counted at once (see the module).
pub fn reserve(conn: &mut AnyConnection, a: &Attempt, now: NaiveDateTime) -> QueryResult<Verdict> {
    conn.transaction(|c| {
        let (account_key, address_key) = (key_account(a.email), key_address(a.address));
        let (stored, last) = lock(c, &account_key, now)?;
        let account = decayed(stored, last, now, ACCOUNT_FORGIVE);
        let (stored_address, last_address) = lock(c, &address_key, now)?;
        let address = decayed(stored_address, last_address, now, ADDRESS_FORGIVE);
        let ready_at = last + Duration::seconds(delay_after(account));
        if account > 0 && ready_at > now {
            return Ok(Verdict::Wait(seconds_until(ready_at, now)));
        }
        if address >= ADDRESS_LIMIT {
            // Below the ceiling once enough of the *stored* attempts are forgiven.
            let freed_at = last_address + ADDRESS_FORGIVE * (stored_address - ADDRESS_LIMIT + 1);
            return Ok(Verdict::Wait(seconds_until(freed_at, now)));
        }
        store(c, &account_key, account + 1, now)?;
        store(c, &address_key, address + 1, now)?;
        Ok(Verdict::Allowed)
    })
}

/// Work anonymous clients can ask for (a signed AuthnRequest, a Response to
/// check and keep, a registration): a ceiling of `capacity` units per address,
/// one given back every `refill`. Takes one unit, or says how long to wait.
pub fn take(
    conn: &mut AnyConnection,
    key: &str,
    capacity: i32,
    refill: Duration,
    now: NaiveDateTime,
) -> QueryResult<Verdict> {
    conn.transaction(|c| {
        let key = format!("work:{key}");
        let (stored, last) = lock(c, &key, now)?;
        let used = decayed(stored, last, now, refill);
        if used >= capacity {
            return Ok(Verdict::Wait(seconds_until(last + refill * (stored - capacity + 1), now)));
        }
        // The window restarts from now; the units still counted keep counting.
        store(c, &key, used + 1, now)?;
        Ok(Verdict::Allowed)
    })
}

/// [`take`] for one kind of anonymous work from the client of `req`, at the
/// configured rate (`SL_ANONYMOUS_PER_MINUTE`); a refusal is a 429.
pub async fn anonymous_work(req: &crate::web::render::PageRequest, kind: &str) -> Result<(), crate::error::AppError> {
    let per_minute = req.state.config.anonymous_per_minute.max(1);
    let (capacity, refill) = (per_minute as i32, Duration::milliseconds(60_000 / i64::from(per_minute)));
    let key = format!("{kind}:{}", crate::web::client::throttle_key(req.client));
    let now = req.state.clock.now();
    match crate::db::with_conn(&req.state.pool, move |c| take(c, &key, capacity, refill, now)).await? {
        Verdict::Allowed => Ok(()),
        Verdict::Wait(s) => Err(crate::error::AppError::RateLimited { retry_after_secs: s.clamp(1, 3600) as u32 }),
    }
}

/// Records why a reserved attempt failed, for the audit (it already counts).
pub fn failed(conn: &mut AnyConnection, a: &Attempt, reason: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(f::table)
        .values((
            f::account_key.eq(key_account(a.email)),
            f::address.eq(a.address),
            f::reason.eq(reason),
            f::at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A success clears the account's attempts and gives the address its one back.
pub fn succeeded(conn: &mut AnyConnection, a: &Attempt) -> QueryResult<()> {
    conn.transaction(|c| {
        diesel::delete(t::table.find(key_account(a.email))).execute(c)?;
        diesel::update(t::table.find(key_address(a.address)).filter(t::failures.gt(0)))
            .set(t::failures.eq(t::failures - 1))
            .execute(c)
            .map(|_| ())
    })
}

/// Forgets counters with nothing left to count (the scheduled clean-ups).
pub fn purge_idle(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(t::table.filter(t::last_failure_at.lt(now - Duration::days(1)))).execute(conn)
}

/// A new password clears the account's attempts (every address keeps its own).
pub fn reset_account(conn: &mut AnyConnection, email: &str) -> QueryResult<()> {
    diesel::delete(t::table.find(key_account(email))).execute(conn).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_stop_growing() {
        let d: Vec<i64> = (0..16).map(delay_after).collect();
        assert_eq!(&d[..8], &[0, 0, 0, 1, 2, 4, 8, 16]);
        assert_eq!(d[15], MAX_DELAY_SECS);
    }

    #[test]
    fn attempts_are_forgiven_with_time() {
        let t0 = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap().naive_utc();
        assert_eq!(decayed(5, t0, t0, ACCOUNT_FORGIVE), 5);
        assert_eq!(decayed(5, t0, t0 + Duration::minutes(25), ACCOUNT_FORGIVE), 3);
        assert_eq!(decayed(5, t0, t0 + Duration::days(1), ACCOUNT_FORGIVE), 0);
    }
}
