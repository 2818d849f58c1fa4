//! The front page: the ways in, the most used services and, for the signed-in
//! person, the ones they used last.
use crate::catalog::{model, usage};
use crate::db::with_conn;
use crate::error::AppResult;
use crate::i18n::{t, use_lang};
use crate::paths;
use crate::web::layout::Page;
use crate::web::render::{fragment, PageRequest};
use axum::http::StatusCode;
use axum::response::Response;
use leptos::prelude::*;

/// Shown as "most used" until people have used the portal enough to tell.
const STARTER_SERVICES: &[&str] = &[
    "dimissioni-volontarie",
    "smart-working",
    "cigsonline",
    "distacco-transnazionale",
    "formazione-a-distanza",
    "intermittenti",
];

#[component]
fn ServiceLinks(slugs: Vec<String>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="link-list service-links">
            {slugs
                .into_iter()
                .filter_map(|slug| model::find(&slug))
                .map(|s| view! { <li><a href=paths::service(&s.slug)>{s.name.get(lang).to_string()}</a></li> })
                .collect_view()}
        </ul>
    }
}

/// Most used services, and the signed-in person's recent ones.
#[component]
fn HomeServices(most: Vec<String>, recent: Vec<String>) -> impl IntoView {
    let mut most = most;
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
            <p><a href=paths::SERVICES>{t("home-all-services")}</a></p>
        </section>
    }
}

/// `GET /`. The "most used" list is a cached aggregate: an anonymous visit
/// without a session costs no database work.
pub async fn page(req: PageRequest) -> AppResult<Response> {
    let most = usage::most_used_cached(&req.state.pool).await?;
    let recent = match req.principal.as_ref().map(|p| p.actor.account_id) {
        Some(id) => with_conn(&req.state.pool, move |c| usage::recent(c, id, 5)).await?,
        None => Vec::new(),
    };
    Ok(req.render(StatusCode::OK, move || view! { <HomePage most recent/> }.into_any()))
}

#[component]
fn HomePage(most: Vec<String>, recent: Vec<String>) -> impl IntoView {
    view! {
        <Page title=t("home-title")>
            <div class="hero">
                <h1>{t("home-heading")}</h1>
                <p class="lead">{t("home-lead")}</p>
                // Signed in: on to one's area and services, not an invitation to sign in.
                {match crate::web::render::use_principal() {
                    None => view! { <p><a class="button" href=paths::SIGN_IN>{t("home-sign-in")}</a></p> }.into_any(),
                    Some(_) => view! {
                        <p><a class="button" href=paths::PERSONAL_AREA>{t("home-your-area")}</a> " " <a class="button button--secondary" href=paths::SERVICES>{t("home-your-services")}</a></p>
                    }.into_any(),
                }}
            </div>
            <HomeServices most recent/>
            <div inner_html=fragment("home-sections", || view! {
            <section aria-labelledby="ways-heading">
                <h2 id="ways-heading">{t("home-ways-heading")}</h2>
                <p>{t("home-ways-intro")}</p>
                <ul class="card-grid">
                    {crate::kernel::credential::WAYS_IN
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
                <p><a href=paths::SIGN_IN>{t("home-ways-more")}</a></p>
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
            // In English, the Italian words the portal keeps, explained once.
            {(use_lang() == crate::i18n::Lang::En).then(|| view! {
                <section aria-labelledby="words-heading">
                    <h2 id="words-heading">{t("home-words-heading")}</h2>
                    <dl class="facts">
                        <dt lang="it">"codice fiscale"</dt><dd>{t("home-words-codice-fiscale")}</dd>
                        <dt lang="it">"delega"</dt><dd>{t("home-words-delega")}</dd>
                        <dt lang="it">"URP"</dt><dd>{t("home-words-urp")}</dd>
                    </dl>
                </section>
            })}
            <section aria-labelledby="help-heading">
                <h2 id="help-heading">{t("home-help-heading")}</h2>
                <p>{t("home-help-body")} " " <a href=paths::HELP>{t("home-help-link")}</a></p>
            </section>
            }.into_any())></div>
        </Page>
    }
}
