//! The company registry: which companies exist and whom they name as legale
//! rappresentante. The national registry (Registro delle imprese) is an
//! external border, so profiles ask a [`CompanyRegistry`]; the shipped
//! implementation, [`LocalRegistry`], reads a local table loaded by
//! `servizi-lavoro import registro-imprese FILE.csv` (see [`import`]).
pub mod import;

use crate::db::schema::{registry_companies as c, registry_representatives as r};
use crate::db::AnyConnection;
use crate::identity::organisations::{NewOrganisation, OrganisationKind};
use diesel::prelude::*;

/// A company as the registry describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisteredCompany {
    /// The company's codice fiscale (11 digits, usually also its partita IVA).
    pub codice_fiscale: String,
    pub vat_number: Option<String>,
    pub name: String,
    /// Where requests to the company are sent (posta elettronica certificata).
    pub pec: String,
    /// The registered seat, as one line.
    pub seat: String,
    /// Codici fiscali of its legali rappresentanti.
    pub representatives: Vec<String>,
}

impl RegisteredCompany {
    /// The organisation people act for when they associate this company.
    pub fn as_organisation(&self) -> NewOrganisation {
        NewOrganisation {
            kind: Some(OrganisationKind::Impresa),
            codice_fiscale: self.codice_fiscale.clone(),
            name: self.name.clone(),
            pec: self.pec.clone(),
            seat: self.seat.clone(),
            ordine: None,
            albo_number: None,
        }
    }
}

/// What the portal asks of a company registry.
pub trait CompanyRegistry: Send + Sync {
    fn company(&self, conn: &mut AnyConnection, codice_fiscale: &str) -> QueryResult<Option<RegisteredCompany>>;
}

/// The registry as last imported into the local tables.
#[derive(Clone, Copy, Debug, Default)]
pub struct LocalRegistry;

impl CompanyRegistry for LocalRegistry {
    fn company(&self, conn: &mut AnyConnection, codice_fiscale: &str) -> QueryResult<Option<RegisteredCompany>> {
        let row: Option<(String, Option<String>, String, String, String)> = c::table
            .find(codice_fiscale)
            .select((c::codice_fiscale, c::vat_number, c::name, c::pec, c::seat))
            .first(conn)
            .optional()?;
        let Some((codice_fiscale, vat_number, name, pec, seat)) = row else { return Ok(None) };
        let representatives = r::table
            .filter(r::company_codice_fiscale.eq(&codice_fiscale))
            .order(r::person_codice_fiscale)
            .select(r::person_codice_fiscale)
            .load(conn)?;
        Ok(Some(RegisteredCompany { codice_fiscale, vat_number, name, pec, seat, representatives }))
    }
}

/// Development only: a demo company whose legale rappresentante is the demo
/// IdP's Giulia Bianchi, so associating a company can be tried at once.
pub fn seed_demo(conn: &mut AnyConnection, giulia_codice_fiscale: &str, now: chrono::NaiveDateTime) -> QueryResult<()> {
    let csv = format!(
        "codice_fiscale;partita_iva;denominazione;pec;sede;legali_rappresentanti\n\
         01234567897;01234567897;Bianchi Servizi srl;bianchiservizi@pec.example.it;Via Roma 1, 20121 Milano (MI);{giulia_codice_fiscale}\n"
    );
    match import::registro_imprese(conn, csv.as_bytes(), now) {
        Ok(_) => Ok(()),
        Err(import::ImportError::Db(e)) => Err(e),
        Err(other) => Err(diesel::result::Error::QueryBuilderError(other.to_string().into())),
    }
}
