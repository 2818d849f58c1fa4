//! The time as the portal sees it. Everything about dates and expiry asks the
//! clock in the state, so tests can move time forward instead of sleeping.
use chrono::{Duration, NaiveDateTime, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// Seconds added to the system time; only an adjustable clock has one.
    offset: Option<Arc<AtomicI64>>,
}

impl Clock {
    /// The system clock (production).
    pub fn system() -> Self {
        Clock { offset: None }
    }

    /// A clock tests can move forward with [`Clock::advance`].
    pub fn adjustable() -> Self {
        Clock { offset: Some(Arc::new(AtomicI64::new(0))) }
    }

    /// Now, in UTC.
    pub fn now(&self) -> NaiveDateTime {
        let now = Utc::now().naive_utc();
        match &self.offset {
            Some(o) => now + Duration::seconds(o.load(Ordering::Relaxed)),
            None => now,
        }
    }

    /// Moves an adjustable clock forward; the system clock cannot be moved.
    pub fn advance(&self, by: Duration) -> bool {
        match &self.offset {
            Some(o) => {
                o.fetch_add(by.num_seconds(), Ordering::Relaxed);
                true
            }
            None => false,
        }
    }
}

/// UTC to Italian local time (CET/CEST, EU rules: from the last Sunday of
/// March to the last Sunday of October, at 01:00 UTC).
pub fn rome(at: NaiveDateTime) -> NaiveDateTime {
    use chrono::{Datelike, NaiveDate, Weekday};
    let last_sunday = |month: u32| {
        let mut d = NaiveDate::from_ymd_opt(at.year(), month, 31).unwrap_or_default();
        while d.weekday() != Weekday::Sun {
            d = d.pred_opt().unwrap_or(d);
        }
        d.and_hms_opt(1, 0, 0).unwrap_or_default()
    };
    let summer = at >= last_sunday(3) && at < last_sunday(10);
    at + chrono::Duration::hours(if summer { 2 } else { 1 })
}

/// The Italian day (Europe/Rome) of the instant `at` (UTC): every legal day
/// the portal counts (a delega's dates, a resignation's, a PIN's validity)
/// is one of these, never the UTC date.
pub fn italian_day(at: NaiveDateTime) -> chrono::NaiveDate {
    rome(at).date()
}

/// The instant (UTC) an Italian day begins: its midnight in Rome.
pub fn start_of_italian_day(day: chrono::NaiveDate) -> NaiveDateTime {
    from_rome(day.and_time(chrono::NaiveTime::MIN))
}

/// Italian local time to UTC. The hour Italy skips in March is read as
/// winter time; the hour it lives twice in October, as its first (summer) pass.
pub fn from_rome(local: NaiveDateTime) -> NaiveDateTime {
    let summer = local - Duration::hours(2);
    if rome(summer) == local {
        summer
    } else {
        local - Duration::hours(1)
    }
}

/// A day as forms send it (`2026-12-31`): four-digit years only. chrono alone
/// accepts `+262142-12-31`, the last day it can hold, and arithmetic on it panics.
pub fn parse_day(s: &str) -> Option<chrono::NaiveDate> {
    let s = s.trim();
    if s.len() != 10 || !s.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::{italian_day, parse_day, start_of_italian_day};

    #[test]
    fn an_italian_day_starts_at_midnight_in_rome_in_winter_and_in_summer() {
        let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("time");
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day");
        // 23:30 UTC on 1 March is 00:30 on 2 March in Rome (CET, +1).
        assert_eq!(italian_day(at("2027-03-01 23:30:00")), day("2027-03-02"));
        assert_eq!(italian_day(at("2027-03-01 22:59:59")), day("2027-03-01"));
        // 22:30 UTC on 1 July is 00:30 on 2 July (CEST, +2).
        assert_eq!(italian_day(at("2027-07-01 22:30:00")), day("2027-07-02"));
        assert_eq!(italian_day(at("2027-07-01 21:59:59")), day("2027-07-01"));
        // The nights the clocks change.
        assert_eq!(italian_day(at("2027-03-27 23:30:00")), day("2027-03-28"));
        assert_eq!(italian_day(at("2027-10-30 22:30:00")), day("2027-10-31"));
        // And back: an Italian day starts at 23:00 UTC in winter, 22:00 in summer.
        assert_eq!(start_of_italian_day(day("2027-03-02")), at("2027-03-01 23:00:00"));
        assert_eq!(start_of_italian_day(day("2027-07-02")), at("2027-07-01 22:00:00"));
        assert_eq!(start_of_italian_day(day("2027-03-28")), at("2027-03-27 23:00:00"));
        assert_eq!(start_of_italian_day(day("2027-10-31")), at("2027-10-30 22:00:00"));
    }

    #[test]
    fn italian_times_become_utc_across_daylight_saving() {
        use super::from_rome;
        let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time");
        assert_eq!(from_rome(at("2027-01-15 18:00")), at("2027-01-15 17:00"));
        assert_eq!(from_rome(at("2027-07-15 18:00")), at("2027-07-15 16:00"));
        // 02:30 on 28 March 2027 does not exist in Italy: read as winter time.
        assert_eq!(from_rome(at("2027-03-28 02:30")), at("2027-03-28 01:30"));
        // 02:30 on 31 October 2027 happens twice: the first, in summer time.
        assert_eq!(from_rome(at("2027-10-31 02:30")), at("2027-10-31 00:30"));
    }

    #[test]
    fn days_are_read_as_forms_send_them_and_nothing_longer() {
        assert_eq!(parse_day(" 2026-12-31 "), chrono::NaiveDate::from_ymd_opt(2026, 12, 31));
        for bad in ["+262142-12-31", "262142-12-31", "20261-01-01", "2026-2-3", "31/12/2026", "", "-2026-12-3"] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }
}
