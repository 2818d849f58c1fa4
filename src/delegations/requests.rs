//! Deleghe asked for by the intermediary: the requester names the client (a
//! person or an organisation, by codice fiscale), the services and the
//! dates; the client's side accepts — as asked, with fewer services, or for
//! a shorter period — or refuses; unanswered, the request lapses. Its
//! lifecycle is here, with its transitions in one place.
use super::model::Kind;
use crate::db::schema::delega_requests as r;
use crate::db::AnyConnection;
use crate::kernel::{AccountId, DelegaId, OrganisationId};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// Days a client has to answer.
pub const ANSWER_DAYS: i64 = 21;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestState {
    Pending,
    Accepted,
    Refused,
    /// Not answered in time.
    Lapsed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestEvent {
    Accept,
    Refuse,
}

impl RequestState {
    const ALL: [RequestState; 4] =
        [RequestState::Pending, RequestState::Accepted, RequestState::Refused, RequestState::Lapsed];

    pub fn code(self) -> &'static str {
        match self {
            RequestState::Pending => "pending",
            RequestState::Accepted => "accepted",
            RequestState::Refused => "refused",
            RequestState::Lapsed => "lapsed",
        }
    }

    pub fn parse(s: &str) -> Option<RequestState> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }

    pub fn name_key(self) -> String {
        format!("request-state-{}", self.code())
    }

    /// The only transitions: a waiting request is answered once.
    pub fn after(self, event: RequestEvent) -> Option<RequestState> {
        match (self, event) {
            (RequestState::Pending, RequestEvent::Accept) => Some(RequestState::Accepted),
            (RequestState::Pending, RequestEvent::Refuse) => Some(RequestState::Refused),
            _ => None,
        }
    }
}

/// Whom a request is addressed to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientKind {
    Person,
    Organisation,
}

impl ClientKind {
    pub fn code(self) -> &'static str {
        match self {
            ClientKind::Person => "person",
            ClientKind::Organisation => "organisation",
        }
    }

    pub fn parse(s: &str) -> Option<ClientKind> {
        [ClientKind::Person, ClientKind::Organisation].into_iter().find(|k| k.code() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DelegaRequest {
    pub id: i64,
    pub requester: AccountId,
    pub delegate_codice_fiscale: String,
    /// The organisation that asked (and will hold the delega), if any.
    pub held_by: Option<OrganisationId>,
    pub client_codice_fiscale: String,
    pub client_kind: ClientKind,
    pub kind: Kind,
    /// None: every service the client may delegate.
    pub services: Option<Vec<String>>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// As of the time it was read (a waiting request past its day has lapsed).
    pub state: RequestState,
    pub created_at: NaiveDateTime,
    pub answer_by: NaiveDateTime,
    pub delega: Option<DelegaId>,
}

/// A new request, as the intermediary asks it.
#[derive(Clone, Debug)]
pub struct NewRequest {
    pub requester: AccountId,
    pub delegate_codice_fiscale: String,
    /// The organisation the delega will be held by (the requester asks for it).
    pub held_by: Option<OrganisationId>,
    pub client_codice_fiscale: String,
    pub client_kind: ClientKind,
    pub kind: Kind,
    pub services: Option<Vec<String>>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The file it was asked in, if any.
    pub batch: Option<i64>,
}

type Row = (
    (i64, AccountId, String, String, String, String, Option<String>),
    (NaiveDate, NaiveDate, String, NaiveDateTime, NaiveDateTime, Option<DelegaId>, Option<OrganisationId>),
);

/// The columns a [`Row`] is read from.
type Columns = (
    (
        r::id,
        r::requester_account_id,
        r::delegate_codice_fiscale,
        r::client_codice_fiscale,
        r::client_kind,
        r::kind,
        r::services,
    ),
    (r::starts_on, r::ends_on, r::state, r::created_at, r::answer_by, r::delega_id, r::delegate_organisation_id),
);

fn columns() -> Columns {
    (
        (
            r::id,
            r::requester_account_id,
            r::delegate_codice_fiscale,
            r::client_codice_fiscale,
            r::client_kind,
            r::kind,
            r::services,
        ),
        (r::starts_on, r::ends_on, r::state, r::created_at, r::answer_by, r::delega_id, r::delegate_organisation_id),
    )
}

fn from_row(row: Row, now: NaiveDateTime) -> Option<DelegaRequest> {
    let (
        (id, requester, delegate, client, client_kind, kind, services),
        (starts_on, ends_on, state, created_at, answer_by, delega, held_by),
    ) = row;
    let stored = RequestState::parse(&state)?;
    let state = if stored == RequestState::Pending && now > answer_by { RequestState::Lapsed } else { stored };
    Some(DelegaRequest {
        id,
        requester,
        delegate_codice_fiscale: delegate,
        held_by,
        client_codice_fiscale: client,
        client_kind: ClientKind::parse(&client_kind)?,
        kind: Kind::parse(&kind)?,
        services: services.map(|s| s.split_whitespace().map(str::to_string).collect()),
        starts_on,
        ends_on,
        state,
        created_at,
        answer_by,
        delega,
    })
}

/// Records a new request (the caller checked the permit to ask and queues its mails in the same transaction).
pub fn create(conn: &mut AnyConnection, new: &NewRequest, now: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(r::table)
        .values((
            r::requester_account_id.eq(new.requester),
            r::delegate_codice_fiscale.eq(&new.delegate_codice_fiscale),
            r::delegate_organisation_id.eq(new.held_by),
            r::client_codice_fiscale.eq(&new.client_codice_fiscale),
            r::client_kind.eq(new.client_kind.code()),
            r::kind.eq(new.kind.code()),
            r::services.eq(new.services.as_ref().map(|s| s.join(" "))),
            r::starts_on.eq(new.starts_on),
            r::ends_on.eq(new.ends_on),
            r::state.eq(RequestState::Pending.code()),
            r::created_at.eq(now),
            r::answer_by.eq(now + chrono::Duration::days(ANSWER_DAYS)),
            r::batch_id.eq(new.batch),
        ))
        .returning(r::id)
        .get_result(conn)
}

pub fn find(conn: &mut AnyConnection, id: i64, now: NaiveDateTime) -> QueryResult<Option<DelegaRequest>> {
    let row: Option<Row> = r::table.find(id).select(columns()).first(conn).optional()?;
    Ok(row.and_then(|row| from_row(row, now)))
}

/// Requests addressed to these codici fiscali (a person's own, the organisations they manage), newest first.
pub fn addressed_to(
    conn: &mut AnyConnection,
    clients: &[String],
    now: NaiveDateTime,
) -> QueryResult<Vec<DelegaRequest>> {
    let rows: Vec<Row> = r::table
        .filter(r::client_codice_fiscale.eq_any(clients))
        .order(r::id.desc())
        .limit(100)
        .select(columns())
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|row| from_row(row, now)).collect())
}

/// The requests an intermediary sent for themself (`held_by` none), or
/// those anyone sent for the organisation that will hold the deleghe, newest first.
pub fn sent_by(
    conn: &mut AnyConnection,
    requester: AccountId,
    held_by: Option<OrganisationId>,
    now: NaiveDateTime,
) -> QueryResult<Vec<DelegaRequest>> {
    let q = r::table.into_boxed();
    let q = match held_by {
        Some(org) => q.filter(r::delegate_organisation_id.eq(org)),
        None => q.filter(r::requester_account_id.eq(requester)).filter(r::delegate_organisation_id.is_null()),
    };
    let rows: Vec<Row> = q.order(r::id.desc()).limit(50).select(columns()).load(conn)?;
    Ok(rows.into_iter().filter_map(|row| from_row(row, now)).collect())
}

/// The requests asked in one file, in the file's order.
pub fn of_batch(conn: &mut AnyConnection, batch: i64, now: NaiveDateTime) -> QueryResult<Vec<DelegaRequest>> {
    let rows: Vec<Row> = r::table.filter(r::batch_id.eq(batch)).order(r::id.asc()).select(columns()).load(conn)?;
    Ok(rows.into_iter().filter_map(|row| from_row(row, now)).collect())
}

/// Which of `clients` are asked already and may still answer: by the
/// requester for themself, or by anyone for the organisation (`held_by`).
pub fn waiting_for(
    conn: &mut AnyConnection,
    requester: AccountId,
    held_by: Option<OrganisationId>,
    clients: &[String],
    now: NaiveDateTime,
) -> QueryResult<Vec<String>> {
    let q = r::table
        .filter(r::client_codice_fiscale.eq_any(clients))
        .filter(r::state.eq(RequestState::Pending.code()))
        .filter(r::answer_by.ge(now))
        .into_boxed();
    let q = match held_by {
        Some(org) => q.filter(r::delegate_organisation_id.eq(org)),
        None => q.filter(r::requester_account_id.eq(requester)).filter(r::delegate_organisation_id.is_null()),
    };
    q.select(r::client_codice_fiscale).load(conn)
}

/// Applies `event`, once: the stored state must still be waiting and in
/// time (two answers at once: one wins, the other finds it answered).
pub fn answer(
    conn: &mut AnyConnection,
    id: i64,
    event: RequestEvent,
    by: AccountId,
    delega: Option<DelegaId>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let Some(to) = RequestState::Pending.after(event) else { return Ok(false) };
    let changed = diesel::update(
        r::table.find(id).filter(r::state.eq(RequestState::Pending.code())).filter(r::answer_by.ge(now)),
    )
    .set((r::state.eq(to.code()), r::decided_at.eq(now), r::decided_by.eq(by), r::delega_id.eq(delega)))
    .execute(conn)?;
    Ok(changed == 1)
}

/// The delega an accepted request became.
pub fn link_delega(conn: &mut AnyConnection, id: i64, delega: DelegaId) -> QueryResult<()> {
    diesel::update(r::table.find(id)).set(r::delega_id.eq(delega)).execute(conn).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::{RequestEvent, RequestState};

    #[test]
    fn a_request_is_answered_once_and_its_states_read_back() {
        for s in RequestState::ALL {
            assert_eq!(RequestState::parse(s.code()), Some(s));
        }
        assert_eq!(RequestState::Pending.after(RequestEvent::Accept), Some(RequestState::Accepted));
        assert_eq!(RequestState::Pending.after(RequestEvent::Refuse), Some(RequestState::Refused));
        for s in [RequestState::Accepted, RequestState::Refused, RequestState::Lapsed] {
            assert_eq!(s.after(RequestEvent::Accept), None);
            assert_eq!(s.after(RequestEvent::Refuse), None);
        }
    }
}
