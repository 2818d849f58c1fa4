//! Support requests ("Chiedi supporto") as cases: a number `URP-aaaa-nnnnnn`,
//! a state that changes only through [`State::after`], and the messages of
//! the requester, the operators and their internal notes. Text is stored as
//! typed and always shown as text.
use crate::access::{Action, Permit, Resource};
use crate::db::schema::{support_cases as s, support_messages as msg};
use crate::db::AnyConnection;
use crate::kernel::AccountId;
use chrono::{Datelike, NaiveDateTime};
use diesel::prelude::*;

/// A message: at most this many characters.
pub const MAX_MESSAGE: usize = 5000;

/// What a request is about.
pub const CATEGORIES: [&str; 7] =
    ["accesso", "utente-estero", "profili", "deleghe", "servizio", "accessibilita", "altro"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Sent without signing in: waits for the e-mail address to be confirmed.
    Unconfirmed,
    New,
    InProgress,
    WaitingRequester,
    Answered,
    Closed,
}

/// What can happen to a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    Confirm,
    Assign,
    /// An operator's reply; `waiting`: it asks the requester something.
    Reply {
        waiting: bool,
    },
    RequesterReply,
    Close,
}

impl State {
    pub const ALL: [State; 6] =
        [State::Unconfirmed, State::New, State::InProgress, State::WaitingRequester, State::Answered, State::Closed];

    pub fn code(self) -> &'static str {
        match self {
            State::Unconfirmed => "unconfirmed",
            State::New => "new",
            State::InProgress => "in_progress",
            State::WaitingRequester => "waiting",
            State::Answered => "answered",
            State::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.code() == s)
    }

    pub fn name_key(self) -> String {
        format!("support-state-{}", self.code().replace('_', "-"))
    }

    /// The transitions there are; `None` is illegal (a 409).
    pub fn after(self, event: Event) -> Option<State> {
        use {Event as E, State as S};
        match (self, event) {
            (S::Unconfirmed, E::Confirm) => Some(S::New),
            (S::New | S::WaitingRequester | S::Answered, E::Assign) => Some(S::InProgress),
            (S::InProgress, E::Assign) => Some(S::InProgress),
            (S::New | S::InProgress | S::WaitingRequester | S::Answered, E::Reply { waiting: true }) => {
                Some(S::WaitingRequester)
            }
            (S::New | S::InProgress | S::WaitingRequester | S::Answered, E::Reply { waiting: false }) => {
                Some(S::Answered)
            }
            (S::New | S::InProgress | S::WaitingRequester | S::Answered, E::RequesterReply) => {
                Some(if self == S::New { S::New } else { S::InProgress })
            }
            (S::New | S::InProgress | S::WaitingRequester | S::Answered, E::Close) => Some(S::Closed),
            _ => None,
        }
    }
}

pub fn hash(token: &str) -> String {
    crate::kernel::token::sha256_hex(token.trim())
}

pub fn new_token() -> String {
    crate::kernel::token::random_hex(24)
}

/// One case with its messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    pub id: i64,
    pub number: String,
    pub account_id: Option<AccountId>,
    pub name: String,
    pub email: String,
    pub lang: String,
    pub category: String,
    pub service: Option<String>,
    pub description: String,
    pub attachment: Option<(String, String)>,
    pub state: State,
    pub assigned_to: Option<AccountId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// One message of a case.
#[derive(Clone, Debug, PartialEq, Eq, Queryable)]
pub struct Message {
    pub at: NaiveDateTime,
    /// `requester`, `operator` or `note` (internal, never shown to the requester).
    pub author: String,
    pub body: String,
}

type Row = (
    (i64, String, Option<AccountId>, String, String, String, String, Option<String>),
    (String, Option<String>, Option<String>, String, Option<AccountId>, NaiveDateTime, NaiveDateTime),
);

type Columns = (
    (s::id, s::case_number, s::account_id, s::name, s::email, s::lang, s::category, s::service),
    (s::description, s::attachment_file, s::attachment_mime, s::state, s::assigned_to, s::created_at, s::updated_at),
);

fn columns() -> Columns {
    (
        (s::id, s::case_number, s::account_id, s::name, s::email, s::lang, s::category, s::service),
        (
            s::description,
            s::attachment_file,
            s::attachment_mime,
            s::state,
            s::assigned_to,
            s::created_at,
            s::updated_at,
        ),
    )
}

fn from_row(r: Row) -> Option<Case> {
    let (
        (id, number, account_id, name, email, lang, category, service),
        (description, file, mime, state, assigned_to, created_at, updated_at),
    ) = r;
    Some(Case {
        id,
        number,
        account_id,
        name,
        email,
        lang,
        category,
        service,
        description,
        attachment: file.zip(mime),
        state: State::parse(&state)?,
        assigned_to,
        created_at,
        updated_at,
    })
}

/// Who opened case `number` (`Some(None)`: without signing in), for the
/// access decision; `None` when there is no such case.
pub fn owner_of(conn: &mut AnyConnection, number: &str) -> QueryResult<Option<Option<AccountId>>> {
    s::table.filter(s::case_number.eq(number)).select(s::account_id).first(conn).optional()
}

/// Case `number`, with a permit for it (its requester) or for the helpdesk's queue.
pub fn by_number(conn: &mut AnyConnection, permit: &Permit, number: &str) -> QueryResult<Option<Case>> {
    let this = Resource::SupportCase { number, owner: None };
    let allowed = [Action::View, Action::Change].into_iter().any(|a| permit.covers(a, &this))
        || [Action::View, Action::Decide].into_iter().any(|a| permit.covers(a, &Resource::HelpdeskQueue));
    if !allowed {
        permit.require(Action::View, &this)?;
    }
    let row: Option<Row> = s::table.filter(s::case_number.eq(number)).select(columns()).first(conn).optional()?;
    Ok(row.and_then(from_row))
}

/// The case `number` if `token` is its secret link's.
pub fn by_secret(conn: &mut AnyConnection, number: &str, token: &str) -> QueryResult<Option<Case>> {
    let row: Option<Row> = s::table
        .filter(s::case_number.eq(number))
        .filter(s::access_token_hash.eq(hash(token)))
        .select(columns())
        .first(conn)
        .optional()?;
    Ok(row.and_then(from_row))
}

/// A person's own cases, newest first.
pub fn of_account(conn: &mut AnyConnection, account: AccountId) -> QueryResult<Vec<Case>> {
    let rows: Vec<Row> = s::table.filter(s::account_id.eq(account)).order(s::id.desc()).select(columns()).load(conn)?;
    Ok(rows.into_iter().filter_map(from_row).collect())
}

/// Where a page of the helpdesk's list starts: after this case (last
/// change, id), in the list's order (most recently changed first).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueAfter {
    pub updated_at: NaiveDateTime,
    pub id: i64,
}

impl QueueAfter {
    /// As the address carries it: `2026-12-03T10:00:00.123456.42`.
    pub fn parse(s: &str) -> Option<QueueAfter> {
        let (at, id) = s.rsplit_once('.')?;
        let updated_at = NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%S%.f").ok()?;
        Some(QueueAfter { updated_at, id: id.parse().ok()? })
    }

    pub fn code(self) -> String {
        // Every digit of the time: the stored one is compared for equality.
        format!("{}.{}", self.updated_at.format("%Y-%m-%dT%H:%M:%S%.f"), self.id)
    }
}

/// The helpdesk's list: by state (none: all but unconfirmed) and words in
/// number, name, e-mail or text; most recently changed first, `limit` of
/// them after `after` (keyset on the last change and the id).
pub fn queue(
    conn: &mut AnyConnection,
    state: Option<State>,
    q: &str,
    after: Option<QueueAfter>,
    limit: i64,
) -> QueryResult<Vec<Case>> {
    let mut query = s::table.select(columns()).order((s::updated_at.desc(), s::id.desc())).into_boxed();
    if let Some(QueueAfter { updated_at, id }) = after {
        query = query.filter(s::updated_at.lt(updated_at).or(s::updated_at.eq(updated_at).and(s::id.lt(id))));
    }
    query = match state {
        Some(st) => query.filter(s::state.eq(st.code())),
        None => query.filter(s::state.ne(State::Unconfirmed.code())),
    };
    let q = q.trim();
    if !q.is_empty() {
        let like = format!("%{}%", q.replace(['%', '_'], ""));
        query = query.filter(
            s::case_number
                .like(like.clone())
                .or(s::name.like(like.clone()))
                .or(s::email.like(like.clone()))
                .or(s::description.like(like)),
        );
    }
    let rows: Vec<Row> = query.limit(limit).load(conn)?;
    Ok(rows.into_iter().filter_map(from_row).collect())
}

/// The conversation of `case` (a case one already holds: by its secret link
/// or with a permit); the helpdesk's internal notes only with its queue's permit.
pub fn messages(conn: &mut AnyConnection, case: &Case, notes: Option<&Permit>) -> QueryResult<Vec<Message>> {
    let with_notes = match notes {
        Some(permit) => {
            if !permit.covers(Action::Decide, &Resource::HelpdeskQueue) {
                permit.require(Action::View, &Resource::HelpdeskQueue)?;
            }
            true
        }
        None => false,
    };
    let mut q = msg::table
        .filter(msg::case_id.eq(case.id))
        .order(msg::id.asc())
        .select((msg::at, msg::author, msg::body))
        .into_boxed();
    if !with_notes {
        q = q.filter(msg::author.ne("note"));
    }
    q.load(conn)
}

pub fn add_message(
    conn: &mut AnyConnection,
    case: i64,
    author: &str,
    account: Option<AccountId>,
    body: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(msg::table)
        .values((
            msg::case_id.eq(case),
            msg::at.eq(now),
            msg::author.eq(author),
            msg::author_account_id.eq(account),
            msg::body.eq(body),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A request to open.
pub struct NewCase<'a> {
    pub account_id: Option<AccountId>,
    pub name: &'a str,
    pub email: &'a str,
    pub lang: &'a str,
    pub category: &'a str,
    pub service: Option<&'a str>,
    pub description: &'a str,
    pub attachment: Option<(String, String)>,
    /// Sent without signing in: the address is confirmed first.
    pub unconfirmed: bool,
    /// The form's key: the same form sent twice opens one case.
    pub form_key: Option<&'a str>,
}

/// The case a form already opened: its number, whose it is, and whether its
/// address still waits for confirmation.
pub fn by_form_key(conn: &mut AnyConnection, key: &str) -> QueryResult<Option<(String, Option<AccountId>, bool)>> {
    let row: Option<(String, Option<AccountId>, String)> = s::table
        .filter(s::form_key.eq(key))
        .select((s::case_number, s::account_id, s::state))
        .first(conn)
        .optional()?;
    Ok(row.map(|(number, owner, state)| (number, owner, state == State::Unconfirmed.code())))
}

/// Opens a case; returns its number, the secret link's token and (when the
/// address is to be confirmed) the confirmation token.
pub fn open(
    conn: &mut AnyConnection,
    new: &NewCase,
    now: NaiveDateTime,
) -> QueryResult<(String, String, Option<String>)> {
    let access = new_token();
    let confirm = new.unconfirmed.then(new_token);
    let state = if new.unconfirmed { State::Unconfirmed } else { State::New };
    conn.transaction(|c| {
        let placeholder = format!("URP-pending-{}", new_token());
        let id: i64 = diesel::insert_into(s::table)
            .values((
                (
                    s::case_number.eq(&placeholder),
                    s::account_id.eq(new.account_id),
                    s::name.eq(new.name),
                    s::email.eq(new.email),
                ),
                (
                    s::lang.eq(new.lang),
                    s::category.eq(new.category),
                    s::service.eq(new.service),
                    s::description.eq(new.description),
                ),
                (
                    s::attachment_file.eq(new.attachment.as_ref().map(|a| a.0.clone())),
                    s::attachment_mime.eq(new.attachment.as_ref().map(|a| a.1.clone())),
                    s::state.eq(state.code()),
                    s::access_token_hash.eq(hash(&access)),
                    s::confirm_token_hash.eq(confirm.as_deref().map(hash)),
                    s::created_at.eq(now),
                    s::updated_at.eq(now),
                    s::form_key.eq(new.form_key),
                ),
            ))
            .returning(s::id)
            .get_result(c)?;
        let number = format!("URP-{}-{id:06}", now.year());
        diesel::update(s::table.find(id)).set(s::case_number.eq(&number)).execute(c)?;
        Ok((number, access, confirm))
    })
}

/// Applies `event` to case `id`, only from the state read; the new state, or `Err(current)`.
pub fn apply(conn: &mut AnyConnection, id: i64, event: Event, now: NaiveDateTime) -> QueryResult<Result<State, State>> {
    conn.transaction(|c| {
        let current: String = s::table.find(id).select(s::state).first(c)?;
        let current = State::parse(&current).unwrap_or(State::Closed);
        let Some(next) = current.after(event) else { return Ok(Err(current)) };
        let n = diesel::update(s::table.find(id).filter(s::state.eq(current.code())))
            .set((s::state.eq(next.code()), s::updated_at.eq(now)))
            .execute(c)?;
        Ok(if n == 1 { Ok(next) } else { Err(current) })
    })
}

pub fn assign(conn: &mut AnyConnection, id: i64, operator: AccountId) -> QueryResult<()> {
    diesel::update(s::table.find(id)).set(s::assigned_to.eq(operator)).execute(conn).map(|_| ())
}

/// Confirms the address of an unconfirmed case by its token; the case if it was waiting.
pub fn confirm(conn: &mut AnyConnection, token: &str, now: NaiveDateTime) -> QueryResult<Option<Case>> {
    let row: Option<Row> = s::table
        .filter(s::confirm_token_hash.eq(hash(token)))
        .filter(s::state.eq(State::Unconfirmed.code()))
        .select(columns())
        .first(conn)
        .optional()?;
    let Some(case) = row.and_then(from_row) else { return Ok(None) };
    if apply(conn, case.id, Event::Confirm, now)?.is_err() {
        return Ok(None);
    }
    diesel::update(s::table.find(case.id)).set(s::confirm_token_hash.eq(None::<String>)).execute(conn)?;
    Ok(Some(Case { state: State::New, ..case }))
}

/// How many cases `email` opened since `since` (a ceiling per address).
pub fn recent_by_email(conn: &mut AnyConnection, email: &str, since: NaiveDateTime) -> QueryResult<i64> {
    s::table.filter(s::email.eq(email)).filter(s::created_at.gt(since)).count().get_result(conn)
}

/// Requests sent without signing in whose address was not confirmed within
/// 48 hours are forgotten; returns their attachments' files, to delete.
pub fn purge_unconfirmed(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<Vec<String>> {
    let old = s::table
        .filter(s::state.eq(State::Unconfirmed.code()))
        .filter(s::created_at.lt(now - chrono::Duration::hours(48)));
    let files: Vec<Option<String>> = old.select(s::attachment_file).load(conn)?;
    diesel::delete(old).execute(conn)?;
    Ok(files.into_iter().flatten().collect())
}

/// A new secret link for case `id` (the earlier ones stop working, but are
/// remembered as replaced); its token.
pub fn renew_access(conn: &mut AnyConnection, id: i64, now: NaiveDateTime) -> QueryResult<String> {
    use crate::db::schema::support_retired_links as r;
    let (number, old): (String, String) =
        s::table.find(id).select((s::case_number, s::access_token_hash)).first(conn)?;
    diesel::insert_into(r::table)
        .values((r::token_hash.eq(old), r::case_number.eq(number), r::retired_at.eq(now)))
        .execute(conn)?;
    let token = new_token();
    diesel::update(s::table.find(id)).set(s::access_token_hash.eq(hash(&token))).execute(conn)?;
    Ok(token)
}

/// Whether `token` was a link of case `number` that a newer one replaced.
pub fn was_replaced(conn: &mut AnyConnection, number: &str, token: &str) -> QueryResult<bool> {
    use crate::db::schema::support_retired_links as r;
    diesel::select(diesel::dsl::exists(
        r::table.filter(r::token_hash.eq(hash(token))).filter(r::case_number.eq(number)),
    ))
    .get_result(conn)
}

#[cfg(test)]
mod tests {
    use super::{Event, State};

    #[test]
    fn closed_is_final_and_unconfirmed_only_confirms() {
        for e in [
            Event::Assign,
            Event::Reply { waiting: true },
            Event::Reply { waiting: false },
            Event::RequesterReply,
            Event::Close,
            Event::Confirm,
        ] {
            assert_eq!(State::Closed.after(e), None);
            assert_eq!(State::Unconfirmed.after(e), (e == Event::Confirm).then_some(State::New));
        }
        assert_eq!(State::WaitingRequester.after(Event::RequesterReply), Some(State::InProgress));
        assert_eq!(State::New.after(Event::Reply { waiting: false }), Some(State::Answered));
    }
}
