//! `/servizi` (search and filters by plain GET forms, shareable URLs) and
//! `/servizi/{slug}`: what each person can use now, and how to reach the rest.
use super::model::{self, Service, ServiceSlug, CATEGORIES};
use super::status_page::OutageNotice;
use crate::access::{self, Action, DelegaLimit, Denial, Resource};
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::i18n::{t, t_args, use_lang};
use crate::identity::organisations;
use crate::kernel::DelegaId;
use crate::kernel::{Credential, DelegaGrant, Level, Principal, Profile};
use crate::paths;
use crate::web::components::Crumb;
use crate::web::layout::account_details_html;
use crate::web::layout::Page;
use crate::web::render::{use_principal, PageRequest, SharedPage};
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use leptos::prelude::*;

#[derive(Clone, Debug, Default)]
struct Filters {
    q: String,
    audience: Option<Profile>,
    category: Option<String>,
}

/// `GET /servizi?q=…&pubblico=…&categoria=…`; a value that fits no filter is ignored.
#[derive(Debug, Default, serde::Deserialize)]
pub struct CatalogQuery {
    q: Option<String>,
    pubblico: Option<String>,
    categoria: Option<String>,
}

impl From<CatalogQuery> for Filters {
    fn from(q: CatalogQuery) -> Self {
        Filters {
            q: q.q.map(|v| v.trim().chars().take(100).collect()).unwrap_or_default(),
            audience: q.pubblico.as_deref().and_then(Profile::parse),
            category: q.categoria.and_then(|v| CATEGORIES.iter().find(|c| **c == v).map(|c| c.to_string())),
        }
    }
}

fn credential_list(list: &[Credential]) -> String {
    list.iter().map(|c| t(c.name_key())).collect::<Vec<_>>().join(", ")
}

fn profile_list(list: &[Profile]) -> String {
    list.iter().map(|p| t(p.name_key())).collect::<Vec<_>>().join(", ")
}

/// What stands between the person and the service, in words, with a remedy
/// they can follow: someone signed in with eIDAS or as Utente Estero cannot
/// get SPID or CIE, so they are told the service is not for their credential.
pub fn explain_for(denial: &Denial, credential: Option<Credential>) -> String {
    explain_counted(denial, credential, 1)
}

/// The same, said of `count` services at once (the catalog's groups).
fn explain_counted(denial: &Denial, credential: Option<Credential>, count: usize) -> String {
    let n = ("count", count.to_string());
    match (denial, credential) {
        (Denial::Credential { .. }, Some(Credential::Eidas | Credential::Foreign)) => {
            t_args("access-credential-unavailable", &[n])
        }
        (Denial::Credential { allowed }, _) => t_args("access-credential", &[("allowed", credential_list(allowed)), n]),
        (Denial::Profile { needed }, _) => t_args("access-profile", &[("needed", profile_list(needed)), n]),
        (Denial::Level { needed, step_up }, _) => t_args(
            if *step_up { "access-level-step-up" } else { "access-level-other" },
            &[("level", needed.number().to_string()), n],
        ),
        (d, _) => explain(d),
    }
}

/// What stands between the person and the service, in words, with the remedy.
pub fn explain(denial: &Denial) -> String {
    match denial {
        Denial::SignIn => t("access-sign-in"),
        Denial::Credential { .. } | Denial::Profile { .. } | Denial::Level { .. } => explain_counted(denial, None, 1),
        Denial::Delega(DelegaLimit::Dates) => t("access-delega-dates"),
        Denial::Delega(DelegaLimit::Scope) => t("access-delega-scope"),
        Denial::Delega(DelegaLimit::Approval { .. }) => t("access-delega-approval"),
        Denial::Delega(DelegaLimit::Reserved) => t("access-delega-reserved"),
        Denial::MemberServices => t("member-services"),
        Denial::Role { .. } | Denial::MemberRole { .. } | Denial::NotYours | Denial::NotApplicable => {
            t("error-403-body")
        }
    }
}

#[component]
fn ServiceCard(service: &'static Service, #[prop(optional)] note: Option<String>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <li class="card service">
            <h3><a href=paths::service(&service.slug)>{service.name.get(lang).to_string()}</a></h3>
            <p>{service.description.get(lang).to_string()}</p>
            <p class="hint">
                {t("catalog-for")} " " {profile_list(&service.audience)} " · "
                {credential_list(&service.credentials)} " · "
                {t_args("catalog-level", &[("level", service.min_level.number().to_string())])}
            </p>
            {note.map(|n| view! { <p class="service__note">{n}</p> })}
        </li>
    }
}

/// `GET /servizi`.
pub async fn catalog(req: PageRequest, Query(q): Query<CatalogQuery>) -> Response {
    let f = Filters::from(q);
    let page = cached_catalog(CatalogKey::of(&req), || {
        req.render_shared(StatusCode::OK, move || view! { <CatalogPage f/> }.into_any())
    });
    req.respond(&page, &account_details_html(&req))
}

/// `GET /servizi/{slug}`.
pub async fn service(req: PageRequest, Path(ServiceSlug { slug }): Path<ServiceSlug>) -> AppResult<Response> {
    let service = model::find(&slug).ok_or(AppError::NotFound)?;
    let decision = access::authorize(req.principal.as_ref(), Action::View, &Resource::Service(service.requirements()));
    let held = match (&decision, &req.principal) {
        (Err(Denial::Profile { needed }), Some(who)) => profiles_to_switch(&req, who, needed).await?,
        _ => Vec::new(),
    };
    let outages = super::status_page::announced(&req.state, &service.slug).await?;
    let now = req.state.clock.now();
    Ok(req.render(StatusCode::OK, move || view! { <ServicePage service decision held outages now/> }.into_any()))
}

/// A profile the person holds that would open a service: the switch form's
/// value (`cittadino` or a membership id) and the name to show.
#[derive(Clone, Debug)]
pub struct Switchable {
    pub value: String,
    pub name: String,
}

/// The person's profiles among `needed`, other than the one in use.
pub async fn profiles_to_switch(req: &PageRequest, who: &Principal, needed: &[Profile]) -> AppResult<Vec<Switchable>> {
    let mut out = Vec::new();
    if needed.contains(&Profile::Cittadino) && who.profile() != Profile::Cittadino {
        out.push(Switchable { value: "cittadino".into(), name: req.lang.t("profile-citizen") });
    }
    let account = who.actor.account_id;
    let held = with_conn(&req.state.pool, move |c| organisations::profiles_of(c, account)).await?;
    let current = who.organisation().map(|(id, _)| id);
    out.extend(
        held.into_iter()
            .filter(|p| needed.contains(&p.kind.capacity()) && Some(p.organisation_id) != current)
            .map(|p| Switchable { value: p.membership_id.to_string(), name: p.organisation_name }),
    );
    Ok(out)
}

/// When the service is for another profile: one click to switch to a
/// profile the person holds, or the way to associate one.
#[component]
fn ProfileRemedy(service: &'static Service, held: Vec<Switchable>) -> impl IntoView {
    let back = paths::service(&service.slug);
    if held.is_empty() {
        return view! {
            <p><a class="button" href=paths::PROFILES_ASSOCIATE>{t("access-associate")}</a></p>
        }
        .into_any();
    }
    view! {
        <ul class="remedies">
            {held.into_iter().map(|h| view! {
                <li>
                    <form method="post" action=paths::PROFILES_ACTIVE class="inline-form">
                        <input type="hidden" name="profilo" value=h.value/>
                        <input type="hidden" name="next" value=back.clone()/>
                        <button type="submit">{t_args("access-switch-to", &[("profile", h.name)])}</button>
                    </form>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Why the person cannot enter `service`, and what would fix it (403).
#[component]
pub fn AccessDeniedPage(service: &'static Service, denial: Denial, held: Vec<Switchable>) -> impl IntoView {
    let lang = use_lang();
    let profile = matches!(denial, Denial::Profile { .. });
    view! {
        <Page title=t("access-denied-title")>
            <h1>{t("access-denied-title")}</h1>
            <p class="lead">{service.name.get(lang).to_string()}</p>
            <p>{explain_for(&denial, use_principal().map(|p| p.actor.credential))}</p>
            {profile.then(|| view! { <ProfileRemedy service held/> })}
            {match denial {
                Denial::Delega(DelegaLimit::Approval { delega }) => Some(view! {
                    <p><a class="button" href=paths::delega(delega)>{t("access-delega-ask")}</a></p>
                }),
                _ => None,
            }}
            <p><a href=paths::service(&service.slug)>{t("access-back")}</a> " · " <a href=paths::faq("servizio-non-disponibile")>{t("error-faq")}</a></p>
        </Page>
    }
}

/// Services that cannot be used now, grouped by the reason (in order of first
/// appearance), said once for the group; alphabetical within each group.
fn group_by_reason(
    later: Vec<(&'static Service, Denial)>,
    credential: Credential,
    lang: Lang,
) -> Vec<(String, Vec<&'static Service>)> {
    // Keyed by what is said, so that denials worded alike share a group.
    let mut groups: Vec<(String, Denial, Vec<&'static Service>)> = Vec::new();
    for (s, why) in later {
        let said = explain_for(&why, Some(credential));
        match groups.iter_mut().find(|(w, _, _)| *w == said) {
            Some((_, _, list)) => list.push(s),
            None => groups.push((said, why, vec![s])),
        }
    }
    groups
        .into_iter()
        .map(|(_, why, mut list)| {
            list.sort_by_key(|s| s.name.get(lang).to_lowercase());
            (explain_counted(&why, Some(credential), list.len()), list)
        })
        .collect()
}

/// What `/servizi` depends on: the language, the query (the filters, and the
/// language switch's links) and, for a signed-in person, everything the
/// access decision on a service reads (`access::authorize`,
/// `Resource::Service`): credential, level, profile and, through a delega,
/// the delega itself (its id is in the page) with its scope, dates, kind,
/// today's date and approval; for an operatore, the services their
/// organisation gave them. The person's own header is not in it: each
/// request fills it in ([`crate::web::render::SharedPage`]). Leave one out
/// and one person is shown another's catalog.
#[derive(Clone, PartialEq, Eq, Hash)]
struct CatalogKey {
    lang: Lang,
    query: String,
    who: Option<DecisionInputs>,
}

/// Credential, level, profile, the delega acted through (if any) and an operatore's services (if limited).
type DecisionInputs = (Credential, Level, Profile, Option<(DelegaId, DelegaGrant)>, Option<Vec<String>>);

impl CatalogKey {
    fn of(req: &PageRequest) -> Self {
        CatalogKey {
            lang: req.lang,
            query: req.at.query.clone(),
            who: req.principal.as_ref().map(|w| {
                (
                    w.actor.credential,
                    w.actor.level,
                    w.profile(),
                    w.delega().map(|(id, grant)| (id, grant.clone())),
                    w.member_services().map(<[String]>::to_vec),
                )
            }),
        }
    }
}

/// `/servizi`, rendered once per key: the same for everyone with the same
/// credential, level, profile and query, and rendering the page with its 24
/// cards and their explanations is most of a request's cost.
fn cached_catalog(key: CatalogKey, render: impl FnOnce() -> SharedPage) -> SharedPage {
    static KEPT: crate::web::memo::Memo<CatalogKey, SharedPage> = crate::web::memo::Memo::new(256);
    KEPT.get_or(key, render)
}

#[component]
fn CatalogPage(f: Filters) -> impl IntoView {
    let who = use_principal();
    let body = {
        let shown: Vec<&'static Service> = model::all()
            .iter()
            .filter(|s| f.q.is_empty() || s.matches(&f.q))
            .filter(|s| f.audience.is_none_or(|a| s.audience.contains(&a)))
            .filter(|s| f.category.as_ref().is_none_or(|c| &s.category == c))
            .collect();
        let total = shown.len();
        let results = match &who {
        None => view! {
            <section aria-labelledby="all-heading">
                <h2 id="all-heading">{t_args("catalog-all", &[("count", total.to_string())])}</h2>
                <p>{t("catalog-anonymous")} " " <a href=paths::sign_in_then(paths::SERVICES)>{t("layout-sign-in")}</a></p>
                <ul class="card-grid">{shown.into_iter().map(|s| view! { <ServiceCard service=s/> }).collect_view()}</ul>
            </section>
        }
        .into_any(),
        Some(w) => {
            // One decision per service: usable now, or what would open it. A
            // higher level that a new authentication gives is usable now too
            // (the service asks for it on the way in): a citizen finds
            // Dimissioni volontarie at once.
            let mut now: Vec<(&'static Service, Option<String>)> = Vec::new();
            let mut later: Vec<(&'static Service, Denial)> = Vec::new();
            for s in shown {
                match access::authorize(Some(w), Action::View, &Resource::Service(s.requirements())) {
                    Ok(_) => now.push((s, None)),
                    Err(Denial::Level { needed, step_up: true }) => now.push((
                        s,
                        Some(t_args("catalog-step-up-note", &[("level", needed.number().to_string())])),
                    )),
                    Err(d) => later.push((s, d)),
                }
            }
            now.sort_by_key(|(s, _)| s.name.get(use_lang()).to_lowercase());
            view! {
                <section aria-labelledby="now-heading">
                    <h2 id="now-heading">{t_args("catalog-now", &[("count", now.len().to_string())])}</h2>
                    <p>{t_args("catalog-now-intro", &[
                        ("credential", t(w.actor.credential.name_key())),
                        ("level", w.actor.level.number().to_string()),
                        ("profile", t(w.profile().name_key())),
                    ])}</p>
                    {if now.is_empty() {
                        view! { <p>{t("catalog-none")}</p> }.into_any()
                    } else {
                        view! { <ul class="card-grid">{now.into_iter().map(|(s, note)| match note {
                            Some(note) => view! { <ServiceCard service=s note/> }.into_any(),
                            None => view! { <ServiceCard service=s/> }.into_any(),
                        }).collect_view()}</ul> }.into_any()
                    }}
                </section>
                <section aria-labelledby="later-heading">
                    <h2 id="later-heading">{t_args("catalog-later", &[("count", later.len().to_string())])}</h2>
                    // Grouped by what stands in the way, said once per group; a compact list.
                    {group_by_reason(later, w.actor.credential, use_lang()).into_iter().map(|(why, services)| view! {
                        <div class="later-group">
                            <p class="service__note">{why}</p>
                            <ul class="compact-list">
                                {services.into_iter().map(|s| view! { <li><a href=paths::service(&s.slug)>{s.name.get(use_lang()).to_string()}</a></li> }).collect_view()}
                            </ul>
                        </div>
                    }).collect_view()}
                </section>
            }
            .into_any()
        }
    };
        view! {
            <form method="get" action=paths::SERVICES class="filters" role="search" aria-label=t("catalog-search-label")>
                <div class="field">
                    <label for="q">{t("catalog-search")}</label>
                    <input id="q" name="q" type="search" value=f.q.clone()/>
                </div>
                <div class="field">
                    <label for="pubblico">{t("catalog-audience")}</label>
                    <select id="pubblico" name="pubblico">
                        <option value="">{t("catalog-any")}</option>
                        {Profile::ALL.into_iter().map(|p| view! {
                            <option value=p.code() selected={f.audience == Some(p)}>{t(p.name_key())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="categoria">{t("catalog-category")}</label>
                    <select id="categoria" name="categoria">
                        <option value="">{t("catalog-any")}</option>
                        {CATEGORIES.iter().map(|c| view! {
                            <option value=*c selected={f.category.as_deref() == Some(*c)}>{t(&format!("category-{c}"))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <p><button type="submit">{t("catalog-apply")}</button> " " <a href=paths::SERVICES>{t("catalog-reset")}</a></p>
            </form>
            <p role="status">{t_args("catalog-results", &[("count", total.to_string())])}</p>
            {results}
        }
    };
    view! {
        <Page title=t("catalog-title")>
            <h1>{t("catalog-title")}</h1>
            <div class="catalog-body">{body}</div>
        </Page>
    }
}

#[component]
fn ServicePage(
    service: &'static Service,
    decision: Result<access::Permit, Denial>,
    held: Vec<Switchable>,
    /// Interruptions in force or planned soon.
    outages: Vec<super::outages::Outage>,
    now: chrono::NaiveDateTime,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Page title=service.name.get(lang).to_string() trail=vec![Crumb { label: t("catalog-title"), href: paths::SERVICES.into() }]>
            <h1>{service.name.get(lang).to_string()}</h1>
            {outages.into_iter().map(|outage| view! { <OutageNotice outage now/> }).collect_view()}
            <p class="lead">{service.description.get(lang).to_string()}</p>
            <dl class="facts">
                <dt>{t("catalog-for")}</dt><dd>{profile_list(&service.audience)}</dd>
                <dt>{t("catalog-credentials")}</dt><dd>{credential_list(&service.credentials)}</dd>
                <dt>{t("catalog-min-level")}</dt><dd>{t_args("catalog-level", &[("level", service.min_level.number().to_string())])}</dd>
                <dt>{t("catalog-category")}</dt><dd>{t(&format!("category-{}", service.category))}</dd>
            </dl>
            <h2>{t("catalog-what-you-can-do")}</h2>
            <ul>
                {service.profiles.iter().map(|(p, text)| view! {
                    <li><strong>{t(p.name_key())}</strong> ": " {text.get(lang).to_string()}</li>
                }).collect_view()}
            </ul>
            {match decision {
                Ok(_) => view! { <p class="access access--ok">{t("access-allowed")}</p> }.into_any(),
                Err(d) => {
                    let profile = matches!(d, Denial::Profile { .. });
                    view! {
                        <p class="access">{explain_for(&d, use_principal().map(|p| p.actor.credential))}</p>
                        {profile.then(|| view! { <ProfileRemedy service held/> })}
                    }
                    .into_any()
                }
            }}
            <p><a class="button" href=paths::service_enter(&service.slug)>{t("catalog-enter")}</a></p>
        </Page>
    }
}
