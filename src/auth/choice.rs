//! `/accedi`: the four ways to sign in, explained in the portal's words.
//! The sign-in actions of each option arrive with the SAML and Utente Estero
//! capabilities; this page already tells everyone which one is theirs.
use crate::i18n::t;
use crate::web::layout::Page;
use crate::web::pages::home::CREDENTIALS;
use leptos::prelude::*;

#[component]
pub fn LoginChoicePage() -> impl IntoView {
    view! {
        <Page title=t("choice-title")>
            <h1>{t("choice-title")}</h1>
            <p class="lead">{t("choice-lead")}</p>
            {CREDENTIALS
                .into_iter()
                .map(|(id, key)| {
                    view! {
                        <section class="choice" aria-labelledby=format!("choice-{id}")>
                            <h2 id=format!("choice-{id}")>{t(&format!("{key}-name"))}</h2>
                            <p><strong>{t(&format!("{key}-who"))}</strong></p>
                            <p>{t(&format!("{key}-how"))}</p>
                            <p><a href=t(&format!("{key}-info-url"))>{t(&format!("{key}-info-link"))}</a></p>
                        </section>
                    }
                })
                .collect_view()}
        </Page>
    }
}
