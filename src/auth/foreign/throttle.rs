//! Throttling of password sign-ins, per account and per client address:
//! every failure makes the next attempt wait longer, and after a few the key
//! is locked for a while. Failures are also written to an audit table.
use crate::db::schema::{auth_failures as f, auth_throttle as t};
use crate::db::AnyConnection;
use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

/// Failures before a temporary lock.
pub const LOCK_AFTER: i32 = 5;
pub const LOCK_MINUTES: i64 = 15;
/// Per address, more tolerance: several people may share one (offices, NAT).
pub const ADDRESS_LOCK_AFTER: i32 = 20;

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Try again after this many seconds.
    Wait(i64),
}

fn key_account(email: &str) -> String {
    format!("account:{}", email.trim().to_lowercase())
}

fn key_address(address: &str) -> String {
    format!("address:{address}")
}

/// Seconds to wait after `failures` failures: 0, 0, 1, 2, 4, 8, … (capped).
fn delay_after(failures: i32) -> i64 {
    if failures < 2 {
        0
    } else {
        (1i64 << (failures - 2).min(6)).min(60)
    }
}

fn check_key(conn: &mut AnyConnection, key: &str, now: NaiveDateTime) -> QueryResult<Verdict> {
    let row: Option<(i32, NaiveDateTime, Option<NaiveDateTime>)> =
        t::table.find(key).select((t::failures, t::last_failure_at, t::locked_until)).first(conn).optional()?;
    let Some((failures, last, locked_until)) = row else { return Ok(Verdict::Allowed) };
    if let Some(until) = locked_until.filter(|u| *u > now) {
        return Ok(Verdict::Wait((until - now).num_seconds().max(1)));
    }
    let ready_at = last + Duration::seconds(delay_after(failures));
    Ok(if ready_at > now { Verdict::Wait((ready_at - now).num_seconds().max(1)) } else { Verdict::Allowed })
}

/// May this attempt go ahead?
pub fn check(conn: &mut AnyConnection, email: &str, address: &str) -> QueryResult<Verdict> {
    let now = Utc::now().naive_utc();
    for key in [key_account(email), key_address(address)] {
        if let Verdict::Wait(s) = check_key(conn, &key, now)? {
            return Ok(Verdict::Wait(s));
        }
    }
    Ok(Verdict::Allowed)
}

fn bump(conn: &mut AnyConnection, key: &str, lock_after: i32, now: NaiveDateTime) -> QueryResult<()> {
    let failures: Option<i32> = t::table.find(key).select(t::failures).first(conn).optional()?;
    let n = failures.unwrap_or(0) + 1;
    let locked = (n % lock_after == 0).then(|| now + Duration::minutes(LOCK_MINUTES));
    if failures.is_some() {
        diesel::update(t::table.find(key))
            .set((t::failures.eq(n), t::last_failure_at.eq(now), t::locked_until.eq(locked)))
            .execute(conn)?;
    } else {
        diesel::insert_into(t::table)
            .values((t::key.eq(key), t::failures.eq(n), t::last_failure_at.eq(now), t::locked_until.eq(locked)))
            .execute(conn)?;
    }
    Ok(())
}

/// Records a failed attempt (and why, for the audit).
pub fn failed(conn: &mut AnyConnection, email: &str, address: &str, reason: &str) -> QueryResult<()> {
    let now = Utc::now().naive_utc();
    conn.transaction(|c| {
        bump(c, &key_account(email), LOCK_AFTER, now)?;
        bump(c, &key_address(address), ADDRESS_LOCK_AFTER, now)?;
        diesel::insert_into(f::table)
            .values((
                f::account_key.eq(key_account(email)),
                f::address.eq(address),
                f::reason.eq(reason),
                f::at.eq(now),
            ))
            .execute(c)
            .map(|_| ())
    })
}

/// A successful sign-in clears the account's counter (not the address's).
pub fn succeeded(conn: &mut AnyConnection, email: &str) -> QueryResult<()> {
    diesel::delete(t::table.find(key_account(email))).execute(conn).map(|_| ())
}

#[cfg(test)]
mod tests {
    #[test]
    fn delays_grow() {
        let d: Vec<i64> = (0..9).map(super::delay_after).collect();
        assert_eq!(d, vec![0, 0, 1, 2, 4, 8, 16, 32, 60]);
    }
}
