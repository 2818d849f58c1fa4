//! Providers' trust chains, resolved once and kept in the database until
//! shortly before the earliest expiry of what they rest on: every instance
//! uses the one resolution, and a request that comes near the end renews it.
//! A renewal that fails while the kept chain still holds keeps using it (the
//! federation may be briefly unreachable); past its expiry nothing is kept.
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

fn kept(c: &mut AnyConnection, subject: &str, now: NaiveDateTime) -> QueryResult<Option<ProviderChain>> {
    let row: Option<(String, String, NaiveDateTime)> = t::table
        .find(subject)
        .filter(t::expires_at.gt(now))
        .select((t::anchor, t::metadata, t::expires_at))
        .first(c)
        .optional()?;
    Ok(row.and_then(|(anchor, metadata, expires_at)| match serde_json::from_str(&metadata) {
        Ok(Value::Object(metadata)) => Some(ProviderChain { anchor, metadata, expires_at }),
        _ => None,
    }))
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

/// Chains past their expiry (the scheduled clean-up).
pub fn purge_expired(c: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(t::table.filter(t::expires_at.lt(now))).execute(c)
}

/// Why a provider cannot be used now.
#[derive(Debug, thiserror::Error)]
pub enum Untrusted {
    #[error(transparent)]
    Chain(#[from] DiscoveryError),
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
    let current = with_conn(&state.pool, move |c| kept(c, &subject, now)).await?;
    let renew_at = now + chrono::Duration::minutes(RENEW_BEFORE_MINUTES);
    if let Some(chain) = current.as_ref().filter(|c| c.expires_at > renew_at) {
        return Ok(chain.clone());
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
            with_conn(&state.pool, move |c| keep(c, &subject, &kept_chain, &marks, now)).await?;
            tracing::info!(provider, anchor = %chain.anchor, until = %chain.expires_at, "trust chain resolved");
            Ok(chain)
        }
        Err(e) => match current {
            Some(chain) => {
                tracing::warn!(provider, error = %e, "cannot renew a trust chain; the kept one still holds");
                Ok(chain)
            }
            None => {
                tracing::warn!(provider, error = %e, "the trust chain does not hold");
                Err(e.into())
            }
        },
    }
}
