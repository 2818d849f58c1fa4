//! The frame of every page: skip link, header with the Ministry's name and
//! the language switch, main landmark, footer with the legal links.
use crate::i18n::t;
use crate::paths;
use crate::web::assets;
use crate::web::components::{Breadcrumb, Crumb, ErrorSummary, FieldErrors, LangSwitch};
use crate::web::render::{account_slot, fragment, set_title, use_principal, PageRequest};
use leptos::prelude::*;

/// The document's body: header, `before_main` (the breadcrumb, outside the
/// main landmark as GOV.UK places it, so the skip link lands on the page's
/// own content and its first Tab reaches the page's first control), main, footer.
#[component]
pub fn Layout(#[prop(optional)] before_main: Option<AnyView>, children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">{t("layout-skip-to-content")}</a>
        <header class="site-header">
            <div class="slim-header">
                <div class="container slim-header__inner">
                    <a class="slim-header__owner" href="https://www.lavoro.gov.it">
                        {t("layout-ministry")}
                    </a>
                    <LangSwitch/>
                </div>
            </div>
            <div class="center-header">
                <div class="container center-header__inner">
                    <a class="brand" href=paths::HOME>
                        <img class="brand__emblem" src=assets::url("emblem.svg") alt="" width="48" height="48"/>
                        <span class="brand__text">
                            <span class="brand__title">{t("site-name")}</span>
                            <span class="brand__tagline">{t("site-tagline")}</span>
                        </span>
                    </a>
                    <AccountArea/>
                </div>
            </div>
            <nav class="main-nav" aria-label=t("layout-nav-label") inner_html=fragment("nav", || view! {
                <ul class="container main-nav__list">
                    <li><a href=paths::HOME>{t("nav-home")}</a></li>
                    <li><a href=paths::SERVICES>{t("nav-services")}</a></li>
                    <li><a href=paths::SIGN_IN>{t("nav-sign-in-options")}</a></li>
                    <li><a href=paths::HELP>{t("nav-help")}</a></li>
                </ul>
            }.into_any())></nav>
        </header>
        {before_main}
        <main id="main" class="container main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer" inner_html=fragment("footer", || view! {
            <div class="container">
                <p class="site-footer__owner">{t("layout-ministry")}</p>
                <nav aria-label=t("layout-footer-nav-label")>
                    <ul class="site-footer__links">
                        <li><a href=paths::ACCESSIBILITY>{t("footer-accessibility")}</a></li>
                        <li><a href=paths::PRIVACY>{t("footer-privacy")}</a></li>
                        <li><a href=paths::COOKIES>{t("footer-cookies")}</a></li>
                        <li><a href=paths::HELP>{t("footer-help")}</a></li>
                        <li><a href=paths::FAQ>{t("faq-title")}</a></li>
                        <li><a href=paths::SUPPORT>{t("support-title")}</a></li>
                        <li><a href=paths::SERVICE_STATUS>{t("status-title")}</a></li>
                    </ul>
                </nav>
            </div>
        }.into_any())></footer>
    }
}

/// "Acting as: Cittadino" or the organisation, linking to the profiles page.
fn acting_as(who: &crate::kernel::Principal) -> String {
    let profile = match &who.acting.subject {
        crate::kernel::Subject::Organisation { name, .. } => match who.organisation() {
            Some((_, role)) => format!("{name} ({})", t(role.name_key()).to_lowercase()),
            None => name.clone(),
        },
        crate::kernel::Subject::Person { name, .. } => name.clone(),
        crate::kernel::Subject::Themself => t("profile-citizen"),
    };
    let profile = match who.delega() {
        Some(_) => format!("{profile} ({})", t("layout-via-delega")),
        None => profile,
    };
    crate::i18n::t_args("layout-acting-as", &[("profile", profile)])
}

/// Sign-in button, or who is signed in with the way out (in a page shared by
/// several people, a slot that each request fills with [`AccountDetails`]).
#[component]
fn AccountArea() -> impl IntoView {
    match (use_principal(), account_slot()) {
        (None, _) => {
            view! { <a class="button button--inverse" href=paths::SIGN_IN>{t("layout-sign-in")}</a> }.into_any()
        }
        (Some(_), Some(slot)) => view! { <div class="account" inner_html=slot></div> }.into_any(),
        (Some(who), None) => view! { <div class="account"><AccountDetails who/></div> }.into_any(),
    }
}

/// [`AccountDetails`] for the request's principal, as HTML: rendered once per
/// everything it shows (language, name, whom they act for, in which role,
/// through a delega or not, the session's end to the minute) and reused, so
/// that a [`crate::web::render::SharedPage`] costs little more than a copy.
pub fn account_details_html(req: &PageRequest) -> String {
    type Key = (crate::i18n::Lang, String, String, String, Option<&'static str>, bool, Option<chrono::NaiveDateTime>);
    static KEPT: super::memo::Memo<Key, String> = super::memo::Memo::new(1024);
    let Some(who) = &req.principal else { return String::new() };
    let subject = match &who.acting.subject {
        crate::kernel::Subject::Organisation { name, .. } | crate::kernel::Subject::Person { name, .. } => name.clone(),
        crate::kernel::Subject::Themself => String::new(),
    };
    // Shown to the minute; a session's end moves only when it is renewed.
    let until = who.session_until.map(|u| {
        use chrono::Timelike;
        u.with_second(0).and_then(|u| u.with_nanosecond(0)).unwrap_or(u)
    });
    let key: Key = (
        req.lang,
        who.actor.given_name.clone(),
        who.actor.family_name.clone(),
        subject,
        who.organisation().map(|(_, role)| role.name_key()),
        who.delega().is_some(),
        until,
    );
    // The principal is copied for rendering only when nothing is kept.
    KEPT.get_or(key, || {
        let who = who.clone();
        req.render_fragment(|| view! { <AccountDetails who/> }.into_any())
    })
}

/// Who is signed in, as whom they act, until when, and the way out.
#[component]
pub fn AccountDetails(who: crate::kernel::Principal) -> impl IntoView {
    view! {
        <a class="account__name" href=paths::PERSONAL_AREA>{who.actor.full_name()}</a>
        <a class="account__profile" href=paths::PROFILES>{acting_as(&who)}</a>
        {who.session_until.map(|until| {
            let when = crate::kernel::clock::rome(until).format("%H:%M").to_string();
            view! { <a class="account__session" href=paths::SESSIONS>{crate::i18n::t_args("layout-session-until", &[("time", when)])}</a> }
        })}
        <form method="post" action=paths::SIGN_OUT class="account__logout">
            <button type="submit" class="button button--inverse">{t("layout-sign-out")}</button>
        </form>
    }
}

/// A page: its `<title>`, the layout, the breadcrumb trail ending at this page.
#[component]
pub fn Page(
    title: String,
    /// Pages between Home and this one.
    #[prop(optional)]
    trail: Vec<Crumb>,
    children: Children,
) -> impl IntoView {
    set_title(&title);
    view! {
        <Layout before_main=view! { <Breadcrumb trail current=title/> }.into_any()>
            {children()}
        </Layout>
    }
}

/// The frame of every form page: title, lead, the error summary, and a
/// `POST` form with its submit button; `children` are the fields, `after`
/// what follows the form (links, notes).
#[component]
pub fn FormPage(
    title: String,
    #[prop(optional)] lead: Option<String>,
    errors: FieldErrors,
    action: String,
    submit: String,
    /// For forms that upload a file.
    #[prop(optional)]
    multipart: bool,
    #[prop(optional)] trail: Vec<Crumb>,
    #[prop(optional)] after: Option<AnyView>,
    children: Children,
) -> impl IntoView {
    view! {
        <Page title=title.clone() trail>
            <h1>{title}</h1>
            {lead.map(|l| view! { <p class="lead">{l}</p> })}
            <ErrorSummary errors/>
            <form method="post" action=action novalidate enctype=multipart.then_some("multipart/form-data")>
                {children()}
                <p><button type="submit">{submit}</button></p>
            </form>
            {after}
        </Page>
    }
}
