//! GOV.UK's confirmation pattern: the panel that says what was done with its
//! reference large, "what happens next" in plain steps, and the success
//! banner after a smaller action (a role changed, an invitation sent).
use crate::i18n::t;
use leptos::prelude::*;

/// The top of a confirmation page: its heading and the reference to keep.
#[component]
pub fn ConfirmationPanel(title: String, reference_label: String, reference: String) -> impl IntoView {
    view! {
        <div class="panel">
            <h1 class="panel__title">{title}</h1>
            <p class="panel__body">{reference_label}<br/><strong class="panel__reference">{reference}</strong></p>
        </div>
    }
}

/// "Cosa succede ora": what follows, in the order it happens, in plain words.
#[component]
pub fn WhatNext(steps: Vec<String>) -> impl IntoView {
    view! {
        <section aria-labelledby="next-heading">
            <h2 id="next-heading">{t("next-title")}</h2>
            <ul class="next-steps">{steps.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
        </section>
    }
}

/// Says a smaller action worked, at the top of the page it leads back to.
#[component]
pub fn SuccessBanner(text: String) -> impl IntoView {
    view! {
        // No id: a page may confirm two things at once.
        <div class="banner banner--success" role="status">
            <h2 class="banner__title">{t("banner-success")}</h2>
            <p class="banner__text">{text}</p>
        </div>
    }
}
