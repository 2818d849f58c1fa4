use crate::db::schema::{accounts as a, sessions, sign_ins as s};
use crate::db::AnyConnection;
use crate::kernel::{AccountId, Credential, Level, PastSignIn, Protocol};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

/// The kind of a person's primary identifier. A codice fiscale and an eIDAS
/// identifier are never confused, even when they look alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdKind {
    CodiceFiscale,
    Eidas,
    Foreign,
}

impl IdKind {
    pub fn code(self) -> &'static str {
        match self {
            IdKind::CodiceFiscale => "cf",
            IdKind::Eidas => "eidas",
            IdKind::Foreign => "foreign",
        }
    }
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize, Deserialize)]
#[diesel(table_name = a)]
pub struct Account {
    pub id: AccountId,
    pub id_kind: String,
    pub identifier: String,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub email: Option<String>,
    pub created_at: NaiveDateTime,
}

/// What an identity provider told us about the person.
#[derive(Clone, Debug)]
pub struct Identity {
    pub kind: IdKind,
    pub identifier: String,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub email: Option<String>,
}

/// How a person authenticated: with which credential, at which level, over
/// which protocol, and at which provider (its entity id).
#[derive(Clone, Copy, Debug)]
pub struct Authentication<'a> {
    pub credential: Credential,
    pub level: Level,
    pub protocol: Protocol,
    pub provider: &'a str,
}

/// Finds the account of `who` (creating it on first sign-in), refreshes the
/// details the IdP vouches for, and records this sign-in. Returns the account
/// and the sign-in before this one.
pub fn sign_in(
    conn: &mut AnyConnection,
    who: &Identity,
    how: Authentication,
    address: Option<&str>,
    now: chrono::NaiveDateTime,
) -> QueryResult<(Account, Option<PastSignIn>)> {
    // The same person signing in twice at once (two devices, CIE and SPID):
    // one creates the account, the other's insert collides; run again, and
    // it finds the account.
    match sign_in_once(conn, who, how, address, now) {
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
            sign_in_once(conn, who, how, address, now)
        }
        other => other,
    }
}

fn sign_in_once(
    conn: &mut AnyConnection,
    who: &Identity,
    how: Authentication,
    address: Option<&str>,
    now: chrono::NaiveDateTime,
) -> QueryResult<(Account, Option<PastSignIn>)> {
    conn.transaction(|c| {
        let existing: Option<AccountId> = a::table
            .filter(a::id_kind.eq(who.kind.code()))
            .filter(a::identifier.eq(&who.identifier))
            .select(a::id)
            .first(c)
            .optional()?;
        let id = match existing {
            Some(id) => {
                diesel::update(a::table.find(id))
                    .set((
                        a::given_name.eq(&who.given_name),
                        a::family_name.eq(&who.family_name),
                        a::date_of_birth.eq(who.date_of_birth),
                    ))
                    .execute(c)?;
                if who.email.is_some() {
                    diesel::update(a::table.find(id)).set(a::email.eq(&who.email)).execute(c)?;
                }
                id
            }
            None => diesel::insert_into(a::table)
                .values((
                    a::id_kind.eq(who.kind.code()),
                    a::identifier.eq(&who.identifier),
                    a::given_name.eq(&who.given_name),
                    a::family_name.eq(&who.family_name),
                    a::date_of_birth.eq(who.date_of_birth),
                    a::email.eq(&who.email),
                    a::created_at.eq(now),
                ))
                .returning(a::id)
                .get_result(c)?,
        };
        let previous = s::table
            .filter(s::account_id.eq(id))
            .order(s::at.desc())
            .select((s::at, s::credential, s::level))
            .first::<(NaiveDateTime, String, i32)>(c)
            .optional()?
            .map(|(at, credential, level)| PastSignIn { at, credential, level });
        diesel::insert_into(s::table)
            .values((
                s::account_id.eq(id),
                s::at.eq(now),
                s::credential.eq(how.credential.code()),
                s::level.eq(i32::from(how.level.number())),
                s::idp.eq(how.provider),
                s::address.eq(address),
                s::protocol.eq(how.protocol.code()),
            ))
            .execute(c)?;
        let account = a::table.find(id).select(Account::as_select()).first(c)?;
        Ok((account, previous))
    })
}

/// A past sign-in, for the activity history.
#[derive(Clone, Debug, PartialEq, Eq, Queryable)]
pub struct SignInRecord {
    pub at: NaiveDateTime,
    pub credential: String,
    pub level: i32,
    pub idp: String,
    /// The client address it came from, when known.
    pub address: Option<String>,
    pub protocol: String,
}

/// A person's sign-ins, newest first.
pub fn sign_ins_of(conn: &mut AnyConnection, account_id: AccountId, limit: i64) -> QueryResult<Vec<SignInRecord>> {
    s::table
        .filter(s::account_id.eq(account_id))
        .order(s::at.desc())
        .limit(limit)
        .select((s::at, s::credential, s::level, s::idp, s::address, s::protocol))
        .load(conn)
}

/// People's names by account id, for showing who did what.
pub fn names(conn: &mut AnyConnection, ids: &[AccountId]) -> QueryResult<Vec<(AccountId, String)>> {
    let rows: Vec<(AccountId, String, String)> =
        a::table.filter(a::id.eq_any(ids)).select((a::id, a::given_name, a::family_name)).load(conn)?;
    Ok(rows.into_iter().map(|(id, given, family)| (id, format!("{given} {family}"))).collect())
}

/// The name of the person with this codice fiscale, if they have an account:
/// a check-your-answers page shows whom a delega or an invitation will reach.
pub fn name_by_codice_fiscale(conn: &mut AnyConnection, codice_fiscale: &str) -> QueryResult<Option<String>> {
    let row: Option<(String, String)> = a::table
        .filter(a::id_kind.eq(IdKind::CodiceFiscale.code()))
        .filter(a::identifier.eq(codice_fiscale))
        .select((a::given_name, a::family_name))
        .first(conn)
        .optional()?;
    Ok(row.map(|(given, family)| format!("{given} {family}")))
}

/// The names of the people with these codici fiscali who have an account, in one query.
pub fn names_by_codice_fiscale(
    conn: &mut AnyConnection,
    codici_fiscali: &[String],
) -> QueryResult<Vec<(String, String)>> {
    let rows: Vec<(String, String, String)> = a::table
        .filter(a::id_kind.eq(IdKind::CodiceFiscale.code()))
        .filter(a::identifier.eq_any(codici_fiscali))
        .select((a::identifier, a::given_name, a::family_name))
        .load(conn)?;
    Ok(rows.into_iter().map(|(cf, given, family)| (cf, format!("{given} {family}"))).collect())
}

/// A person named by codice fiscale, in words for a check-your-answers page:
/// "Luca Verdi (VRD…)" when they have an account, else the codice fiscale
/// and that they have not signed in yet.
pub fn known_as(conn: &mut AnyConnection, codice_fiscale: &str, lang: crate::i18n::Lang) -> QueryResult<String> {
    Ok(match name_by_codice_fiscale(conn, codice_fiscale)? {
        Some(name) => format!("{name} ({codice_fiscale})"),
        None => lang.t_args("person-not-registered", &[("codice_fiscale", codice_fiscale.to_string())]),
    })
}

/// The inactivity limit a person chose (minutes; 0: none until the cap), if any.
pub fn idle_preference(conn: &mut AnyConnection, account_id: AccountId) -> QueryResult<Option<i32>> {
    use crate::db::schema::account_preferences as p;
    Ok(p::table.find(account_id).select(p::idle_minutes).first::<Option<i32>>(conn).optional()?.flatten())
}

/// Records a person's choice of inactivity limit (`None`: the default).
pub fn set_idle_preference(conn: &mut AnyConnection, account_id: AccountId, minutes: Option<i32>) -> QueryResult<()> {
    use crate::db::schema::account_preferences as p;
    preferences_row(conn, account_id)?;
    diesel::update(p::table.find(account_id)).set(p::idle_minutes.eq(minutes)).execute(conn).map(|_| ())
}

/// A person's preferences row, created with the defaults the first time one is set.
fn preferences_row(conn: &mut AnyConnection, account_id: AccountId) -> QueryResult<()> {
    use crate::db::schema::account_preferences as p;
    if p::table.find(account_id).count().get_result::<i64>(conn)? == 0 {
        diesel::insert_into(p::table).values(p::account_id.eq(account_id)).execute(conn)?;
    }
    Ok(())
}

/// Whether a person wants an alert at every sign-in (not only from new devices).
pub fn alert_every_sign_in(conn: &mut AnyConnection, account_id: AccountId) -> QueryResult<bool> {
    use crate::db::schema::account_preferences as p;
    Ok(p::table.find(account_id).select(p::alert_every_sign_in).first::<bool>(conn).optional()?.unwrap_or(false))
}

pub fn set_alert_every_sign_in(conn: &mut AnyConnection, account_id: AccountId, every: bool) -> QueryResult<()> {
    use crate::db::schema::account_preferences as p;
    preferences_row(conn, account_id)?;
    diesel::update(p::table.find(account_id)).set(p::alert_every_sign_in.eq(every)).execute(conn).map(|_| ())
}

/// On PostgreSQL, the accounts' locks: ending their sessions (`exclusive`)
/// and carrying one on under a new id (shared) take turns, so no session is
/// carried on past the moment they were ended. Taken in one statement in
/// the order of their ids (no two endings wait on each other); the shared
/// one holds back only the exclusive. SQLite writes one at a time.
pub fn lock(c: &mut AnyConnection, accounts: &[AccountId], exclusive: bool) -> QueryResult<()> {
    if let AnyConnection::Postgresql(pg) = c {
        if accounts.is_empty() {
            return Ok(());
        }
        let rows = a::table.filter(a::id.eq_any(accounts)).order(a::id).select(a::id);
        if exclusive {
            rows.for_update().load::<AccountId>(pg)?;
        } else {
            rows.for_key_share().load::<AccountId>(pg)?;
        }
    }
    Ok(())
}

/// Notes that every session of these accounts ended `now` (under their
/// lock): a sign-in authenticated before then and still on its way creates
/// no session afterwards (see [`ended_after`]).
fn sessions_ended(c: &mut AnyConnection, accounts: &[AccountId], now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(a::table.filter(a::id.eq_any(accounts))).set(a::sessions_ended_at.eq(now)).execute(c).map(|_| ())
}

/// Whether the account's sessions were all ended after `authenticated`.
pub fn ended_after(c: &mut AnyConnection, account: AccountId, authenticated: NaiveDateTime) -> QueryResult<bool> {
    let ended: Option<Option<NaiveDateTime>> =
        a::table.find(account).select(a::sessions_ended_at).first(c).optional()?;
    Ok(ended.flatten().is_some_and(|at| at > authenticated))
}

/// Ends every session of these accounts (a password changed, a role
/// removed, a sign-in disowned); returns what the ended sessions held.
pub fn end_sessions_of(
    conn: &mut AnyConnection,
    accounts: &[AccountId],
    now: NaiveDateTime,
) -> QueryResult<Vec<String>> {
    conn.transaction(|c| {
        lock(c, accounts, true)?;
        sessions_ended(c, accounts, now)?;
        let of_accounts = || sessions::table.filter(sessions::account_id.eq_any(accounts));
        let data = of_accounts().select(sessions::data).load(c)?;
        diesel::delete(of_accounts()).execute(c)?;
        Ok(data)
    })
}
