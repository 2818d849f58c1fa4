//! Development only (`servizi-lavoro demo scale --modules N`): a company's
//! Dimissioni list at national size, to measure its pages with — real
//! modules, each sealed and chained as a worker's transmission is (so
//! `servizi-lavoro dimissioni verify` still holds), from made-up workers.
use super::modulo::{self, Contents, Kind, Sender};
use crate::db::AnyConnection;
use crate::kernel::AccountId;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// Modules transmitted per transaction.
const BATCH: usize = 200;

/// The employer the modules are addressed to.
pub struct Employer<'a> {
    pub codice_fiscale: &'a str,
    pub name: &'a str,
}

/// Transmits `count` resignations to `employer`, filed by `sender` over the
/// last days before `now`; returns how many.
pub fn load_modules(
    conn: &mut AnyConnection,
    keys: &crate::keyring::Keyring,
    employer: &Employer,
    sender: AccountId,
    count: usize,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let today = crate::kernel::clock::italian_day(now);
    let mut done = 0;
    for chunk in (0..count).collect::<Vec<_>>().chunks(BATCH) {
        conn.transaction(|c| {
            for i in chunk {
                let contents = Contents {
                    kind: if i % 7 == 0 { Kind::GiustaCausa } else { Kind::Dimissioni }.code().to_string(),
                    revokes_code: None,
                    // Not real codici fiscali: these people never sign in.
                    worker_codice_fiscale: format!("SCALA{i:011}"),
                    worker_family_name: "Scala".into(),
                    worker_given_name: format!("Lavoratore {i}"),
                    worker_email: format!("lavoratore{i}@example.org"),
                    employer_codice_fiscale: employer.codice_fiscale.to_string(),
                    employer_name: employer.name.to_string(),
                    workplace_address: "Via Roma 1".into(),
                    workplace_comune: "Roma".into(),
                    workplace_cap: "00100".into(),
                    workplace_province: "RM".into(),
                    employer_email: "personale@example.org".into(),
                    employer_pec: "azienda@pec.example.org".into(),
                    start_date: today - Duration::days(400 + (*i as i64 % 1000)),
                    contract_type: "indeterminato".into(),
                    decorrenza: Some(today + Duration::days(15)),
                    reason: None,
                    abilitato_kind: None,
                    abilitato_codice_fiscale: None,
                };
                let sender = Sender { account: sender, worker_account: None };
                let at = now - Duration::minutes((count - *i) as i64);
                modulo::transmit(
                    c,
                    &contents,
                    sender,
                    &format!("scale-{}-{}-{i}", employer.codice_fiscale, now.and_utc().timestamp_millis()),
                    keys,
                    at,
                )?
                .map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))?;
            }
            Ok::<_, diesel::result::Error>(())
        })?;
        done += chunk.len();
    }
    Ok(done)
}
