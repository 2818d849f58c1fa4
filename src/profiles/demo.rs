//! Development only: the demo IdP's Luca Verdi is a consulente del lavoro
//! the helpdesk has already validated, so the Soggetto abilitato profile can
//! be tried on a fresh machine.
use crate::db::schema::accounts as a;
use crate::db::AnyConnection;
use crate::identity::account::IdKind;
use crate::identity::organisations::{self, NewOrganisation, OrganisationKind, Role};
use crate::kernel::{AccountId, OrganisationId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// The person the demo IdP vouches for: codice fiscale, names, e-mail.
pub struct DemoPerson<'a> {
    pub codice_fiscale: &'a str,
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub email: &'a str,
}

/// Makes the consultant's account (as a first sign-in would) and their
/// validated studio, with them as its legale rappresentante; the studio's id. Idempotent.
pub fn seed(conn: &mut AnyConnection, who: &DemoPerson, now: NaiveDateTime) -> QueryResult<OrganisationId> {
    conn.transaction(|c| {
        let account = account_for(c, who, now)?;
        let studio = NewOrganisation {
            kind: Some(OrganisationKind::ConsulenteLavoro),
            codice_fiscale: who.codice_fiscale.to_string(),
            name: format!("Studio {} {} – consulente del lavoro", who.given_name, who.family_name),
            pec: "studio.verdi@pec.example.it".into(),
            seat: "Via Po 10, 10124 Torino (TO)".into(),
            ordine: Some("Torino".into()),
            albo_number: Some("1234".into()),
        };
        let org = organisations::organisation_for(c, &studio, now)?;
        organisations::join(c, org, account, Role::LegaleRappresentante, now)?;
        Ok(org)
    })
}

/// The person's account, as their first sign-in would make it.
fn account_for(c: &mut AnyConnection, who: &DemoPerson, now: NaiveDateTime) -> QueryResult<AccountId> {
    let existing: Option<AccountId> = a::table
        .filter(a::id_kind.eq(IdKind::CodiceFiscale.code()))
        .filter(a::identifier.eq(who.codice_fiscale))
        .select(a::id)
        .first(c)
        .optional()?;
    match existing {
        Some(id) => Ok(id),
        None => diesel::insert_into(a::table)
            .values((
                a::id_kind.eq(IdKind::CodiceFiscale.code()),
                a::identifier.eq(who.codice_fiscale),
                a::given_name.eq(who.given_name),
                a::family_name.eq(who.family_name),
                a::email.eq(who.email),
                a::created_at.eq(now),
            ))
            .returning(a::id)
            .get_result(c),
    }
}

/// Development only (`demo scale`): `company` on the portal with `who` as
/// its legale rappresentante, as associating it would leave it; the
/// organisation's and the person's ids. Idempotent.
pub fn seed_company(
    conn: &mut AnyConnection,
    who: &DemoPerson,
    company: &NewOrganisation,
    now: NaiveDateTime,
) -> QueryResult<(OrganisationId, AccountId)> {
    conn.transaction(|c| {
        let account = account_for(c, who, now)?;
        let org = organisations::organisation_for(c, company, now)?;
        organisations::join(c, org, account, Role::LegaleRappresentante, now)?;
        Ok((org, account))
    })
}

/// Development only (`demo scale`): `count` made-up operatori join `org`; how many.
pub fn add_operators(
    conn: &mut AnyConnection,
    org: OrganisationId,
    count: usize,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    conn.transaction(|c| {
        for i in 0..count {
            // Not real codici fiscali: these people never sign in.
            let cf = format!("SCALO{:05}{:06}", org.get(), i);
            let email = format!("operatore{i}@example.org");
            let who = DemoPerson { codice_fiscale: &cf, given_name: "Operatore", family_name: "Scala", email: &email };
            let account = account_for(c, &who, now)?;
            organisations::join(c, org, account, Role::Operatore, now)?;
        }
        Ok(count)
    })
}

/// Development only (`demo scale`): `who` joins `org` as an operatore; the membership.
pub fn add_operator(
    conn: &mut AnyConnection,
    org: OrganisationId,
    who: &DemoPerson,
    now: NaiveDateTime,
) -> QueryResult<crate::kernel::MembershipId> {
    conn.transaction(|c| {
        let account = account_for(c, who, now)?;
        organisations::join(c, org, account, Role::Operatore, now).map(|(membership, _)| membership)
    })
}
