//! The outbox: every message the portal sends is a row, written in the same
//! transaction as the change that causes it ([`enqueue`]), and delivered by a
//! worker ([`deliver_due`]) that every instance runs: after each change that
//! queued something, and on a short schedule for retries.
//!
//! At least once, never twice in the normal path: the same idempotency key is
//! one row; a worker claims a row by moving its next attempt forward in one
//! conditional update, so two workers (two instances) never send it together;
//! a crash between sending and marking it sent may send it again after the
//! claim lapses ([`LEASE_SECS`]), with the same Message-ID, on which receivers
//! de-duplicate. A refusal for good (a 5xx, an impossible address) or
//! [`MAX_ATTEMPTS`] failures end it as failed, in the log and the metrics.
use super::{Composed, Mailer};
use crate::db::schema::outbox as o;
use crate::db::{AnyConnection, DbError, DbPool};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// Attempts before a message is given up: with the backoff, about a day
/// (an SMTP relay down for hours must not lose a legal notice).
pub const MAX_ATTEMPTS: i32 = 32;
/// How long a claimed row is left to the worker that claimed it.
pub const LEASE_SECS: i64 = 300;
/// Rows one pass of the worker takes at most.
const BATCH: i64 = 100;

/// Where a message stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Waiting for its (next) attempt.
    Pending,
    Sent,
    /// Given up: refused for good, or too many failures.
    Failed,
}

impl State {
    pub fn code(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Sent => "sent",
            State::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        [State::Pending, State::Sent, State::Failed].into_iter().find(|x| x.code() == s)
    }
}

/// The channels a message goes by: ordinary mail, or the PEC mailbox (when
/// the message needs a proof of delivery).
pub const MAIL: &str = "mail";
pub const PEC: &str = "pec";

/// Queues `message` under `key`, in the caller's transaction; `false` when a
/// message with that key is already there (then nothing changes).
pub fn enqueue(conn: &mut AnyConnection, key: &str, message: &Composed, now: NaiveDateTime) -> QueryResult<bool> {
    enqueue_on(conn, MAIL, key, message, now)
}

/// [`enqueue`] on `channel` ([`MAIL`] or [`PEC`]).
pub fn enqueue_on(
    conn: &mut AnyConnection,
    channel: &'static str,
    key: &str,
    message: &Composed,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let exists = o::table.filter(o::idempotency_key.eq(key)).count().get_result::<i64>(conn)? > 0;
    if exists {
        return Ok(false);
    }
    // In a savepoint: the same key written at the same moment by another
    // transaction is a unique-key refusal, which means "already queued".
    let inserted = conn.transaction(|c| {
        diesel::insert_into(o::table)
            .values((
                o::idempotency_key.eq(key),
                o::channel.eq(channel),
                o::sender.eq(&message.from),
                o::recipient.eq(&message.to),
                o::message_id.eq(&message.message_id),
                o::message.eq(&message.bytes),
                o::state.eq(State::Pending.code()),
                o::attempts.eq(0),
                o::next_attempt_at.eq(now),
                o::created_at.eq(now),
            ))
            .execute(c)
    });
    match inserted {
        Ok(_) => Ok(true),
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Composes a message and queues it under `key`, in the caller's
/// transaction. A message that can never be sent (an impossible address) is
/// logged, not queued.
#[allow(clippy::too_many_arguments)]
pub fn queue(
    conn: &mut AnyConnection,
    mailer: &Mailer,
    key: &str,
    to: &str,
    lang: crate::i18n::Lang,
    (subject, body): (&str, &str),
    args: &[(&'static str, String)],
    now: NaiveDateTime,
) -> QueryResult<bool> {
    match mailer.compose(to, lang, subject, body, args, None) {
        Ok(message) => enqueue(conn, key, &message, now),
        Err(e) => {
            tracing::warn!(error = %e, key, "message not queued: it could never be sent");
            Ok(false)
        }
    }
}

/// A queued message as its page shows it (the module's deliveries).
#[derive(Clone, Debug, PartialEq, Eq, Queryable)]
pub struct Entry {
    pub key: String,
    pub recipient: String,
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    /// The message's Message-ID (what its PEC receipts name).
    pub message_id: String,
}

impl Entry {
    pub fn state(&self) -> State {
        State::parse(&self.state).unwrap_or(State::Pending)
    }

    /// Failed because the address was refused for good (not given up after
    /// the ceiling of attempts): what its last error says, as
    /// [`super::MailError`] writes it.
    pub fn refused(&self) -> bool {
        self.last_error
            .as_deref()
            .is_some_and(|e| e.starts_with(super::MailError::REFUSED) || e.starts_with(super::MailError::ADDRESS))
    }
}

/// The messages whose keys start with `prefix`, oldest first.
pub fn with_prefix(conn: &mut AnyConnection, prefix: &str) -> QueryResult<Vec<Entry>> {
    let like = format!("{}%", prefix.replace(['%', '_'], ""));
    o::table
        .filter(o::idempotency_key.like(like))
        .order(o::id.asc())
        .select((
            o::idempotency_key,
            o::recipient,
            o::state,
            o::attempts,
            o::next_attempt_at,
            o::last_error,
            o::created_at,
            o::sent_at,
            o::message_id,
        ))
        .load(conn)
}

/// How the outbox stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Status {
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
    pub oldest_pending: Option<NaiveDateTime>,
}

pub fn status(conn: &mut AnyConnection) -> QueryResult<Status> {
    let count = |c: &mut AnyConnection, s: State| o::table.filter(o::state.eq(s.code())).count().get_result::<i64>(c);
    Ok(Status {
        pending: count(conn, State::Pending)?,
        sent: count(conn, State::Sent)?,
        failed: count(conn, State::Failed)?,
        oldest_pending: o::table
            .filter(o::state.eq(State::Pending.code()))
            .select(diesel::dsl::min(o::created_at))
            .first(conn)?,
    })
}

/// The wait before attempt `attempts + 1`: 30 s doubling to an hour at
/// most, with ±20 % jitter so retries of many messages spread out.
pub fn backoff(attempts: i32) -> Duration {
    let shift = (attempts - 1).clamp(0, 7);
    let base = (30i64 << shift).min(3600);
    let jitter = rand::random_range(-base / 5..=base / 5);
    Duration::seconds(base + jitter)
}

type Claimed = (i64, String, String, String, Vec<u8>, i32, String);

/// The rows due at `now`, oldest first (at most a batch).
fn due(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<Vec<i64>> {
    o::table
        .filter(o::state.eq(State::Pending.code()))
        .filter(o::next_attempt_at.le(now))
        .order(o::next_attempt_at.asc())
        .select(o::id)
        .limit(BATCH)
        .load(conn)
}

/// Claims row `id` for this worker, just before sending it: a conditional
/// update that only one worker can win; the claim lasts [`LEASE_SECS`], far
/// longer than one send may take (the SMTP transport's timeout).
fn claim(conn: &mut AnyConnection, id: i64, now: NaiveDateTime) -> QueryResult<Option<Claimed>> {
    let won =
        diesel::update(o::table.find(id).filter(o::state.eq(State::Pending.code())).filter(o::next_attempt_at.le(now)))
            .set((o::attempts.eq(o::attempts + 1), o::next_attempt_at.eq(now + Duration::seconds(LEASE_SECS))))
            .execute(conn)?;
    if won != 1 {
        return Ok(None);
    }
    o::table
        .find(id)
        .select((o::id, o::idempotency_key, o::sender, o::recipient, o::message, o::attempts, o::channel))
        .first(conn)
        .optional()
}

/// What one pass of the worker did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// Sends every due message once: sent, retried later with backoff, or failed for good.
pub async fn deliver_due(pool: &DbPool, mailer: &Mailer, now: NaiveDateTime) -> Result<Pass, DbError> {
    let due = crate::db::with_conn(pool, move |c| due(c, now)).await?;
    let mut pass = Pass::default();
    for id in due {
        let Some((id, key, from, to, bytes, attempts, channel)) =
            crate::db::with_conn(pool, move |c| claim(c, id, now)).await?
        else {
            continue;
        };
        let by = if channel == PEC { mailer.pec() } else { mailer };
        let outcome = by.send_raw(&from, &to, &bytes).await;
        let (state, next, error) = match &outcome {
            Ok(()) => (State::Sent, now, None),
            Err(e) if e.is_permanent() || attempts >= MAX_ATTEMPTS => (State::Failed, now, Some(e.to_string())),
            Err(e) => (State::Pending, now + backoff(attempts), Some(e.to_string())),
        };
        match state {
            State::Sent => pass.sent += 1,
            State::Pending => {
                pass.retrying += 1;
                tracing::warn!(key, attempts, error = error.as_deref().unwrap_or(""), "message not sent: retrying");
            }
            State::Failed => {
                pass.failed += 1;
                metrics::counter!("sl_outbox_failed_total").increment(1);
                tracing::error!(key, attempts, error = error.as_deref().unwrap_or(""), "message failed for good");
            }
        }
        let sent_at = (state == State::Sent).then_some(now);
        crate::db::with_conn(pool, move |c| {
            // Only while this worker's claim stands (the same attempt): a late
            // answer never overwrites what another worker did since. Once sent
            // or given up, the message's bytes (links with secrets) are dropped.
            let mine = o::table.find(id).filter(o::state.eq(State::Pending.code())).filter(o::attempts.eq(attempts));
            match state {
                State::Pending => {
                    diesel::update(mine).set((o::next_attempt_at.eq(next), o::last_error.eq(error.clone()))).execute(c)
                }
                _ => diesel::update(mine)
                    .set((
                        o::state.eq(state.code()),
                        o::last_error.eq(error.clone()),
                        o::sent_at.eq(sent_at),
                        o::message.eq(Vec::<u8>::new()),
                    ))
                    .execute(c),
            }
        })
        .await?;
    }
    let s = crate::db::with_conn(pool, status).await?;
    metrics::gauge!("sl_outbox_pending").set(s.pending as f64);
    metrics::gauge!("sl_outbox_oldest_seconds")
        .set(s.oldest_pending.map_or(0.0, |o| (now - o).num_seconds().max(0) as f64));
    Ok(pass)
}

/// Starts a pass of the worker now, off the request (after a change queued messages).
pub fn kick(pool: &DbPool, mailer: &Mailer, now: NaiveDateTime) {
    let (pool, mailer) = (pool.clone(), mailer.clone());
    tokio::spawn(async move {
        if let Err(e) = deliver_due(&pool, &mailer, now).await {
            tracing::warn!(error = %e, "outbox pass failed; the scheduled one retries");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        for (attempts, base) in [(1, 30), (2, 60), (3, 120), (5, 480), (7, 1920), (9, 3600), (20, 3600)] {
            let wait = backoff(attempts).num_seconds();
            assert!((base - base / 5..=base + base / 5).contains(&wait), "{attempts}: {wait}");
        }
    }
}
