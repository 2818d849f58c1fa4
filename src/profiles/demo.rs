//! Development only: the demo IdP's Luca Verdi is a consulente del lavoro
//! the helpdesk has already validated, so the Soggetto abilitato profile can
//! be tried on a fresh machine.
use crate::db::schema::accounts as a;
use crate::db::AnyConnection;
use crate::identity::account::IdKind;
use crate::identity::organisations::{self, NewOrganisation, OrganisationKind, Role};
use crate::kernel::AccountId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// The person the demo IdP vouches for: codice fiscale, names, e-mail.
pub struct DemoConsultant<'a> {
    pub codice_fiscale: &'a str,
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub email: &'a str,
}

/// Makes the consultant's account (as a first sign-in would) and their
/// validated studio, with them as its legale rappresentante. Idempotent.
pub fn seed(conn: &mut AnyConnection, who: &DemoConsultant, now: NaiveDateTime) -> QueryResult<()> {
    conn.transaction(|c| {
        let existing: Option<AccountId> = a::table
            .filter(a::id_kind.eq(IdKind::CodiceFiscale.code()))
            .filter(a::identifier.eq(who.codice_fiscale))
            .select(a::id)
            .first(c)
            .optional()?;
        let account = match existing {
            Some(id) => id,
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
                .get_result(c)?,
        };
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
        Ok(())
    })
}
