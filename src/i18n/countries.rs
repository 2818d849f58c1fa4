//! Countries for forms: ISO 3166-1 alpha-2 codes with their Italian and
//! English names (`countries.csv`, made from Debian's iso-codes data), so
//! people choose from a list rather than type.
use super::Lang;
use std::sync::LazyLock;

static COUNTRIES: LazyLock<Vec<(&'static str, &'static str, &'static str)>> = LazyLock::new(|| {
    include_str!("countries.csv")
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split(';');
            Some((f.next()?, f.next()?, f.next()?))
        })
        .collect()
});

/// The country's name in `lang`, if `code` is one.
pub fn name(code: &str, lang: Lang) -> Option<&'static str> {
    COUNTRIES.iter().find(|c| c.0.eq_ignore_ascii_case(code)).map(|c| if lang == Lang::It { c.1 } else { c.2 })
}

/// Every country as (code, name in `lang`), by name.
pub fn all(lang: Lang) -> Vec<(&'static str, &'static str)> {
    let mut list: Vec<(&'static str, &'static str)> =
        COUNTRIES.iter().map(|c| (c.0, if lang == Lang::It { c.1 } else { c.2 })).collect();
    list.sort_by_key(|(_, n)| n.to_lowercase());
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_names_in_both_languages() {
        assert_eq!(name("DE", Lang::It), Some("Germania"));
        assert_eq!(name("de", Lang::En), Some("Germany"));
        assert!(name("XX", Lang::It).is_none());
        assert!(all(Lang::It).len() > 240);
    }
}
