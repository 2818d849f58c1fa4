//! A long list's pages, read by keyset: back to the first page, on to the
//! next (plain links, so they work without JavaScript and can be bookmarked).
use crate::i18n::t;
use leptos::prelude::*;

/// Nothing when the list fits one page; `label` names the list's pages for screen readers.
#[component]
pub fn Pager(label: String, first: Option<String>, next: Option<String>) -> impl IntoView {
    (first.is_some() || next.is_some()).then(|| {
        view! {
            <nav aria-label=label class="pager">
                {first.map(|href| view! { <a href=href>{t("pager-first")}</a> " " })}
                {next.map(|href| view! { <a href=href rel="next">{t("pager-next")}</a> })}
            </nav>
        }
    })
}

/// A page read with one row more than it shows (`size + 1`): the rows to
/// show, and the key of the last one shown when more follow (where the next
/// page starts).
pub fn split_page<T, K>(mut rows: Vec<T>, size: i64, key: impl Fn(&T) -> K) -> (Vec<T>, Option<K>) {
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    let more = rows.len() > size;
    rows.truncate(size);
    let next = if more { rows.last().map(key) } else { None };
    (rows, next)
}

/// A cursor that is an id, as an address carries it: one that does not
/// parse starts from the first page.
pub fn id_cursor(typed: Option<&str>) -> Option<i64> {
    typed.and_then(|s| s.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::{id_cursor, split_page};

    #[test]
    fn a_page_shows_its_size_and_says_where_the_next_starts_only_when_one_follows() {
        assert_eq!(split_page(vec![1, 2, 3], 2, |x| *x * 10), (vec![1, 2], Some(20)));
        assert_eq!(split_page(vec![1, 2], 2, |x| *x * 10), (vec![1, 2], None));
        assert_eq!(split_page(Vec::<i32>::new(), 2, |x| *x), (vec![], None));
        assert_eq!(id_cursor(Some("42")), Some(42));
        assert_eq!(id_cursor(Some("abc")), None);
        assert_eq!(id_cursor(None), None);
    }
}
