//! An authentication request in flight, like a SAML RelayState: the `state`
//! names a row saying what was asked, of whom, from which browser, with the
//! secrets only the portal knows (`nonce`, the PKCE verifier) and the
//! provider's metadata the request was made with. The answer claims it
//! exactly once, on whichever instance it reaches.
use crate::db::schema::oidc_requests as t;
use crate::db::AnyConnection;
use crate::kernel::{AccountId, Credential, Level};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::{Map, Value};

/// How long a person may take at the provider.
pub const LIFETIME_MINUTES: i64 = 15;

#[derive(Clone, Debug)]
pub struct Pending {
    pub state: String,
    pub provider: String,
    pub credential: Credential,
    pub level: Level,
    pub nonce: String,
    pub code_verifier: String,
    /// A path on this site.
    pub return_to: String,
    /// The SHA-256 of the login cookie of the browser that asked.
    pub browser_binding: String,
    /// Who was signed in when it started (a step-up).
    pub initiator: Option<AccountId>,
    /// The provider's `openid_provider` metadata, from its trust chain.
    pub metadata: Map<String, Value>,
}

pub fn store(c: &mut AnyConnection, p: &Pending, now: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(t::table)
        .values((
            t::state.eq(&p.state),
            t::provider.eq(&p.provider),
            t::credential.eq(p.credential.code()),
            t::level.eq(i32::from(p.level.number())),
            t::nonce.eq(&p.nonce),
            t::code_verifier.eq(&p.code_verifier),
            t::return_to.eq(&p.return_to),
            t::browser_binding.eq(&p.browser_binding),
            t::initiator_account_id.eq(p.initiator),
            t::provider_metadata.eq(Value::Object(p.metadata.clone()).to_string()),
            t::expires_at.eq(now + chrono::Duration::minutes(LIFETIME_MINUTES)),
        ))
        .execute(c)?;
    purge_expired(c, now).map(|_| ())
}

/// Requests nobody answered in time.
pub fn purge_expired(c: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(t::table.filter(t::expires_at.lt(now))).execute(c)
}

type Row = (String, String, String, i32, String, String, String, String, Option<AccountId>, String);

/// Takes the request for `state` if it exists and is unexpired, deleting it
/// in the same step: a second answer with the same `state` finds nothing.
pub fn claim(c: &mut AnyConnection, state: &str, now: NaiveDateTime) -> QueryResult<Option<Pending>> {
    c.transaction(|c| {
        let row: Option<Row> = t::table
            .find(state)
            .filter(t::expires_at.gt(now))
            .select((
                t::state,
                t::provider,
                t::credential,
                t::level,
                t::nonce,
                t::code_verifier,
                t::return_to,
                t::browser_binding,
                t::initiator_account_id,
                t::provider_metadata,
            ))
            .first(c)
            .optional()?;
        let Some((
            state,
            provider,
            credential,
            level,
            nonce,
            code_verifier,
            return_to,
            browser_binding,
            initiator,
            metadata,
        )) = row
        else {
            return Ok(None);
        };
        // Another instance may have claimed it meanwhile: only one delete succeeds.
        if diesel::delete(t::table.find(&state)).execute(c)? != 1 {
            return Ok(None);
        }
        let metadata = match serde_json::from_str(&metadata) {
            Ok(Value::Object(m)) => m,
            _ => return Ok(None),
        };
        Ok(Some(Pending {
            state,
            provider,
            credential: Credential::parse(&credential).unwrap_or(Credential::Spid),
            level: Level::from_number(i64::from(level)).unwrap_or(Level::L3),
            nonce,
            code_verifier,
            return_to,
            browser_binding,
            initiator,
            metadata,
        }))
    })
}
