use crate::app::AppState;
use crate::catalog::{model, usage};
use crate::db::with_conn;
use crate::i18n::{t, use_lang};
use crate::identity::current::use_signed_in;
use crate::web::layout::Page;
use leptos::prelude::*;

/// Shown as "most used" until people have used the portal enough to tell.
const STARTER_SERVICES: &[&str] = &["dimissioni-volontarie", "smart-working", "cigsonline", "distacco-transnazionale", "formazione-a-distanza", "intermittenti"];

#[component]
fn ServiceLinks(slugs: Vec<String>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="link-list service-links">
            {slugs
                .into_iter()
                .filter_map(|slug| model::find(&slug))
                .map(|s| view! { <li><a href=format!("/servizi/{}", s.slug)>{s.name.get(lang).to_string()}</a></li> })
                .collect_view()}
        </ul>
    }
}

/// Most used services, and the signed-in person's recent ones.
#[component]
fn HomeServices() -> impl IntoView {
    let state = expect_context::<AppState>();
    let who = use_signed_in();
    let data = async move {
        let account = who.map(|w| w.account_id);
        with_conn(&state.pool, move |c| {
            let most = usage::most_used(c, 6)?;
            let recent = match account {
                Some(id) => usage::recent(c, id, 5)?,
                None => Vec::new(),
            };
            Ok((most, recent))
        })
        .await
        .unwrap_or_default()
    };
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let (mut most, recent) = data.await;
                for s in STARTER_SERVICES {
                    if most.len() < 6 && !most.iter().any(|m| m == s) {
                        most.push(s.to_string());
                    }
                }
                view! {
                    {(!recent.is_empty()).then(|| view! {
                        <section aria-labelledby="recent-heading">
                            <h2 id="recent-heading">{t("home-recent")}</h2>
                            <ServiceLinks slugs=recent/>
                        </section>
                    })}
                    <section aria-labelledby="most-heading">
                        <h2 id="most-heading">{t("home-most-used")}</h2>
                        <ServiceLinks slugs=most/>
                        <p><a href="/servizi">{t("home-all-services")}</a></p>
                    </section>
                }
            })}
        </Suspense>
    }
}

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
            <HomeServices/>
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
