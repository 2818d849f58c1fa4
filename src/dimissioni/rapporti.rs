//! Employment relationships. The Comunicazioni Obbligatorie are an external
//! border, so the service asks an [`EmploymentRecords`]; the shipped
//! implementation, [`LocalRecords`], reads the table loaded by
//! `servizi-lavoro import rapporti FILE.csv`.
//!
//! The file is UTF-8 CSV separated by `;` with this header:
//!
//! ```text
//! codice_fiscale_lavoratore;codice_fiscale_datore;denominazione_datore;indirizzo_sede;comune_sede;cap_sede;provincia_sede;data_inizio;tipologia_contrattuale;data_fine;email_datore;pec_datore
//! ```
//!
//! Dates are `AAAA-MM-GG`; `data_fine`, `email_datore` and `pec_datore` may be
//! empty. A relationship is known by worker, employer and start date:
//! importing it again replaces it.
use crate::db::csv_rows::{self, ImportError};
use crate::db::schema::rapporti as r;
use crate::db::AnyConnection;
use crate::kernel::{CodiceFiscale, Email, PartitaIva};
use chrono::NaiveDate;
use diesel::prelude::*;

pub const HEADER: [&str; 12] = [
    "codice_fiscale_lavoratore",
    "codice_fiscale_datore",
    "denominazione_datore",
    "indirizzo_sede",
    "comune_sede",
    "cap_sede",
    "provincia_sede",
    "data_inizio",
    "tipologia_contrattuale",
    "data_fine",
    "email_datore",
    "pec_datore",
];

/// One relationship as the CO describe it (its fields in the order `columns!` selects them).
#[derive(Clone, Debug, PartialEq, Eq, Queryable)]
pub struct Rapporto {
    pub id: i64,
    pub worker_codice_fiscale: String,
    pub employer_codice_fiscale: String,
    pub employer_name: String,
    pub workplace_address: String,
    pub workplace_comune: String,
    pub workplace_cap: String,
    pub workplace_province: String,
    pub start_date: NaiveDate,
    pub contract_type: String,
    pub end_date: Option<NaiveDate>,
    pub employer_email: Option<String>,
    pub employer_pec: Option<String>,
}

/// What the service asks of the Comunicazioni Obbligatorie.
pub trait EmploymentRecords: Send + Sync {
    /// The worker's relationships with the employer, active on `today`.
    fn active(
        &self,
        conn: &mut AnyConnection,
        worker: &str,
        employer: &str,
        today: NaiveDate,
    ) -> QueryResult<Vec<Rapporto>>;
    /// The worker's relationships with any employer, active on `today`:
    /// offered to the worker first (only the worker's own codice fiscale).
    fn of_worker(&self, conn: &mut AnyConnection, worker: &str, today: NaiveDate) -> QueryResult<Vec<Rapporto>>;
    fn find(&self, conn: &mut AnyConnection, id: i64) -> QueryResult<Option<Rapporto>>;
}

/// The relationships as last imported.
#[derive(Clone, Copy, Debug, Default)]
pub struct LocalRecords;

macro_rules! columns {
    () => {
        (
            r::id,
            r::worker_codice_fiscale,
            r::employer_codice_fiscale,
            r::employer_name,
            r::workplace_address,
            r::workplace_comune,
            r::workplace_cap,
            r::workplace_province,
            r::start_date,
            r::contract_type,
            r::end_date,
            r::employer_email,
            r::employer_pec,
        )
    };
}

impl EmploymentRecords for LocalRecords {
    fn active(
        &self,
        conn: &mut AnyConnection,
        worker: &str,
        employer: &str,
        today: NaiveDate,
    ) -> QueryResult<Vec<Rapporto>> {
        r::table
            .filter(r::worker_codice_fiscale.eq(worker))
            .filter(r::employer_codice_fiscale.eq(employer))
            .filter(r::start_date.le(today))
            .filter(r::end_date.is_null().or(r::end_date.ge(today)))
            .order(r::start_date.desc())
            .select(columns!())
            .load(conn)
    }

    fn of_worker(&self, conn: &mut AnyConnection, worker: &str, today: NaiveDate) -> QueryResult<Vec<Rapporto>> {
        r::table
            .filter(r::worker_codice_fiscale.eq(worker))
            .filter(r::start_date.le(today))
            .filter(r::end_date.is_null().or(r::end_date.ge(today)))
            .order((r::start_date.desc(), r::id.desc()))
            .limit(20)
            .select(columns!())
            .load(conn)
    }

    fn find(&self, conn: &mut AnyConnection, id: i64) -> QueryResult<Option<Rapporto>> {
        r::table.find(id).select(columns!()).first(conn).optional()
    }
}

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub added: usize,
    pub updated: usize,
    pub rejected: csv_rows::Rejected,
}

fn email_or_empty(s: &str, what: &str) -> Result<Option<String>, String> {
    let s = s.trim().to_lowercase();
    if s.is_empty() {
        return Ok(None);
    }
    let ok = Email::parse(&s).is_some();
    if ok {
        Ok(Some(s))
    } else {
        Err(format!("{what} {s:?}: not an e-mail address"))
    }
}

fn parse(record: &csv::StringRecord) -> Result<Rapporto, String> {
    let field = |i: usize| record.get(i).map(str::trim).unwrap_or("");
    let worker = CodiceFiscale::personal(field(0))
        .map(String::from)
        .ok_or_else(|| format!("codice_fiscale_lavoratore {:?}: not valid", field(0)))?;
    let employer = PartitaIva::parse(field(1))
        .map(String::from)
        .or_else(|| CodiceFiscale::personal(field(1)).map(String::from))
        .ok_or_else(|| format!("codice_fiscale_datore {:?}: not valid", field(1)))?;
    let text = |i: usize, name: &str, max: usize| {
        let v = field(i);
        if v.is_empty() || v.chars().count() > max {
            Err(format!("{name}: missing or longer than {max} characters"))
        } else {
            Ok(v.to_string())
        }
    };
    let cap = field(5);
    if cap.len() != 5 || !cap.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("cap_sede {cap:?}: not 5 digits"));
    }
    let province = field(6).to_ascii_uppercase();
    if !super::itl::is_province(&province) {
        return Err(format!("provincia_sede {province:?}: not an Italian province"));
    }
    let date = |i: usize, name: &str| {
        NaiveDate::parse_from_str(field(i), "%Y-%m-%d")
            .map_err(|_| format!("{name} {:?}: not a date (AAAA-MM-GG)", field(i)))
    };
    let start_date = date(7, "data_inizio")?;
    let end_date = if field(9).is_empty() { None } else { Some(date(9, "data_fine")?) };
    if end_date.is_some_and(|e| e < start_date) {
        return Err("data_fine before data_inizio".into());
    }
    Ok(Rapporto {
        id: 0,
        worker_codice_fiscale: worker,
        employer_codice_fiscale: employer,
        employer_name: text(2, "denominazione_datore", 200)?,
        workplace_address: text(3, "indirizzo_sede", 200)?,
        workplace_comune: text(4, "comune_sede", 100)?,
        workplace_cap: cap.to_string(),
        workplace_province: province,
        start_date,
        contract_type: text(8, "tipologia_contrattuale", 100)?,
        end_date,
        employer_email: email_or_empty(field(10), "email_datore")?,
        employer_pec: email_or_empty(field(11), "pec_datore")?,
    })
}

/// Imports a CO export from `input` (see the module for the format).
pub fn import(conn: &mut AnyConnection, input: impl std::io::Read) -> Result<Report, ImportError> {
    let (rows, rejected) = csv_rows::read(input, "an export of the Comunicazioni Obbligatorie", &HEADER, parse)?;
    let mut report = Report { rejected, ..Report::default() };
    conn.transaction(|c| {
        // The relationships already known for the file's employers, read
        // once: a lookup per row was planned on the table's statistics from
        // before the import (a few rows) and, on PostgreSQL, scanned the
        // whole growing table for each of 100 000 rows.
        let mut employers: Vec<&str> = rows.iter().map(|r| r.employer_codice_fiscale.as_str()).collect();
        employers.sort_unstable();
        employers.dedup();
        let mut known: std::collections::HashMap<(String, String, NaiveDate), i64> = Default::default();
        for chunk in employers.chunks(5_000) {
            let found: Vec<(i64, String, String, NaiveDate)> = r::table
                .filter(r::employer_codice_fiscale.eq_any(chunk))
                .select((r::id, r::worker_codice_fiscale, r::employer_codice_fiscale, r::start_date))
                .load(c)?;
            known.extend(found.into_iter().map(|(id, w, e, d)| ((w, e, d), id)));
        }
        for row in &rows {
            let values = (
                r::employer_name.eq(&row.employer_name),
                r::workplace_address.eq(&row.workplace_address),
                r::workplace_comune.eq(&row.workplace_comune),
                r::workplace_cap.eq(&row.workplace_cap),
                r::workplace_province.eq(&row.workplace_province),
                r::contract_type.eq(&row.contract_type),
                r::end_date.eq(row.end_date),
                r::employer_email.eq(&row.employer_email),
                r::employer_pec.eq(&row.employer_pec),
            );
            let key = (row.worker_codice_fiscale.clone(), row.employer_codice_fiscale.clone(), row.start_date);
            match known.get(&key).copied() {
                Some(id) => {
                    diesel::update(r::table.find(id)).set(values).execute(c)?;
                    report.updated += 1;
                }
                None => {
                    let id: i64 = diesel::insert_into(r::table)
                        .values((
                            r::worker_codice_fiscale.eq(&row.worker_codice_fiscale),
                            r::employer_codice_fiscale.eq(&row.employer_codice_fiscale),
                            r::start_date.eq(row.start_date),
                            values,
                        ))
                        .returning(r::id)
                        .get_result(c)?;
                    // The same relationship again further down the file updates this one.
                    known.insert(key, id);
                    report.added += 1;
                }
            }
        }
        Ok::<_, diesel::result::Error>(())
    })?;
    // Statistics for what was just written, so the next import and the
    // pages plan on the table as it now is (PostgreSQL's autovacuum would
    // get to it only later).
    if let AnyConnection::Postgresql(_) = conn {
        diesel::sql_query("ANALYZE rapporti").execute(conn)?;
    }
    Ok(report)
}

/// Development only: Mario Rossi (demo IdP) works for Giulia Bianchi's demo company.
pub fn seed_demo(conn: &mut AnyConnection, mario_codice_fiscale: &str) -> QueryResult<()> {
    let csv = format!(
        "{}\n{mario_codice_fiscale};01234567897;Bianchi Servizi srl;Via Roma 1;Milano;20121;MI;2019-04-01;Lavoro subordinato a tempo indeterminato;;amministrazione@bianchiservizi.example.it;bianchiservizi@pec.example.it\n",
        HEADER.join(";")
    );
    match import(conn, csv.as_bytes()) {
        Ok(_) => Ok(()),
        Err(ImportError::Db(e)) => Err(e),
        Err(other) => Err(diesel::result::Error::QueryBuilderError(other.to_string().into())),
    }
}
