//! `/accedi`: the four ways to sign in, explained in the portal's words,
//! with the SPID identity providers in a new random order on every visit.
use crate::i18n::t;
use crate::kernel::AppState;
use crate::kernel::Credential;
use crate::paths;
use crate::paths::safe_return_path;
use crate::web::assets;
use crate::web::layout::Page;
use crate::web::render::PageRequest;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use leptos::prelude::*;

/// `GET /accedi?next=…&livello=…`: where to return after signing in, and the
/// level that page needs. Anything else, or a value that does not fit, is
/// ignored: a stale bookmark still shows the choice.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ChoiceQuery {
    next: Option<String>,
    livello: Option<String>,
}

/// Where the sign-in returns to (a local path) and the level it asks for
/// (2 or 3), so that the first sign-in asks for it and no step-up follows.
#[derive(Clone, Debug, Default)]
struct Return {
    next: Option<String>,
    level: Option<u8>,
}

impl From<ChoiceQuery> for Return {
    fn from(q: ChoiceQuery) -> Self {
        Return {
            next: q.next.map(|n| safe_return_path(Some(&n), crate::auth::sso::login::DEFAULT_RETURN)),
            level: q.livello.and_then(|l| l.parse::<u8>().ok()).filter(|l| (2..=3).contains(l)),
        }
    }
}

/// One provider as `/accedi` offers it: its name, where its link goes, and
/// whether it is a test provider.
type Offered = (String, String, bool);

/// The providers of `credential` in a new random order: the SAML IdPs,
/// except those an OpenID Provider stands in for, and the OpenID Providers
/// (one choice per provider; the protocol is configuration).
fn offered(state: &AppState, credential: Credential, back: &Return) -> Vec<Offered> {
    use rand::seq::SliceRandom;
    let oidc: Vec<&crate::oidc::providers::Provider> =
        state.oidc.providers.iter().filter(|p| p.credential == credential).collect();
    let mut list: Vec<Offered> = state
        .saml
        .idps
        .shuffled(credential)
        .into_iter()
        .filter(|i| !oidc.iter().any(|p| p.instead_of.as_deref() == Some(i.entity_id.as_str())))
        .map(|i| (i.display_name.clone(), login_link(paths::SAML_LOGIN, "idp", &i.entity_id, back), i.test))
        .chain(
            oidc.iter()
                .map(|p| (p.name.clone(), login_link(paths::OIDC_LOGIN, "provider", &p.entity_id, back), p.test)),
        )
        .collect();
    list.shuffle(&mut rand::rng());
    list
}

fn login_link(path: &str, name: &str, entity_id: &str, back: &Return) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair(name, entity_id);
    if let Some(n) = &back.next {
        q.append_pair("next", n);
    }
    if let Some(level) = back.level {
        q.append_pair("level", &level.to_string());
    }
    format!("{path}?{}", q.finish())
}

#[component]
fn SpidProviders(back: Return) -> impl IntoView {
    let state = expect_context::<AppState>();
    let idps = offered(&state, Credential::Spid, &back);
    view! {
        // AgID's "Entra con SPID" button (spid-sp-access-button): its jQuery
        // menu becomes a <details> list, shuffled on each request as the kit does.
        <details class="idp-list">
            <summary class="spid-button">
                <img src=assets::url("spid-ico-circle-bb.svg") alt="" width="29" height="29"/>
                <span>{t("choice-spid-button")}</span>
            </summary>
            {if idps.is_empty() {
                view! { <p>{t("choice-spid-none")}</p> }.into_any()
            } else {
                view! {
                    <ul aria-label=t("choice-spid-list-label")>
                        {idps
                            .into_iter()
                            .map(|(name, href, test)| {
                                view! {
                                    <li>
                                        <a href=href>{name}{test.then(|| view! { " " <span class="tag">{t("choice-test-idp")}</span> })}</a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }.into_any()
            }}
            // The kit's three fixed links under the providers.
            <ul class="idp-list__more">
                <li><a href=t("choice-spid-more-url")>{t("choice-spid-more")}</a></li>
                <li><a href=t("credential-spid-info-url")>{t("choice-spid-get")}</a></li>
                <li><a href=t("choice-spid-help-url")>{t("choice-spid-help")}</a></li>
            </ul>
        </details>
    }
}

/// CIE and eIDAS: usually one provider each, so a plain button per provider.
#[component]
fn ProviderButtons(credential: Credential, label: &'static str, back: Return) -> impl IntoView {
    let state = expect_context::<AppState>();
    let idps = offered(&state, credential, &back);
    if idps.is_empty() {
        return view! { <p>{t("choice-not-configured")}</p> }.into_any();
    }
    view! {
        <ul class="provider-buttons">
            {idps
                .into_iter()
                .map(|(name, href, test)| {
                    view! {
                        <li>
                            {match credential {
                                // The Poligrafico's kit gives the whole button as one image, in Italian.
                                Credential::Cie => view! {
                                    <a class="cie-button" href=href>
                                        <img src=assets::url("entra-con-cie.svg") alt=t(label) lang="it" width="220" height="44"/>
                                        {test.then(|| view! { " " <span class="tag">{name}</span> })}
                                    </a>
                                }.into_any(),
                                // "Login with eIDAS" is English on the Italian page too.
                                _ => view! {
                                    <a class="button" href=href>
                                        <span lang="en">{t(label)}</span>
                                        {test.then(|| view! { " " <span class="tag tag--inverse">{name}</span> })}
                                    </a>
                                }.into_any(),
                            }}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn LoginChoicePage(back: Return) -> impl IntoView {
    view! {
        <Page title=t("choice-title")>
            <h1>{t("choice-title")}</h1>
            <p class="lead">{t("choice-lead")}</p>
            // Sent here by a form posted after the session ended: why, and that nothing typed is lost.
            {(back.next.as_deref() == Some(paths::KEPT_FORM)).then(|| view! {
                <div class="notice" role="status">
                    <h2>{t("choice-timed-out-title")}</h2>
                    <p>{t("choice-timed-out")}</p>
                </div>
            })}
            {back.level.map(|l| view! {
                <p class="notice" role="status">{crate::i18n::t_args("choice-level-needed", &[("level", l.to_string())])}</p>
            })}
            {crate::kernel::credential::WAYS_IN
                .into_iter()
                .map(|(id, key)| {
                    view! {
                        <section class="choice" aria-labelledby=format!("choice-{id}")>
                            <h2 id=format!("choice-{id}")>{t(&format!("{key}-name"))}</h2>
                            <p><strong>{t(&format!("{key}-who"))}</strong></p>
                            <p>{t(&format!("{key}-how"))}</p>
                            {match id {
                                "spid" => view! { <SpidProviders back=back.clone()/> }.into_any(),
                                "cie" => view! { <ProviderButtons credential=Credential::Cie label="choice-cie-button" back=back.clone()/> }.into_any(),
                                "eidas" => view! { <ProviderButtons credential=Credential::Eidas label="choice-eidas-button" back=back.clone()/> }.into_any(),
                                _ => view! {
                                    <ul class="provider-buttons">
                                        <li><a class="button" href=paths::FOREIGN_SIGN_IN>{t("choice-foreign-signin")}</a></li>
                                        <li><a class="button button--secondary" href=paths::FOREIGN_REGISTER>{t("choice-foreign-register")}</a></li>
                                    </ul>
                                    <p>{t("choice-foreign-signin-later")}</p>
                                }.into_any(),
                            }}
                            <p><a href=t(&format!("{key}-info-url"))>{t(&format!("{key}-info-link"))}</a></p>
                        </section>
                    }
                })
                .collect_view()}
        </Page>
    }
}

/// `GET /accedi`.
pub async fn page(req: PageRequest, Query(q): Query<ChoiceQuery>) -> Response {
    let back = Return::from(q);
    req.render(StatusCode::OK, move || view! { <LoginChoicePage back/> }.into_any())
}
