//! Profiles and activity from the old portal (ClicLavoro). The Ministry
//! promised that people would find them after switching to SPID or CIE:
//! `servizi-lavoro import cliclavoro FILE.csv` loads them, and a person's
//! first sign-in with a codice fiscale (SPID, CIE) claims them, once.
//!
//! The file is UTF-8 CSV separated by `;`, with this header:
//!
//! ```text
//! codice_fiscale;organizzazione_codice_fiscale;denominazione;tipo;ruolo;dal;attivita_data;attivita
//! ```
//!
//! Each row is an association (the organisation's codice fiscale or partita
//! IVA, its name, its kind — `impresa` when empty, or any kind the portal
//! knows, e.g. `consulente_lavoro` —, the role — `legale_rappresentante`,
//! `amministratore` or `operatore` — and since when, `AAAA-MM-GG`), a past
//! action (`attivita_data` as `AAAA-MM-GG` or `AAAA-MM-GG HH:MM`, and what was
//! done, at most 300 characters), or both. Rows are checked one by one; bad
//! ones are reported by line and left out. Importing the same file again
//! changes nothing.
use crate::db::schema::{legacy_activity as la, legacy_claims as lc, legacy_profiles as lp, organisations as o};
use crate::db::{csv_rows, AnyConnection};
use crate::identity::organisations::{self, NewOrganisation, OrganisationKind, Role};
use crate::kernel::{AccountId, OrganisationId};
use crate::kernel::{CodiceFiscale, PartitaIva};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

pub const HEADER: [&str; 8] = [
    "codice_fiscale",
    "organizzazione_codice_fiscale",
    "denominazione",
    "tipo",
    "ruolo",
    "dal",
    "attivita_data",
    "attivita",
];

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub profiles: usize,
    pub activities: usize,
    /// Rows left out: (line number, why).
    pub rejected: Vec<(usize, String)>,
}

pub use crate::db::csv_rows::ImportError;

struct LegacyProfile {
    organisation: String,
    name: String,
    kind: OrganisationKind,
    role: Role,
    since: NaiveDate,
}

struct Row {
    person: String,
    profile: Option<LegacyProfile>,
    activity: Option<(NaiveDateTime, String)>,
}

fn parse(record: &csv::StringRecord) -> Result<Row, String> {
    let field = |i: usize| record.get(i).unwrap_or("").trim();
    let person = CodiceFiscale::personal(field(0))
        .map(String::from)
        .ok_or_else(|| format!("codice fiscale {:?}: not valid", field(0)))?;
    let profile = if field(1).is_empty() {
        None
    } else {
        let organisation = PartitaIva::parse(field(1))
            .map(String::from)
            .or_else(|| CodiceFiscale::parse(field(1)).map(String::from))
            .ok_or_else(|| format!("organizzazione_codice_fiscale {:?}: not valid", field(1)))?;
        let name = field(2).to_string();
        if name.is_empty() || name.chars().count() > 200 {
            return Err("denominazione: missing or longer than 200 characters".into());
        }
        let kind = match field(3) {
            "" => OrganisationKind::Impresa,
            k => OrganisationKind::parse(k).ok_or_else(|| format!("tipo {k:?}: unknown"))?,
        };
        let role = Role::parse(field(4)).ok_or_else(|| format!("ruolo {:?}: unknown", field(4)))?;
        let since = NaiveDate::parse_from_str(field(5), "%Y-%m-%d")
            .map_err(|_| format!("dal {:?}: not a date (AAAA-MM-GG)", field(5)))?;
        Some(LegacyProfile { organisation, name, kind, role, since })
    };
    let activity = match (field(6), field(7)) {
        ("", "") => None,
        (at, what) => {
            let at = NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M")
                .or_else(|_| NaiveDate::parse_from_str(at, "%Y-%m-%d").map(|d| d.and_time(chrono::NaiveTime::MIN)))
                .map_err(|_| format!("attivita_data {at:?}: not a date"))?;
            if what.is_empty() || what.chars().count() > 300 {
                return Err("attivita: missing or longer than 300 characters".into());
            }
            Some((at, what.to_string()))
        }
    };
    if profile.is_none() && activity.is_none() {
        return Err("neither an association nor an activity".into());
    }
    Ok(Row { person, profile, activity })
}

/// Imports a ClicLavoro export from `input` (see the module for the format).
pub fn import(conn: &mut AnyConnection, input: impl std::io::Read) -> Result<Report, ImportError> {
    let (rows, rejected) = csv_rows::read(input, "a ClicLavoro export", &HEADER, parse)?;
    let mut report = Report { rejected, ..Report::default() };
    conn.transaction(|c| {
        for row in &rows {
            if let Some(p) = &row.profile {
                let known = lp::table
                    .filter(lp::person_codice_fiscale.eq(&row.person))
                    .filter(lp::organisation_codice_fiscale.eq(&p.organisation))
                    .count()
                    .get_result::<i64>(c)?
                    > 0;
                if !known {
                    diesel::insert_into(lp::table)
                        .values((
                            lp::person_codice_fiscale.eq(&row.person),
                            lp::organisation_codice_fiscale.eq(&p.organisation),
                            lp::organisation_name.eq(&p.name),
                            lp::kind.eq(p.kind.code()),
                            lp::role.eq(p.role.code()),
                            lp::since.eq(p.since),
                        ))
                        .execute(c)?;
                    report.profiles += 1;
                }
            }
            if let Some((at, what)) = &row.activity {
                let org = row.profile.as_ref().map(|p| p.organisation.clone());
                let known = la::table
                    .filter(la::person_codice_fiscale.eq(&row.person))
                    .filter(la::at.eq(at))
                    .filter(la::description.eq(what))
                    .count()
                    .get_result::<i64>(c)?
                    > 0;
                if !known {
                    diesel::insert_into(la::table)
                        .values((
                            la::person_codice_fiscale.eq(&row.person),
                            la::at.eq(at),
                            la::organisation_codice_fiscale.eq(org),
                            la::description.eq(what),
                        ))
                        .execute(c)?;
                    report.activities += 1;
                }
            }
        }
        Ok::<_, diesel::result::Error>(())
    })?;
    Ok(report)
}

/// At a sign-in with codice fiscale `codice_fiscale`: the old portal's profiles not
/// yet claimed become memberships (from the date they began), and the
/// personal area will say so once. Cheap when there is nothing to claim.
pub fn claim(
    conn: &mut AnyConnection,
    account_id: AccountId,
    codice_fiscale: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    type Unclaimed = (i64, String, String, String, String, NaiveDate);
    let unclaimed: Vec<Unclaimed> = lp::table
        .filter(lp::person_codice_fiscale.eq(codice_fiscale))
        .filter(lp::claimed_at.is_null())
        .select((lp::id, lp::organisation_codice_fiscale, lp::organisation_name, lp::kind, lp::role, lp::since))
        .load(conn)?;
    let claimed_before = lc::table.find(account_id).count().get_result::<i64>(conn)? > 0;
    if unclaimed.is_empty() && claimed_before {
        return Ok(());
    }
    let activities = la::table.filter(la::person_codice_fiscale.eq(codice_fiscale)).count().get_result::<i64>(conn)?;
    if unclaimed.is_empty() && activities == 0 {
        return Ok(());
    }
    conn.transaction(|c| {
        for (id, organisation, name, kind, role, since) in &unclaimed {
            let existing = o::table
                .filter(o::codice_fiscale.eq(organisation))
                .select(o::id)
                .first::<OrganisationId>(c)
                .optional()?;
            let org = match existing {
                // What the portal knows now wins over the old portal's copy.
                Some(org) => org,
                None => organisations::organisation_for(
                    c,
                    &NewOrganisation {
                        kind: OrganisationKind::parse(kind),
                        codice_fiscale: organisation.clone(),
                        name: name.clone(),
                        ..Default::default()
                    },
                    now,
                )?,
            };
            let role = Role::parse(role).unwrap_or(Role::Operatore);
            organisations::join(c, org, account_id, role, since.and_time(chrono::NaiveTime::MIN))?;
            diesel::update(lp::table.find(id)).set(lp::claimed_at.eq(now)).execute(c)?;
        }
        let profiles = i32::try_from(unclaimed.len()).unwrap_or(i32::MAX);
        let activities = i32::try_from(activities).unwrap_or(i32::MAX);
        if claimed_before {
            diesel::update(lc::table.find(account_id))
                .set((lc::profiles.eq(lc::profiles + profiles), lc::notice_seen_at.eq(None::<NaiveDateTime>)))
                .execute(c)?;
        } else {
            diesel::insert_into(lc::table)
                .values((
                    lc::account_id.eq(account_id),
                    lc::claimed_at.eq(now),
                    lc::profiles.eq(profiles),
                    lc::activities.eq(activities),
                ))
                .execute(c)?;
        }
        Ok(())
    })
}

/// What was brought over from the old portal, if the person has not been
/// told yet; telling them is recorded, so it is said once.
pub fn notice_once(
    conn: &mut AnyConnection,
    account_id: AccountId,
    now: NaiveDateTime,
) -> QueryResult<Option<(i32, i32)>> {
    let found: Option<(i32, i32)> = lc::table
        .find(account_id)
        .filter(lc::notice_seen_at.is_null())
        .select((lc::profiles, lc::activities))
        .first(conn)
        .optional()?;
    if found.is_some() {
        diesel::update(lc::table.find(account_id)).set(lc::notice_seen_at.eq(now)).execute(conn)?;
    }
    Ok(found)
}

/// One action from the old portal.
#[derive(Clone, Debug, PartialEq, Eq, Queryable)]
pub struct LegacyAction {
    pub at: NaiveDateTime,
    pub organisation: Option<String>,
    pub description: String,
}

/// The old portal's record of what the person with `codice_fiscale` did, newest first.
pub fn activity_of(conn: &mut AnyConnection, codice_fiscale: &str) -> QueryResult<Vec<LegacyAction>> {
    la::table
        .filter(la::person_codice_fiscale.eq(codice_fiscale))
        .order(la::at.desc())
        .select((la::at, la::organisation_codice_fiscale, la::description))
        .load(conn)
}
