//! Interruptions of a service, planned or not. An operator declares them
//! (`servizi-lavoro outage …`); the service's page announces them, entering
//! the service answers 503 with `Retry-After` while one is in force, and
//! `/stato-servizi` keeps a year of them on record: whoever had a deadline
//! while a service was down (a resignation's revoca) can show when it was.
//! Stored in the database, so every instance sees the same ones at once.
use crate::db::schema::service_outages as o;
use crate::db::AnyConnection;
use crate::i18n::Lang;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// Planned maintenance, announced ahead, or a failure found as it happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Planned,
    Unplanned,
}

impl Kind {
    /// The stored word (also the end of its message keys).
    pub fn code(self) -> &'static str {
        match self {
            Kind::Planned => "planned",
            Kind::Unplanned => "unplanned",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [Kind::Planned, Kind::Unplanned].into_iter().find(|k| k.code() == s)
    }
}

/// How far ahead a planned interruption is announced on the service's page.
pub const ANNOUNCED_DAYS: i64 = 14;
/// How long past interruptions stay on the status page.
pub const KEPT_DAYS: i64 = 365;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outage {
    pub id: i64,
    pub slug: String,
    pub kind: Kind,
    pub starts_at: NaiveDateTime,
    /// The announced end; `None` while nobody knows.
    pub ends_at: Option<NaiveDateTime>,
    /// When an operator ended it, or called a planned one off.
    pub closed_at: Option<NaiveDateTime>,
    note_it: Option<String>,
    note_en: Option<String>,
}

#[derive(Queryable)]
struct Row {
    id: i64,
    slug: String,
    kind: String,
    starts_at: NaiveDateTime,
    ends_at: Option<NaiveDateTime>,
    closed_at: Option<NaiveDateTime>,
    note_it: Option<String>,
    note_en: Option<String>,
}

type Columns = (o::id, o::slug, o::kind, o::starts_at, o::ends_at, o::closed_at, o::note_it, o::note_en);
const COLUMNS: Columns = (o::id, o::slug, o::kind, o::starts_at, o::ends_at, o::closed_at, o::note_it, o::note_en);

impl Row {
    /// A row of a kind the portal does not know is logged and left out.
    fn outage(self) -> Option<Outage> {
        let Some(kind) = Kind::parse(&self.kind) else {
            tracing::warn!(id = self.id, kind = %self.kind, "service outage of an unknown kind left out");
            return None;
        };
        Some(Outage {
            id: self.id,
            slug: self.slug,
            kind,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            closed_at: self.closed_at,
            note_it: self.note_it,
            note_en: self.note_en,
        })
    }
}

impl Outage {
    /// When it ends or ended: closed by an operator, or its announced end.
    pub fn end(&self) -> Option<NaiveDateTime> {
        match (self.closed_at, self.ends_at) {
            (Some(c), Some(e)) => Some(c.min(e)),
            (c, e) => c.or(e),
        }
    }

    /// Called off before it began.
    pub fn cancelled(&self) -> bool {
        self.closed_at.is_some_and(|c| c <= self.starts_at)
    }

    pub fn in_force(&self, now: NaiveDateTime) -> bool {
        self.starts_at <= now && self.end().is_none_or(|end| now < end)
    }

    pub fn upcoming(&self, now: NaiveDateTime) -> bool {
        now < self.starts_at && !self.cancelled()
    }

    /// The Ministry's words on it, in the reader's language (Italian when
    /// there are none in theirs).
    pub fn note(&self, lang: Lang) -> Option<&str> {
        let own = match lang {
            Lang::En => self.note_en.as_deref(),
            _ => None,
        };
        own.or(self.note_it.as_deref()).filter(|n| !n.trim().is_empty())
    }

    /// Seconds a client should wait before trying again: until the announced
    /// end (at least a minute, at most an hour), or ten minutes when unknown.
    pub fn retry_after_secs(&self, now: NaiveDateTime) -> u32 {
        match self.end() {
            Some(end) => (end - now).num_seconds().clamp(60, 3600) as u32,
            None => 600,
        }
    }
}

/// What an operator declares.
#[derive(Clone, Debug)]
pub struct Declared {
    pub slug: String,
    pub kind: Kind,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
    pub note_it: Option<String>,
    pub note_en: Option<String>,
}

/// Why a declaration is refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("{0:?} is not a service of the catalog")]
    UnknownService(String),
    #[error("the end must come after the start")]
    EndBeforeStart,
    #[error("the end is already past")]
    EndPast,
    #[error("a planned interruption needs an end")]
    PlannedWithoutEnd,
    #[error("a planned interruption must start in the future")]
    PlannedInPast,
}

impl Declared {
    pub fn check(&self, now: NaiveDateTime) -> Result<(), Refused> {
        if super::model::find(&self.slug).is_none() {
            return Err(Refused::UnknownService(self.slug.clone()));
        }
        if self.kind == Kind::Planned {
            if self.ends_at.is_none() {
                return Err(Refused::PlannedWithoutEnd);
            }
            if self.starts_at < now {
                return Err(Refused::PlannedInPast);
            }
        }
        match self.ends_at {
            Some(end) if end <= now => Err(Refused::EndPast),
            Some(end) if end <= self.starts_at => Err(Refused::EndBeforeStart),
            _ => Ok(()),
        }
    }
}

/// Records a checked declaration; its id.
pub fn declare(conn: &mut AnyConnection, d: &Declared, now: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(o::table)
        .values((
            o::slug.eq(&d.slug),
            o::kind.eq(d.kind.code()),
            o::starts_at.eq(d.starts_at),
            o::ends_at.eq(d.ends_at),
            o::note_it.eq(&d.note_it),
            o::note_en.eq(&d.note_en),
            o::created_at.eq(now),
        ))
        .returning(o::id)
        .get_result(conn)
}

/// Ends what is in force for `slug` now and calls off what is planned; how many.
pub fn close(conn: &mut AnyConnection, slug: &str, now: NaiveDateTime) -> QueryResult<usize> {
    let open: Vec<i64> =
        of_service(conn, slug, now)?.into_iter().filter(|x| x.in_force(now) || x.upcoming(now)).map(|x| x.id).collect();
    diesel::update(o::table.filter(o::id.eq_any(&open))).set(o::closed_at.eq(now)).execute(conn)
}

/// The interruptions of one service that are not over yet.
fn of_service(conn: &mut AnyConnection, slug: &str, now: NaiveDateTime) -> QueryResult<Vec<Outage>> {
    let rows: Vec<Row> = o::table
        .filter(o::slug.eq(slug))
        .filter(o::closed_at.is_null().or(o::closed_at.gt(now)))
        .filter(o::ends_at.is_null().or(o::ends_at.gt(now)))
        .order(o::starts_at.asc())
        .select(COLUMNS)
        .load(conn)?;
    Ok(rows.into_iter().filter_map(Row::outage).collect())
}

/// What is in force for `slug` now (the earliest to start, when several are).
pub fn in_force(conn: &mut AnyConnection, slug: &str, now: NaiveDateTime) -> QueryResult<Option<Outage>> {
    Ok(of_service(conn, slug, now)?.into_iter().find(|x| x.in_force(now)))
}

/// What the service's page announces: in force now, or starting within
/// [`ANNOUNCED_DAYS`].
pub fn announced(conn: &mut AnyConnection, slug: &str, now: NaiveDateTime) -> QueryResult<Vec<Outage>> {
    let horizon = now + Duration::days(ANNOUNCED_DAYS);
    Ok(of_service(conn, slug, now)?
        .into_iter()
        .filter(|x| x.in_force(now) || (x.upcoming(now) && x.starts_at <= horizon))
        .collect())
}

/// Every interruption of every service that ended less than [`KEPT_DAYS`]
/// ago, is in force or is planned (called-off ones left out), latest first.
pub fn record(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<Vec<Outage>> {
    let since = now - Duration::days(KEPT_DAYS);
    let rows: Vec<Row> = o::table
        .filter(o::ends_at.is_null().or(o::ends_at.gt(since)))
        .filter(o::closed_at.is_null().or(o::closed_at.gt(since)))
        .order((o::starts_at.desc(), o::id.desc()))
        .select(COLUMNS)
        .load(conn)?;
    Ok(rows.into_iter().filter_map(Row::outage).filter(|x| !x.cancelled()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time")
    }

    fn outage(starts: &str, ends: Option<&str>, closed: Option<&str>) -> Outage {
        Outage {
            id: 1,
            slug: "dimissioni-volontarie".into(),
            kind: Kind::Unplanned,
            starts_at: at(starts),
            ends_at: ends.map(at),
            closed_at: closed.map(at),
            note_it: None,
            note_en: None,
        }
    }

    #[test]
    fn an_outage_holds_from_its_start_to_its_end_or_its_closing() {
        let x = outage("2026-12-02 10:00", Some("2026-12-02 12:00"), None);
        assert!(!x.in_force(at("2026-12-02 09:59")));
        assert!(x.in_force(at("2026-12-02 10:00")));
        assert!(!x.in_force(at("2026-12-02 12:00")));
        let open = outage("2026-12-02 10:00", None, None);
        assert!(open.in_force(at("2027-01-01 00:00")));
        let closed = outage("2026-12-02 10:00", None, Some("2026-12-02 11:00"));
        assert!(!closed.in_force(at("2026-12-02 11:00")));
        assert!(outage("2026-12-03 10:00", None, Some("2026-12-02 11:00")).cancelled());
    }

    #[test]
    fn retry_after_counts_to_the_end_within_a_minute_and_an_hour() {
        let now = at("2026-12-02 10:00");
        assert_eq!(outage("2026-12-02 09:00", Some("2026-12-02 10:10"), None).retry_after_secs(now), 600);
        assert_eq!(outage("2026-12-02 09:00", Some("2026-12-02 10:00"), None).retry_after_secs(now), 60);
        assert_eq!(outage("2026-12-02 09:00", Some("2026-12-05 10:00"), None).retry_after_secs(now), 3600);
        assert_eq!(outage("2026-12-02 09:00", None, None).retry_after_secs(now), 600);
    }

    #[test]
    fn declarations_that_cannot_hold_are_refused() {
        let now = at("2026-12-02 10:00");
        let d = |slug: &str, kind, s: &str, e: Option<&str>| Declared {
            slug: slug.into(),
            kind,
            starts_at: at(s),
            ends_at: e.map(at),
            note_it: None,
            note_en: None,
        };
        assert_eq!(d("dimissioni-volontarie", Kind::Unplanned, "2026-12-02 10:00", None).check(now), Ok(()));
        assert!(matches!(
            d("nessuno", Kind::Unplanned, "2026-12-02 10:00", None).check(now),
            Err(Refused::UnknownService(_))
        ));
        assert_eq!(
            d("dimissioni-volontarie", Kind::Planned, "2026-12-03 10:00", None).check(now),
            Err(Refused::PlannedWithoutEnd)
        );
        assert_eq!(
            d("dimissioni-volontarie", Kind::Planned, "2026-12-01 10:00", Some("2026-12-03 10:00")).check(now),
            Err(Refused::PlannedInPast)
        );
        assert_eq!(
            d("dimissioni-volontarie", Kind::Planned, "2026-12-04 10:00", Some("2026-12-03 10:00")).check(now),
            Err(Refused::EndBeforeStart)
        );
        assert_eq!(
            d("dimissioni-volontarie", Kind::Unplanned, "2026-12-02 08:00", Some("2026-12-02 09:00")).check(now),
            Err(Refused::EndPast)
        );
    }
}
