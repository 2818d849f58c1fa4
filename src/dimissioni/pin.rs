//! The PIN of a soggetto abilitato's filing (MLPS nota 3575/2020): 13 digits
//! printed on the paper delega the worker and the operator sign; valid only
//! on the day it was issued (Italian date) and only for the one module (or
//! revoca) it was issued for. Kept hashed.
use crate::db::schema::dimissioni_pins as p;
use crate::db::AnyConnection;
use crate::kernel::AccountId;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

fn hash(pin: &str) -> String {
    crate::kernel::token::sha256_hex(pin)
}

/// What the PIN is for.
pub struct For<'a> {
    pub operator: AccountId,
    pub worker_codice_fiscale: &'a str,
    pub kind: &'a str,
    /// The module's idempotency key (or `revoca:{code}` for a revoca).
    pub key: &'a str,
    /// What the worker signed: [`content_hash`] of the module (for a revoca,
    /// of the revoked module's code).
    pub content: String,
}

/// A hash of what the paper delega describes: the worker, the relationship
/// (employer, start, contract), section 4 (kind, decorrenza, reason) and where
/// the notices go. A PIN sends only a module with exactly these contents.
pub fn content_hash(c: &super::modulo::Contents) -> String {
    let fields = [
        c.worker_codice_fiscale.as_str(),
        c.employer_codice_fiscale.as_str(),
        c.employer_name.as_str(),
        &c.start_date.to_string(),
        c.contract_type.as_str(),
        c.kind.as_str(),
        &c.decorrenza.map(|d| d.to_string()).unwrap_or_default(),
        c.reason.as_deref().unwrap_or(""),
        c.revokes_code.as_deref().unwrap_or(""),
        // Where the notices go: the employer's addresses, the worker's, the
        // workplace's province (which chooses the Ispettorato).
        c.employer_pec.as_str(),
        c.employer_email.as_str(),
        c.worker_email.as_str(),
        c.workplace_province.as_str(),
    ]
    .join("\u{1f}");
    hash(&fields)
}

/// A PIN as people copy it from paper: spaces and dashes do not count.
fn typed(pin: &str) -> String {
    crate::web::text::code_signs(pin, 20)
}

/// Issues a new PIN for `what` on `today` (a new one replaces an unused one for the same module).
pub fn issue(conn: &mut AnyConnection, what: &For, today: NaiveDate, now: NaiveDateTime) -> QueryResult<String> {
    let pin: String = (0..13).map(|_| char::from(b'0' + rand::random::<u8>() % 10)).collect();
    conn.transaction(|c| {
        diesel::delete(p::table.filter(p::idempotency_key.eq(what.key)).filter(p::used_by_code.is_null()))
            .execute(c)?;
        diesel::insert_into(p::table)
            .values((
                p::pin_hash.eq(hash(&pin)),
                p::operator_account_id.eq(what.operator),
                p::worker_codice_fiscale.eq(what.worker_codice_fiscale),
                p::kind.eq(what.kind),
                p::idempotency_key.eq(what.key),
                p::issued_on.eq(today),
                p::created_at.eq(now),
                p::content_hash.eq(&what.content),
            ))
            .execute(c)?;
        Ok(pin)
    })
}

/// The module a PIN for `key` already sent, if one did: then the form is
/// sent, and no new PIN is issued for it.
pub fn sent_with(conn: &mut AnyConnection, key: &str) -> QueryResult<Option<String>> {
    Ok(p::table
        .filter(p::idempotency_key.eq(key))
        .select(p::used_by_code)
        .load::<Option<String>>(conn)?
        .into_iter()
        .flatten()
        .next())
}

/// Why a PIN is refused (each a message key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Wrong,
    Expired,
    Used,
    /// Issued for a module with other contents than the one being sent.
    Changed,
}

impl Refusal {
    pub fn key(self) -> &'static str {
        match self {
            Refusal::Wrong => "dim-error-pin-wrong",
            Refusal::Expired => "dim-error-pin-expired",
            Refusal::Used => "dim-error-pin-used",
            Refusal::Changed => "dim-error-pin-changed",
        }
    }
}

/// Whether `pin` is the one issued for `what`, today, and not used yet.
pub fn check(conn: &mut AnyConnection, what: &For, pin: &str, today: NaiveDate) -> QueryResult<Result<(), Refusal>> {
    type Row = (String, AccountId, String, String, NaiveDate, Option<String>, String);
    let row: Option<Row> = p::table
        .filter(p::idempotency_key.eq(what.key))
        .order(p::id.desc())
        .select((
            p::pin_hash,
            p::operator_account_id,
            p::worker_codice_fiscale,
            p::kind,
            p::issued_on,
            p::used_by_code,
            p::content_hash,
        ))
        .first(conn)
        .optional()?;
    let Some((pin_hash, operator, worker, kind, issued_on, used, content)) = row else {
        return Ok(Err(Refusal::Wrong));
    };
    if used.is_some() {
        return Ok(Err(Refusal::Used));
    }
    if pin_hash != hash(&typed(pin))
        || operator != what.operator
        || worker != what.worker_codice_fiscale
        || kind != what.kind
    {
        return Ok(Err(Refusal::Wrong));
    }
    // The worker signed a delega for other contents (another employer, kind or date).
    if content != what.content {
        return Ok(Err(Refusal::Changed));
    }
    if issued_on != today {
        return Ok(Err(Refusal::Expired));
    }
    Ok(Ok(()))
}

/// Marks the PIN for `key` used by module `code`.
pub fn spend(conn: &mut AnyConnection, key: &str, code: &str) -> QueryResult<()> {
    diesel::update(p::table.filter(p::idempotency_key.eq(key)).filter(p::used_by_code.is_null()))
        .set(p::used_by_code.eq(code))
        .execute(conn)
        .map(|_| ())
}

/// Whether some PIN issued for another module is `pin` (a PIN reused for a second module).
pub fn issued_elsewhere(conn: &mut AnyConnection, pin: &str, key: &str) -> QueryResult<bool> {
    Ok(p::table
        .filter(p::pin_hash.eq(hash(&typed(pin))))
        .filter(p::idempotency_key.ne(key))
        .count()
        .get_result::<i64>(conn)?
        > 0)
}
