//! Deleghe asked for from a file: a CSV of up to [`MAX_LINES`] clients
//! (`cliente;tipo;servizi;dal;al`) makes one request per good line, checked
//! as the form checks one; the lines left out are reported by number with
//! every reason, and kept with the batch so the report can be read again.
use super::asking::{self, Requester, Terms};
use super::requests::{self, NewRequest};
use crate::db::schema::delega_request_batches as b;
use crate::db::AnyConnection;
use crate::i18n::Lang;
use crate::kernel::{AccountId, AppState, OrganisationId};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Clients one file may name.
pub const MAX_LINES: usize = 1000;
/// The columns, in order (the first line of the file).
pub const HEADER: [&str; 5] = ["cliente", "tipo", "servizi", "dal", "al"];

/// A line left out: its number in the file (the header is line 1), the
/// client as typed, and why: (column, message key) pairs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    pub line: usize,
    pub client: String,
    pub reasons: Vec<(String, String)>,
}

/// A file sent, as its report shows it.
#[derive(Clone, Debug)]
pub struct Batch {
    pub requester: AccountId,
    pub created_at: NaiveDateTime,
    pub lines: i32,
    pub rejected: Vec<Rejected>,
}

/// The lines of a file as typed, or why the whole file is refused (a message key).
pub fn parse(bytes: &[u8]) -> Result<Vec<(usize, Terms)>, &'static str> {
    let text = std::str::from_utf8(bytes).map_err(|_| "bulk-error-encoding")?;
    // A spreadsheet saves a byte-order mark first; Italian ones separate with ';'.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains(';') { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let header: Vec<String> =
        reader.headers().map_err(|_| "bulk-error-header")?.iter().map(str::to_lowercase).collect();
    if header != HEADER {
        return Err("bulk-error-header");
    }
    let mut lines = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|_| "bulk-error-format")?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        if lines.len() == MAX_LINES {
            return Err("bulk-error-too-many");
        }
        let field = |n: usize| record.get(n).unwrap_or("").chars().take(1000).collect::<String>();
        let services = field(2).to_lowercase();
        let all = services == "tutti" || services == "all";
        lines.push((
            i + 2,
            Terms {
                client: field(0),
                kind: field(1).to_lowercase().replace([' ', '-'], "_"),
                all,
                services: if all {
                    Vec::new()
                } else {
                    services.split([' ', ',']).filter(|s| !s.is_empty()).map(str::to_string).collect()
                },
                from: field(3),
                until: field(4),
            },
        ));
    }
    if lines.is_empty() {
        return Err("bulk-error-empty");
    }
    Ok(lines)
}

/// A day as a spreadsheet writes it (`31/12/2027`) or as a form does (`2027-12-31`), as the form's.
fn as_form_day(typed: &str) -> String {
    match NaiveDate::parse_from_str(typed, "%d/%m/%Y") {
        Ok(d) if typed.len() == 10 => d.format("%Y-%m-%d").to_string(),
        _ => typed.to_string(),
    }
}

/// A file checked: who sends it, how many lines it had, the requests of its
/// good lines (by line number) and the lines left out.
#[derive(Clone, Debug)]
pub struct Checked {
    pub by: AccountId,
    /// The organisation asked for, if any.
    pub held_by: Option<OrganisationId>,
    pub lines: usize,
    pub good: Vec<(usize, NewRequest)>,
    pub rejected: Vec<Rejected>,
}

/// Each line checked as the form checks one (an empty start: today); a
/// client named twice is asked once.
pub fn check(lines: Vec<(usize, Terms)>, by: Requester, today: NaiveDate, max_years: i32) -> Checked {
    let count = lines.len();
    let (mut good, mut rejected) = (Vec::new(), Vec::new());
    let mut seen = HashSet::new();
    for (line, mut terms) in lines {
        terms.from =
            if terms.from.is_empty() { today.format("%Y-%m-%d").to_string() } else { as_form_day(&terms.from) };
        terms.until = as_form_day(&terms.until);
        match asking::check(&terms, by, today, max_years) {
            Ok(new) if !seen.insert(new.client_codice_fiscale.clone()) => rejected.push(Rejected {
                line,
                client: terms.client,
                reasons: vec![("cliente".into(), "bulk-error-repeated".into())],
            }),
            Ok(new) => good.push((line, new)),
            Err(errors) => rejected.push(Rejected {
                line,
                client: terms.client,
                // The form's fields are named as the file's columns.
                reasons: errors.0.iter().map(|(field, key)| (field.to_string(), key.to_string())).collect(),
            }),
        }
    }
    Checked { by: by.account, held_by: by.held_by, lines: count, good, rejected }
}

/// Records the batch and asks each good line's client, with their mails, in
/// the caller's transaction; a client the requester is waiting on already is
/// left out (reported). The batch's id.
pub fn send(
    c: &mut AnyConnection,
    state: &AppState,
    file: &Checked,
    requester_name: &str,
    lang: Lang,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    let Checked { by, held_by, lines, good, rejected } = file;
    let (by, held_by) = (*by, *held_by);
    asking::lock(c, by, held_by)?;
    let clients: Vec<String> = good.iter().map(|(_, n)| n.client_codice_fiscale.clone()).collect();
    let waiting: HashSet<String> = requests::waiting_for(c, by, held_by, &clients, now)?.into_iter().collect();
    let mut report = rejected.to_vec();
    for (line, new) in good.iter().filter(|(_, n)| waiting.contains(&n.client_codice_fiscale)) {
        report.push(Rejected {
            line: *line,
            client: new.client_codice_fiscale.clone(),
            reasons: vec![("cliente".into(), "request-error-waiting".into())],
        });
    }
    report.sort_by_key(|r| r.line);
    let json = serde_json::to_string(&report).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    let id = diesel::insert_into(b::table)
        .values((
            b::requester_account_id.eq(by),
            b::created_at.eq(now),
            b::lines.eq(i32::try_from(*lines).unwrap_or(i32::MAX)),
            b::rejected.eq(json),
        ))
        .returning(b::id)
        .get_result::<i64>(c)?;
    for (_, new) in good.iter().filter(|(_, n)| !waiting.contains(&n.client_codice_fiscale)) {
        let new = NewRequest { batch: Some(id), ..new.clone() };
        asking::send(c, state, &new, requester_name, lang, now)?;
    }
    Ok(id)
}

/// A batch sent, as its report shows it (the requests it made: [`requests::of_batch`]).
pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<Batch>> {
    let row: Option<(AccountId, NaiveDateTime, i32, String)> = b::table
        .find(id)
        .select((b::requester_account_id, b::created_at, b::lines, b::rejected))
        .first(conn)
        .optional()?;
    Ok(row.map(|(requester, created_at, lines, rejected)| Batch {
        requester,
        created_at,
        lines,
        rejected: serde_json::from_str(&rejected).unwrap_or_default(),
    }))
}

#[cfg(test)]
mod tests {
    use super::{as_form_day, parse, MAX_LINES};

    #[test]
    fn a_file_is_read_with_either_separator_a_bom_and_spreadsheet_days() {
        let file = "\u{feff}Cliente;Tipo;Servizi;Dal;Al\nRSSMRA80A01H501U; temporanea ;tutti;;31/12/2027\n;;;;\n01234567897;non temporanea;cigsonline smart-working;2027-01-01;2027-06-30\n";
        let lines = parse(file.as_bytes()).expect("read");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].0, 2);
        assert!(lines[0].1.all);
        assert_eq!(lines[0].1.kind, "temporanea");
        assert_eq!(lines[1].0, 4, "the blank line still counts");
        assert_eq!(lines[1].1.kind, "non_temporanea");
        assert_eq!(lines[1].1.services, ["cigsonline", "smart-working"]);
        assert_eq!(as_form_day("31/12/2027"), "2027-12-31");
        assert_eq!(as_form_day("2027-12-31"), "2027-12-31");
        let commas = "cliente,tipo,servizi,dal,al\nRSSMRA80A01H501U,temporanea,tutti,,2027-12-31\n";
        assert_eq!(parse(commas.as_bytes()).expect("read").len(), 1);
    }

    #[test]
    fn a_whole_file_is_refused_for_its_header_size_encoding_or_emptiness() {
        assert_eq!(parse(b"nome;cognome\nx;y\n").err(), Some("bulk-error-header"));
        assert_eq!(parse(b"cliente;tipo;servizi;dal;al\n").err(), Some("bulk-error-empty"));
        assert_eq!(parse(b"cliente;tipo;servizi;dal;al\n\xff\xfe;;;;\n").err(), Some("bulk-error-encoding"));
        let mut big = String::from("cliente;tipo;servizi;dal;al\n");
        for _ in 0..=MAX_LINES {
            big.push_str("RSSMRA80A01H501U;temporanea;tutti;;2027-12-31\n");
        }
        assert_eq!(parse(big.as_bytes()).err(), Some("bulk-error-too-many"));
    }
}
