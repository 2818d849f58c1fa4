//! Times and dates as people read them, in their language: times always in
//! Italian local time (Europe/Rome), the portal's only time of day.
use crate::i18n::Lang;
use chrono::NaiveDateTime;

/// Date and time as people read them in each language (times are UTC in the
/// database; shown in Italian time, the portal's reference).
pub fn format_when(at: NaiveDateTime, lang: Lang) -> String {
    let rome = crate::kernel::clock::rome(at);
    match lang {
        Lang::It => rome.format("%d/%m/%Y alle %H:%M").to_string(),
        Lang::En => rome.format("%d %B %Y at %H:%M").to_string(),
        Lang::De => rome.format("%d.%m.%Y um %H:%M Uhr").to_string(),
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

/// A calendar date as people write it.
pub fn format_date(day: chrono::NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::It => day.format("%d/%m/%Y").to_string(),
        Lang::En => day.format("%d %B %Y").to_string(),
        Lang::De => day.format("%d.%m.%Y").to_string(),
    }
}
