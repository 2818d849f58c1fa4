//! Providers' trust chains, resolved once and kept in the database until
//! shortly before the earliest expiry of what they rest on: every instance
//! uses the one resolution, and a request that comes near the end renews it
//! (one at a time across instances; a failure is remembered for a minute).
//! A renewal that fails while the kept chain still holds keeps using it (the
//! federation may be briefly unreachable); past its expiry nothing is kept.
//! A kept chain through an anchor, or with marks, the configuration no
//! longer accepts is not used.
use crate::db::schema::oidc_chain_renewals as r;
use crate::db::schema::oidc_trust_chains as t;
use crate::db::{with_conn, AnyConnection};
use crate::kernel::AppState;
use crate::oidc::discovery::{self, DiscoveryError, Trust};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::{Map, Value};

/// A chain is renewed when less than this is left of it.
const RENEW_BEFORE_MINUTES: i64 = 10;
/// And kept a day at most, so a revoked trust mark is noticed within a day.
const MAX_KEPT_HOURS: i64 = 24;

/// A provider's metadata as its trust chain gives it.
#[derive(Clone, Debug)]
pub struct ProviderChain {
    pub anchor: String,
    pub metadata: Map<String, Value>,
    pub expires_at: NaiveDateTime,
}

/// The kept chain of `subject`, unexpired, and still through an anchor the
/// portal believes with a mark it still requires (the configuration may have
/// changed since it was kept).
fn kept(
    c: &mut AnyConnection,
    subject: &str,
    trust: &crate::oidc::Federation,
    now: NaiveDateTime,
) -> QueryResult<Option<ProviderChain>> {
    let row: Option<(String, String, String, NaiveDateTime)> = t::table
        .find(subject)
        .filter(t::expires_at.gt(now))
        .select((t::anchor, t::metadata, t::trust_marks, t::expires_at))
        .first(c)
        .optional()?;
    let Some((anchor, metadata, marks, expires_at)) = row else { return Ok(None) };
    let marks: Vec<String> = serde_json::from_str(&marks).unwrap_or_default();
    let believed = trust.anchors.iter().any(|a| a.entity_id == anchor);
    let marked = marks.iter().any(|m| trust.provider_marks.contains(m));
    Ok(match (believed && marked, serde_json::from_str(&metadata)) {
        (true, Ok(Value::Object(metadata))) => Some(ProviderChain { anchor, metadata, expires_at }),
        _ => None,
    })
}

/// Keeps `chain` for `subject`, in place of any earlier one.
pub fn keep(
    c: &mut AnyConnection,
    subject: &str,
    chain: &ProviderChain,
    marks: &[String],
    now: NaiveDateTime,
) -> QueryResult<()> {
    c.transaction(|c| {
        diesel::delete(t::table.find(subject)).execute(c)?;
        diesel::insert_into(t::table)
            .values((
                t::subject.eq(subject),
                t::anchor.eq(&chain.anchor),
                t::metadata.eq(Value::Object(chain.metadata.clone()).to_string()),
                t::trust_marks.eq(serde_json::to_string(marks).unwrap_or_default()),
                t::resolved_at.eq(now),
                t::expires_at.eq(chain.expires_at),
            ))
            .execute(c)
            .map(|_| ())
    })
    .or_else(|e| match e {
        // Another instance kept the same chain at the same moment.
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => Ok(()),
        e => Err(e),
    })
}

/// Chains past their expiry, and finished renewals (the scheduled clean-up).
pub fn purge_expired(c: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<usize> {
    Ok(diesel::delete(t::table.filter(t::expires_at.lt(now))).execute(c)?
        + diesel::delete(r::table.filter(r::until.lt(now))).execute(c)?)
}

/// How long one instance may take to resolve a chain before another may try.
const LEASE_SECS: i64 = 30;
/// How long a failed resolution is believed before the federation is asked again.
const FAILURE_KEPT_SECS: i64 = 60;

/// Who may resolve `subject` now.
enum Lease {
    /// This request: nobody else is, and no failure is remembered.
    Taken,
    /// Another request is resolving it at this moment.
    Busy,
    /// The last try failed, for this reason, a moment ago.
    Failed(String),
}

fn take_lease(c: &mut AnyConnection, subject: &str, now: NaiveDateTime) -> QueryResult<Lease> {
    c.transaction(|c| {
        diesel::delete(r::table.find(subject).filter(r::until.le(now))).execute(c)?;
        let taken = diesel::insert_into(r::table)
            .values((r::subject.eq(subject), r::until.eq(now + chrono::Duration::seconds(LEASE_SECS))))
            .execute(c);
        match taken {
            Ok(_) => Ok(Lease::Taken),
            Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
                Ok(Lease::Busy)
            }
            Err(e) => Err(e),
        }
    })
    .and_then(|lease| match lease {
        Lease::Busy => {
            let failure: Option<Option<String>> = r::table.find(subject).select(r::failure).first(c).optional()?;
            Ok(failure.flatten().map_or(Lease::Busy, Lease::Failed))
        }
        other => Ok(other),
    })
}

/// Ends this request's lease: released after a success, kept a minute with
/// the reason after a failure.
fn end_lease(c: &mut AnyConnection, subject: &str, failure: Option<&str>, now: NaiveDateTime) -> QueryResult<()> {
    match failure {
        None => diesel::delete(r::table.find(subject)).execute(c).map(|_| ()),
        Some(why) => diesel::update(r::table.find(subject))
            .set((r::until.eq(now + chrono::Duration::seconds(FAILURE_KEPT_SECS)), r::failure.eq(why)))
            .execute(c)
            .map(|_| ()),
    }
}

/// Why a provider cannot be used now.
#[derive(Debug, thiserror::Error)]
pub enum Untrusted {
    #[error(transparent)]
    Chain(#[from] DiscoveryError),
    #[error("another request is resolving the chain")]
    Busy,
    #[error("the last resolution failed a moment ago: {0}")]
    Failed(String),
    #[error(transparent)]
    Database(#[from] crate::db::DbError),
    #[error(transparent)]
    Task(#[from] tokio::task::JoinError),
}

/// `provider`'s `openid_provider` metadata, from the kept chain or a new
/// resolution.
pub async fn provider(state: &AppState, provider: &str) -> Result<ProviderChain, Untrusted> {
    let now = state.clock.now();
    let subject = provider.to_string();
    let trust = state.oidc.clone();
    let current = with_conn(&state.pool, move |c| kept(c, &subject, &trust, now)).await?;
    let renew_at = now + chrono::Duration::minutes(RENEW_BEFORE_MINUTES);
    if let Some(chain) = current.as_ref().filter(|c| c.expires_at > renew_at) {
        return Ok(chain.clone());
    }
    // One resolution at a time, across instances; meanwhile the kept chain
    // serves while it holds.
    let subject = provider.to_string();
    let lease = with_conn(&state.pool, move |c| take_lease(c, &subject, now)).await?;
    match (lease, &current) {
        (Lease::Taken, _) => {}
        (_, Some(chain)) => return Ok(chain.clone()),
        (Lease::Busy, None) => return Err(Untrusted::Busy),
        (Lease::Failed(why), None) => return Err(Untrusted::Failed(why)),
    }
    let federation = state.oidc.clone();
    let (subject, https_only) = (provider.to_string(), state.config.is_production());
    let unix = now.and_utc().timestamp();
    let fresh = tokio::task::spawn_blocking(move || {
        let trust = Trust { anchors: &federation.anchors, required_marks: &federation.provider_marks, https_only };
        discovery::resolve(trust, &subject, "openid_provider", unix)
    })
    .await?;
    match fresh {
        Ok((resolved, marks)) => {
            let latest = now + chrono::Duration::hours(MAX_KEPT_HOURS);
            let expires_at = chrono::DateTime::from_timestamp(resolved.expires_at, 0)
                .map(|t| t.naive_utc().min(latest))
                .unwrap_or(now);
            let chain = ProviderChain { anchor: resolved.anchor, metadata: resolved.metadata, expires_at };
            let marks: Vec<String> = marks.into_iter().map(|m| m.id).collect();
            let (subject, kept_chain) = (provider.to_string(), chain.clone());
            with_conn(&state.pool, move |c| {
                keep(c, &subject, &kept_chain, &marks, now)?;
                end_lease(c, &subject, None, now)
            })
            .await?;
            tracing::info!(provider, anchor = %chain.anchor, until = %chain.expires_at, "trust chain resolved");
            Ok(chain)
        }
        Err(e) => {
            let (subject, why) = (provider.to_string(), e.to_string());
            with_conn(&state.pool, move |c| end_lease(c, &subject, Some(&why), now)).await?;
            match current {
                Some(chain) => {
                    tracing::warn!(provider, error = %e, "cannot renew a trust chain; the kept one still holds");
                    Ok(chain)
                }
                None => {
                    tracing::warn!(provider, error = %e, "the trust chain does not hold");
                    Err(e.into())
                }
            }
        }
    }
}
