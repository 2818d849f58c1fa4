//! The revoca's deadline (D.Lgs. 151/2015 art. 26 c. 2: "entro sette giorni
//! dalla data di trasmissione"). Our rule: the day of transmission is not
//! counted; the revoca may be sent until the end (23:59:59.999, Italian time,
//! with daylight saving) of the 7th calendar day after the day of
//! transmission in Italy. A module sent at 23:30 on 1 March may be revoked
//! until midnight ending 8 March.
use crate::kernel::clock::rome;
use chrono::{Duration, NaiveDate, NaiveDateTime};

/// The last day (Italian calendar) on which a module sent at `transmitted_at` (UTC) can be revoked.
pub fn last_day(transmitted_at: NaiveDateTime) -> NaiveDate {
    rome(transmitted_at).date() + Duration::days(7)
}

/// Whether a revoca sent at `now` (UTC) is in time.
pub fn in_time(transmitted_at: NaiveDateTime, now: NaiveDateTime) -> bool {
    rome(now).date() <= last_day(transmitted_at)
}

#[cfg(test)]
mod tests {
    use super::{in_time, last_day};
    use chrono::NaiveDate;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> chrono::NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).and_then(|x| x.and_hms_opt(h, min, 0)).expect("time")
    }

    #[test]
    fn seven_calendar_days_after_the_italian_day_of_transmission() {
        // 1 March, 23:30 in Italy (22:30 UTC, winter time): until the end of 8 March.
        let sent = utc(2027, 3, 1, 22, 30);
        assert_eq!(last_day(sent), NaiveDate::from_ymd_opt(2027, 3, 8).expect("date"));
        assert!(in_time(sent, utc(2027, 3, 8, 22, 59)), "23:59 on 8 March in Italy");
        assert!(!in_time(sent, utc(2027, 3, 8, 23, 0)), "00:00 on 9 March in Italy");
        // 00:30 in Italy on 2 March is still 1 March in UTC: the Italian day counts.
        let early = utc(2027, 3, 1, 23, 30);
        assert_eq!(last_day(early), NaiveDate::from_ymd_opt(2027, 3, 9).expect("date"));
    }

    #[test]
    fn across_the_change_to_summer_time() {
        // Summer time starts on 28 March 2027 at 01:00 UTC.
        let sent = utc(2027, 3, 25, 10, 0);
        assert_eq!(last_day(sent), NaiveDate::from_ymd_opt(2027, 4, 1).expect("date"));
        assert!(in_time(sent, utc(2027, 4, 1, 21, 59)), "23:59 CEST on 1 April");
        assert!(!in_time(sent, utc(2027, 4, 1, 22, 0)), "00:00 CEST on 2 April");
    }
}
