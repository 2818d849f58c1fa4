//! Organisations people act for, and their roles in them. A membership is
//! active from `since` until `until` (none: still active); ending it takes
//! effect on the member's next request (the principal is checked against it).
use crate::access::{Action, Permit, Resource};
use crate::db::schema::{memberships as m, organisations as o};
use crate::db::AnyConnection;
use crate::kernel::Profile as Capacity;
use crate::kernel::{AccountId, MembershipId, OrganisationId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// What kind of organisation: companies and public bodies act as Azienda,
/// the intermediaries enabled by law (L. 12/1979 and special laws) as
/// Soggetto abilitato.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrganisationKind {
    /// A company in the Italian registry.
    Impresa,
    /// A public administration or other public body.
    Ente,
    /// A company with no Italian VAT number (Distacco transnazionale, Cabotaggio):
    /// identified by its own country's identifier.
    ImpresaEstera,
    /// A consulente del lavoro: codice fiscale + provincial Ordine (+ albo number).
    ConsulenteLavoro,
    Patronato,
    OrganizzazioneSindacale,
    AssociazioneDatoriale,
    EnteBilaterale,
    CommissioneCertificazione,
    /// Other professionals enabled by law 12/1979 (avvocati, commercialisti…).
    AltroProfessionista,
    /// A sede territoriale of the Ispettorato nazionale del lavoro, which may
    /// transmit a resignation for a worker (art. 26 c. 4 D.Lgs. 151/2015, as
    /// amended by D.Lgs. 185/2016).
    SedeInl,
}

impl OrganisationKind {
    pub const ALL: [OrganisationKind; 11] = [
        OrganisationKind::Impresa,
        OrganisationKind::Ente,
        OrganisationKind::ImpresaEstera,
        OrganisationKind::ConsulenteLavoro,
        OrganisationKind::Patronato,
        OrganisationKind::OrganizzazioneSindacale,
        OrganisationKind::AssociazioneDatoriale,
        OrganisationKind::EnteBilaterale,
        OrganisationKind::CommissioneCertificazione,
        OrganisationKind::AltroProfessionista,
        OrganisationKind::SedeInl,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OrganisationKind::Impresa => "impresa",
            OrganisationKind::Ente => "ente",
            OrganisationKind::ImpresaEstera => "impresa_estera",
            OrganisationKind::ConsulenteLavoro => "consulente_lavoro",
            OrganisationKind::Patronato => "patronato",
            OrganisationKind::OrganizzazioneSindacale => "sindacato",
            OrganisationKind::AssociazioneDatoriale => "associazione_datoriale",
            OrganisationKind::EnteBilaterale => "ente_bilaterale",
            OrganisationKind::CommissioneCertificazione => "commissione_certificazione",
            OrganisationKind::AltroProfessionista => "altro_professionista",
            OrganisationKind::SedeInl => "sede_inl",
        }
    }

    pub fn parse(s: &str) -> Option<OrganisationKind> {
        OrganisationKind::ALL.into_iter().find(|k| k.code() == s)
    }

    /// The message key of the kind's name.
    pub fn name_key(self) -> String {
        format!("org-kind-{}", self.code().replace('_', "-"))
    }

    /// The profile someone acting for it is in.
    pub fn capacity(self) -> Capacity {
        match self {
            OrganisationKind::Impresa | OrganisationKind::Ente | OrganisationKind::ImpresaEstera => Capacity::Azienda,
            _ => Capacity::SoggettoAbilitato,
        }
    }

    /// Identified by a foreign identifier rather than an Italian codice fiscale.
    pub fn is_foreign(self) -> bool {
        self == OrganisationKind::ImpresaEstera
    }
}

/// A person's role in an organisation (the kernel's, so the principal carries it).
pub use crate::kernel::MemberRole as Role;

/// An active membership with its organisation, as a person's profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub membership_id: MembershipId,
    pub organisation_id: OrganisationId,
    pub organisation_name: String,
    pub codice_fiscale: String,
    pub kind: OrganisationKind,
    pub role: Role,
    pub since: NaiveDateTime,
    /// An operatore given only some services (by slug); none: all of them.
    pub services: Option<Vec<String>>,
}

/// Services stored as slugs separated by spaces.
fn services_of(stored: Option<String>) -> Option<Vec<String>> {
    stored.map(|s| s.split_whitespace().map(str::to_string).collect())
}

/// An organisation as created from the registry or by a validated application.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewOrganisation {
    pub kind: Option<OrganisationKind>,
    /// Codice fiscale; for a foreign company `CC:identifier` (its country's code first).
    pub codice_fiscale: String,
    pub name: String,
    pub pec: String,
    pub seat: String,
    /// The province of the Ordine (consulenti del lavoro).
    pub ordine: Option<String>,
    pub albo_number: Option<String>,
}

/// One organisation, as its pages show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organisation {
    pub id: OrganisationId,
    pub kind: OrganisationKind,
    pub codice_fiscale: String,
    pub name: String,
    pub pec: String,
    pub seat: String,
    pub ordine: Option<String>,
    pub albo_number: Option<String>,
}

/// The organisation with the new one's codice fiscale, created if new and
/// brought up to date if known.
pub fn organisation_for(
    conn: &mut AnyConnection,
    new: &NewOrganisation,
    now: NaiveDateTime,
) -> QueryResult<OrganisationId> {
    let kind = new.kind.unwrap_or(OrganisationKind::Impresa).code();
    let values = (
        o::name.eq(&new.name),
        o::pec.eq(&new.pec),
        o::seat.eq(&new.seat),
        o::ordine.eq(&new.ordine),
        o::albo_number.eq(&new.albo_number),
    );
    if let Some(id) = o::table.filter(o::codice_fiscale.eq(&new.codice_fiscale)).select(o::id).first(conn).optional()? {
        diesel::update(o::table.find(id)).set(values).execute(conn)?;
        return Ok(id);
    }
    diesel::insert_into(o::table)
        .values((o::kind.eq(kind), o::codice_fiscale.eq(&new.codice_fiscale), o::created_at.eq(now), values))
        .execute(conn)?;
    o::table.filter(o::codice_fiscale.eq(&new.codice_fiscale)).select(o::id).first(conn)
}

/// Creates the organisation `new` unless one with its codice fiscale exists
/// (then `None`: what the portal knows is never overwritten from an application).
pub fn create_new(
    conn: &mut AnyConnection,
    new: &NewOrganisation,
    now: NaiveDateTime,
) -> QueryResult<Option<OrganisationId>> {
    if o::table.filter(o::codice_fiscale.eq(&new.codice_fiscale)).count().get_result::<i64>(conn)? > 0 {
        return Ok(None);
    }
    organisation_for(conn, new, now).map(Some)
}

/// The organisation `id`.
pub fn find(conn: &mut AnyConnection, id: OrganisationId) -> QueryResult<Option<Organisation>> {
    type Row = (OrganisationId, String, String, String, String, String, Option<String>, Option<String>);
    let row: Option<Row> = o::table
        .find(id)
        .select((o::id, o::kind, o::codice_fiscale, o::name, o::pec, o::seat, o::ordine, o::albo_number))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(id, kind, codice_fiscale, name, pec, seat, ordine, albo_number)| {
        Some(Organisation {
            id,
            kind: OrganisationKind::parse(&kind)?,
            codice_fiscale,
            name,
            pec,
            seat,
            ordine,
            albo_number,
        })
    }))
}

/// Gives `account` `role` in `organisation` unless it already has an active
/// membership there; returns the membership and whether it is new.
pub fn join(
    conn: &mut AnyConnection,
    organisation_id: OrganisationId,
    account_id: AccountId,
    role: Role,
    now: NaiveDateTime,
) -> QueryResult<(MembershipId, bool)> {
    let active = m::table
        .filter(m::organisation_id.eq(organisation_id))
        .filter(m::account_id.eq(account_id))
        .filter(m::until.is_null())
        .select(m::id)
        .first::<MembershipId>(conn)
        .optional()?;
    if let Some(id) = active {
        return Ok((id, false));
    }
    // In a savepoint: the same membership created at the same moment by
    // another request (a unique index allows one active) is not an error.
    let inserted = conn.transaction(|c| {
        diesel::insert_into(m::table)
            .values((
                m::organisation_id.eq(organisation_id),
                m::account_id.eq(account_id),
                m::role.eq(role.code()),
                m::since.eq(now),
            ))
            .execute(c)
    });
    match inserted {
        Ok(_) | Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {}
        Err(e) => return Err(e),
    }
    let id = m::table
        .filter(m::organisation_id.eq(organisation_id))
        .filter(m::account_id.eq(account_id))
        .filter(m::until.is_null())
        .select(m::id)
        .first(conn)?;
    Ok((id, true))
}

/// A membership as read with its organisation.
type ProfileRow = (MembershipId, OrganisationId, String, String, String, String, NaiveDateTime, Option<String>);

/// The columns of a [`ProfileRow`], from memberships joined to organisations.
macro_rules! profile_columns {
    () => {
        (m::id, o::id, o::name, o::codice_fiscale, o::kind, m::role, m::since, m::services)
    };
}

/// `None` for a stored kind or role this version does not know.
fn profile_of(row: ProfileRow) -> Option<Profile> {
    let (membership_id, organisation_id, organisation_name, codice_fiscale, kind, role, since, services) = row;
    Some(Profile {
        membership_id,
        organisation_id,
        organisation_name,
        codice_fiscale,
        kind: OrganisationKind::parse(&kind)?,
        role: Role::parse(&role)?,
        since,
        services: services_of(services),
    })
}

/// A person's active profiles, by organisation name.
pub fn profiles_of(conn: &mut AnyConnection, account_id: AccountId) -> QueryResult<Vec<Profile>> {
    let rows: Vec<ProfileRow> = m::table
        .inner_join(o::table)
        .filter(m::account_id.eq(account_id))
        .filter(m::until.is_null())
        .order(o::name)
        .select(profile_columns!())
        .load(conn)?;
    Ok(rows.into_iter().filter_map(profile_of).collect())
}

/// The active membership `id` of `account_id`, if it is one: anyone else's
/// id, or an ended membership, finds nothing. Read on every request made
/// for an organisation: one row by its key, not the person's every profile.
pub fn active_membership(
    conn: &mut AnyConnection,
    id: MembershipId,
    account_id: AccountId,
) -> QueryResult<Option<Profile>> {
    let query = m::table
        .inner_join(o::table)
        .filter(m::id.eq(id))
        .filter(m::account_id.eq(account_id))
        .filter(m::until.is_null())
        .select(profile_columns!());
    let row: Option<ProfileRow> = crate::db::on_backend!(conn, |c| query.first(c).optional())?;
    Ok(row.and_then(profile_of))
}

/// Who holds the active membership `id`, if it is active.
pub fn holder_of(conn: &mut AnyConnection, id: MembershipId) -> QueryResult<Option<AccountId>> {
    m::table.find(id).filter(m::until.is_null()).select(m::account_id).first(conn).optional()
}

/// Ends a membership (the person was removed, or the registry no longer names them).
pub fn end_membership(conn: &mut AnyConnection, id: MembershipId, now: NaiveDateTime) -> QueryResult<bool> {
    Ok(diesel::update(m::table.find(id).filter(m::until.is_null())).set(m::until.eq(now)).execute(conn)? == 1)
}

/// Organisation names by id, for showing whom someone acted for.
pub fn names(conn: &mut AnyConnection, ids: &[OrganisationId]) -> QueryResult<Vec<(OrganisationId, String)>> {
    match ids {
        // One (every request through a delega an organisation holds): a
        // statement prepared once per connection, where SQLite's `IN (…)`
        // is parsed and planned on every call.
        [id] => crate::db::on_backend!(conn, |c| o::table.find(*id).select((o::id, o::name)).load(c)),
        _ => o::table.filter(o::id.eq_any(ids)).select((o::id, o::name)).load(conn),
    }
}

/// The accounts that manage `organisation_id` now (legali rappresentanti and amministratori).
pub fn managers(conn: &mut AnyConnection, organisation_id: OrganisationId) -> QueryResult<Vec<AccountId>> {
    let rows: Vec<(AccountId, String)> = m::table
        .filter(m::organisation_id.eq(organisation_id))
        .filter(m::until.is_null())
        .select((m::account_id, m::role))
        .load(conn)?;
    Ok(rows.into_iter().filter(|(_, r)| Role::parse(r).is_some_and(Role::manages)).map(|(a, _)| a).collect())
}

/// The role `account_id` holds in `organisation_id` now, if any.
pub fn role_in(
    conn: &mut AnyConnection,
    organisation_id: OrganisationId,
    account_id: AccountId,
) -> QueryResult<Option<Role>> {
    let query = m::table
        .filter(m::organisation_id.eq(organisation_id))
        .filter(m::account_id.eq(account_id))
        .filter(m::until.is_null())
        .select(m::role);
    let role: Option<String> = crate::db::on_backend!(conn, |c| query.first(c).optional())?;
    Ok(role.as_deref().and_then(Role::parse))
}

/// A member as the organisation's page lists them, with the membership's dates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub membership_id: MembershipId,
    pub account_id: AccountId,
    pub name: String,
    pub identifier: String,
    pub role: Role,
    pub since: NaiveDateTime,
    pub until: Option<NaiveDateTime>,
    /// An operatore given only some services (by slug); none: all of them.
    pub services: Option<Vec<String>>,
}

/// The organisation's resource, as a permit for it names it.
fn this(organisation_id: OrganisationId) -> Resource<'static> {
    Resource::Organisation { id: organisation_id, role: None }
}

/// Which members of an organisation to read.
#[derive(Clone, Copy, Debug)]
pub enum MemberList {
    /// Active ones by name (family, given, then membership id), `limit` of
    /// them after member `after` (the keyset: the last one shown).
    Active { after: Option<MembershipId>, limit: i64 },
    /// The most recently ended, `limit` of them.
    Past { limit: i64 },
    /// One active member.
    One(MembershipId),
}

/// Members of `organisation_id`, for those with a permit to see or change them.
pub fn members(
    conn: &mut AnyConnection,
    permit: &Permit,
    organisation_id: OrganisationId,
    list: MemberList,
) -> QueryResult<Vec<Member>> {
    if !permit.covers(Action::Change, &this(organisation_id)) {
        permit.require(Action::View, &this(organisation_id))?;
    }
    use crate::db::schema::accounts as a;
    type Row =
        (MembershipId, AccountId, String, String, String, String, NaiveDateTime, Option<NaiveDateTime>, Option<String>);
    let q = m::table
        .inner_join(a::table.on(a::id.eq(m::account_id)))
        .filter(m::organisation_id.eq(organisation_id))
        .select((m::id, a::id, a::family_name, a::given_name, a::identifier, m::role, m::since, m::until, m::services))
        .into_boxed();
    let q = match list {
        MemberList::Active { after, limit } => {
            let mut q = q.filter(m::until.is_null()).order((a::family_name, a::given_name, m::id)).limit(limit);
            // The last member shown, by name: those after it (one of another organisation: from the start).
            let at: Option<(String, String)> = match after {
                Some(id) => m::table
                    .inner_join(a::table.on(a::id.eq(m::account_id)))
                    .filter(m::id.eq(id))
                    .filter(m::organisation_id.eq(organisation_id))
                    .select((a::family_name, a::given_name))
                    .first(conn)
                    .optional()?,
                None => None,
            };
            if let (Some((family, given)), Some(id)) = (at, after) {
                q = q.filter(
                    a::family_name
                        .gt(family.clone())
                        .or(a::family_name.eq(family.clone()).and(a::given_name.gt(given.clone())))
                        .or(a::family_name.eq(family).and(a::given_name.eq(given)).and(m::id.gt(id))),
                );
            }
            q
        }
        MemberList::Past { limit } => {
            q.filter(m::until.is_not_null()).order((m::until.desc(), m::id.desc())).limit(limit)
        }
        MemberList::One(id) => q.filter(m::id.eq(id)).filter(m::until.is_null()),
    };
    let rows: Vec<Row> = q.load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(membership_id, account_id, family, given, identifier, role, since, until, services)| {
            Some(Member {
                membership_id,
                account_id,
                name: format!("{given} {family}"),
                identifier,
                role: Role::parse(&role)?,
                since,
                until,
                services: services_of(services),
            })
        })
        .collect())
}

/// Whether the person with `identifier` is an active member of `organisation_id`.
pub(super) fn is_member(
    conn: &mut AnyConnection,
    organisation_id: OrganisationId,
    identifier: &str,
) -> QueryResult<bool> {
    use crate::db::schema::accounts as a;
    let n: i64 = m::table
        .inner_join(a::table.on(a::id.eq(m::account_id)))
        .filter(m::organisation_id.eq(organisation_id))
        .filter(m::until.is_null())
        .filter(a::identifier.eq(identifier))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Why a change to the members was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MembersRefusal {
    /// No such active membership in this organisation.
    NotFound,
    /// It would leave the organisation with nobody to manage it.
    LastManager,
    /// A legale rappresentante's role comes from the registry, not from a member.
    RepresentativeRole,
    /// Only an operatore is given some services: managers have them all.
    OnlyOperatore,
}

/// Takes the organisation's row for the rest of the transaction (a write lock
/// on both databases: PostgreSQL's row lock, SQLite's writer lock), so two
/// changes to its members at the same instant are decided one after the
/// other: two managers leaving together cannot both pass "someone else
/// still manages it" (write skew under PostgreSQL's read committed).
pub(super) fn lock(conn: &mut AnyConnection, organisation_id: OrganisationId) -> QueryResult<()> {
    diesel::update(o::table.find(organisation_id)).set(o::name.eq(o::name)).execute(conn).map(|_| ())
}

/// Whether, without `membership_id`, someone active would still manage `organisation_id`.
fn others_manage(
    conn: &mut AnyConnection,
    organisation_id: OrganisationId,
    membership_id: MembershipId,
) -> QueryResult<bool> {
    let roles: Vec<String> = m::table
        .filter(m::organisation_id.eq(organisation_id))
        .filter(m::until.is_null())
        .filter(m::id.ne(membership_id))
        .select(m::role)
        .load(conn)?;
    Ok(roles.iter().filter_map(|r| Role::parse(r)).any(Role::manages))
}

fn active_role(
    conn: &mut AnyConnection,
    organisation_id: OrganisationId,
    membership_id: MembershipId,
) -> QueryResult<Option<Role>> {
    let role: Option<String> = m::table
        .find(membership_id)
        .filter(m::organisation_id.eq(organisation_id))
        .filter(m::until.is_null())
        .select(m::role)
        .first(conn)
        .optional()?;
    Ok(role.as_deref().and_then(Role::parse))
}

/// Gives member `membership_id` of `organisation_id` the role `role`
/// (amministratore or operatore), unless that leaves nobody to manage it.
pub fn change_role(
    conn: &mut AnyConnection,
    permit: &Permit,
    organisation_id: OrganisationId,
    membership_id: MembershipId,
    role: Role,
) -> QueryResult<Result<Role, MembersRefusal>> {
    permit.require(Action::Change, &this(organisation_id))?;
    conn.transaction(|c| {
        lock(c, organisation_id)?;
        let Some(old) = active_role(c, organisation_id, membership_id)? else {
            return Ok(Err(MembersRefusal::NotFound));
        };
        if old == Role::LegaleRappresentante || role == Role::LegaleRappresentante {
            return Ok(Err(MembersRefusal::RepresentativeRole));
        }
        if old.manages() && !role.manages() && !others_manage(c, organisation_id, membership_id)? {
            return Ok(Err(MembersRefusal::LastManager));
        }
        // A manager has every service: an operatore's limits go with the role.
        let services: Option<String> =
            if role.manages() { None } else { m::table.find(membership_id).select(m::services).first(c)? };
        diesel::update(m::table.find(membership_id))
            .set((m::role.eq(role.code()), m::services.eq(services)))
            .execute(c)?;
        Ok(Ok(old))
    })
}

/// Gives operatore `membership_id` of `organisation_id` only `services`
/// (none: all of them again); the services they had before. Only an
/// operatore is limited: managers always have every service.
pub fn set_services(
    conn: &mut AnyConnection,
    permit: &Permit,
    organisation_id: OrganisationId,
    membership_id: MembershipId,
    services: Option<&[String]>,
) -> QueryResult<Result<Option<Vec<String>>, MembersRefusal>> {
    permit.require(Action::Change, &this(organisation_id))?;
    conn.transaction(|c| {
        lock(c, organisation_id)?;
        let row: Option<(String, Option<String>)> = m::table
            .find(membership_id)
            .filter(m::organisation_id.eq(organisation_id))
            .filter(m::until.is_null())
            .select((m::role, m::services))
            .first(c)
            .optional()?;
        let Some((role, old)) = row else { return Ok(Err(MembersRefusal::NotFound)) };
        if Role::parse(&role) != Some(Role::Operatore) {
            return Ok(Err(MembersRefusal::OnlyOperatore));
        }
        let stored = services.map(|list| list.join(" "));
        diesel::update(m::table.find(membership_id)).set(m::services.eq(stored)).execute(c)?;
        Ok(Ok(services_of(old)))
    })
}

/// Ends member `membership_id` of `organisation_id` at the request of
/// `by_account`, unless that leaves nobody to manage it. A legale
/// rappresentante (named by the registry or checked by the helpdesk) may
/// leave, but nobody else removes them here.
pub fn remove(
    conn: &mut AnyConnection,
    permit: &Permit,
    organisation_id: OrganisationId,
    membership_id: MembershipId,
    by_account: AccountId,
    now: NaiveDateTime,
) -> QueryResult<Result<(), MembersRefusal>> {
    permit.require(Action::Change, &this(organisation_id))?;
    conn.transaction(|c| {
        lock(c, organisation_id)?;
        let Some(old) = active_role(c, organisation_id, membership_id)? else {
            return Ok(Err(MembersRefusal::NotFound));
        };
        if old == Role::LegaleRappresentante {
            let member: AccountId = m::table.find(membership_id).select(m::account_id).first(c)?;
            if member != by_account {
                return Ok(Err(MembersRefusal::RepresentativeRole));
            }
        }
        if old.manages() && !others_manage(c, organisation_id, membership_id)? {
            return Ok(Err(MembersRefusal::LastManager));
        }
        end_membership(c, membership_id, now)?;
        Ok(Ok(()))
    })
}

/// Ends the legale rappresentante memberships in the organisation with
/// `codice_fiscale` of people the registry no longer names; how many ended.
pub fn end_unnamed_representatives(
    conn: &mut AnyConnection,
    codice_fiscale: &str,
    named: &[String],
    now: NaiveDateTime,
) -> QueryResult<usize> {
    use crate::db::schema::accounts as a;
    let stale: Vec<AccountId> = m::table
        .inner_join(o::table)
        .inner_join(a::table.on(a::id.eq(m::account_id)))
        .filter(o::codice_fiscale.eq(codice_fiscale))
        .filter(m::role.eq(Role::LegaleRappresentante.code()))
        .filter(m::until.is_null())
        .filter(a::identifier.ne_all(named))
        .select(m::id)
        .load(conn)?;
    diesel::update(m::table.filter(m::id.eq_any(&stale))).set(m::until.eq(now)).execute(conn)
}
