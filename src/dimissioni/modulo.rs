//! Modules as sent: never edited, only revoked by a revoca module. Each gets
//! its codice identificativo (the transmission time `aaaammgghh24missms`,
//! moved on by a millisecond when another module took that one) and its data
//! certa: the module's hash, chained to the previous module's, signed with
//! the portal's key (see [`super::seal`]).
use super::seal;
use crate::access::{Action, Listing, Permit, Resource};
use crate::db::schema::{dimissioni_deliveries as dl, dimissioni_modules as m};
use crate::db::AnyConnection;
use crate::kernel::{AccountId, OrganisationId};
use chrono::{Duration, NaiveDate, NaiveDateTime, Timelike};
use diesel::prelude::*;

/// Allegato A, section 4: what the module communicates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Dimissioni,
    /// Dimissioni per giusta causa, with the reason.
    GiustaCausa,
    RisoluzioneConsensuale,
    /// Revoca of an earlier module, within 7 days.
    Revoca,
}

impl Kind {
    pub const FILED: [Kind; 3] = [Kind::Dimissioni, Kind::GiustaCausa, Kind::RisoluzioneConsensuale];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Dimissioni => "dimissioni",
            Kind::GiustaCausa => "giusta_causa",
            Kind::RisoluzioneConsensuale => "risoluzione_consensuale",
            Kind::Revoca => "revoca",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [Kind::Dimissioni, Kind::GiustaCausa, Kind::RisoluzioneConsensuale, Kind::Revoca]
            .into_iter()
            .find(|k| k.code() == s)
    }

    pub fn name_key(self) -> String {
        format!("dim-kind-{}", self.code().replace('_', "-"))
    }
}

/// Sections 1–4 of Allegato A, and who sends it (section 5's abilitato).
/// Sealed as JSON: the field names are part of every stored seal, so the
/// three codici fiscali keep the names they were sealed under.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Contents {
    pub kind: String,
    pub revokes_code: Option<String>,
    #[serde(rename = "worker_tax_code")]
    pub worker_codice_fiscale: String,
    pub worker_family_name: String,
    pub worker_given_name: String,
    pub worker_email: String,
    #[serde(rename = "employer_tax_code")]
    pub employer_codice_fiscale: String,
    pub employer_name: String,
    pub workplace_address: String,
    pub workplace_comune: String,
    pub workplace_cap: String,
    pub workplace_province: String,
    pub employer_email: String,
    pub employer_pec: String,
    pub start_date: NaiveDate,
    pub contract_type: String,
    pub decorrenza: Option<NaiveDate>,
    pub reason: Option<String>,
    pub abilitato_kind: Option<String>,
    #[serde(rename = "abilitato_tax_code")]
    pub abilitato_codice_fiscale: Option<String>,
}

/// A module as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Modulo {
    pub id: i64,
    pub code: String,
    pub contents: Contents,
    pub revoked_by_code: Option<String>,
    pub worker_account_id: Option<AccountId>,
    pub filed_by_account_id: AccountId,
    pub transmitted_at: NaiveDateTime,
    pub prev_hash: String,
    pub hash: String,
    pub signature: String,
    /// The worker's retrieval code (none on a revoca): only for the worker's
    /// copy and whoever sent it ([`super::retrieval`]).
    pub retrieval_code: Option<String>,
    /// The key that sealed it (none: seal version 1, the service provider's).
    pub seal_key: Option<String>,
}

impl Modulo {
    pub fn kind(&self) -> Kind {
        Kind::parse(&self.contents.kind).unwrap_or(Kind::Dimissioni)
    }
}

/// How a code writes the time: `aaaammgghh24missms`.
const CODE_FORMAT: &str = "%Y%m%d%H%M%S%3f";

/// The codice identificativo of a transmission at `at` (UTC), after the last
/// code given (if any). It attests the day and hour of transmission (DM
/// 15/12/2015 art. 2), in Italy: the Italian local time, daylight saving
/// included, the same instant the page and the PDF show. Codes only grow:
/// when two transmissions fall in one millisecond, or Italian time repeats an
/// hour (the night daylight saving ends), the code moves on a millisecond
/// past the last one.
pub fn code_for(at: NaiveDateTime, last: Option<&str>) -> String {
    let code = crate::kernel::clock::rome(at).format(CODE_FORMAT).to_string();
    match last.and_then(|l| NaiveDateTime::parse_from_str(l, CODE_FORMAT).ok().map(|t| (l, t))) {
        Some((l, t)) if code.as_str() <= l => (t + Duration::milliseconds(1)).format(CODE_FORMAT).to_string(),
        _ => code,
    }
}

type Row = (
    (i64, String, String, Option<String>, Option<String>, Option<AccountId>, String, String, String, String),
    (String, String, String, String, String, String, String, String, NaiveDate, String),
    (
        Option<NaiveDate>,
        Option<String>,
        AccountId,
        Option<String>,
        Option<String>,
        NaiveDateTime,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
    ),
);

macro_rules! select_module {
    () => {
        (
            (
                m::id,
                m::code,
                m::kind,
                m::revokes_code,
                m::revoked_by_code,
                m::worker_account_id,
                m::worker_codice_fiscale,
                m::worker_family_name,
                m::worker_given_name,
                m::worker_email,
            ),
            (
                m::employer_codice_fiscale,
                m::employer_name,
                m::workplace_address,
                m::workplace_comune,
                m::workplace_cap,
                m::workplace_province,
                m::employer_email,
                m::employer_pec,
                m::start_date,
                m::contract_type,
            ),
            (
                m::decorrenza,
                m::reason,
                m::filed_by_account_id,
                m::abilitato_kind,
                m::abilitato_codice_fiscale,
                m::transmitted_at,
                m::prev_hash,
                m::hash,
                m::signature,
                m::retrieval_code,
                m::seal_key,
            ),
        )
    };
}

fn from_row(row: Row) -> Modulo {
    let (
        (id, code, kind, revokes_code, revoked_by_code, worker_account_id, wcf, wfam, wgiv, wmail),
        (ecf, ename, addr, comune, cap, prov, email, pec, start, contract),
        (decorrenza, reason, filed_by, ab_kind, ab_cf, at, prev_hash, hash, signature, retrieval_code, seal_key),
    ) = row;
    Modulo {
        id,
        code,
        contents: Contents {
            kind,
            revokes_code,
            worker_codice_fiscale: wcf,
            worker_family_name: wfam,
            worker_given_name: wgiv,
            worker_email: wmail,
            employer_codice_fiscale: ecf,
            employer_name: ename,
            workplace_address: addr,
            workplace_comune: comune,
            workplace_cap: cap,
            workplace_province: prov,
            employer_email: email,
            employer_pec: pec,
            start_date: start,
            contract_type: contract,
            decorrenza,
            reason,
            abilitato_kind: ab_kind,
            abilitato_codice_fiscale: ab_cf,
        },
        revoked_by_code,
        worker_account_id,
        filed_by_account_id: filed_by,
        transmitted_at: at,
        prev_hash,
        hash,
        signature,
        retrieval_code,
        seal_key,
    }
}

/// One module by its code, for this domain's own work: deciding who may see
/// it ([`super::detail::permitted`]) and delivering it. Other domains have no
/// way to read a module.
pub(super) fn by_code(conn: &mut AnyConnection, code: &str) -> QueryResult<Option<Modulo>> {
    let row: Option<Row> = m::table.filter(m::code.eq(code)).select(select_module!()).first(conn).optional()?;
    Ok(row.map(from_row))
}

/// What anyone may learn of a module whose code and verification code they
/// hold: that it is authentic, its kind, when it was sent, and whether (and
/// when) it was revoked. Nothing personal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub code: String,
    pub kind: Kind,
    pub transmitted_at: NaiveDateTime,
    pub revoked: Option<(String, NaiveDateTime)>,
}

/// The module `code` if `verification` is its verification code (spaces,
/// dashes and case do not count).
pub fn verified(conn: &mut AnyConnection, code: &str, verification: &str) -> QueryResult<Option<Verified>> {
    let row: Option<(String, String, NaiveDateTime, String, Option<String>)> = m::table
        .filter(m::code.eq(code))
        .select((m::code, m::kind, m::transmitted_at, m::hash, m::revoked_by_code))
        .first(conn)
        .optional()?;
    let typed: String =
        verification.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_uppercase();
    let Some((code, kind, transmitted_at, hash, revoked_by)) = row else { return Ok(None) };
    let expected: String = seal::verification_code(&hash).chars().filter(|c| *c != '-').collect();
    if typed.is_empty() || typed != expected {
        return Ok(None);
    }
    let revoked = match revoked_by {
        Some(by) => {
            let at: NaiveDateTime = m::table.filter(m::code.eq(&by)).select(m::transmitted_at).first(conn)?;
            Some((by, at))
        }
        None => None,
    };
    Ok(Some(Verified { code, kind: Kind::parse(&kind).unwrap_or(Kind::Dimissioni), transmitted_at, revoked }))
}

/// The codes of the modules in force (sent, not revoked, not a revoca) for
/// the relationship `contents` describes: its worker, employer and start.
pub(super) fn in_force_for(conn: &mut AnyConnection, contents: &Contents) -> QueryResult<Vec<String>> {
    m::table
        .filter(m::worker_codice_fiscale.eq(&contents.worker_codice_fiscale))
        .filter(m::employer_codice_fiscale.eq(&contents.employer_codice_fiscale))
        .filter(m::start_date.eq(contents.start_date))
        .filter(m::kind.ne(Kind::Revoca.code()))
        .filter(m::revoked_by_code.is_null())
        .order(m::id.asc())
        .select(m::code)
        .load(conn)
}

/// Which modules a list shows.
pub enum Scope<'a> {
    Worker(&'a str),
    /// An organisation's, by its codice fiscale as employer.
    Employer {
        organisation: OrganisationId,
        codice_fiscale: &'a str,
    },
    /// Sent by this operator for the soggetto abilitato `organisation` (its codice fiscale).
    FiledBy {
        account: AccountId,
        organisation: OrganisationId,
        abilitato: &'a str,
    },
    /// Those of the provinces an Ispettorato office covers.
    Office(&'a str),
}

impl Scope<'_> {
    /// The list as the access decision knows it: a permit for one list
    /// never reads another.
    fn listing(&self) -> Listing<'_> {
        match self {
            Scope::Worker(cf) => Listing::Worker(cf),
            Scope::Employer { organisation, .. } => Listing::Employer { organisation: *organisation },
            Scope::FiledBy { organisation, .. } => Listing::SentFor { organisation: *organisation },
            Scope::Office(code) => Listing::Office { office: code, officer_of: Some(code) },
        }
    }
}

/// Filters of the employer's search.
#[derive(Clone, Debug, Default)]
pub struct Search {
    pub worker: Option<String>,
    pub kind: Option<String>,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

/// Which part of a list to read: newest first, those older than `before`
/// (the last id of the page shown), at most `limit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub before: Option<i64>,
    pub limit: i64,
}

/// The modules of `scope` in `window` (newest first), with the permit to see that list.
pub fn list(
    conn: &mut AnyConnection,
    permit: &Permit,
    scope: Scope,
    search: &Search,
    window: Window,
) -> QueryResult<Vec<Modulo>> {
    permit.require(Action::View, &Resource::Resignations(scope.listing()))?;
    let mut q = m::table.select(select_module!()).into_boxed();
    if let Some(before) = window.before {
        q = q.filter(m::id.lt(before));
    }
    q = match scope {
        Scope::Worker(cf) => q.filter(m::worker_codice_fiscale.eq(cf.to_string())),
        Scope::Employer { codice_fiscale, .. } => q.filter(m::employer_codice_fiscale.eq(codice_fiscale.to_string())),
        Scope::FiledBy { account, abilitato, .. } => {
            q.filter(m::filed_by_account_id.eq(account)).filter(m::abilitato_codice_fiscale.eq(abilitato.to_string()))
        }
        Scope::Office(code) => q.filter(m::workplace_province.eq_any(super::itl::provinces_of(conn, code)?)),
    };
    if let Some(w) = &search.worker {
        q = q.filter(m::worker_codice_fiscale.eq(w.clone()));
    }
    if let Some(k) = &search.kind {
        q = q.filter(m::kind.eq(k.clone()));
    }
    // Search days are Italian days.
    if let Some(f) = search.from {
        q = q.filter(m::transmitted_at.ge(crate::kernel::clock::start_of_italian_day(f)));
    }
    if let Some(next) = search.until.and_then(|u| u.succ_opt()) {
        q = q.filter(m::transmitted_at.lt(crate::kernel::clock::start_of_italian_day(next)));
    }
    let rows: Vec<Row> = q.order(m::id.desc()).limit(window.limit).load(conn)?;
    Ok(rows.into_iter().map(from_row).collect())
}

/// Every module, oldest first: the seal chain's order, for
/// `servizi-lavoro dimissioni verify` (the operator's own command, not a page).
pub fn chain(conn: &mut AnyConnection) -> QueryResult<Vec<Modulo>> {
    let rows: Vec<Row> = m::table.select(select_module!()).order(m::id.asc()).load(conn)?;
    Ok(rows.into_iter().map(from_row).collect())
}

/// Who transmits.
#[derive(Clone, Copy, Debug)]
pub struct Sender {
    pub account: AccountId,
    /// The worker's account, when the worker sends it themself.
    pub worker_account: Option<AccountId>,
}

/// Transmits `contents` at `now`: a code unique even within one millisecond,
/// the seal chained to the last module, and (for a revoca) the revoked
/// module marked. The same `idempotency_key` twice sends one module: the
/// second call returns the first's code. `Err` when the revoked module was
/// revoked in the meantime.
pub fn transmit(
    conn: &mut AnyConnection,
    contents: &Contents,
    sender: Sender,
    idempotency_key: &str,
    keys: &crate::keyring::Keyring,
    now: NaiveDateTime,
) -> QueryResult<Result<String, String>> {
    use diesel::result::{DatabaseErrorKind, Error};
    let mut attempt = 0;
    loop {
        match transmit_once(conn, contents, sender, idempotency_key, keys, now) {
            // Two transmissions at once on SQLite: the one that lost the write lock tries again.
            Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation | DatabaseErrorKind::Unknown, _))
                if attempt < 20 =>
            {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_millis(5 * attempt));
            }
            other => return other,
        }
    }
}

/// Keeps the chain one line: on PostgreSQL a lock for the transaction; on
/// SQLite the file's write lock taken first (a write that changes nothing),
/// so a second transmission waits for the first instead of reading a
/// snapshot it could not write after (which inside the caller's transaction
/// no retry would cure).
fn chain_lock(conn: &mut AnyConnection) -> QueryResult<()> {
    match conn {
        AnyConnection::Postgresql(_) => {
            diesel::sql_query("SELECT pg_advisory_xact_lock(151201526)").execute(conn)?;
        }
        AnyConnection::Sqlite(_) => {
            diesel::sql_query("UPDATE dimissioni_modules SET id = id WHERE id < 0").execute(conn)?;
        }
    }
    Ok(())
}

fn transmit_once(
    conn: &mut AnyConnection,
    contents: &Contents,
    sender: Sender,
    idempotency_key: &str,
    keys: &crate::keyring::Keyring,
    now: NaiveDateTime,
) -> QueryResult<Result<String, String>> {
    conn.transaction(|c| {
        chain_lock(c)?;
        // The same form sent again is the same module, but only for the same
        // sender and the same revoked module: a key is never someone else's.
        let earlier: Option<(String, AccountId, Option<String>)> = m::table
            .filter(m::idempotency_key.eq(idempotency_key))
            .select((m::code, m::filed_by_account_id, m::revokes_code))
            .first(c)
            .optional()?;
        if let Some((code, filed_by, revokes)) = earlier {
            return Ok(if filed_by == sender.account && revokes == contents.revokes_code {
                Ok(code)
            } else {
                Err(format!("idempotency key of module {code} reused by account {}", sender.account))
            });
        }
        // The chain's end, locked by the write below: one transmission at a time.
        let last: Option<(String, NaiveDateTime, String)> =
            m::table.order(m::id.desc()).select((m::hash, m::transmitted_at, m::code)).first(c).optional()?;
        let (prev_hash, last_at, last_code) =
            last.map_or((seal::GENESIS.to_string(), NaiveDateTime::MIN, None), |(h, t, c)| (h, t, Some(c)));
        let mut at = now.max(last_at + Duration::milliseconds(1));
        // Milliseconds only: the code is the transmission time to the millisecond.
        at = at.with_nanosecond((at.nanosecond() / 1_000_000) * 1_000_000).unwrap_or(at);
        let code = code_for(at, last_code.as_deref());
        // A resignation gets the worker's retrieval code; a revoca ends the matter.
        let retrieval_code = (contents.kind != Kind::Revoca.code()).then(super::retrieval_code::new_code);
        let sealed = seal::Covered {
            filed_by: sender.account,
            worker_account: sender.worker_account,
            retrieval_code: retrieval_code.as_deref(),
            key: &keys.current_id,
        };
        let hash = seal::hash(&prev_hash, &code, at, contents, Some(&sealed));
        let signature =
            seal::sign(&keys.current, &hash).map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))?;
        diesel::insert_into(m::table)
            .values((
                (
                    m::code.eq(&code),
                    m::kind.eq(&contents.kind),
                    m::revokes_code.eq(&contents.revokes_code),
                    m::worker_account_id.eq(sender.worker_account),
                    m::worker_codice_fiscale.eq(&contents.worker_codice_fiscale),
                    m::worker_family_name.eq(&contents.worker_family_name),
                    m::worker_given_name.eq(&contents.worker_given_name),
                    m::worker_email.eq(&contents.worker_email),
                    m::employer_codice_fiscale.eq(&contents.employer_codice_fiscale),
                    m::employer_name.eq(&contents.employer_name),
                ),
                (
                    m::workplace_address.eq(&contents.workplace_address),
                    m::workplace_comune.eq(&contents.workplace_comune),
                    m::workplace_cap.eq(&contents.workplace_cap),
                    m::workplace_province.eq(&contents.workplace_province),
                    m::employer_email.eq(&contents.employer_email),
                    m::employer_pec.eq(&contents.employer_pec),
                    m::start_date.eq(contents.start_date),
                    m::contract_type.eq(&contents.contract_type),
                    m::decorrenza.eq(contents.decorrenza),
                    m::reason.eq(&contents.reason),
                ),
                (
                    m::filed_by_account_id.eq(sender.account),
                    m::abilitato_kind.eq(&contents.abilitato_kind),
                    m::abilitato_codice_fiscale.eq(&contents.abilitato_codice_fiscale),
                    m::transmitted_at.eq(at),
                    m::idempotency_key.eq(idempotency_key),
                    m::prev_hash.eq(&prev_hash),
                    m::hash.eq(&hash),
                    m::signature.eq(&signature),
                    m::retrieval_code.eq(&retrieval_code),
                    m::seal_key.eq(&keys.current_id),
                ),
            ))
            .execute(c)?;
        if let Some(revoked) = &contents.revokes_code {
            let n = diesel::update(m::table.filter(m::code.eq(revoked)).filter(m::revoked_by_code.is_null()))
                .set(m::revoked_by_code.eq(&code))
                .execute(c)?;
            if n != 1 {
                // Already revoked: nothing of this transmission stays.
                return Err(diesel::result::Error::RollbackTransaction);
            }
        }
        Ok(Ok(code))
    })
    .or_else(|e| match e {
        diesel::result::Error::RollbackTransaction => Ok(Err("already revoked".into())),
        e => Err(e),
    })
}

/// One attempt to deliver a module (as recorded before the outbox; new
/// modules show their outbox messages in the same shape).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    pub recipient: Recipient,
    pub address: String,
    pub attempted_at: NaiveDateTime,
    pub state: DeliveryState,
    /// Its PEC receipts, oldest first.
    pub receipts: Vec<crate::mail::pec::Kept>,
}

/// Where one of a module's messages stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeliveryState {
    Delivered,
    /// Not delivered yet: after `attempts` failed tries, the next at `next`
    /// (none: the first is under way).
    Waiting {
        attempts: i32,
        next: Option<NaiveDateTime>,
    },
    /// The receiving server refused the address for good (no such mailbox).
    Refused,
    /// Given up after this many attempts.
    GaveUp {
        attempts: i32,
    },
}

/// The deliveries of modules sent before the outbox, one attempt each.
/// Who one of a module's messages goes to: the end of its outbox key, and a
/// row of the module's page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recipient {
    EmployerPec,
    EmployerEmail,
    /// The company's domicilio digitale in the registry, when it is another.
    EmployerRegistryPec,
    /// The Ispettorato office that covers the workplace.
    Itl,
    Worker,
}

impl Recipient {
    pub const ALL: [Recipient; 5] = [
        Recipient::EmployerPec,
        Recipient::EmployerEmail,
        Recipient::EmployerRegistryPec,
        Recipient::Itl,
        Recipient::Worker,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Recipient::EmployerPec => "employer-pec",
            Recipient::EmployerEmail => "employer-email",
            Recipient::EmployerRegistryPec => "employer-registry-pec",
            Recipient::Itl => "itl",
            Recipient::Worker => "worker",
        }
    }

    pub fn parse(s: &str) -> Option<Recipient> {
        Recipient::ALL.into_iter().find(|r| r.code() == s)
    }

    /// Sent by PEC from the Ministry's PEC mailbox, whose receipts prove the delivery.
    pub fn by_pec(self) -> bool {
        matches!(self, Recipient::EmployerPec | Recipient::EmployerRegistryPec | Recipient::Itl)
    }

    /// Its name on the module's page (`dim-to-…`).
    pub fn name_key(self) -> String {
        format!("dim-to-{}", self.code())
    }
}

pub fn deliveries(conn: &mut AnyConnection, module: i64) -> QueryResult<Vec<Delivery>> {
    let rows: Vec<(String, String, NaiveDateTime, String)> = dl::table
        .filter(dl::module_id.eq(module))
        .order(dl::id.asc())
        .select((dl::recipient, dl::address, dl::attempted_at, dl::outcome))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(recipient, address, attempted_at, outcome)| {
            let parsed = Recipient::parse(&recipient);
            if parsed.is_none() {
                tracing::warn!(module, recipient, "a delivery to a recipient the portal no longer knows");
            }
            Some((parsed?, address, attempted_at, outcome))
        })
        .map(|(recipient, address, attempted_at, outcome)| Delivery {
            recipient,
            address,
            attempted_at,
            state: if outcome == "sent" { DeliveryState::Delivered } else { DeliveryState::GaveUp { attempts: 1 } },
            receipts: Vec::new(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::code_for;
    use chrono::NaiveDateTime;

    fn utc(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.3f").expect("time")
    }

    #[test]
    fn a_code_is_the_italian_time_of_transmission() {
        // 00:30:02.025 on 28 March 2027 in Italy (CET) is 23:30:02.025 UTC the day before.
        assert_eq!(code_for(utc("2027-03-27 23:30:02.025"), None), "20270328003002025");
        // In summer, two hours ahead of UTC.
        assert_eq!(code_for(utc("2027-07-01 10:00:00.123"), None), "20270701120000123");
        // After the change to daylight saving (01:00 UTC on 28 March 2027): 03:00 CEST.
        assert_eq!(code_for(utc("2027-03-28 01:00:00.000"), None), "20270328030000000");
    }

    #[test]
    fn codes_only_grow_in_one_millisecond_and_in_the_hour_italy_lives_twice() {
        let first = code_for(utc("2027-07-01 10:00:00.123"), None);
        assert_eq!(code_for(utc("2027-07-01 10:00:00.123"), Some(&first)), "20270701120000124");
        // 31 October 2027: 00:30 UTC is 02:30 CEST, 01:30 UTC is 02:30 CET again.
        let summer = code_for(utc("2027-10-31 00:59:00.000"), None);
        assert_eq!(summer, "20271031025900000");
        assert_eq!(code_for(utc("2027-10-31 01:30:00.000"), Some(&summer)), "20271031025900001");
        // Past the repeated hour, the time again.
        assert_eq!(code_for(utc("2027-10-31 02:00:00.000"), Some(&summer)), "20271031030000000");
    }

    /// Every stored seal hashes the contents as JSON, their fields in this
    /// order under these names: renaming or moving a field in code must not
    /// change the JSON, or every earlier modulo would fail `verify`.
    #[test]
    fn the_sealed_field_names_and_their_order_are_frozen() {
        let frozen = [
            "kind",
            "revokes_code",
            "worker_tax_code",
            "worker_family_name",
            "worker_given_name",
            "worker_email",
            "employer_tax_code",
            "employer_name",
            "workplace_address",
            "workplace_comune",
            "workplace_cap",
            "workplace_province",
            "employer_email",
            "employer_pec",
            "start_date",
            "contract_type",
            "decorrenza",
            "reason",
            "abilitato_kind",
            "abilitato_tax_code",
        ];
        // Read from the JSON text itself: a map type that sorts or keeps
        // order (serde_json's `preserve_order`, which a dependency may turn
        // on) cannot hide a change.
        let text = serde_json::to_string(&super::Contents::default()).expect("json");
        let object = serde_json::to_value(super::Contents::default()).expect("json");
        assert_eq!(object.as_object().expect("object").len(), frozen.len(), "{text}");
        let at: Vec<usize> =
            frozen.iter().map(|name| text.find(&format!("\"{name}\":")).expect("the name is there")).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "the fields moved: {text}");
    }
}
