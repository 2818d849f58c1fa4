//! Data certa from a third party (DM 15/12/2015, Allegato B: "marca
//! temporale"): each module's seal hash is time-stamped by the configured
//! RFC 3161 authority (`SL_TSA_URL`) right after the module is committed, and
//! again by every instance's worker until it is (the authority may be down; a
//! module is never held back for it). The token is kept with the module, shown
//! on its page and checked by `servizi-lavoro dimissioni verify`.
use super::modulo::{self, Modulo};
use crate::config::Config;
use crate::db::schema::{dimissioni_modules as m, dimissioni_timestamps as ts};
use crate::db::{with_conn, AnyConnection};
use crate::kernel::AppState;
use crate::timestamping::{self, Stamp, TsaError};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use openssl::x509::store::X509Store;

/// Modules stamped per pass (the rest wait for the next one).
const BATCH: i64 = 20;
/// How much earlier than the module's own time a stamp may say it was seen
/// (clocks differ a little; more means the module's time is not true).
const CLOCK_SKEW: Duration = Duration::minutes(2);

/// The seal hash as the 32 bytes a token is for.
pub fn digest(hash_hex: &str) -> Option<[u8; 32]> {
    if hash_hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in hash_hex.as_bytes().chunks(2).enumerate() {
        out[i] = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(out)
}

/// The roots the authority's certificate must lead to (`SL_TSA_CA`).
pub fn roots(config: &Config) -> Result<Option<X509Store>, TsaError> {
    match &config.tsa_ca {
        Some(path) => {
            let pem = std::fs::read(path).map_err(|e| TsaError::Untrusted(format!("{}: {e}", path.display())))?;
            timestamping::trust(&pem).map(Some)
        }
        None => Ok(None),
    }
}

/// When and by whom module `code` was time-stamped, if it was.
pub fn stamp_of(conn: &mut AnyConnection, code: &str) -> QueryResult<Option<(NaiveDateTime, String)>> {
    ts::table.find(code).select((ts::stamped_at, ts::authority)).first(conn).optional()
}

/// Modules without a token, oldest first.
fn unstamped(conn: &mut AnyConnection) -> QueryResult<Vec<(String, String, NaiveDateTime)>> {
    m::table
        .filter(diesel::dsl::not(diesel::dsl::exists(ts::table.filter(ts::module_code.eq(m::code)))))
        .order(m::id.asc())
        .select((m::code, m::hash, m::transmitted_at))
        .limit(BATCH)
        .load(conn)
}

/// Checks a token for module `code` sealed with `hash` at `at`.
fn checked(token: &[u8], roots: &X509Store, hash: &str, at: NaiveDateTime) -> Result<Stamp, TsaError> {
    let digest = digest(hash).ok_or(TsaError::Malformed("the module's hash"))?;
    let stamp = timestamping::check(token, roots, &digest)?;
    if stamp.time < at - CLOCK_SKEW {
        return Err(TsaError::Untrusted(format!("stamped at {} before its transmission at {at}", stamp.time)));
    }
    Ok(stamp)
}

/// Stamps the modules that have no token yet (a batch); stops at the first
/// failure, which the next pass retries. Returns how many were stamped.
pub async fn stamp_pending(state: &AppState) -> Result<usize, crate::error::AppError> {
    let Some(url) = state.config.tsa_url.clone() else { return Ok(0) };
    let Some(roots) = roots(&state.config).map_err(|e| crate::error::AppError::other("the TSA's roots", e))? else {
        return Ok(0);
    };
    let pending = with_conn(&state.pool, unstamped).await?;
    let mut stamped = 0;
    for (code, hash, at) in pending {
        let Some(d) = digest(&hash) else { continue };
        let u = url.clone();
        let token = match tokio::task::spawn_blocking(move || timestamping::fetch(&u, &d)).await {
            Ok(Ok(token)) => token,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, module = %code, "time-stamp not obtained; the next pass retries");
                metrics::counter!("sl_timestamp_failures_total").increment(1);
                break;
            }
            Err(e) => return Err(crate::error::AppError::other("time-stamping", e)),
        };
        let stamp = match checked(&token, &roots, &hash, at) {
            Ok(s) => s,
            Err(e) => {
                // A token that does not check is not kept: said loudly, the authority is wrong.
                tracing::error!(error = %e, module = %code, "the time-stamping authority answered a token that does not verify");
                metrics::counter!("sl_timestamp_failures_total").increment(1);
                break;
            }
        };
        let kept = with_conn(&state.pool, move |c| {
            let done = diesel::insert_into(ts::table)
                .values((
                    ts::module_code.eq(&code),
                    ts::token.eq(&token),
                    ts::stamped_at.eq(stamp.time),
                    ts::authority.eq(&stamp.authority),
                ))
                .execute(c);
            match done {
                // Another instance stamped it meanwhile: one token is enough.
                Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
                    Ok(0)
                }
                other => Ok(other?),
            }
        })
        .await?;
        stamped += kept;
    }
    Ok(stamped)
}

/// What `dimissioni verify` found of the tokens.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub stamped: usize,
    pub unstamped: Vec<String>,
}

/// Checks every module's token against `roots`: `Err` names the first module
/// whose token does not verify (other data, another time, an untrusted authority).
pub fn verify(conn: &mut AnyConnection, roots: &X509Store) -> QueryResult<Result<Report, super::chain::Broken>> {
    let chain: Vec<Modulo> = modulo::chain(conn)?;
    let tokens: std::collections::HashMap<String, Vec<u8>> =
        ts::table.select((ts::module_code, ts::token)).load::<(String, Vec<u8>)>(conn)?.into_iter().collect();
    let mut report = Report::default();
    for m in &chain {
        match tokens.get(&m.code) {
            Some(token) => {
                if let Err(e) = checked(token, roots, &m.hash, m.transmitted_at) {
                    tracing::warn!(module = %m.code, error = %e, "a time-stamp token does not verify");
                    return Ok(Err(super::chain::Broken {
                        code: m.code.clone(),
                        why: "its time-stamp token does not verify for its seal",
                    }));
                }
                report.stamped += 1;
            }
            None => report.unstamped.push(m.code.clone()),
        }
    }
    Ok(Ok(report))
}

#[cfg(test)]
mod tests {
    use super::digest;

    #[test]
    fn a_seal_hash_is_32_bytes() {
        let d = digest(&"ab".repeat(32)).expect("hex");
        assert_eq!(d, [0xab; 32]);
        assert_eq!(digest("abc"), None);
        assert_eq!(digest(&"zz".repeat(32)), None);
    }
}
