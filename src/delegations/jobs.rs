//! What the clock does to deleghe, run by the scheduled clean-ups (one
//! instance at a time): write down starts, expiries and lapsed invitations
//! and mail both sides; warn 30 days before the end, once; and send each
//! grantor a monthly summary of their deleghe in force, once a month.
use super::lifecycle::{self, State};
use super::model::{self, Delega};
use super::notify::{self, Notice};
use crate::db::schema::{accounts as a, delega_summaries as s};
use crate::db::{with_conn, DbError};
use crate::i18n::Lang;
use crate::kernel::{AccountId, AppState};
use crate::mail::outbox;
use crate::web::format::format_date;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// How many deleghe changed state, and how many mails were sent.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub changed: usize,
    pub mails: usize,
}

/// Runs the clock over every delega still pending or in force.
pub async fn run(state: &AppState, now: NaiveDateTime) -> Result<Report, DbError> {
    let mut report = Report::default();
    let mut before = None;
    // A batch at a time, so a national number of deleghe is never in memory at once.
    loop {
        let live = with_conn(&state.pool, move |c| model::live(c, now, before, BATCH)).await?;
        let Some(last) = live.last() else { break };
        before = Some(last.id);
        for d in live {
            clock_one(state, d, now, &mut report).await?;
        }
    }
    report.mails += monthly_summaries(state, now).await?;
    Ok(report)
}

/// Deleghe read at once by the job.
const BATCH: i64 = 500;

/// What the clock does to one delega: its change of state (and mails), and the reminder before its end.
async fn clock_one(state: &AppState, d: Delega, now: NaiveDateTime, report: &mut Report) -> Result<(), DbError> {
    let id = d.id;
    if !lifecycle::due(d.stored(), d.dates(), now).is_empty() {
        // The change and, for an expiry, its mails: one transaction.
        let (s2, d2) = (state.clone(), d.clone());
        let changed = crate::db::transaction(&state.pool, move |c| {
            let next = model::bring_up_to_date(c, id, now)?;
            if next == Some(State::Expired) {
                notify::queue(c, &s2, &d2, Notice::Expired, Lang::default(), now)?;
            }
            Ok(next)
        })
        .await?;
        if let Some(next) = changed {
            report.changed += 1;
            report.mails += usize::from(next == State::Expired);
        }
    }
    // 30 days before the end (Italian days), once.
    let today = crate::kernel::clock::italian_day(now);
    let ending = d.state == State::Active && today + Duration::days(30) >= d.ends_on && today <= d.ends_on;
    if ending {
        // A unique index lets one insert through: the reminder goes once.
        let (s2, d2) = (state.clone(), d.clone());
        let first = with_conn(&state.pool, move |c| {
            if model::has_event(c, id, Notice::Expiring.code())? {
                return Ok(false);
            }
            Ok(c.transaction(|c| {
                model::record(c, id, None, Notice::Expiring.code(), "", now)?;
                notify::queue(c, &s2, &d2, Notice::Expiring, Lang::default(), now)
            })
            .is_ok())
        })
        .await?;
        report.mails += usize::from(first);
    }
    Ok(())
}

/// Each grantor with deleghe in force gets, once a month, the list of them.
async fn monthly_summaries(state: &AppState, now: NaiveDateTime) -> Result<usize, DbError> {
    // The Italian month: the summary of December is not sent at 23:30 on 30 November.
    let month = crate::kernel::clock::rome(now).format("%Y-%m").to_string();
    // In force: an organisation's delega holds only while its grantor still
    // manages it (as acting through it checks), so one whose grantor left is
    // in nobody's summary.
    let mut by_grantor: std::collections::BTreeMap<AccountId, Vec<Delega>> = Default::default();
    let mut before = None;
    loop {
        let (kept, last) = with_conn(&state.pool, move |c| {
            let mut kept = Vec::new();
            let live = model::live(c, now, before, BATCH)?;
            let last = live.last().map(|d| d.id);
            for d in live.into_iter().filter(|d| d.state == State::Active) {
                let holds = match &d.organisation {
                    Some(org) => crate::identity::organisations::role_in(c, org.id, d.grantor_account_id)?
                        .is_some_and(|r| r.manages()),
                    None => true,
                };
                if holds {
                    kept.push(d);
                }
            }
            Ok((kept, last))
        })
        .await?;
        for d in kept {
            by_grantor.entry(d.grantor_account_id).or_default().push(d);
        }
        match last {
            Some(id) => before = Some(id),
            None => break,
        }
    }
    let mut sent = 0;
    for (grantor, deleghe) in by_grantor {
        let email = with_conn(&state.pool, move |c| {
            a::table.find(grantor).select(a::email).first::<Option<String>>(c).optional().map(Option::flatten)
        })
        .await?;
        let Some(to) = email else { continue };
        let lang = Lang::default();
        let list = deleghe
            .iter()
            .map(|d| format!("- {} → {} ({})", d.subject_name(), d.delegate_label(), format_date(d.ends_on, lang)))
            .collect::<Vec<_>>()
            .join("\n");
        let args = vec![("month", month.clone()), ("list", list)];
        let (subject, body) = ("mail-delega-summary-subject", "mail-delega-summary-body");
        let message = match state.mailer.compose(&to, lang, subject, body, &args, None) {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(error = %e, %grantor, "a monthly summary could not be composed");
                continue;
            }
        };
        let m = month.clone();
        // The month's row and its mail together: with several instances only
        // the one that writes the row queues it (and the key would stop a second).
        let queued = with_conn(&state.pool, move |c| {
            Ok(c.transaction(|c| {
                diesel::insert_into(s::table)
                    .values((s::grantor_account_id.eq(grantor), s::month.eq(&m), s::sent_at.eq(now)))
                    .execute(c)?;
                outbox::enqueue(c, &format!("delega-summary:{grantor}:{m}"), &message, now)
            })
            .unwrap_or(false))
        })
        .await?;
        sent += usize::from(queued);
    }
    // At the job's own time (the clock it was run with).
    outbox::kick(&state.pool, &state.mailer, now);
    Ok(sent)
}
