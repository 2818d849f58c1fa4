//! A SAML request in flight. The RelayState is a random opaque token; the
//! row behind it says what was asked and where to go back. The answer claims
//! it exactly once, so it works without the session cookie (absent on the
//! IdP's cross-site POST) and across instances sharing one database.
use crate::db::schema::saml_requests as t;
use crate::db::AnyConnection;
use crate::kernel::{AccountId, Credential, Level};
use crate::saml::comparison::Comparison;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// How long a person may take at the IdP.
pub const LIFETIME_MINUTES: i64 = 15;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Login,
    Logout,
}

impl Purpose {
    fn code(self) -> &'static str {
        match self {
            Purpose::Login => "login",
            Purpose::Logout => "logout",
        }
    }
}

#[derive(Clone, Debug)]
pub struct PendingRequest {
    pub relay_state: String,
    pub request_id: String,
    pub purpose: Purpose,
    pub idp_entity_id: String,
    pub credential: Credential,
    pub level: Level,
    pub comparison: Comparison,
    pub attribute_set: i32,
    /// A path on this site (never an absolute URL).
    pub return_to: String,
    pub issue_instant: NaiveDateTime,
    /// The SHA-256 of the login cookie of the browser that started it
    /// (sign-ins only): the answer must come back through that browser.
    pub browser_binding: Option<String>,
    /// Who was signed in when the sign-in started (a step-up): the answer must
    /// be about the same person. Kept here because the IdP's cross-site POST
    /// arrives without the session cookie.
    pub initiator_account_id: Option<AccountId>,
}

/// 32 random bytes in hex: opaque, URL-safe, and never contains "http".
pub fn new_relay_state() -> String {
    let bytes: [u8; 32] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub use crate::paths::safe_return_path;

pub fn store(conn: &mut AnyConnection, r: &PendingRequest, now: chrono::NaiveDateTime) -> QueryResult<()> {
    let expires = now + chrono::Duration::minutes(LIFETIME_MINUTES);
    diesel::insert_into(t::table)
        .values((
            t::relay_state.eq(&r.relay_state),
            t::request_id.eq(&r.request_id),
            t::purpose.eq(r.purpose.code()),
            t::idp_entity_id.eq(&r.idp_entity_id),
            t::credential.eq(r.credential.code()),
            t::level.eq(i32::from(r.level.number())),
            t::comparison.eq(r.comparison.as_str()),
            t::attribute_set.eq(r.attribute_set),
            t::return_to.eq(&r.return_to),
            t::issue_instant.eq(r.issue_instant),
            t::expires_at.eq(expires),
            t::browser_binding.eq(&r.browser_binding),
            t::initiator_account_id.eq(r.initiator_account_id),
        ))
        .execute(conn)?;
    // Expired rows are of no use to anyone; clear them while we are here.
    diesel::delete(t::table.filter(t::expires_at.lt(now))).execute(conn)?;
    Ok(())
}

/// The IdP a pending request went to, without using it up: an answer's
/// signature is checked with that IdP's keys before the request is claimed.
pub fn idp_of(
    conn: &mut AnyConnection,
    relay_state: &str,
    purpose: Purpose,
    now: NaiveDateTime,
) -> QueryResult<Option<String>> {
    t::table
        .find(relay_state)
        .filter(t::expires_at.gt(now))
        .filter(t::purpose.eq(purpose.code()))
        .select(t::idp_entity_id)
        .first(conn)
        .optional()
}

/// Removes requests nobody answered in time (the scheduled clean-ups).
pub fn purge_expired(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(t::table.filter(t::expires_at.lt(now))).execute(conn)
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    i32,
    String,
    i32,
    String,
    NaiveDateTime,
    Option<String>,
    Option<AccountId>,
);

/// Takes the pending request for `relay_state` if it exists, is unexpired and
/// has `purpose`; it is deleted in the same step, so a second claim finds nothing.
pub fn claim(
    conn: &mut AnyConnection,
    relay_state: &str,
    purpose: Purpose,
    now: chrono::NaiveDateTime,
) -> QueryResult<Option<PendingRequest>> {
    conn.transaction(|c| {
        let row: Option<Row> = t::table
            .find(relay_state)
            .filter(t::expires_at.gt(now))
            .filter(t::purpose.eq(purpose.code()))
            .select((
                t::relay_state,
                t::request_id,
                t::purpose,
                t::idp_entity_id,
                t::credential,
                t::level,
                t::comparison,
                t::attribute_set,
                t::return_to,
                t::issue_instant,
                t::browser_binding,
                t::initiator_account_id,
            ))
            .first(c)
            .optional()?;
        let Some(row) = row else { return Ok(None) };
        // Another instance may have claimed it meanwhile: only one delete succeeds.
        if diesel::delete(t::table.find(relay_state)).execute(c)? != 1 {
            return Ok(None);
        }
        let (
            relay_state,
            request_id,
            _,
            idp_entity_id,
            credential,
            level,
            comparison,
            attribute_set,
            return_to,
            issue_instant,
            browser_binding,
            initiator_account_id,
        ) = row;
        Ok(Some(PendingRequest {
            relay_state,
            request_id,
            purpose,
            idp_entity_id,
            credential: Credential::parse(&credential).unwrap_or(Credential::Spid),
            level: Level::from_number(i64::from(level)).unwrap_or(Level::L3),
            comparison: if comparison == "exact" { Comparison::Exact } else { Comparison::Minimum },
            attribute_set,
            return_to,
            issue_instant,
            browser_binding,
            initiator_account_id,
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::safe_return_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_return_path(Some("/servizi?x=1"), "/"), "/servizi?x=1");
        for bad in ["//evil.example", "https://evil.example", "/\\evil", "evil"] {
            assert_eq!(safe_return_path(Some(bad), "/home"), "/home", "{bad}");
        }
        assert_eq!(safe_return_path(None, "/home"), "/home");
    }

    #[test]
    fn return_paths_stay_on_this_site() {
        let d = "/area-personale";
        for evil in [
            "/\t/evil.example",
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "/\t\t//evil.example",
            "/\n",
            "x",
            "/.//evil.example",
            "/..//evil.example",
            "/%2e//evil.example",
        ] {
            assert_eq!(safe_return_path(Some(evil), d), d, "{evil:?}");
        }
        assert_eq!(safe_return_path(Some("/servizi?q=ispettorato&lang=en"), d), "/servizi?q=ispettorato&lang=en");
        assert_eq!(safe_return_path(Some("/servizi/../area-personale"), d), "/area-personale");
        assert_eq!(safe_return_path(None, d), d);
    }
}
