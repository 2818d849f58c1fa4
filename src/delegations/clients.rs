//! The subjects a person may act for through the deleghe they received —
//! an intermediary's client list — filtered, searched and paged in the
//! database by keyset (end date, id), so that a studio with thousands of
//! clients never loads them all.
use super::lifecycle::{self, Dates, State};
use super::model::Kind;
use crate::access::{Action, Permit, Resource};
use crate::db::schema::{
    accounts as a, deleghe as d, organisations as o, work_group_clients as gc, work_group_members as gm,
};
use crate::db::AnyConnection;
use crate::identity::organisations;
use crate::kernel::{Basis, DelegaId, MemberRole, MembershipId, OrganisationId, Principal, Subject};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// Whose client list a request works on: the person's own deleghe, or —
/// acting for an organisation — those the organisation holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Book {
    Person {
        codice_fiscale: String,
    },
    Organisation {
        id: OrganisationId,
        name: String,
        codice_fiscale: String,
        /// The principal's membership and role there (re-read on every request).
        membership: MembershipId,
        role: MemberRole,
    },
}

impl Book {
    /// The codice fiscale deleghe in this list are addressed to.
    pub fn codice_fiscale(&self) -> &str {
        match self {
            Book::Person { codice_fiscale } | Book::Organisation { codice_fiscale, .. } => codice_fiscale,
        }
    }

    /// The organisation holding the list's deleghe, if not a person.
    pub fn holder(&self) -> Option<OrganisationId> {
        match self {
            Book::Person { .. } => None,
            Book::Organisation { id, .. } => Some(*id),
        }
    }

    /// Whether the person may ask clients for deleghe for this list (the one
    /// decision says so again on the request): their own, or as a manager.
    pub fn may_ask(&self) -> bool {
        match self {
            Book::Person { .. } => true,
            Book::Organisation { role, .. } => role.manages(),
        }
    }

    /// The list as the one decision names it.
    pub fn resource(&self) -> Resource<'_> {
        let holder = match self {
            Book::Person { .. } => None,
            Book::Organisation { id, role, .. } => Some((*id, Some(*role))),
        };
        Resource::Clients { delegate: self.codice_fiscale(), holder }
    }
}

/// The list `who` works on now: their organisation's when acting for one
/// through a membership (read for its codice fiscale), else their own, which
/// needs no database call.
pub async fn book(pool: &crate::db::DbPool, who: &Principal) -> Result<Book, crate::db::DbError> {
    let (Subject::Organisation { id, name }, Basis::Membership { id: membership, role, .. }) =
        (&who.acting.subject, &who.acting.basis)
    else {
        return Ok(Book::Person { codice_fiscale: who.actor.identifier.clone() });
    };
    let (id, name, membership, role) = (*id, name.clone(), *membership, *role);
    Ok(match crate::db::read(pool, move |c| organisations::find(c, id)).await? {
        Some(org) => Book::Organisation { id, name, codice_fiscale: org.codice_fiscale, membership, role },
        None => Book::Person { codice_fiscale: who.actor.identifier.clone() },
    })
}

/// What the list is narrowed to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Words in the client's name, or their codice fiscale.
    pub words: String,
    /// Only deleghe ending by this day.
    pub ending_by: Option<NaiveDate>,
    pub only_temporanea: bool,
    /// Only deleghe still waiting for this person's answer.
    pub only_pending: bool,
}

/// Where the previous page ended: its last row's end date and id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct After {
    pub ends_on: NaiveDate,
    pub id: DelegaId,
}

impl After {
    /// As the address carries it (`2027-01-31.42`).
    pub fn token(self) -> String {
        format!("{}.{}", self.ends_on, self.id)
    }

    pub fn parse(s: &str) -> Option<After> {
        let (day, id) = s.split_once('.')?;
        Some(After { ends_on: crate::kernel::clock::parse_day(day)?, id: id.parse().ok()? })
    }
}

/// One client: whom the delega is for, and what it allows, until when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    pub delega: DelegaId,
    /// The organisation, or the person, the delega is for.
    pub name: String,
    pub codice_fiscale: String,
    pub organisation: bool,
    pub kind: Kind,
    /// None: every service the grantor may delegate.
    pub services: Option<Vec<String>>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub state: State,
}

type Row = (
    DelegaId,
    (String, String, String),
    (Option<String>, Option<String>),
    (String, Option<String>, NaiveDate, NaiveDate, String, NaiveDateTime),
);

/// Up to `limit` clients of `delegate` after `after`, soonest ending first.
/// Only deleghe that are or may become usable: waiting, accepted, in force.
pub fn page(
    conn: &mut AnyConnection,
    permit: &Permit,
    book: &Book,
    filter: &Filter,
    after: Option<After>,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<Client>> {
    permit.require(Action::View, &book.resource())?;
    // An operatore: only the clients of their work groups.
    let assigned = match book {
        Book::Organisation { membership, role: MemberRole::Operatore, .. } => Some(*membership),
        _ => None,
    };
    let today = crate::kernel::clock::italian_day(now);
    let live = [State::Pending.code(), State::Accepted.code(), State::Active.code()];
    let mut q = d::table
        .inner_join(a::table.on(a::id.eq(d::grantor_account_id)))
        .left_join(o::table.on(o::id.nullable().eq(d::organisation_id)))
        .filter(d::state.eq_any(live))
        .filter(d::ends_on.ge(today))
        .select((
            d::id,
            (a::given_name, a::family_name, a::identifier),
            (o::name.nullable(), o::codice_fiscale.nullable()),
            (d::kind, d::services, d::starts_on, d::ends_on, d::state, d::answer_by),
        ))
        .order((d::ends_on.asc(), d::id.asc()))
        .into_boxed();
    q = match book.holder() {
        Some(holder) => q.filter(d::delegate_organisation_id.eq(holder)),
        None => q
            .filter(d::delegate_codice_fiscale.eq(book.codice_fiscale().to_string()))
            .filter(d::delegate_organisation_id.is_null()),
    };
    if let Some(membership) = assigned {
        // The clients of the operatore's groups (a few hundred codici
        // fiscali at most), as a set each delega of the list is looked up in.
        let in_groups = gc::table
            .inner_join(gm::table.on(gm::group_id.eq(gc::group_id)))
            .filter(gm::membership_id.eq(membership))
            .select(gc::client_codice_fiscale);
        // Written `NOT (NOT (… IN …))`, which the database folds back to
        // `IN` only after deciding how to run it: PostgreSQL then keeps the
        // subquery a hashed set, and its scan in list order stops at the
        // page's end. A plain `IN` becomes a join, which for a page of a
        // prepared statement it runs as a nested loop comparing every client
        // with every client of the groups: 3.7 ms against 0.4 ms for 200 of
        // 2 000 clients, 1.4 against 0.7 ms for 3. SQLite plans both alike.
        use diesel::dsl::not;
        q = q.filter(not(not(d::client_codice_fiscale.eq_any(in_groups))));
    }
    let typed = filter.words.trim().to_lowercase().replace(['%', '_', '\\'], "");
    // A codice fiscale or partita IVA typed whole finds its client.
    let code = typed.replace(' ', "").to_uppercase();
    let is_code = (code.len() == 11 && code.chars().all(|c| c.is_ascii_digit()))
        || (code.len() == 16 && code.chars().all(|c| c.is_ascii_alphanumeric()));
    if is_code {
        q = q.filter(d::client_codice_fiscale.eq(code));
    } else {
        // Each word somewhere in the client's name (kept in lower case with
        // the delega), in any order ("rossi mario").
        for word in typed.split_whitespace().take(5) {
            q = q.filter(d::client_name.like(format!("%{word}%")));
        }
    }
    if let Some(day) = filter.ending_by {
        q = q.filter(d::ends_on.le(day));
    }
    if filter.only_temporanea {
        q = q.filter(d::kind.eq(Kind::Temporanea.code()));
    }
    if filter.only_pending {
        q = q.filter(d::state.eq(State::Pending.code()));
    }
    if let Some(after) = after {
        // The first condition bounds the index scan; the second alone, an OR,
        // is only a filter, and every earlier client was read to skip it
        // (2.5 ms against 0.04 ms for the last of 2 000 clients on PostgreSQL).
        q = q
            .filter(d::ends_on.ge(after.ends_on))
            .filter(d::ends_on.gt(after.ends_on).or(d::ends_on.eq(after.ends_on).and(d::id.gt(after.id))));
    }
    let rows: Vec<Row> = q.limit(limit).load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(
                id,
                (given, family, identifier),
                (org_name, org_cf),
                (kind, services, starts_on, ends_on, state, answer_by),
            )| {
                let stored = State::parse(&state)?;
                let dates = Dates { starts_on, ends_on, answer_by };
                let (name, codice_fiscale, organisation) = match (org_name, org_cf) {
                    (Some(name), Some(cf)) => (name, cf, true),
                    _ => (format!("{given} {family}"), identifier, false),
                };
                Some(Client {
                    delega: id,
                    name,
                    codice_fiscale,
                    organisation,
                    kind: Kind::parse(&kind)?,
                    services: services.map(|s| s.split_whitespace().map(str::to_string).collect()),
                    starts_on,
                    ends_on,
                    state: lifecycle::effective(stored, dates, now),
                })
            },
        )
        .collect())
}

#[cfg(test)]
mod tests {
    use super::After;
    use crate::kernel::DelegaId;

    #[test]
    fn a_page_boundary_reads_back_and_nonsense_is_no_boundary() {
        let after =
            After { ends_on: chrono::NaiveDate::from_ymd_opt(2027, 1, 31).expect("day"), id: DelegaId::new(42) };
        assert_eq!(After::parse(&after.token()), Some(after));
        for bad in ["", "2027-01-31", "x.1", "2027-01-31.x", "2027-13-01.1"] {
            assert_eq!(After::parse(bad), None, "{bad}");
        }
    }
}
