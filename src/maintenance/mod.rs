//! Clean-ups the server runs on a schedule, so nothing depends on someone
//! remembering a command: expired sessions and sign-in requests, the SAML
//! register past its 24 months, unconfirmed Utente Estero registrations (and
//! their documents) after 48 hours, document scans once decided, idle throttle
//! counters, spent reset links and invitations past their time. With several instances on one PostgreSQL
//! only one runs them at a time (a transaction-level advisory lock).
use crate::db::{AnyConnection, DbError};
use crate::kernel::sweep::{Sweep, Swept};
use crate::kernel::AppState;
use diesel::prelude::*;

/// How often the clean-ups run.
pub const EVERY: std::time::Duration = std::time::Duration::from_secs(600);
/// The advisory-lock key of the clean-ups (any fixed number, unique to them).
pub const LOCK_KEY: i64 = 0x5e12_0001;

/// What one run removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// `false` when another instance was running them.
    pub ran: bool,
    pub rows: usize,
    pub files: usize,
}

/// Takes the clean-ups' lock for this transaction; false if another instance has it.
fn exclusive(conn: &mut AnyConnection) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Locked {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        locked: bool,
    }
    match conn {
        AnyConnection::Postgresql(_) => {
            let r: Locked = diesel::sql_query(format!("SELECT pg_try_advisory_xact_lock({LOCK_KEY}) AS locked"))
                .get_result(conn)?;
            Ok(r.locked)
        }
        // One SQLite file has one writer at a time anyway.
        AnyConnection::Sqlite(_) => Ok(true),
    }
}

/// Runs every clean-up once: each domain's `sweeps` (listed by `app`), in
/// one transaction, then the deleghe's jobs.
pub async fn run_once(state: &AppState, sweeps: &'static [Sweep]) -> Result<Report, DbError> {
    let now = state.clock.now();
    let swept = crate::db::transaction(&state.pool, move |c| {
        if !exclusive(c)? {
            return Ok(None);
        }
        sweeps.iter().try_fold(Swept::default(), |all, sweep| Ok(all.and(sweep(c, now)?))).map(Some)
    })
    .await?;
    let Some(Swept { rows, files }) = swept else { return Ok(Report::default()) };
    // Deleghe: starts, expiries, reminders and monthly summaries, by this instance only.
    let deleghe = crate::delegations::jobs::run(state, now).await?;
    if deleghe != crate::delegations::jobs::Report::default() {
        tracing::info!(changed = deleghe.changed, mails = deleghe.mails, "deleghe brought up to date");
    }
    // Files go once the rows that named them are gone.
    let dir = state.config.data_dir.join("uploads");
    let removed = files.iter().filter(|f| !f.is_empty() && std::fs::remove_file(dir.join(f)).is_ok()).count();
    tracing::info!(rows, files = removed, "clean-ups done");
    let stamp = state.clock.now().and_utc().timestamp() as f64;
    metrics::gauge!("scheduled_job_last_success_timestamp_seconds", "job" => "cleanups").set(stamp);
    metrics::gauge!("scheduled_job_last_success_timestamp_seconds", "job" => "deleghe").set(stamp);
    Ok(Report { ran: true, rows, files: removed })
}

/// Runs the clean-ups every [`EVERY`], for as long as the server runs.
pub fn spawn(state: AppState, sweeps: &'static [Sweep]) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(EVERY);
        loop {
            every.tick().await;
            if let Err(e) = run_once(&state, sweeps).await {
                tracing::warn!(error = %e, "clean-ups failed; they run again later");
            }
        }
    })
}

/// How often every instance looks for messages due (retries; new messages
/// are sent at once after the change that queued them).
pub const OUTBOX_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// The outbox's worker, for as long as the server runs.
pub fn spawn_outbox(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(OUTBOX_EVERY);
        let mut pass: u64 = 0;
        loop {
            every.tick().await;
            pass += 1;
            // PEC receipts, every sixth pass (half a minute): one IMAP session each time.
            if let Some(url) = state.config.pec_imap_url.clone().filter(|_| pass % 6 == 1) {
                let mailbox = std::sync::Arc::new(crate::mail::pec::ImapMailbox { url });
                // Read each time, so a renewed list of providers applies without a restart.
                let trust = state.config.pec_trust.as_deref().map(crate::mail::smime::Trust::load);
                match trust {
                    Some(Ok(trust)) => {
                        let (pool, now) = (&state.pool, state.clock.now());
                        if let Err(e) = crate::mail::pec::collect(pool, mailbox, std::sync::Arc::new(trust), now).await
                        {
                            tracing::warn!(error = %e, "PEC receipts not read; the next pass retries");
                        }
                    }
                    Some(Err(e)) => tracing::warn!(error = %e, "PEC receipts not read: the providers' certificates"),
                    None => tracing::warn!("PEC receipts not read: no providers' certificates (SL_PEC_TRUST)"),
                }
                if let Err(e) = crate::dimissioni::receipts::alert_undelivered(&state).await {
                    tracing::warn!(error = %e, "PEC delivery alerts failed; the next pass retries");
                }
            }
            if let Err(e) = crate::mail::outbox::deliver_due(&state.pool, &state.mailer, state.clock.now()).await {
                tracing::warn!(error = %e, "outbox pass failed; the next one retries");
            }
            // Modules the time-stamping authority has not stamped yet (it was down, or busy).
            if let Err(e) = crate::dimissioni::timestamp::stamp_pending(&state).await {
                tracing::warn!(error = %e, "time-stamping pass failed; the next one retries");
            }
            // A signed checkpoint of the Dimissioni chain, when it has grown.
            if let Err(e) = crate::dimissioni::checkpoint::run(&state).await {
                tracing::warn!(error = %e, "checkpoint pass failed; the next one retries");
            }
        }
    })
}
