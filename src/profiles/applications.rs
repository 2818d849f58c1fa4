//! Applications to register an organisation the registry does not know (a
//! foreign company, a new one, a public body) or a soggetto abilitato, with a
//! supporting document; the helpdesk approves (the organisation is created and
//! the applicant becomes its legale rappresentante) or rejects with a reason.
//! Reading and deciding need the helpdesk's permit.
use crate::access::{Action, Permit, Resource};
use crate::db::schema::{accounts as a, organisation_applications as p};
use crate::db::AnyConnection;
use crate::identity::organisations::{self, NewOrganisation, OrganisationKind, Role};
use crate::kernel::{AccountId, ApplicationId};
use crate::registry::{CompanyRegistry, LocalRegistry};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// The life of an application; every change goes through [`State::decide`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Pending,
    Approved,
    Rejected,
}

impl State {
    pub fn code(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Approved => "approved",
            State::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        [State::Pending, State::Approved, State::Rejected].into_iter().find(|x| x.code() == s)
    }

    pub fn name_key(self) -> String {
        format!("application-state-{}", self.code())
    }

    /// Only a pending application is decided, once.
    pub fn decide(self, approve: bool) -> Option<State> {
        match self {
            State::Pending => Some(if approve { State::Approved } else { State::Rejected }),
            State::Approved | State::Rejected => None,
        }
    }
}

/// One application, with who sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Application {
    pub id: ApplicationId,
    pub account_id: AccountId,
    pub applicant: String,
    pub applicant_codice_fiscale: String,
    pub applicant_email: Option<String>,
    pub organisation: NewOrganisation,
    pub doc_file: String,
    pub doc_mime: String,
    pub state: State,
    pub reason: Option<String>,
    pub created_at: NaiveDateTime,
}

type Row = (
    (ApplicationId, AccountId, String, String, String, String, String),
    (Option<String>, Option<String>, String, String, String, Option<String>, NaiveDateTime),
    (String, String, String, Option<String>),
);

/// Newest first: `limit` of them older than `before` (keyset on the id).
fn load(
    conn: &mut AnyConnection,
    only: Option<ApplicationId>,
    state: Option<State>,
    account: Option<AccountId>,
    (before, limit): (Option<i64>, i64),
) -> QueryResult<Vec<Application>> {
    let mut q = p::table
        .inner_join(a::table.on(a::id.eq(p::account_id)))
        .select((
            (p::id, p::account_id, p::kind, p::codice_fiscale, p::name, p::pec, p::seat),
            (p::ordine, p::albo_number, p::doc_file, p::doc_mime, p::state, p::reason, p::created_at),
            (a::given_name, a::family_name, a::identifier, a::email),
        ))
        .order(p::id.desc())
        .into_boxed();
    if let Some(before) = before {
        q = q.filter(p::id.lt(before));
    }
    if let Some(id) = only {
        q = q.filter(p::id.eq(id));
    }
    if let Some(s) = state {
        q = q.filter(p::state.eq(s.code()));
    }
    if let Some(acc) = account {
        q = q.filter(p::account_id.eq(acc));
    }
    let rows: Vec<Row> = q.limit(limit).load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(
                (id, account_id, kind, codice_fiscale, name, pec, seat),
                (ordine, albo_number, doc_file, doc_mime, state, reason, created_at),
                (given, family, identifier, email),
            )| {
                Some(Application {
                    id,
                    account_id,
                    applicant: format!("{given} {family}"),
                    applicant_codice_fiscale: identifier,
                    applicant_email: email,
                    organisation: NewOrganisation {
                        kind: Some(OrganisationKind::parse(&kind)?),
                        codice_fiscale,
                        name,
                        pec,
                        seat,
                        ordine,
                        albo_number,
                    },
                    doc_file,
                    doc_mime,
                    state: State::parse(&state)?,
                    reason,
                    created_at,
                })
            },
        )
        .collect())
}

/// A new application by `account_id`, pending.
pub fn create(
    conn: &mut AnyConnection,
    account_id: AccountId,
    org: &NewOrganisation,
    doc_file: &str,
    doc_mime: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(p::table)
        .values((
            p::account_id.eq(account_id),
            p::kind.eq(org.kind.unwrap_or(OrganisationKind::Impresa).code()),
            p::codice_fiscale.eq(&org.codice_fiscale),
            p::name.eq(&org.name),
            p::pec.eq(&org.pec),
            p::seat.eq(&org.seat),
            p::ordine.eq(&org.ordine),
            p::albo_number.eq(&org.albo_number),
            p::doc_file.eq(doc_file),
            p::doc_mime.eq(doc_mime),
            p::state.eq(State::Pending.code()),
            p::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The organisations (codici fiscali) `account_id` has applications pending for.
pub fn pending_of(conn: &mut AnyConnection, account_id: AccountId) -> QueryResult<Vec<String>> {
    p::table
        .filter(p::account_id.eq(account_id))
        .filter(p::state.eq(State::Pending.code()))
        .select(p::codice_fiscale)
        .load(conn)
}

/// One's own applications (no permit: the account is the signed-in person's).
pub fn of_account(conn: &mut AnyConnection, account_id: AccountId) -> QueryResult<Vec<Application>> {
    load(conn, None, None, Some(account_id), (None, 200))
}

/// The helpdesk's queue of pending applications, newest first: `limit` of
/// them older than `before`.
pub fn queue(
    conn: &mut AnyConnection,
    permit: &Permit,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<Application>> {
    permit.require(Action::View, &Resource::HelpdeskQueue)?;
    load(conn, None, Some(State::Pending), None, (before, limit))
}

/// How many applications wait for the helpdesk.
pub fn queue_count(conn: &mut AnyConnection, permit: &Permit) -> QueryResult<i64> {
    permit.require(Action::View, &Resource::HelpdeskQueue)?;
    p::table.filter(p::state.eq(State::Pending.code())).count().get_result(conn)
}

/// Who sent application `id`: the decision needs it (nobody decides their own).
pub fn applicant_of(conn: &mut AnyConnection, id: ApplicationId) -> QueryResult<Option<AccountId>> {
    p::table.find(id).select(p::account_id).first(conn).optional()
}

/// One application, for the helpdesk: its page, its document, or deciding on it.
pub fn find(conn: &mut AnyConnection, permit: &Permit, id: ApplicationId) -> QueryResult<Option<Application>> {
    // The applicant does not name the object: any permit for this application will do.
    let this = Resource::OrganisationApplication { id, applicant: AccountId::new(0) };
    let allowed =
        permit.covers(Action::View, &Resource::OrganisationDocument(id)) || permit.covers(Action::Decide, &this);
    if !allowed {
        permit.require(Action::View, &this)?;
    }
    Ok(load(conn, Some(id), None, None, (None, 1))?.into_iter().next())
}

/// Why an application was not decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Undecided {
    /// Someone decided it in the meantime.
    AlreadyDecided,
    /// The organisation exists already (in the portal or in the company
    /// registry): an application never creates it twice nor changes it, so
    /// it can only be rejected (the applicant joins through its managers).
    Known,
}

/// Approves (creating the organisation, the applicant its legale
/// rappresentante) or rejects application `id`.
pub fn decide(
    conn: &mut AnyConnection,
    permit: &Permit,
    id: ApplicationId,
    approve: bool,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<Result<Application, Undecided>> {
    permit.require(Action::Decide, &Resource::OrganisationApplication { id, applicant: AccountId::new(0) })?;
    conn.transaction(|c| {
        let Some(app) = load(c, Some(id), None, None, (None, 1))?.into_iter().next() else {
            return Ok(Err(Undecided::AlreadyDecided));
        };
        let Some(next) = app.state.decide(approve) else { return Ok(Err(Undecided::AlreadyDecided)) };
        let organisation = if next == State::Approved {
            if LocalRegistry.company(c, &app.organisation.codice_fiscale)?.is_some() {
                return Ok(Err(Undecided::Known));
            }
            let Some(org) = organisations::create_new(c, &app.organisation, now)? else {
                return Ok(Err(Undecided::Known));
            };
            organisations::join(c, org, app.account_id, Role::LegaleRappresentante, now)?;
            Some(org)
        } else {
            None
        };
        let changed = diesel::update(p::table.find(id).filter(p::state.eq(State::Pending.code())))
            .set((
                p::state.eq(next.code()),
                p::reason.eq((!reason.is_empty()).then_some(reason)),
                p::decided_at.eq(now),
                p::operator_account_id.eq(permit.account_id()),
                p::organisation_id.eq(organisation),
            ))
            .execute(c)?;
        if changed != 1 {
            // Another operator was first: undo this one's organisation with the transaction.
            return Err(diesel::result::Error::RollbackTransaction);
        }
        Ok(Ok(Application { state: next, reason: Some(reason.to_string()), ..app }))
    })
    .or_else(|e| match e {
        diesel::result::Error::RollbackTransaction => Ok(Err(Undecided::AlreadyDecided)),
        e => Err(e),
    })
}
