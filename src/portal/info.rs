//! Short, real pages of text: accessibility statement, privacy, cookies, help.
//! Their words are all in the locale files; here is only their structure.
use crate::i18n::t;
use crate::web::layout::Page;
use crate::web::render::{use_state, PageRequest};
use axum::http::StatusCode;
use axum::response::Response;
use leptos::prelude::*;

/// A heading key and the keys of its paragraphs.
type Section = (&'static str, &'static [&'static str]);

#[component]
fn TextPage(
    prefix: &'static str,
    sections: &'static [Section],
    #[prop(optional)] links: Vec<(String, &'static str)>,
) -> impl IntoView {
    view! {
        <Page title=t(&format!("{prefix}-title"))>
            <h1>{t(&format!("{prefix}-title"))}</h1>
            <p class="lead">{t(&format!("{prefix}-lead"))}</p>
            {sections
                .iter()
                .map(|(heading, paragraphs)| {
                    view! {
                        <section>
                            <h2>{t(heading)}</h2>
                            {paragraphs.iter().map(|p| view! { <p>{t(p)}</p> }).collect_view()}
                        </section>
                    }
                })
                .collect_view()}
            {(!links.is_empty()).then(|| view! {
                <ul class="link-list">
                    {links.into_iter().map(|(label, href)| view! { <li><a href=href>{label}</a></li> }).collect_view()}
                </ul>
            })}
        </Page>
    }
}

#[component]
fn AccessibilityPage() -> impl IntoView {
    const SECTIONS: &[Section] = &[
        ("a11y-status-h", &["a11y-status-p1", "a11y-status-p2"]),
        ("a11y-content-h", &["a11y-content-p1", "a11y-content-p2", "a11y-content-p3", "a11y-content-p4"]),
        ("a11y-prepared-h", &["a11y-prepared-p"]),
        ("a11y-method-h", &["a11y-method-p"]),
        ("a11y-feedback-h", &["a11y-feedback-p"]),
        ("a11y-enforcement-h", &["a11y-enforcement-p"]),
    ];
    view! {
        <TextPage prefix="a11y" sections=SECTIONS links=vec![
            (t("a11y-link-feedback"), "/supporto?categoria=accessibilita"),
            (t("a11y-link-agid"), "https://form.agid.gov.it"),
        ]/>
    }
}

#[component]
fn PrivacyPage() -> impl IntoView {
    const SECTIONS: &[Section] = &[
        ("privacy-controller-h", &["privacy-controller-p"]),
        ("privacy-data-h", &["privacy-data-p1", "privacy-data-p2"]),
        ("privacy-purpose-h", &["privacy-purpose-p"]),
        ("privacy-retention-h", &["privacy-retention-p"]),
        ("privacy-rights-h", &["privacy-rights-p"]),
    ];
    view! { <TextPage prefix="privacy" sections=SECTIONS/> }
}

#[component]
fn CookiesPage() -> impl IntoView {
    // The name as this server sets it (`__Host-` prefixed over HTTPS).
    let session_cookie = use_state().map(|s| crate::auth::session::cookie_name(&s.config)).unwrap_or("sl_session");
    view! {
        <Page title=t("cookies-title")>
            <h1>{t("cookies-title")}</h1>
            <p class="lead">{t("cookies-lead")}</p>
            <table class="table">
                <caption>{t("cookies-table-caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t("cookies-col-name")}</th>
                        <th scope="col">{t("cookies-col-purpose")}</th>
                        <th scope="col">{t("cookies-col-duration")}</th>
                    </tr>
                </thead>
                <tbody>
                    <tr>
                        <td><code>{session_cookie}</code></td>
                        <td>{t("cookies-session-purpose")}</td>
                        <td>{t("cookies-session-duration")}</td>
                    </tr>
                    <tr>
                        <td><code>"lang"</code></td>
                        <td>{t("cookies-lang-purpose")}</td>
                        <td>{t("cookies-lang-duration")}</td>
                    </tr>
                </tbody>
            </table>
            <p>{t("cookies-no-tracking")}</p>
        </Page>
    }
}

#[component]
fn HelpPage() -> impl IntoView {
    const SECTIONS: &[Section] = &[
        ("help-access-h", &["help-access-p"]),
        ("help-profiles-h", &["help-profiles-p"]),
        ("help-urp-h", &["help-urp-p"]),
    ];
    view! {
        <TextPage prefix="help" sections=SECTIONS links=vec![
            (t("faq-title"), crate::paths::FAQ),
            (t("support-title"), crate::paths::SUPPORT),
            (t("help-link-urp"), "https://urponline.lavoro.gov.it"),
            (t("help-link-spid"), "https://www.spid.gov.it"),
            (t("help-link-cie"), "https://www.cartaidentita.interno.gov.it"),
            (t("help-link-eidas"), "https://www.eid.gov.it"),
        ]/>
    }
}

pub async fn accessibility(req: PageRequest) -> Response {
    req.render(StatusCode::OK, || view! { <AccessibilityPage/> }.into_any())
}

pub async fn privacy(req: PageRequest) -> Response {
    req.render(StatusCode::OK, || view! { <PrivacyPage/> }.into_any())
}

pub async fn cookies(req: PageRequest) -> Response {
    req.render(StatusCode::OK, || view! { <CookiesPage/> }.into_any())
}

pub async fn help(req: PageRequest) -> Response {
    req.render(StatusCode::OK, || view! { <HelpPage/> }.into_any())
}
