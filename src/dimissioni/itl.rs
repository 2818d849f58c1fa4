//! The Ispettorato's offices, as the operator loads them
//! (`servizi-lavoro import itl FILE.csv`), not as a pattern guesses them: an
//! office may cover several provinces (Milano covers MI, LO and MB), receives
//! the modules by PEC or only consults them in the portal, and has officers
//! of its own (`servizi-lavoro itl add <codice fiscale> <codice ufficio>`).
//! Where no office covers a workplace's province (Sicily, whose inspection is
//! the Region's, unless its offices are loaded), nobody is sent a copy and
//! the log says so. `deploy/itl-uffici.example.csv` is an example file.
use crate::db::schema::{itl_office_provinces as p, itl_offices as o};
use crate::db::AnyConnection;
use crate::identity::roles::{self, ItlPost};
use crate::kernel::Email;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::sync::LazyLock;

/// How an office gets the modules of its provinces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// A copy to its PEC, and the portal.
    Pec,
    /// Only in the portal, where its officers consult them.
    Consultation,
}

impl Delivery {
    pub fn code(self) -> &'static str {
        match self {
            Delivery::Pec => "pec",
            Delivery::Consultation => "consultazione",
        }
    }

    pub fn parse(s: &str) -> Option<Delivery> {
        [Delivery::Pec, Delivery::Consultation].into_iter().find(|d| d.code() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Office {
    pub code: String,
    pub name: String,
    pub pec: String,
    pub delivery: Delivery,
}

/// Italy's provinces (and the metropolitan cities, with the same sigle).
static PROVINCES: LazyLock<Vec<(&'static str, &'static str)>> =
    LazyLock::new(|| include_str!("provinces.csv").lines().skip(1).filter_map(|l| l.split_once(';')).collect());

/// Is `sigla` an Italian province's (any case)?
pub fn is_province(sigla: &str) -> bool {
    PROVINCES.iter().any(|(s, _)| s.eq_ignore_ascii_case(sigla))
}

/// An example file: what `import itl` expects, and the demo data.
pub const EXAMPLE: &str = include_str!("../../deploy/itl-uffici.example.csv");

fn office_of(row: (String, String, String, String)) -> Office {
    let (code, name, pec, delivery) = row;
    Office { code, name, pec, delivery: Delivery::parse(&delivery).unwrap_or(Delivery::Consultation) }
}

/// The office that covers `province`, if one was loaded.
pub fn for_province(conn: &mut AnyConnection, province: &str) -> QueryResult<Option<Office>> {
    let row = o::table
        .inner_join(p::table.on(p::office_code.eq(o::code)))
        .filter(p::province.eq(province.to_ascii_uppercase()))
        .select((o::code, o::name, o::pec, o::delivery))
        .first(conn)
        .optional()?;
    Ok(row.map(office_of))
}

/// The office with `code`, if one was loaded.
pub fn by_code(conn: &mut AnyConnection, code: &str) -> QueryResult<Option<Office>> {
    Ok(o::table.find(code).select((o::code, o::name, o::pec, o::delivery)).first(conn).optional()?.map(office_of))
}

/// The provinces an office covers.
pub fn provinces_of(conn: &mut AnyConnection, office: &str) -> QueryResult<Vec<String>> {
    p::table.filter(p::office_code.eq(office)).order(p::province.asc()).select(p::province).load(conn)
}

/// The office a codice fiscale is an officer of, and the provinces it covers
/// (an officer recorded for a province belongs to the office covering it).
pub fn officer_of(conn: &mut AnyConnection, codice_fiscale: &str) -> QueryResult<Option<(Office, Vec<String>)>> {
    let office = match roles::itl_post(conn, codice_fiscale)? {
        None => return Ok(None),
        Some(ItlPost::Office(code)) => by_code(conn, &code)?,
        Some(ItlPost::Province(province)) => for_province(conn, &province)?,
    };
    match office {
        Some(office) => {
            let provinces = provinces_of(conn, &office.code)?;
            Ok(Some((office, provinces)))
        }
        None => Ok(None),
    }
}

/// What an import found wrong, line by line.
pub type Problems = Vec<String>;

/// Replaces the offices with those of `csv` (`codice;denominazione;province;pec;invio`,
/// provinces separated by commas, `invio` `pec` or `consultazione`): all of
/// them, or none when a line is wrong (every problem said at once).
pub fn import(conn: &mut AnyConnection, csv: &str, now: NaiveDateTime) -> QueryResult<Result<usize, Problems>> {
    let mut problems = Problems::new();
    let mut offices: Vec<(Office, Vec<String>)> = Vec::new();
    let mut lines = csv.lines().enumerate();
    match lines.next() {
        Some((_, header))
            if header.trim().trim_start_matches('\u{feff}') == "codice;denominazione;province;pec;invio" => {}
        _ => return Ok(Err(vec!["line 1: the header must be codice;denominazione;province;pec;invio".into()])),
    }
    let mut covered: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, line) in lines.filter(|(_, l)| !l.trim().is_empty()) {
        let n = i + 1;
        let fields: Vec<&str> = line.split(';').map(str::trim).collect();
        let [code, name, provinces, pec, delivery] = fields.as_slice() else {
            problems.push(format!("line {n}: 5 fields separated by ';'"));
            continue;
        };
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-') {
            problems.push(format!("line {n}: the office code is capitals, digits and '-'"));
        }
        if name.is_empty() {
            problems.push(format!("line {n}: the office has no name"));
        }
        if Email::parse(pec).is_none() {
            problems.push(format!("line {n}: {pec:?} is not a PEC address"));
        }
        let Some(delivery) = Delivery::parse(delivery) else {
            problems.push(format!("line {n}: invio is 'pec' or 'consultazione', not {delivery:?}"));
            continue;
        };
        let mut list = Vec::new();
        for province in provinces.split(',').map(|s| s.trim().to_ascii_uppercase()).filter(|s| !s.is_empty()) {
            if !is_province(&province) {
                problems.push(format!("line {n}: {province:?} is not a province's sigla"));
            } else if let Some(first) = covered.insert(province.clone(), n) {
                problems.push(format!("line {n}: {province} is already covered by line {first}"));
            } else {
                list.push(province);
            }
        }
        if list.is_empty() {
            problems.push(format!("line {n}: the office covers no province"));
        }
        if offices.iter().any(|(o, _)| o.code == *code) {
            problems.push(format!("line {n}: the office code {code} is repeated"));
        }
        offices.push((Office { code: code.to_string(), name: name.to_string(), pec: pec.to_string(), delivery }, list));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    conn.transaction(|c| {
        diesel::delete(p::table).execute(c)?;
        diesel::delete(o::table).execute(c)?;
        for (office, provinces) in &offices {
            diesel::insert_into(o::table)
                .values((
                    o::code.eq(&office.code),
                    o::name.eq(&office.name),
                    o::pec.eq(&office.pec),
                    o::delivery.eq(office.delivery.code()),
                    o::imported_at.eq(now),
                ))
                .execute(c)?;
            for province in provinces {
                diesel::insert_into(p::table)
                    .values((p::province.eq(province), p::office_code.eq(&office.code)))
                    .execute(c)?;
            }
        }
        Ok(Ok(offices.len()))
    })
}

/// The example offices, for demo data and tests (when none are loaded).
pub fn seed_demo(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<()> {
    if o::table.count().get_result::<i64>(conn)? > 0 {
        return Ok(());
    }
    match import(conn, EXAMPLE, now)? {
        Ok(_) => Ok(()),
        Err(problems) => Err(diesel::result::Error::QueryBuilderError(problems.join("; ").into())),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_provinces_are_italys() {
        assert_eq!(super::PROVINCES.len(), 107);
        assert!(super::is_province("mi") && super::is_province("SU") && !super::is_province("XX"));
    }
}
