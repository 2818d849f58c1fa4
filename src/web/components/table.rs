//! A table with its caption and column headings, or a sentence when there
//! is nothing to show.
use crate::i18n::t;
use leptos::prelude::*;

/// `columns` are message keys; each of `rows` is a `<tr>` with as many
/// cells, or each of `cells` one row's cells: those rows become, on a
/// phone, a stacked list with each value under its column's heading.
#[component]
pub fn TableOrEmpty(
    /// Message key of the caption.
    caption: &'static str,
    /// Message key of what to say when there are no rows.
    empty: &'static str,
    columns: &'static [&'static str],
    #[prop(optional)] rows: Vec<AnyView>,
    #[prop(optional)] cells: Vec<Vec<AnyView>>,
) -> impl IntoView {
    if rows.is_empty() && cells.is_empty() {
        return view! { <p>{t(empty)}</p> }.into_any();
    }
    let class = if cells.is_empty() { "table" } else { "table table--stack" };
    let stacked = cells
        .into_iter()
        .map(|row| {
            let row = row.into_iter().zip(columns).map(|(cell, column)| view! { <td data-label=t(column)>{cell}</td> });
            view! { <tr>{row.collect_view()}</tr> }
        })
        .collect_view();
    // On a narrow screen a wide table scrolls inside its frame, so the frame
    // is a named region a keyboard can reach and scroll (WCAG 2.1.1).
    let (id, labelled_by) = (format!("caption-{caption}"), format!("caption-{caption}"));
    view! {
        <div class="table-wrap" role="region" tabindex="0" aria-labelledby=labelled_by>
            <table class=class>
                <caption id=id>{t(caption)}</caption>
                <thead>
                    <tr>{columns.iter().map(|c| view! { <th scope="col">{t(c)}</th> }).collect_view()}</tr>
                </thead>
                <tbody>{rows}{stacked}</tbody>
            </table>
        </div>
    }
    .into_any()
}
