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
