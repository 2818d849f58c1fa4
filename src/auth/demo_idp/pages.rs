//! The demo IdP's own two pages: choose a person, then confirm sending.
use super::people::PEOPLE;
use crate::i18n::t;
use crate::kernel::{Credential, Level};
use crate::web::components::{Choice, Choices};
use leptos::prelude::*;

/// What the demo IdP understood of a verified AuthnRequest.
#[derive(Clone, Debug)]
pub struct DemoRequest {
    pub credential: Credential,
    /// Where the form posts: this demo IdP's SSO path.
    pub sso_path: String,
    pub id: String,
    pub level: Level,
    pub relay_state: Option<String>,
    /// The signed query, carried through the form and verified again.
    pub query: String,
}

/// What the confirmation page shows and posts on.
#[derive(Clone, Debug)]
pub struct DemoConfirmData {
    pub credential: Credential,
    pub acs: String,
    pub saml_response: String,
    pub relay_state: String,
    pub attributes: Vec<(String, String)>,
    pub anomaly: Option<u8>,
}

/// The SPID anomalies the demo IdP can answer with.
const OUTCOMES: &[(&str, &str)] = &[
    ("success", "demo-outcome-success"),
    ("nr19", "signin-nr19"),
    ("nr20", "signin-nr20"),
    ("nr21", "signin-nr21"),
    ("nr22", "signin-nr22"),
    ("nr23", "signin-nr23"),
    ("nr25", "signin-nr25"),
    ("nr30", "signin-nr30"),
];

#[component]
pub fn DemoFrame(title: String, name: &'static str, children: Children) -> impl IntoView {
    crate::web::render::set_title(&title);
    view! {
        <a class="skip-link" href="#main">{t("layout-skip-to-content")}</a>
        <header class="demo-header">
            <div class="container">
                <p class="demo-header__name">{name}</p>
                <p class="demo-header__warning">{t("demo-warning")}</p>
            </div>
        </header>
        <main id="main" class="container main" tabindex="-1">{children()}</main>
    }
}

/// The level a demo provider asserts, the one asked chosen first.
#[component]
pub fn LevelSelect(asked: Level) -> impl IntoView {
    view! {
        <label for="level">{t("demo-level")}</label>
        <select id="level" name="level">
            {Level::ALL
                .into_iter()
                .map(|l| view! { <option value=l.number().to_string() selected={l == asked}>{format!("SpidL{}", l.number())}</option> })
                .collect_view()}
        </select>
    }
}

#[component]
pub fn DemoLogin(request: DemoRequest) -> impl IntoView {
    let asked = request.level;
    let credential = request.credential;
    view! {
        <DemoFrame title=t("demo-title") name=super::display_name(credential)>
            <h1>{t("demo-title")}</h1>
            <p class="lead">{crate::i18n::t_args("demo-asked-level", &[("level", asked.number().to_string())])}</p>
            <form method="post" action=request.sso_path.clone()>
                <input type="hidden" name="request" value=request.query.clone()/>
                <Choices name="person" legend=t("demo-choose-person") choices=PEOPLE
                    .iter()
                    .filter(|p| p.usable_with(credential))
                    .enumerate()
                    .map(|(i, p)| {
                        Choice::new(p.key, format!("{} {}", p.given_name, p.family_name), i == 0)
                            .hint(format!("{} · {}", p.identifier(credential), t(p.role)))
                    })
                    .collect()/>
                {(credential != Credential::Cie).then(|| view! { <LevelSelect asked/> })}
                <label for="outcome">{t("demo-outcome")}</label>
                <select id="outcome" name="outcome">
                    {OUTCOMES.iter().map(|(v, k)| view! { <option value=*v>{t(k)}</option> }).collect_view()}
                </select>
                <p><button type="submit">{t("demo-sign-in")}</button></p>
            </form>
        </DemoFrame>
    }
}

#[component]
pub fn DemoConfirm(data: DemoConfirmData) -> impl IntoView {
    view! {
        <DemoFrame title=t("demo-confirm-title") name=super::display_name(data.credential)>
            <h1>{t("demo-confirm-title")}</h1>
            {match data.anomaly {
                Some(n) => view! { <p class="lead">{crate::i18n::t_args("demo-confirm-error", &[("code", n.to_string())])}</p> }.into_any(),
                None => view! {
                    <p class="lead">{t("demo-confirm-lead")}</p>
                    <table class="table">
                        <caption>{t("demo-confirm-caption")}</caption>
                        <tbody>
                            {data.attributes.iter().map(|(k, v)| view! { <tr><th scope="row">{k.clone()}</th><td>{v.clone()}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
            <form method="post" action=data.acs.clone()>
                <input type="hidden" name="SAMLResponse" value=data.saml_response.clone()/>
                <input type="hidden" name="RelayState" value=data.relay_state.clone()/>
                <button type="submit">{t("demo-continue")}</button>
            </form>
        </DemoFrame>
    }
}
