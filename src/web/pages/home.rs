use crate::i18n::t;
use crate::web::layout::Page;
use leptos::prelude::*;

/// The four credentials and whom each is for (Linee guida ai nuovi accessi, 2020).
pub const CREDENTIALS: [(&str, &str); 4] = [
    ("spid", "credential-spid"),
    ("cie", "credential-cie"),
    ("eidas", "credential-eidas"),
    ("foreign", "credential-foreign"),
];

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Page title=t("home-title")>
            <div class="hero">
                <h1>{t("home-heading")}</h1>
                <p class="lead">{t("home-lead")}</p>
                <p><a class="button" href="/accedi">{t("home-sign-in")}</a></p>
            </div>
            <section aria-labelledby="ways-heading">
                <h2 id="ways-heading">{t("home-ways-heading")}</h2>
                <p>{t("home-ways-intro")}</p>
                <ul class="card-grid">
                    {CREDENTIALS
                        .into_iter()
                        .map(|(id, key)| {
                            view! {
                                <li class="card" id=format!("credential-{id}")>
                                    <h3>{t(&format!("{key}-name"))}</h3>
                                    <p>{t(&format!("{key}-who"))}</p>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <p><a href="/accedi">{t("home-ways-more")}</a></p>
            </section>
            <section aria-labelledby="profiles-heading">
                <h2 id="profiles-heading">{t("home-profiles-heading")}</h2>
                <p>{t("home-profiles-body")}</p>
                <ul class="card-grid">
                    <li class="card"><h3>{t("profile-citizen")}</h3><p>{t("home-profile-citizen")}</p></li>
                    <li class="card"><h3>{t("profile-company")}</h3><p>{t("home-profile-company")}</p></li>
                    <li class="card"><h3>{t("profile-intermediary")}</h3><p>{t("home-profile-intermediary")}</p></li>
                </ul>
            </section>
            <section aria-labelledby="help-heading">
                <h2 id="help-heading">{t("home-help-heading")}</h2>
                <p>{t("home-help-body")} " " <a href="/aiuto">{t("home-help-link")}</a></p>
            </section>
        </Page>
    }
}
