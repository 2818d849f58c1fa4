use crate::db::schema::{access_epoch, sessions};
use crate::db::{with_conn, DbPool};
use crate::kernel::{AccountId, Clock, OidcGrant};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

/// A `tower_sessions::SessionStore` over the diesel pool (no maintained
/// crate offers one for diesel with both backends).
#[derive(Clone)]
pub struct DieselStore {
    pool: DbPool,
    clock: Clock,
    lifetime: Lifetime,
}

/// How long sessions live: `idle` after the last save (renewed by activity),
/// never more than `max` after the sign-in.
#[derive(Clone, Copy, Debug)]
pub struct Lifetime {
    pub idle: Duration,
    pub max: Duration,
}

impl Lifetime {
    pub fn from_config(config: &crate::config::Config) -> Self {
        Lifetime {
            idle: Duration::minutes(config.session_idle_minutes),
            max: Duration::hours(config.session_max_hours),
        }
    }
}

impl DieselStore {
    pub fn new(pool: DbPool, clock: Clock, lifetime: Lifetime) -> Self {
        Self { pool, clock, lifetime }
    }
}

impl std::fmt::Debug for DieselStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DieselStore")
    }
}

fn from_naive(t: NaiveDateTime) -> session_store::Result<tower_sessions::cookie::time::OffsetDateTime> {
    tower_sessions::cookie::time::OffsetDateTime::from_unix_timestamp(t.and_utc().timestamp())
        .map_err(|e| session_store::Error::Decode(e.to_string()))
}

/// How an IdP session is written in the `idp_subject` column.
pub fn idp_subject(idp_entity_id: &str, name_id: &str) -> String {
    format!("{idp_entity_id}\n{name_id}")
}

fn backend(e: crate::db::DbError) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

/// A session record as the `sessions` table stores it.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = sessions, treat_none_as_null = true)]
struct Row {
    id: String,
    data: String,
    expires_at: NaiveDateTime,
    idp_subject: Option<String>,
    account_id: Option<AccountId>,
    device: Option<String>,
    last_seen: NaiveDateTime,
}

/// The version of the session as it was read: put in by [`DieselStore::load`],
/// never stored (like every key beginning with `~`).
const VERSION_KEY: &str = "~version";
/// The session's data as it was read (stored form), to merge with if another
/// request saved over it meanwhile.
const LOADED_KEY: &str = "~loaded";
/// The id the session was read under: a record created with it is that
/// session carried on under a new id (`cycle_id`).
const FROM_KEY: &str = "~from";
/// Merges tried before a save gives up (each follows another request's save
/// of the same session in the few milliseconds since the last try).
const MERGE_ATTEMPTS: usize = 10;

/// Keys the store puts in on load for the request, never stored.
fn is_store_key(key: &str) -> bool {
    key.starts_with('~')
}

/// A value of a session's data as stored: the principal, held as its JSON
/// text while a request runs (see `principal::typed`), as the object it is.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum Stored<'a> {
    Value(&'a serde_json::Value),
    Json(&'a serde_json::value::RawValue),
}

/// What of a session's data is stored: all but what the store put in on load.
fn stored(
    data: &std::collections::HashMap<String, serde_json::Value>,
) -> session_store::Result<std::collections::BTreeMap<&str, Stored<'_>>> {
    let encode = |e: serde_json::Error| session_store::Error::Encode(e.to_string());
    data.iter()
        .filter(|(k, _)| !is_store_key(k))
        .map(|(k, v)| match v {
            serde_json::Value::String(text) if k == super::SESSION_KEY => {
                Ok((k.as_str(), Stored::Json(serde_json::from_str(text).map_err(encode)?)))
            }
            v => Ok((k.as_str(), Stored::Value(v))),
        })
        .collect()
}

/// A stored session's data as a request holds it: the principal as its JSON
/// text, the rest as values.
fn held(data: &str) -> session_store::Result<std::collections::HashMap<String, serde_json::Value>> {
    let decode = |e: serde_json::Error| session_store::Error::Decode(e.to_string());
    let raw: std::collections::HashMap<String, &serde_json::value::RawValue> =
        serde_json::from_str(data).map_err(decode)?;
    raw.into_iter()
        .map(|(k, v)| {
            let value = match k.as_str() {
                super::SESSION_KEY => serde_json::Value::String(v.get().to_string()),
                _ => serde_json::from_str(v.get()).map_err(decode)?,
            };
            Ok((k, value))
        })
        .collect()
}

impl Row {
    /// The record as stored: its deadline from the clock and the lifetime, and
    /// its owner (the IdP session `idp\nNameID` and the account) in their own
    /// columns, so an IdP-initiated logout finds it without reading every record.
    fn of(record: &Record, now: NaiveDateTime, lifetime: Lifetime) -> session_store::Result<Row> {
        let principal = super::principal_of(&record.data);
        // The person's own inactivity limit, if they chose one (0: none until the cap).
        let chosen = record.data.get(super::IDLE_KEY).and_then(|v| v.as_i64());
        let mut expires_at = match chosen {
            Some(0) => now + lifetime.max,
            Some(m) if m > 0 => now + Duration::minutes(m),
            _ => now + lifetime.idle,
        };
        if let Some(p) = &principal {
            expires_at = expires_at.min(p.actor.at + lifetime.max);
        }
        let device = record.data.get(super::DEVICE_KEY).and_then(|v| v.as_str()).map(str::to_string);
        let who = principal.map(|p| p.actor);
        let idp_subject =
            who.as_ref().and_then(|w| w.idp_session.as_ref().map(|s| idp_subject(&w.idp_entity_id, &s.name_id)));
        Ok(Row {
            id: record.id.to_string(),
            data: serde_json::to_string(&stored(&record.data)?)
                .map_err(|e| session_store::Error::Encode(e.to_string()))?,
            expires_at,
            idp_subject,
            account_id: who.map(|w| w.account_id),
            device,
            last_seen: now,
        })
    }

    fn insert(&self, c: &mut crate::db::AnyConnection) -> QueryResult<usize> {
        diesel::insert_into(sessions::table).values(self).execute(c)
    }

    /// Writes the row over the stored one if that is still at `version`
    /// (any version for `None`), moving the version on: how many rows it wrote.
    fn update(&self, c: &mut crate::db::AnyConnection, version: Option<i64>) -> QueryResult<usize> {
        let values = (self, sessions::version.eq(sessions::version + 1));
        // Never into a row set aside by a change of id.
        let live = sessions::table.find(&self.id).filter(sessions::rotated.eq(false));
        match version {
            Some(v) => diesel::update(live.filter(sessions::version.eq(v))).set(values).execute(c),
            None => diesel::update(live).set(values).execute(c),
        }
    }
}

#[async_trait::async_trait]
impl SessionStore for DieselStore {
    /// A new session, or one carried on under a new id: that only while its
    /// old row is still there, so one ended meanwhile (signed out, ended from
    /// another device, by a password change) is not brought back.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let from = record.data.get(FROM_KEY).and_then(|v| v.as_str()).map(str::to_string);
        let authenticated = super::principal_of(&record.data).map(|p| p.actor.at);
        // Ids are 128 random bits; a collision is practically impossible, but
        // an insert that fails on one is cheaper than trusting that.
        loop {
            let now = self.clock.now();
            let (row, from) = (Row::of(record, now, self.lifetime)?, from.clone());
            let created = crate::db::transaction(&self.pool, move |c| {
                if sessions::table.find(&row.id).count().get_result::<i64>(c)? > 0 {
                    return Ok(Created::Taken);
                }
                if let Some(account) = row.account_id {
                    crate::identity::account::lock(c, &[account], false)?;
                    // Authenticated before all its sessions were ended: none.
                    if let Some(at) = authenticated {
                        if crate::identity::account::ended_after(c, account, at)? {
                            return Ok(Created::Ended);
                        }
                    }
                }
                if let Some(old) = &from {
                    // Set aside for good: nothing of it kept but where it went.
                    let there = diesel::update(sessions::table.find(old))
                        .set((
                            sessions::rotated.eq(true),
                            sessions::successor.eq(&row.id),
                            sessions::data.eq("{}"),
                            sessions::expires_at.eq(now),
                        ))
                        .execute(c)?;
                    if there == 0 {
                        return Ok(Created::Ended);
                    }
                }
                row.insert(c).map(|_| Created::Yes)
            })
            .await
            .map_err(backend)?;
            match created {
                Created::Yes => return Ok(()),
                Created::Ended => {
                    tracing::info!(
                        "session ended meanwhile (or authenticated before its account's ended): not created"
                    );
                    return Ok(());
                }
                Created::Taken => record.id = Id::default(),
            }
        }
    }

    /// Updates an existing session only: one deleted meanwhile (sign-out
    /// elsewhere, Single Logout, a password change, a removed role) stays
    /// deleted. One saved meanwhile by another request gets this request's
    /// changes merged in (`merge`), so neither request's change is lost.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let now = self.clock.now();
        let version = record.data.get(VERSION_KEY).and_then(serde_json::Value::as_i64);
        let row = Row::of(record, now, self.lifetime)?;
        if with_conn(&self.pool, move |c| row.update(c, version)).await.map_err(backend)? > 0 || version.is_none() {
            return Ok(());
        }
        let decode = |e: serde_json::Error| session_store::Error::Decode(e.to_string());
        let base: serde_json::Value = match record.data.get(LOADED_KEY).and_then(|v| v.as_str()) {
            Some(text) => serde_json::from_str(text).map_err(decode)?,
            None => serde_json::Value::Object(Default::default()),
        };
        let mine =
            serde_json::to_value(stored(&record.data)?).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        for _ in 0..MERGE_ATTEMPTS {
            let sid = record.id.to_string();
            let current: Option<(String, i64)> = with_conn(&self.pool, move |c| {
                let live = sessions::table.find(&sid).filter(sessions::rotated.eq(false));
                live.select((sessions::data, sessions::version)).first(c).optional()
            })
            .await
            .map_err(backend)?;
            let Some((theirs, version)) = current else { return Ok(()) };
            let theirs: serde_json::Value = serde_json::from_str(&theirs).map_err(decode)?;
            let merged = super::merge::session(&base, &mine, &theirs)
                .ok_or_else(|| session_store::Error::Decode("a stored session is not an object".into()))?;
            let merged = Record { id: record.id, data: merged.into_iter().collect(), expiry_date: record.expiry_date };
            let row = Row::of(&merged, now, self.lifetime)?;
            if with_conn(&self.pool, move |c| row.update(c, Some(version))).await.map_err(backend)? > 0 {
                return Ok(());
            }
        }
        // Not worth failing a request whose work is done: this save is lost,
        // as every such save was before versions.
        tracing::warn!("session: changed by other requests on every attempt to merge; this request's changes not kept");
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let sid = id.to_string();
        let now = self.clock.now();
        let row: Option<(String, NaiveDateTime, i64, Option<i64>)> = crate::db::read(&self.pool, move |c| {
            let row =
                sessions::table.find(&sid).filter(sessions::expires_at.gt(now)).filter(sessions::rotated.eq(false));
            // In the same statement, so the two are of one instant.
            let epoch = access_epoch::table.select(access_epoch::n).single_value();
            // Every signed-in request: on the backend itself (see `db::on_backend`).
            crate::db::on_backend!(c, |c| row
                .select((sessions::data, sessions::expires_at, sessions::version, epoch))
                .first(c)
                .optional())
        })
        .await
        .map_err(backend)?;
        let Some((text, exp, version, epoch)) = row else { return Ok(None) };
        let mut data = held(&text)?;
        if let Some(n) = epoch {
            data.insert(super::EPOCH_KEY.to_string(), n.into());
        }
        data.insert(VERSION_KEY.to_string(), version.into());
        data.insert(LOADED_KEY.to_string(), serde_json::Value::String(text));
        data.insert(FROM_KEY.to_string(), id.to_string().into());
        Ok(Some(Record { id: *id, data, expiry_date: from_naive(exp)? }))
    }

    /// Called by `cycle_id` on the old id (see [`DieselStore::create`]), and
    /// by `flush`: the row is no longer read. Ending a session for good is
    /// `auth::session::end`.
    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let sid = id.to_string();
        with_conn(&self.pool, move |c| {
            diesel::update(sessions::table.find(&sid)).set(sessions::rotated.eq(true)).execute(c).map(|_| ())
        })
        .await
        .map_err(backend)
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for DieselStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        let now = self.clock.now();
        with_conn(&self.pool, move |c| delete_expired(c, now).map(|_| ())).await.map_err(backend)
    }
}

/// Ends every browser session opened with this IdP session (IdP-initiated
/// Single Logout); returns how many were ended.
pub fn end_idp_sessions(conn: &mut crate::db::AnyConnection, idp_entity_id: &str, name_id: &str) -> QueryResult<usize> {
    conn.transaction(|c| {
        let subject = idp_subject(idp_entity_id, name_id);
        let of_subject = || sessions::table.filter(sessions::idp_subject.eq(subject.clone()));
        let accounts: Vec<Option<AccountId>> = of_subject().select(sessions::account_id).distinct().load(c)?;
        crate::identity::account::lock(c, &accounts.into_iter().flatten().collect::<Vec<_>>(), true)?;
        diesel::delete(of_subject()).execute(c)
    })
}

/// Ends the session with `id` for good (a sign-out, a refused step-up, the
/// absolute limit): a request carrying it on under a new id at that moment
/// finds it gone.
pub fn end_by_id(conn: &mut crate::db::AnyConnection, id: &str) -> QueryResult<usize> {
    conn.transaction(|c| {
        let account: Option<Option<AccountId>> =
            sessions::table.find(id).select(sessions::account_id).first(c).optional()?;
        if let Some(Some(account)) = account {
            crate::identity::account::lock(c, &[account], true)?;
        }
        // Where it went if it changed id meanwhile ends with it.
        let chain = with_successors(c, id)?;
        diesel::delete(sessions::table.filter(sessions::id.eq_any(&chain))).execute(c)
    })
}

/// `id` and the sessions it went on as, each after a change of id.
fn with_successors(c: &mut crate::db::AnyConnection, id: &str) -> QueryResult<Vec<String>> {
    let mut chain = vec![id.to_string()];
    // A handful at most: a row is set aside for minutes only.
    while chain.len() < 16 {
        let last = chain.last().map(String::as_str).unwrap_or_default();
        let next: Option<Option<String>> =
            sessions::table.find(last).select(sessions::successor).first(c).optional()?;
        match next.flatten() {
            Some(n) if !chain.contains(&n) => chain.push(n),
            _ => break,
        }
    }
    Ok(chain)
}

/// What creating a session came to.
enum Created {
    Yes,
    /// Carried on from a session ended meanwhile, or authenticated before
    /// all the account's sessions were ended: nothing created.
    Ended,
    /// The new id is someone else's: another one is drawn.
    Taken,
}

/// How long an expired session's row stays (never usable again): a form
/// posted after expiry is kept for the person it belonged to, and for no one
/// else who signs in on that browser (`auth::kept_forms`).
pub const EXPIRED_KEPT_HOURS: i64 = 24;
/// How long a row set aside by a change of id stays (an ending of the old
/// id finds where it went).
const SET_ASIDE_KEPT_MINUTES: i64 = 10;

/// Removes the sessions past their deadline (the scheduled clean-ups).
pub fn delete_expired(conn: &mut crate::db::AnyConnection, now: NaiveDateTime) -> QueryResult<usize> {
    let before = now - Duration::hours(EXPIRED_KEPT_HOURS);
    let expired = diesel::delete(sessions::table.filter(sessions::expires_at.le(before))).execute(conn)?;
    // Rows set aside by a change of id, once no ending can still be racing it.
    let set_aside = now - Duration::minutes(SET_ASIDE_KEPT_MINUTES);
    let rotated = sessions::table.filter(sessions::rotated.eq(true)).filter(sessions::expires_at.le(set_aside));
    Ok(expired + diesel::delete(rotated).execute(conn)?)
}

/// Whose session `id` is or was (expired but not yet removed): `Ok(None)` for
/// no such session, `Ok(Some(None))` for a session nobody signed in to.
pub fn owner_of(conn: &mut crate::db::AnyConnection, id: &str) -> QueryResult<Option<Option<AccountId>>> {
    sessions::table.find(id).filter(sessions::rotated.eq(false)).select(sessions::account_id).first(conn).optional()
}

/// Ends every session of an account (a step-up by someone else); the
/// OpenID Connect grants they held, to revoke.
pub fn end_account_sessions(
    conn: &mut crate::db::AnyConnection,
    account_id: AccountId,
    now: NaiveDateTime,
) -> QueryResult<Vec<OidcGrant>> {
    let data = crate::identity::account::end_sessions_of(conn, &[account_id], now)?;
    Ok(grants_of(data.iter().map(String::as_str)))
}

/// One of a person's sessions, as the sessions page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// A short reference to the session (never its id, which is a secret).
    pub reference: String,
    pub device: Option<String>,
    pub last_seen: Option<NaiveDateTime>,
    pub expires_at: NaiveDateTime,
}

/// The reference of the session with `id`.
pub fn reference(id: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(id.as_bytes()).iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The account's sessions still alive, most recently used first.
pub fn sessions_of(
    conn: &mut crate::db::AnyConnection,
    account_id: AccountId,
    now: NaiveDateTime,
) -> QueryResult<Vec<Listed>> {
    let rows: Vec<(String, Option<String>, Option<NaiveDateTime>, NaiveDateTime)> = sessions::table
        .filter(sessions::account_id.eq(account_id))
        .filter(sessions::expires_at.gt(now))
        .filter(sessions::rotated.eq(false))
        .order(sessions::last_seen.desc())
        .select((sessions::id, sessions::device, sessions::last_seen, sessions::expires_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, device, last_seen, expires_at)| Listed { reference: reference(&id), device, last_seen, expires_at })
        .collect())
}

/// The OpenID Connect grants the stored session `data` holds: revoked at
/// their provider once the session ends.
fn grant_of(data: &str) -> Option<OidcGrant> {
    let map: std::collections::HashMap<String, serde_json::Value> = serde_json::from_str(data).ok()?;
    super::principal_of(&map)?.actor.oidc_grant
}

/// The grants these stored sessions hold, each once (a session and the row
/// it was carried on from hold the same one).
fn grants_of<'a>(data: impl Iterator<Item = &'a str>) -> Vec<OidcGrant> {
    let mut out: Vec<OidcGrant> = Vec::new();
    for grant in data.filter_map(grant_of) {
        if !out.contains(&grant) {
            out.push(grant);
        }
    }
    out
}

/// Ends the account's session with `reference` (only the account's own):
/// `None` when there is none, else the OpenID Connect grant it held.
pub fn end_session(
    conn: &mut crate::db::AnyConnection,
    account_id: AccountId,
    reference_of: &str,
) -> QueryResult<Option<Option<OidcGrant>>> {
    conn.transaction(|c| {
        crate::identity::account::lock(c, &[account_id], true)?;
        let ids: Vec<String> =
            sessions::table.filter(sessions::account_id.eq(account_id)).select(sessions::id).load(c)?;
        let Some(id) = ids.into_iter().find(|id| reference(id) == reference_of) else { return Ok(None) };
        // If it changed id since it was listed, where it went is what ends.
        let chain = with_successors(c, &id)?;
        let data: Vec<String> = sessions::table.filter(sessions::id.eq_any(&chain)).select(sessions::data).load(c)?;
        diesel::delete(sessions::table.filter(sessions::id.eq_any(&chain))).execute(c)?;
        Ok(Some(grants_of(data.iter().map(String::as_str)).into_iter().next()))
    })
}

/// Ends every session of the account but `keep`: how many ended, and the
/// OpenID Connect grants they held.
pub fn end_other_sessions(
    conn: &mut crate::db::AnyConnection,
    account_id: AccountId,
    keep: &str,
) -> QueryResult<(usize, Vec<OidcGrant>)> {
    conn.transaction(|c| {
        crate::identity::account::lock(c, &[account_id], true)?;
        // This session, and where it went if it changed id meanwhile.
        let kept = with_successors(c, keep)?;
        let others = || sessions::table.filter(sessions::account_id.eq(account_id)).filter(sessions::id.ne_all(&kept));
        let data: Vec<(String, bool)> = others().select((sessions::data, sessions::rotated)).load(c)?;
        diesel::delete(others()).execute(c)?;
        // Rows set aside by a change of id are not sessions the person had.
        let ended = data.iter().filter(|(_, rotated)| !rotated).count();
        Ok((ended, grants_of(data.iter().map(|(d, _)| d.as_str()))))
    })
}
