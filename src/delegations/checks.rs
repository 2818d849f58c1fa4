//! The checks a delega's terms pass wherever they are typed — granting one
//! at `/deleghe/nuova`, asking a client for one at `/clienti/richiesta` —
//! each error added under its field.
use crate::catalog::model::{self as catalog, Service};
use crate::kernel::Profile;
use crate::web::components::FieldErrors;
use chrono::{Months, NaiveDate};

/// The services a subject in `capacity` may delegate, and those the law reserves to it.
pub fn services_for(capacity: Profile) -> (Vec<&'static Service>, Vec<&'static Service>) {
    catalog::all().iter().filter(|s| s.audience.contains(&capacity)).partition(|s| !s.reserved.contains(&capacity))
}

/// The services chosen (none: all), each one the subject may delegate;
/// sorted, without repeats. `foreign` is the error for one it may not.
pub fn scope(
    all: bool,
    chosen: &[String],
    delegable: &[&Service],
    foreign: &'static str,
    errors: &mut FieldErrors,
) -> Option<Vec<String>> {
    if all {
        return None;
    }
    if chosen.is_empty() {
        errors.add("servizi", "delega-error-scope-empty");
        return None;
    }
    if chosen.iter().any(|s| !delegable.iter().any(|d| &d.slug == s)) {
        errors.add("servizi", foreign);
        return None;
    }
    let mut list = chosen.to_vec();
    list.sort();
    list.dedup();
    Some(list)
}

/// The first and last day, typed as `yyyy-mm-dd`: from today on, the end
/// not before the start nor more than `max_years` after it.
pub fn period(
    from: &str,
    until: &str,
    today: NaiveDate,
    max_years: i32,
    errors: &mut FieldErrors,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let from = crate::kernel::clock::parse_day(from);
    match from {
        None => errors.add("dal", "delega-error-from"),
        Some(d) if d < today => errors.add("dal", "delega-error-from-past"),
        _ => {}
    }
    let until = crate::kernel::clock::parse_day(until);
    match (from, until) {
        (_, None) => errors.add("al", "delega-error-until"),
        (Some(f), Some(u)) if u < f => errors.add("al", "delega-error-until-before"),
        (Some(f), Some(u))
            if f.checked_add_months(Months::new(12 * max_years.unsigned_abs())).is_none_or(|max| u > max) =>
        {
            errors.add("al", "delega-error-until-max")
        }
        _ => {}
    }
    (from, until)
}
