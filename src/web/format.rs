//! Times and dates as people read them, in their language: times always in
//! Italian local time (Europe/Rome), the portal's only time of day.
use crate::i18n::Lang;
use chrono::{Datelike, NaiveDateTime, Timelike};

/// Date and time as people read them in each language (times are UTC in the
/// database; shown in Italian time, the portal's reference).
pub fn format_when(at: NaiveDateTime, lang: Lang) -> String {
    let rome = crate::kernel::clock::rome(at);
    let (day, h, m) = (format_date(rome.date(), lang), rome.hour(), rome.minute());
    match lang {
        Lang::It => format!("{day} alle {h:02}:{m:02}"),
        Lang::En => format!("{day} at {h:02}:{m:02}"),
        Lang::De => format!("{day} um {h:02}:{m:02} Uhr"),
    }
}

/// The latest of `times` alike acts in a row, and how many there were
/// ("02/12/2026 alle 10:03 (3 volte)").
pub fn format_when_times(at: NaiveDateTime, times: usize, lang: Lang) -> String {
    match times {
        0 | 1 => format_when(at, lang),
        n => format!("{} {}", format_when(at, lang), lang.t_args("activity-times", &[("count", n.to_string())])),
    }
}

/// A calendar date as people write it. Written out directly: a list page
/// shows a hundred dates, and chrono's `format` parses its pattern each time.
pub fn format_date(day: chrono::NaiveDate, lang: Lang) -> String {
    let (d, m, y) = (day.day(), day.month(), day.year());
    match lang {
        Lang::It => format!("{d:02}/{m:02}/{y:04}"),
        Lang::En => {
            let month = u8::try_from(m).ok().and_then(|m| chrono::Month::try_from(m).ok()).map_or("", |m| m.name());
            format!("{d:02} {month} {y:04}")
        }
        Lang::De => format!("{d:02}.{m:02}.{y:04}"),
    }
}

#[cfg(test)]
mod tests {
    use super::{format_date, format_when};
    use crate::i18n::Lang;

    /// The same text as chrono's patterns, every day of two years, a time
    /// in summer and one in winter.
    #[test]
    fn dates_read_as_the_patterns_say() {
        let mut day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("day");
        while chrono::Datelike::year(&day) < 2028 {
            assert_eq!(format_date(day, Lang::It), day.format("%d/%m/%Y").to_string());
            assert_eq!(format_date(day, Lang::En), day.format("%d %B %Y").to_string());
            assert_eq!(format_date(day, Lang::De), day.format("%d.%m.%Y").to_string());
            day = day.succ_opt().expect("next");
        }
        let summer = chrono::NaiveDate::from_ymd_opt(2026, 7, 4).and_then(|d| d.and_hms_opt(22, 5, 0)).expect("t");
        assert_eq!(format_when(summer, Lang::It), "05/07/2026 alle 00:05");
        assert_eq!(format_when(summer, Lang::En), "05 July 2026 at 00:05");
        let winter = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).and_then(|d| d.and_hms_opt(9, 7, 0)).expect("t");
        assert_eq!(format_when(winter, Lang::De), "03.12.2026 um 10:07 Uhr");
    }
}
