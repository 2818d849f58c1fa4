//! Utente Estero records: registration, confirmation, decision, credentials.
use super::status::{Event, Status};
use crate::access::{Action, Permit, Resource};
use crate::db::schema::{foreign_users as u, helpdesk_decisions as d, recovery_codes as r};
use crate::db::AnyConnection;
use crate::kernel::ForeignUserId;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// Confirmation links work for two days.
pub const CONFIRM_HOURS: i64 = 48;

#[derive(Clone, Debug, Queryable)]
pub struct ForeignUser {
    pub id: ForeignUserId,
    pub public_id: String,
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: NaiveDate,
    pub birth_country: String,
    pub citizenship: String,
    pub phone: String,
    pub doc_type: String,
    pub doc_number: String,
    pub doc_country: String,
    pub doc_expiry: NaiveDate,
    pub doc_file: String,
    pub doc_mime: String,
    pub password_hash: String,
    pub lang: String,
    #[diesel(deserialize_as = String)]
    pub status: Status,
    pub confirm_token_hash: Option<String>,
    pub confirm_expires_at: Option<NaiveDateTime>,
    pub totp_secret: Option<String>,
    pub totp_enrolled_at: Option<NaiveDateTime>,
    pub totp_last_step: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// What a registration stores.
#[derive(Clone, Debug)]
pub struct NewRegistration {
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: NaiveDate,
    pub birth_country: String,
    pub citizenship: String,
    pub phone: String,
    pub doc_type: String,
    pub doc_number: String,
    pub doc_country: String,
    pub doc_expiry: NaiveDate,
    pub doc_file: String,
    pub doc_mime: String,
    pub password_hash: String,
    pub lang: String,
}

/// 32 random bytes in hex; only its SHA-256 is stored.
pub fn new_token() -> (String, String) {
    let token = crate::kernel::token::random_hex(32);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    crate::kernel::token::sha256_hex(token.trim())
}

fn new_public_id() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let tail: String = (0..8).map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char).collect();
    format!("UE-{tail}")
}

pub fn by_email(conn: &mut AnyConnection, email: &str) -> QueryResult<Option<ForeignUser>> {
    u::table.filter(u::email.eq(email.trim().to_lowercase())).first(conn).optional()
}

pub fn by_id(conn: &mut AnyConnection, id: ForeignUserId) -> QueryResult<Option<ForeignUser>> {
    u::table.find(id).first(conn).optional()
}

/// Stores a new registration awaiting e-mail confirmation; `None` when the
/// address is already registered (the caller answers the same either way).
pub fn register(
    conn: &mut AnyConnection,
    reg: &NewRegistration,
    confirm_hash: &str,
    now: chrono::NaiveDateTime,
) -> QueryResult<Option<ForeignUserId>> {
    conn.transaction(|c| {
        if by_email(c, &reg.email)?.is_some() {
            return Ok(None);
        }
        let id = diesel::insert_into(u::table)
            .values((
                u::public_id.eq(new_public_id()),
                u::email.eq(reg.email.trim().to_lowercase()),
                u::given_name.eq(&reg.given_name),
                u::family_name.eq(&reg.family_name),
                u::birth_date.eq(reg.birth_date),
                u::birth_country.eq(&reg.birth_country),
                u::citizenship.eq(&reg.citizenship),
                u::phone.eq(&reg.phone),
                u::doc_type.eq(&reg.doc_type),
                u::doc_number.eq(&reg.doc_number),
                u::doc_country.eq(&reg.doc_country),
                u::doc_expiry.eq(reg.doc_expiry),
                u::doc_file.eq(&reg.doc_file),
                u::doc_mime.eq(&reg.doc_mime),
                u::password_hash.eq(&reg.password_hash),
                u::lang.eq(&reg.lang),
                u::status.eq(Status::Unconfirmed.code()),
                u::confirm_token_hash.eq(confirm_hash),
                u::confirm_expires_at.eq(now + chrono::Duration::hours(CONFIRM_HOURS)),
                u::created_at.eq(now),
            ))
            .returning(u::id)
            .get_result(c)?;
        Ok(Some(id))
    })
}

/// Confirms the e-mail address behind `token` (single use, unexpired): the
/// request then reaches the helpdesk queue.
pub fn confirm(conn: &mut AnyConnection, token: &str, now: chrono::NaiveDateTime) -> QueryResult<Option<ForeignUser>> {
    let hash = token_hash(token);
    conn.transaction(|c| {
        let found: Option<ForeignUser> = u::table
            .filter(u::confirm_token_hash.eq(&hash))
            .filter(u::status.eq(Status::Unconfirmed.code()))
            .filter(u::confirm_expires_at.gt(now))
            .first(c)
            .optional()?;
        let Some(user) = found else { return Ok(None) };
        let Some(next) = user.status.after(Event::ConfirmEmail) else { return Ok(None) };
        diesel::update(u::table.find(user.id))
            .set((
                u::status.eq(next.code()),
                u::confirm_token_hash.eq(None::<String>),
                u::confirm_expires_at.eq(None::<NaiveDateTime>),
            ))
            .execute(c)?;
        Ok(Some(user))
    })
}

/// Removes registrations whose address was not confirmed within
/// `CONFIRM_HOURS`; returns their document files, to delete.
pub fn expire_unconfirmed(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<Vec<String>> {
    let stale: Vec<(i64, String)> = u::table
        .filter(u::status.eq(Status::Unconfirmed.code()))
        .filter(u::created_at.lt(now - chrono::Duration::hours(CONFIRM_HOURS)))
        .select((u::id, u::doc_file))
        .load(conn)?;
    let ids: Vec<i64> = stale.iter().map(|(id, _)| *id).collect();
    diesel::delete(u::table.filter(u::id.eq_any(ids))).execute(conn)?;
    Ok(stale.into_iter().map(|(_, f)| f).collect())
}

/// What a registration without a document file (the demo user) has in its place.
pub const NO_DOCUMENT: &str = "demo-none";

/// A decided request keeps its decision record, not the identity document:
/// forgets the scans of decided requests and returns their files, to delete.
pub fn forget_decided_documents(conn: &mut AnyConnection) -> QueryResult<Vec<String>> {
    let decided: Vec<(i64, String)> = u::table
        .filter(u::status.eq_any([Status::Approved.code(), Status::Rejected.code()]))
        .filter(u::doc_file.ne(""))
        .filter(u::doc_file.ne(NO_DOCUMENT))
        .select((u::id, u::doc_file))
        .load(conn)?;
    let ids: Vec<i64> = decided.iter().map(|(id, _)| *id).collect();
    diesel::update(u::table.filter(u::id.eq_any(ids))).set(u::doc_file.eq("")).execute(conn)?;
    Ok(decided.into_iter().map(|(_, f)| f).collect())
}

/// The Utente Estero behind a signed-in person, for changing their password.
pub fn password_owner(conn: &mut AnyConnection, permit: &Permit, public_id: &str) -> QueryResult<Option<ForeignUser>> {
    permit.require(Action::Change, &Resource::PortalPassword)?;
    u::table.filter(u::public_id.eq(public_id)).first::<ForeignUser>(conn).optional()
}

/// A request still waiting for the helpdesk, with its document's file name.
/// Allowed with a permit to view or decide the request, or to view its document.
pub fn pending_request(
    conn: &mut AnyConnection,
    permit: &Permit,
    id: ForeignUserId,
) -> QueryResult<Option<ForeignUser>> {
    if !(permit.covers(Action::View, &Resource::ForeignRequest(id))
        || permit.covers(Action::Decide, &Resource::ForeignRequest(id))
        || permit.covers(Action::View, &Resource::ForeignDocument(id)))
    {
        permit.require(Action::View, &Resource::ForeignRequest(id))?;
    }
    Ok(by_id(conn, id)?.filter(|u| u.status == Status::Pending))
}

/// The helpdesk queue: requests whose address is confirmed, oldest first,
/// `limit` of them after request `after` (keyset on the id, which grows with time).
pub fn queue(
    conn: &mut AnyConnection,
    permit: &Permit,
    after: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<ForeignUser>> {
    permit.require(Action::View, &Resource::HelpdeskQueue)?;
    u::table
        .filter(u::status.eq(Status::Pending.code()))
        .filter(u::id.gt(after.unwrap_or(0)))
        .order(u::id.asc())
        .limit(limit)
        .load(conn)
}

/// How many requests wait in the helpdesk queue.
pub fn queue_count(conn: &mut AnyConnection, permit: &Permit) -> QueryResult<i64> {
    permit.require(Action::View, &Resource::HelpdeskQueue)?;
    u::table.filter(u::status.eq(Status::Pending.code())).count().get_result(conn)
}

/// A decision, as the console lists it.
#[derive(Clone, Debug)]
pub struct Decision {
    pub applicant: String,
    pub public_id: String,
    pub operator: String,
    pub decision: Status,
    pub reason: String,
    pub at: NaiveDateTime,
}

/// Applicant's names and id, operator's names, decision, reason, when.
type DecisionRow = (String, String, String, String, String, String, String, NaiveDateTime);

pub fn recent_decisions(conn: &mut AnyConnection, permit: &Permit, limit: i64) -> QueryResult<Vec<Decision>> {
    permit.require(Action::View, &Resource::HelpdeskQueue)?;
    use crate::db::schema::accounts as a;
    let rows: Vec<DecisionRow> = d::table
        .inner_join(u::table)
        .inner_join(a::table)
        .order(d::at.desc())
        .limit(limit)
        .select((
            u::given_name,
            u::family_name,
            u::public_id,
            a::given_name,
            a::family_name,
            d::decision,
            d::reason,
            d::at,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(g, f, public_id, og, of, decision, reason, at)| {
            Ok(Decision {
                applicant: format!("{g} {f}"),
                public_id,
                operator: format!("{og} {of}"),
                decision: Status::try_from(decision)
                    .map_err(|e| diesel::result::Error::DeserializationError(e.into()))?,
                reason,
                at,
            })
        })
        .collect()
}

/// Records the helpdesk's decision on a pending request. Approval also opens
/// the person's account, keyed by the Utente Estero id. `None` if the request
/// was not pending (already decided by someone else).
pub fn decide(
    conn: &mut AnyConnection,
    permit: &Permit,
    id: ForeignUserId,
    approve: bool,
    reason: &str,
    now: chrono::NaiveDateTime,
) -> QueryResult<Option<ForeignUser>> {
    permit.require(Action::Decide, &Resource::ForeignRequest(id))?;
    let operator_account = permit.account_id();
    conn.transaction(|c| {
        let Some(user) = by_id(c, id)? else { return Ok(None) };
        let event = if approve { Event::Approve } else { Event::Reject };
        let Some(status) = user.status.after(event) else { return Ok(None) };
        // Only one of two operators deciding at once changes the status.
        // The decision is kept; the identity document is not (the caller deletes the file).
        let changed = diesel::update(u::table.find(id).filter(u::status.eq(Status::Pending.code())))
            .set((u::status.eq(status.code()), u::doc_file.eq("")))
            .execute(c)?;
        if changed != 1 {
            return Ok(None);
        }
        diesel::insert_into(d::table)
            .values((
                d::foreign_user_id.eq(id),
                d::operator_account_id.eq(operator_account),
                d::decision.eq(status.code()),
                d::reason.eq(reason),
                d::at.eq(now),
            ))
            .execute(c)?;
        if approve {
            open_account(c, &user, now)?;
        }
        Ok(Some(user))
    })
}

/// Demo data only: approves without an operator (no decision row, since
/// nobody decided), opening the account as an approval does.
pub fn approve_unattended(conn: &mut AnyConnection, id: ForeignUserId, now: chrono::NaiveDateTime) -> QueryResult<()> {
    conn.transaction(|c| {
        let Some(user) = by_id(c, id)? else { return Ok(()) };
        diesel::update(u::table.find(id)).set(u::status.eq(Status::Approved.code())).execute(c)?;
        open_account(c, &user, now)
    })
}

/// The account of an approved person, keyed by the Utente Estero id.
fn open_account(conn: &mut AnyConnection, user: &ForeignUser, now: chrono::NaiveDateTime) -> QueryResult<()> {
    use crate::db::schema::accounts as a;
    diesel::insert_into(a::table)
        .values((
            a::id_kind.eq(crate::identity::IdKind::Foreign.code()),
            a::identifier.eq(&user.public_id),
            a::given_name.eq(&user.given_name),
            a::family_name.eq(&user.family_name),
            a::date_of_birth.eq(Some(user.birth_date)),
            a::email.eq(Some(&user.email)),
            a::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn set_password_hash(conn: &mut AnyConnection, id: ForeignUserId, phc: &str) -> QueryResult<()> {
    diesel::update(u::table.find(id)).set(u::password_hash.eq(phc)).execute(conn).map(|_| ())
}

/// Saves a confirmed authenticator and replaces the recovery codes.
pub fn enrol(
    conn: &mut AnyConnection,
    id: ForeignUserId,
    secret: &str,
    step: i64,
    recovery_hashes: &[String],
    now: chrono::NaiveDateTime,
) -> QueryResult<()> {
    conn.transaction(|c| {
        diesel::update(u::table.find(id))
            .set((u::totp_secret.eq(secret), u::totp_enrolled_at.eq(now), u::totp_last_step.eq(step)))
            .execute(c)?;
        diesel::delete(r::table.filter(r::foreign_user_id.eq(id))).execute(c)?;
        for h in recovery_hashes {
            diesel::insert_into(r::table).values((r::foreign_user_id.eq(id), r::code_hash.eq(h))).execute(c)?;
        }
        Ok(())
    })
}

/// Remembers the last time step used, so a code works once.
/// Spends the time step of a valid code: true only for the first to spend it
/// (the same code sent twice at once passes once).
pub fn used_step(conn: &mut AnyConnection, id: ForeignUserId, step: i64) -> QueryResult<bool> {
    let n = diesel::update(u::table.find(id).filter(u::totp_last_step.is_null().or(u::totp_last_step.lt(step))))
        .set(u::totp_last_step.eq(step))
        .execute(conn)?;
    Ok(n == 1)
}

/// Spends a recovery code; false if it is unknown or already used.
pub fn use_recovery_code(
    conn: &mut AnyConnection,
    id: ForeignUserId,
    code_hash: &str,
    now: chrono::NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        r::table.filter(r::foreign_user_id.eq(id)).filter(r::code_hash.eq(code_hash)).filter(r::used_at.is_null()),
    )
    .set(r::used_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}
