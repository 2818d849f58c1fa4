//! Deleghe as stored: granting, reading them for each side, changing state
//! (only through the lifecycle, only from the state read, so two changes at
//! once end in one consistent state) and their history.
use super::lifecycle::{self, Dates, Event, State};
use crate::access::{Action, Permit, Resource};
use crate::db::schema::{accounts as a, delega_approvals as ap, delega_events as ev, deleghe as d, organisations as o};
use crate::db::AnyConnection;
use crate::identity::organisations::OrganisationKind;
use crate::kernel::{AccountId, Level};
use crate::kernel::{DelegaId, OrganisationId};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// Non temporanea (in force until its end date once accepted) or temporanea
/// (each day's use approved by the grantor).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    NonTemporanea,
    Temporanea,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::NonTemporanea => "non_temporanea",
            Kind::Temporanea => "temporanea",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [Kind::NonTemporanea, Kind::Temporanea].into_iter().find(|k| k.code() == s)
    }

    pub fn name_key(self) -> &'static str {
        match self {
            Kind::NonTemporanea => "delega-kind-non-temporanea",
            Kind::Temporanea => "delega-kind-temporanea",
        }
    }
}

/// The organisation a delega is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForOrganisation {
    pub id: OrganisationId,
    pub name: String,
    pub kind: OrganisationKind,
}

/// One delega as its pages show it; `state` is as of the time it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delega {
    pub id: DelegaId,
    pub grantor_account_id: AccountId,
    pub grantor_name: String,
    /// None: the grantor's own citizen services.
    pub organisation: Option<ForOrganisation>,
    pub delegate_codice_fiscale: String,
    pub delegate_account_id: Option<AccountId>,
    /// The client's codice fiscale: the organisation's, else the grantor's.
    pub client_codice_fiscale: String,
    /// The organisation (a studio) that holds it, when it is not one
    /// person's: its members act through it (see `groups`).
    pub held_by: Option<OrganisationId>,
    /// That organisation's name.
    pub holder_name: Option<String>,
    pub kind: Kind,
    /// None: every service the grantor may delegate.
    pub services: Option<Vec<String>>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub state: State,
    stored: State,
    pub acceptance_code: String,
    pub created_at: NaiveDateTime,
    pub answer_by: NaiveDateTime,
}

impl Delega {
    /// The state as stored, before what the clock brought about.
    pub fn stored(&self) -> State {
        self.stored
    }

    /// Whom it is given to, in words: the organisation holding it with its
    /// codice fiscale, or the person's codice fiscale.
    pub fn delegate_label(&self) -> String {
        match &self.holder_name {
            Some(name) => format!("{name} ({})", self.delegate_codice_fiscale),
            None => self.delegate_codice_fiscale.clone(),
        }
    }

    pub fn dates(&self) -> Dates {
        Dates { starts_on: self.starts_on, ends_on: self.ends_on, answer_by: self.answer_by }
    }

    /// Whom it is for, in words: the organisation, or the grantor.
    pub fn subject_name(&self) -> String {
        self.organisation.as_ref().map_or_else(|| self.grantor_name.clone(), |o| o.name.clone())
    }

    /// Its services in words, in `lang` (one line for "all of them").
    pub fn services_named(&self, lang: crate::i18n::Lang) -> Vec<String> {
        services_in_words(&self.services, lang)
    }
}

/// The same on one line, comma-separated (lists and CSVs).
pub fn services_line(services: &Option<Vec<String>>, lang: crate::i18n::Lang) -> String {
    services_in_words(services, lang).join(", ")
}

/// A delega's (or a request's) services in words, in `lang`: one line for
/// "all of them", else each service's name.
pub fn services_in_words(services: &Option<Vec<String>>, lang: crate::i18n::Lang) -> Vec<String> {
    match services {
        None => vec![lang.t("delega-scope-all-short")],
        Some(list) => list
            .iter()
            .map(|slug| crate::catalog::model::find(slug).map_or_else(|| slug.clone(), |s| s.name.get(lang).into()))
            .collect(),
    }
}

type Row = (
    (DelegaId, AccountId, String, String, Option<OrganisationId>, Option<String>, Option<String>, String),
    (Option<String>, NaiveDate, NaiveDate, String, String, NaiveDateTime, NaiveDateTime),
    (Option<AccountId>, String, Option<OrganisationId>, String),
);

enum Filter<'a> {
    /// Granted by the account for themself.
    Own(AccountId),
    /// Granted for the organisation.
    Organisation(OrganisationId),
    Received(&'a str),
    /// Addressed to this codice fiscale, with this acceptance code.
    Code {
        delegate: &'a str,
        code: &'a str,
    },
    Live,
}

/// Which part of a list to read: newest first, those older than `before`
/// (the keyset: the last id of the page shown), at most `limit`, only those
/// in `state` as of now (decided in the database, so a page is full).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub before: Option<DelegaId>,
    pub limit: i64,
    pub state: Option<State>,
}

impl Window {
    pub fn first(limit: i64) -> Window {
        Window { before: None, limit, state: None }
    }

    pub fn in_state(self, state: Option<State>) -> Window {
        Window { state, ..self }
    }

    pub fn before(self, before: Option<DelegaId>) -> Window {
        Window { before, ..self }
    }
}

/// The deleghe with their grantor and organisation, as every read selects them.
#[diesel::dsl::auto_type]
fn with_parties() -> _ {
    d::table
        .inner_join(a::table.on(a::id.eq(d::grantor_account_id)))
        .left_join(o::table.on(o::id.nullable().eq(d::organisation_id)))
        .select((
            (
                d::id,
                d::grantor_account_id,
                a::given_name,
                a::family_name,
                d::organisation_id,
                o::name.nullable(),
                o::kind.nullable(),
                d::delegate_codice_fiscale,
            ),
            (d::services, d::starts_on, d::ends_on, d::kind, d::state, d::created_at, d::answer_by),
            (d::delegate_account_id, d::acceptance_code, d::delegate_organisation_id, d::client_codice_fiscale),
        ))
}

fn load(conn: &mut AnyConnection, filter: Filter, now: NaiveDateTime, window: Window) -> QueryResult<Vec<Delega>> {
    let q = with_parties().order(d::id.desc()).into_boxed();
    let q = match filter {
        Filter::Own(account) => q.filter(d::grantor_account_id.eq(account)).filter(d::organisation_id.is_null()),
        Filter::Organisation(org) => q.filter(d::organisation_id.eq(org)),
        // A person's own: those an organisation holds (a sole trader's studio
        // has its owner's codice fiscale) are its members' through it.
        Filter::Received(codice_fiscale) => q
            .filter(d::delegate_codice_fiscale.eq(codice_fiscale.to_string()))
            .filter(d::delegate_organisation_id.is_null()),
        Filter::Code { delegate, code } => q
            .filter(d::delegate_codice_fiscale.eq(delegate.to_string()))
            .filter(d::delegate_organisation_id.is_null())
            .filter(d::acceptance_code.eq(code.to_string())),
        Filter::Live => {
            q.filter(d::state.eq_any([State::Pending.code(), State::Accepted.code(), State::Active.code()]))
        }
    };
    let q = match window.before {
        Some(before) => q.filter(d::id.lt(before)),
        None => q,
    };
    // The state as of now, as [`lifecycle::effective`] computes it from the
    // stored one and the dates (a test holds the two to agree).
    let today = crate::kernel::clock::italian_day(now);
    let stored = |s: State| d::state.eq(s.code());
    let in_force = [State::Accepted.code(), State::Active.code()];
    let q = match window.state {
        None => q,
        Some(State::Pending) => q.filter(stored(State::Pending).and(d::answer_by.gt(now))),
        Some(State::Accepted) => q.filter(stored(State::Accepted).and(d::starts_on.gt(today))),
        Some(State::Active) => q.filter(
            d::state.eq_any(in_force).and(d::ends_on.ge(today)).and(stored(State::Active).or(d::starts_on.le(today))),
        ),
        Some(State::Expired) => q.filter(
            stored(State::Expired)
                .or(stored(State::Pending).and(d::answer_by.le(now)))
                .or(d::state.eq_any(in_force).and(d::ends_on.lt(today))),
        ),
        Some(s @ (State::Refused | State::Revoked | State::Renounced)) => q.filter(stored(s)),
    };
    let rows: Vec<Row> = q.limit(window.limit).load(conn)?;
    let names = holder_names(conn, &rows)?;
    Ok(rows.into_iter().filter_map(|r| from_row(r, &names, now)).collect())
}

/// The names of the organisations holding `rows` (no query when none does).
fn holder_names(conn: &mut AnyConnection, rows: &[Row]) -> QueryResult<Vec<(OrganisationId, String)>> {
    let holders: Vec<OrganisationId> = rows.iter().filter_map(|(_, _, (_, _, held_by, _))| *held_by).collect();
    if holders.is_empty() {
        return Ok(Vec::new());
    }
    crate::identity::organisations::names(conn, &holders)
}

/// A row of [`with_parties`] as a delega (`holder_names`: the names of the
/// organisations holding the rows read); `None` for a stored value this
/// version does not know.
fn from_row(row: Row, holder_names: &[(OrganisationId, String)], now: NaiveDateTime) -> Option<Delega> {
    let (
        (id, grantor, given, family, org_id, org_name, org_kind, delegate),
        (services, starts_on, ends_on, kind, state, created_at, answer_by),
        (delegate_account_id, acceptance_code, held_by, client_codice_fiscale),
    ) = row;
    let organisation = match (org_id, org_name, org_kind) {
        (Some(id), Some(name), Some(kind)) => Some(ForOrganisation { id, name, kind: OrganisationKind::parse(&kind)? }),
        _ => None,
    };
    let stored = State::parse(&state)?;
    let dates = Dates { starts_on, ends_on, answer_by };
    Some(Delega {
        id,
        grantor_account_id: grantor,
        grantor_name: format!("{given} {family}"),
        organisation,
        delegate_codice_fiscale: delegate,
        delegate_account_id,
        client_codice_fiscale,
        held_by,
        holder_name: held_by.and_then(|h| holder_names.iter().find(|n| n.0 == h).map(|n| n.1.clone())),
        kind: Kind::parse(&kind)?,
        services: services.map(|s| s.split_whitespace().map(str::to_string).collect()),
        starts_on,
        ends_on,
        state: lifecycle::effective(stored, dates, now),
        stored,
        acceptance_code,
        created_at,
        answer_by,
    })
}

/// One delega, for this domain's own work (deciding who may see it through
/// `permit`, acting on it, the scheduled job): other domains cannot read a
/// delega; they ask for its [`parties`] to decide.
/// Read on every request made through a delega, so not a boxed query: a
/// fixed one is prepared once per connection.
pub(super) fn find(conn: &mut AnyConnection, id: DelegaId, now: NaiveDateTime) -> QueryResult<Option<Delega>> {
    let query = with_parties().filter(d::id.eq(id));
    let Some(row) = crate::db::on_backend!(conn, |c| query.first::<Row>(c).optional())? else { return Ok(None) };
    let names = holder_names(conn, std::slice::from_ref(&row))?;
    Ok(from_row(row, &names, now))
}

/// The state of delega `id` now (what the clock brought about included).
pub fn state(conn: &mut AnyConnection, id: DelegaId, now: NaiveDateTime) -> QueryResult<Option<State>> {
    Ok(find(conn, id, now)?.map(|d| d.state))
}

/// Who a delega is between, as the access decision needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parties {
    pub grantor: AccountId,
    pub delegate_codice_fiscale: String,
    pub organisation: Option<OrganisationId>,
    /// The organisation holding it, if not one person.
    pub held_by: Option<OrganisationId>,
    /// The client's codice fiscale: the organisation's, else the grantor's.
    pub client_codice_fiscale: String,
}

/// The parties of delega `id`, if it exists.
pub fn parties(conn: &mut AnyConnection, id: DelegaId) -> QueryResult<Option<Parties>> {
    type PartiesRow = (AccountId, String, Option<OrganisationId>, Option<OrganisationId>, String);
    let row: Option<PartiesRow> = d::table
        .find(id)
        .select((
            d::grantor_account_id,
            d::delegate_codice_fiscale,
            d::organisation_id,
            d::delegate_organisation_id,
            d::client_codice_fiscale,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(grantor, delegate_codice_fiscale, organisation, held_by, client_codice_fiscale)| Parties {
        grantor,
        delegate_codice_fiscale,
        organisation,
        held_by,
        client_codice_fiscale,
    }))
}

/// The deleghe `account` granted for themself, and those for the organisations
/// in `organisations` (which they manage now): the part in `window`.
pub fn given(
    conn: &mut AnyConnection,
    account: AccountId,
    organisations: &[OrganisationId],
    now: NaiveDateTime,
    window: Window,
) -> QueryResult<Vec<Delega>> {
    // One's own, and the organisations' one manages now (not those one once
    // granted for an organisation one has left): each read from its own
    // index in id order, then merged — one query with OR sorted them all.
    let mut all = load(conn, Filter::Own(account), now, window)?;
    for org in organisations {
        all.extend(load(conn, Filter::Organisation(*org), now, window)?);
    }
    all.sort_by_key(|d| std::cmp::Reverse(d.id));
    all.truncate(usize::try_from(window.limit).unwrap_or(usize::MAX));
    Ok(all)
}

/// The deleghe granted to the person with `codice_fiscale`: the part in `window`.
pub fn received(
    conn: &mut AnyConnection,
    codice_fiscale: &str,
    now: NaiveDateTime,
    window: Window,
) -> QueryResult<Vec<Delega>> {
    load(conn, Filter::Received(codice_fiscale), now, window)
}

/// The delega waiting for the answer of the person with `codice_fiscale` whose acceptance code is `code`.
pub fn pending_with_code(
    conn: &mut AnyConnection,
    codice_fiscale: &str,
    code: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<Delega>> {
    let window = Window::first(1).in_state(Some(State::Pending));
    Ok(load(conn, Filter::Code { delegate: codice_fiscale, code }, now, window)?.into_iter().next())
}

/// Deleghe still pending or in force, for the scheduled job: `limit` of
/// them older than `before` (the job reads them all, a batch at a time).
pub fn live(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    before: Option<DelegaId>,
    limit: i64,
) -> QueryResult<Vec<Delega>> {
    load(conn, Filter::Live, now, Window::first(limit).before(before))
}

/// A delega to be granted.
#[derive(Clone, Debug)]
pub struct NewDelega {
    pub grantor: AccountId,
    pub organisation: Option<OrganisationId>,
    pub delegate_codice_fiscale: String,
    /// The organisation that will hold it (its codice fiscale is the
    /// delegate's), when it is not for one person.
    pub held_by: Option<OrganisationId>,
    pub kind: Kind,
    pub services: Option<Vec<String>>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// An unambiguous code the grantor can pass on (no 0/O, 1/I).
fn acceptance_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    rand::random::<[u8; 8]>().iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect()
}

/// Grants `new`, unless a delega still pending or in force already gives the
/// same person the same scope for the same subject (`Ok(None)`).
pub fn create(
    conn: &mut AnyConnection,
    permit: &Permit,
    new: &NewDelega,
    answer_days: i64,
    now: NaiveDateTime,
) -> QueryResult<Option<DelegaId>> {
    let grant = Resource::DelegaGrant { organisation: new.organisation.map(|id| (id, None)), needs: Level::L1 };
    permit.require(Action::Change, &grant)?;
    conn.transaction(|c| {
        // The subject's row first (the organisation's, or the grantor's):
        // two grants of the same delega at once — two managers, two requests
        // accepted together — are checked one after the other on PostgreSQL too.
        match new.organisation {
            Some(org) => diesel::update(o::table.find(org)).set(o::name.eq(o::name)).execute(c)?,
            None => diesel::update(a::table.find(new.grantor)).set(a::identifier.eq(a::identifier)).execute(c)?,
        };
        let same_subject = d::table
            .filter(d::delegate_codice_fiscale.eq(&new.delegate_codice_fiscale))
            .filter(d::state.eq_any([State::Pending.code(), State::Accepted.code(), State::Active.code()]))
            .into_boxed();
        let same_subject = match new.held_by {
            Some(holder) => same_subject.filter(d::delegate_organisation_id.eq(holder)),
            None => same_subject.filter(d::delegate_organisation_id.is_null()),
        };
        let same_subject = match new.organisation {
            Some(org) => same_subject.filter(d::organisation_id.eq(org)),
            None => same_subject.filter(d::organisation_id.is_null()).filter(d::grantor_account_id.eq(new.grantor)),
        };
        let scopes: Vec<Option<String>> = same_subject.select(d::services).load(c)?;
        let scope = new.services.as_ref().map(|s| s.join(" "));
        if scopes.contains(&scope) {
            return Ok(None);
        }
        let id: DelegaId = diesel::insert_into(d::table)
            .values((
                d::grantor_account_id.eq(new.grantor),
                d::organisation_id.eq(new.organisation),
                d::delegate_codice_fiscale.eq(&new.delegate_codice_fiscale),
                d::delegate_organisation_id.eq(new.held_by),
                d::kind.eq(new.kind.code()),
                d::services.eq(&scope),
                d::starts_on.eq(new.starts_on),
                d::ends_on.eq(new.ends_on),
                d::state.eq(State::Pending.code()),
                d::acceptance_code.eq(acceptance_code()),
                d::created_at.eq(now),
                d::answer_by.eq(now + Duration::days(answer_days)),
                d::updated_at.eq(now),
            ))
            .returning(d::id)
            .get_result(c)?;
        record(c, id, Some(new.grantor), "grant", "", now)?;
        Ok(Some(id))
    })
}

/// Appends to a delega's history.
pub fn record(
    conn: &mut AnyConnection,
    id: DelegaId,
    actor: Option<AccountId>,
    event: &str,
    detail: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(ev::table)
        .values((
            ev::delega_id.eq(id),
            ev::at.eq(now),
            ev::actor_account_id.eq(actor),
            ev::event.eq(event),
            ev::detail.eq(detail),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Writes down what the clock brought about for delega `id` (started,
/// expired, lapsed), only from the state read; returns the state it is in
/// now, or `Err` with the current state when another change won.
fn catch_up(c: &mut AnyConnection, delega: &Delega, now: NaiveDateTime) -> QueryResult<Result<State, State>> {
    let mut stored = delega.stored;
    for due in lifecycle::due(stored, delega.dates(), now) {
        if let Some(next) = stored.after(due) {
            if !set_state(c, delega.id, stored, next, now)? {
                return Ok(Err(current(c, delega.id, now)?));
            }
            record(c, delega.id, None, due.code(), "", now)?;
            stored = next;
        }
    }
    Ok(Ok(stored))
}

/// For the scheduled job: writes down what the clock brought about for
/// delega `id`; the new state when it changed.
pub fn bring_up_to_date(conn: &mut AnyConnection, id: DelegaId, now: NaiveDateTime) -> QueryResult<Option<State>> {
    conn.transaction(|c| {
        let Some(delega) = find(c, id, now)? else { return Ok(None) };
        match catch_up(c, &delega, now)? {
            Ok(state) if state != delega.stored => Ok(Some(state)),
            _ => Ok(None),
        }
    })
}

/// Applies `event` to delega `id` for `actor`. First writes down what the
/// clock brought about; then changes only from the state read, so of two
/// changes at once exactly one wins. `Err(state)`: not allowed in the state
/// it is in.
pub fn apply(
    conn: &mut AnyConnection,
    id: DelegaId,
    event: Event,
    actor: Option<AccountId>,
    now: NaiveDateTime,
) -> QueryResult<Result<State, State>> {
    // Another change may win the race between reading and writing: then read
    // again and decide on the state it left (a revocation after an acceptance
    // is still a revocation).
    for _ in 0..5 {
        match apply_once(conn, id, event, actor, now)? {
            Attempt::Done(result) => return Ok(result),
            Attempt::Raced => continue,
        }
    }
    Ok(Err(current(conn, id, now)?))
}

enum Attempt {
    Done(Result<State, State>),
    Raced,
}

fn apply_once(
    conn: &mut AnyConnection,
    id: DelegaId,
    event: Event,
    actor: Option<AccountId>,
    now: NaiveDateTime,
) -> QueryResult<Attempt> {
    conn.transaction(|c| {
        let Some(delega) = find(c, id, now)? else { return Err(diesel::result::Error::NotFound) };
        let stored = match catch_up(c, &delega, now)? {
            Ok(state) => state,
            Err(_) => return Ok(Attempt::Raced),
        };
        let Some(mut next) = stored.after(event) else { return Ok(Attempt::Done(Err(stored))) };
        if !set_state(c, id, stored, next, now)? {
            return Ok(Attempt::Raced);
        }
        record(c, id, actor, event.code(), "", now)?;
        if event == Event::Accept {
            diesel::update(d::table.find(id)).set(d::delegate_account_id.eq(actor)).execute(c)?;
            // Accepted on or after its start date: in force at once.
            if crate::kernel::clock::italian_day(now) >= delega.starts_on {
                if let Some(active) = next.after(Event::Start) {
                    set_state(c, id, next, active, now)?;
                    record(c, id, None, Event::Start.code(), "", now)?;
                    next = active;
                }
            }
        }
        Ok(Attempt::Done(Ok(next)))
    })
}

fn set_state(c: &mut AnyConnection, id: DelegaId, from: State, to: State, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(d::table.find(id).filter(d::state.eq(from.code())))
        .set((d::state.eq(to.code()), d::updated_at.eq(now)))
        .execute(c)?;
    Ok(n == 1)
}

fn current(c: &mut AnyConnection, id: DelegaId, now: NaiveDateTime) -> QueryResult<State> {
    Ok(find(c, id, now)?.map_or(State::Expired, |d| d.state))
}

/// One line of a delega's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryLine {
    pub at: NaiveDateTime,
    /// Who did it (none: the portal, on its own schedule).
    pub actor: Option<String>,
    pub event: String,
    pub detail: String,
}

pub fn history(conn: &mut AnyConnection, id: DelegaId) -> QueryResult<Vec<HistoryLine>> {
    type Line = (NaiveDateTime, Option<String>, Option<String>, String, String);
    let rows: Vec<Line> = ev::table
        .left_join(a::table.on(a::id.nullable().eq(ev::actor_account_id)))
        .filter(ev::delega_id.eq(id))
        .order(ev::id.asc())
        .select((ev::at, a::given_name.nullable(), a::family_name.nullable(), ev::event, ev::detail))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(at, given, family, event, detail)| HistoryLine {
            at,
            actor: given.zip(family).map(|(g, f)| format!("{g} {f}")),
            event,
            detail,
        })
        .collect())
}

/// Whether the clock already wrote `event` for delega `id` (reminders are sent once).
pub fn has_event(conn: &mut AnyConnection, id: DelegaId, event: &str) -> QueryResult<bool> {
    Ok(ev::table.filter(ev::delega_id.eq(id)).filter(ev::event.eq(event)).count().get_result::<i64>(conn)? > 0)
}

/// A temporanea's use on `day`: asked (by the delegate) or approved (by the grantor's side).
/// Where a temporanea's use on one day stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Approval {
    /// The delegate asked; the grantor's side has not answered.
    Requested,
    Approved,
}

impl Approval {
    pub fn code(self) -> &'static str {
        match self {
            Approval::Requested => "requested",
            Approval::Approved => "approved",
        }
    }

    pub fn parse(s: &str) -> Option<Approval> {
        [Approval::Requested, Approval::Approved].into_iter().find(|a| a.code() == s)
    }
}

pub fn approval_state(conn: &mut AnyConnection, id: DelegaId, day: NaiveDate) -> QueryResult<Option<Approval>> {
    let query = ap::table.filter(ap::delega_id.eq(id)).filter(ap::day.eq(day)).select(ap::state);
    let state: Option<String> = crate::db::on_backend!(conn, |c| query.first(c).optional())?;
    Ok(state.as_deref().and_then(Approval::parse))
}

/// The delegate asks to use a temporanea on `day`; false if already asked.
pub fn ask_approval(conn: &mut AnyConnection, id: DelegaId, day: NaiveDate, now: NaiveDateTime) -> QueryResult<bool> {
    if approval_state(conn, id, day)?.is_some() {
        return Ok(false);
    }
    // In a savepoint: the same day asked twice at once is not an error.
    let inserted = conn.transaction(|c| {
        diesel::insert_into(ap::table)
            .values((
                ap::delega_id.eq(id),
                ap::day.eq(day),
                ap::state.eq(Approval::Requested.code()),
                ap::requested_at.eq(now),
            ))
            .execute(c)
    });
    Ok(inserted.is_ok())
}

/// The grantor's side approves use on `day`; false if it was not asked.
pub fn approve(
    conn: &mut AnyConnection,
    id: DelegaId,
    day: NaiveDate,
    by: AccountId,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        ap::table.filter(ap::delega_id.eq(id)).filter(ap::day.eq(day)).filter(ap::state.eq(Approval::Requested.code())),
    )
    .set((ap::state.eq(Approval::Approved.code()), ap::decided_at.eq(now), ap::decided_by.eq(by)))
    .execute(conn)?;
    Ok(n == 1)
}
