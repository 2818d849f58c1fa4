//! `servizi-lavoro import registro-imprese FILE.csv`: loads the company
//! registry. The file is UTF-8, `;`-separated, with this header:
//!
//! ```text
//! codice_fiscale;partita_iva;denominazione;pec;sede;legali_rappresentanti
//! 01234567897;01234567897;Bianchi Servizi srl;bianchiservizi@pec.example.it;Via Roma 1, 20121 Milano (MI);BNCGLI85M41F205B
//! ```
//!
//! `partita_iva` may be empty; `legali_rappresentanti` lists codici fiscali
//! separated by spaces. Each row is checked on its own (check digits, a PEC
//! address, a name and a seat); bad rows are reported with their line and
//! skipped, the good ones imported. Importing the same file again changes
//! nothing: a company is replaced whole, with its representatives.
use crate::db::schema::{registry_companies as c, registry_representatives as r};
use crate::db::{csv_rows, AnyConnection};
use crate::identity::organisations;
use crate::kernel::{CodiceFiscale, Email, PartitaIva};
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub const HEADER: [&str; 6] =
    ["codice_fiscale", "partita_iva", "denominazione", "pec", "sede", "legali_rappresentanti"];

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Companies new to the registry.
    pub added: usize,
    /// Companies already there, replaced with this file's data.
    pub updated: usize,
    /// Memberships of legali rappresentanti the registry no longer names, ended.
    pub ended: usize,
    /// Rows left out: (line number, why).
    pub rejected: Vec<(usize, String)>,
}

pub use crate::db::csv_rows::ImportError;

struct Row {
    codice_fiscale: String,
    vat_number: Option<String>,
    name: String,
    pec: String,
    seat: String,
    representatives: Vec<String>,
}

/// One row, checked; the reason it is refused otherwise.
fn parse(record: &csv::StringRecord) -> Result<Row, String> {
    let field = |i: usize| record.get(i).map(str::trim).unwrap_or("");
    if record.len() != HEADER.len() {
        return Err(format!("{} fields instead of {}", record.len(), HEADER.len()));
    }
    let codice_fiscale = PartitaIva::parse(field(0))
        .map(String::from)
        .ok_or_else(|| format!("codice fiscale {:?}: not 11 digits with a valid check digit", field(0)))?;
    let vat_number = match field(1) {
        "" => None,
        v => Some(PartitaIva::parse(v).map(String::from).ok_or_else(|| format!("partita IVA {v:?}: not valid"))?),
    };
    let name = field(2).to_string();
    if name.is_empty() || name.chars().count() > 200 {
        return Err("denominazione: missing or longer than 200 characters".into());
    }
    let pec = field(3).to_lowercase();
    if Email::parse(&pec).is_none() {
        return Err(format!("pec {:?}: not an e-mail address", field(3)));
    }
    let seat = field(4).to_string();
    if seat.is_empty() || seat.chars().count() > 300 {
        return Err("sede: missing or longer than 300 characters".into());
    }
    let representatives = field(5)
        .split_whitespace()
        .map(|cf| {
            CodiceFiscale::parse(cf)
                .map(String::from)
                .filter(|n| n.len() == 16)
                .ok_or_else(|| format!("legale rappresentante {cf:?}: not a valid codice fiscale"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Row { codice_fiscale, vat_number, name, pec, seat, representatives })
}

/// Imports a registry export from `input` (see the module for the format).
pub fn registro_imprese(
    conn: &mut AnyConnection,
    input: impl std::io::Read,
    now: NaiveDateTime,
) -> Result<Report, ImportError> {
    let (rows, rejected) = csv_rows::read(input, "a registry export", &HEADER, parse)?;
    let mut report = Report { rejected, ..Report::default() };
    conn.transaction(|conn| {
        for row in &rows {
            let exists = c::table.find(&row.codice_fiscale).count().get_result::<i64>(conn)? > 0;
            let details = (
                c::vat_number.eq(&row.vat_number),
                c::name.eq(&row.name),
                c::pec.eq(&row.pec),
                c::seat.eq(&row.seat),
                c::imported_at.eq(now),
            );
            if exists {
                diesel::update(c::table.find(&row.codice_fiscale)).set(details).execute(conn)?;
                diesel::delete(r::table.filter(r::company_codice_fiscale.eq(&row.codice_fiscale))).execute(conn)?;
                report.updated += 1;
            } else {
                diesel::insert_into(c::table)
                    .values((c::codice_fiscale.eq(&row.codice_fiscale), details))
                    .execute(conn)?;
                report.added += 1;
            }
            let mut reps = row.representatives.clone();
            reps.sort();
            reps.dedup();
            for person in &reps {
                diesel::insert_into(r::table)
                    .values((r::company_codice_fiscale.eq(&row.codice_fiscale), r::person_codice_fiscale.eq(person)))
                    .execute(conn)?;
            }
            report.ended += organisations::end_unnamed_representatives(conn, &row.codice_fiscale, &reps, now)?;
        }
        Ok::<_, diesel::result::Error>(())
    })?;
    Ok(report)
}
