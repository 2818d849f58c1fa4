//! A table with its caption and column headings, or a sentence when there
//! is nothing to show.
use crate::i18n::t;
use leptos::prelude::*;

/// `columns` are message keys; each of `rows` is a `<tr>` with as many cells.
#[component]
pub fn TableOrEmpty(
    /// Message key of the caption.
    caption: &'static str,
    /// Message key of what to say when there are no rows.
    empty: &'static str,
    columns: &'static [&'static str],
    rows: Vec<AnyView>,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p>{t(empty)}</p> }.into_any();
    }
    // On a narrow screen a wide table scrolls inside its frame, so the frame
    // is a named region a keyboard can reach and scroll (WCAG 2.1.1).
    let (id, labelled_by) = (format!("caption-{caption}"), format!("caption-{caption}"));
    view! {
        <div class="table-wrap" role="region" tabindex="0" aria-labelledby=labelled_by>
            <table class="table">
                <caption id=id>{t(caption)}</caption>
                <thead>
                    <tr>{columns.iter().map(|c| view! { <th scope="col">{t(c)}</th> }).collect_view()}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
