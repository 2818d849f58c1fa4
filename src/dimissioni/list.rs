//! `/dimissioni-volontarie`: what the acting profile may see. As oneself:
//! one's own modules. As a company (directly or through a delega covering the
//! service): the modules of its relationships, searchable by worker, type and
//! dates, also as CSV. As a soggetto abilitato: the modules one sent.
//! Ispettorato officers also see their province's.
use super::itl;
use super::modulo::{self, Kind, Modulo, Scope, Search, Window};
use crate::access::{self, Action, Listing, Resource, DIMISSIONI};
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::i18n::{t, use_lang};
use crate::identity::organisations;
use crate::kernel::{AccountId, OrganisationId};
use crate::kernel::{Principal, Profile, Role, Subject};
use crate::paths;
use crate::web::components::{id_cursor, split_page, Pager, TableOrEmpty};
use crate::web::format::format_when;
use crate::web::layout::Page;
use crate::web::render::PageRequest;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use leptos::prelude::*;
use serde::Deserialize;

#[derive(Clone, Debug, Default, Deserialize)]
pub struct SearchQuery {
    pub lavoratore: Option<String>,
    pub tipo: Option<String>,
    pub dal: Option<String>,
    pub al: Option<String>,
    /// The list's page: modules older than this id.
    pub prima: Option<String>,
    /// The province's list's page (an officer's), likewise.
    pub provincia_prima: Option<String>,
}

/// Modules on a page; the CSV has at most [`CSV_MAX`] (a search by dates narrows it).
const PAGE: i64 = 50;
const CSV_MAX: i64 = 50_000;

impl SearchQuery {
    /// This search's address with its cursors at `list` and `province`.
    fn href(&self, list: Option<i64>, province: Option<i64>, anchor: &str) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in
            [("lavoratore", &self.lavoratore), ("tipo", &self.tipo), ("dal", &self.dal), ("al", &self.al)]
        {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                query.append_pair(name, v);
            }
        }
        if let Some(id) = list {
            query.append_pair("prima", &id.to_string());
        }
        if let Some(id) = province {
            query.append_pair("provincia_prima", &id.to_string());
        }
        format!("{}?{}#{anchor}", paths::DIMISSIONI, query.finish())
    }

    fn search(&self) -> Search {
        let date = |s: &Option<String>| s.as_deref().and_then(crate::kernel::clock::parse_day);
        Search {
            worker: self.lavoratore.as_deref().map(|w| w.trim().to_ascii_uppercase()).filter(|w| !w.is_empty()),
            kind: self.tipo.as_deref().and_then(Kind::parse).map(|k| k.code().to_string()),
            from: date(&self.dal),
            until: date(&self.al),
        }
    }
}

/// Whose modules the acting profile sees.
enum View {
    Own(String),
    Company {
        id: OrganisationId,
        codice_fiscale: String,
        name: String,
    },
    /// What the operator sent for this soggetto abilitato.
    Sent {
        id: OrganisationId,
        codice_fiscale: String,
    },
    /// An Ispettorato officer's province only.
    Officer,
}

async fn view_of(req: &PageRequest, who: &Principal) -> AppResult<View> {
    match (&who.acting.subject, who.profile()) {
        (Subject::Themself, _) => Ok(View::Own(super::filer::own_codice_fiscale(who, &req.at.path)?)),
        (Subject::Organisation { id, name }, Profile::Azienda) => {
            // Through a delega: only one that covers this service.
            if let Some((_, grant)) = who.delega() {
                if grant.services.as_ref().is_some_and(|s| !s.iter().any(|x| x == DIMISSIONI)) {
                    return Err(AppError::Forbidden);
                }
            }
            let id = *id;
            let org =
                with_conn(&req.state.pool, move |c| organisations::find(c, id)).await?.ok_or(AppError::NotFound)?;
            Ok(View::Company { id, codice_fiscale: org.codice_fiscale, name: name.clone() })
        }
        (Subject::Organisation { id, .. }, Profile::SoggettoAbilitato) => {
            let id = *id;
            let org =
                with_conn(&req.state.pool, move |c| organisations::find(c, id)).await?.ok_or(AppError::NotFound)?;
            Ok(View::Sent { id, codice_fiscale: org.codice_fiscale })
        }
        _ => Err(AppError::Forbidden),
    }
}

#[derive(Clone)]
struct Lists {
    title: &'static str,
    modules: Vec<Modulo>,
    company: Option<String>,
    filter: (String, String, String, String),
    may_file: bool,
    /// An operator of a soggetto abilitato: may find a module by its retrieval code.
    may_retrieve: bool,
    /// An officer's office (name, provinces) and its modules.
    province: Option<((String, String), Vec<Modulo>)>,
    /// The pages of the list and of the province's: (first, next).
    pages: (Option<String>, Option<String>),
    province_pages: (Option<String>, Option<String>),
}

#[component]
fn ModulesTable(modules: Vec<Modulo>, caption: &'static str) -> impl IntoView {
    let lang = use_lang();
    let rows: Vec<AnyView> = modules
        .into_iter()
        .map(|m| {
            let status = match (&m.revoked_by_code, m.kind()) {
                (_, Kind::Revoca) => t("dim-status-revoca"),
                (Some(_), _) => t("dim-status-revoked-short"),
                (None, _) => t("dim-status-sent"),
            };
            view! {
                <tr>
                    <td><a href=paths::dimissioni(&m.code)>{m.code.clone()}</a></td>
                    <td>{format!("{} {}", m.contents.worker_given_name, m.contents.worker_family_name)}</td>
                    <td>{m.contents.employer_name.clone()}</td>
                    <td>{t(&m.kind().name_key())}</td>
                    <td>{format_when(m.transmitted_at, lang)}</td>
                    <td>{status}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    view! {
        <TableOrEmpty
            caption=caption
            empty="dim-none"
            columns=&["dim-col-code", "dim-col-worker", "dim-col-employer", "dim-col-kind", "dim-col-when", "dim-col-status"]
            rows
        />
    }
}

#[component]
fn ListPage(l: Lists) -> impl IntoView {
    let (worker, kind, from, until) = l.filter.clone();
    let csv = format!("{}?lavoratore={worker}&tipo={kind}&dal={from}&al={until}", paths::DIMISSIONI_CSV);
    view! {
        <Page title=t("dim-title")>
            <h1>{t("dim-title")}</h1>
            <p class="lead">{t(l.title)}</p>
            {l.may_file.then(|| view! { <p><a class="button" href=paths::DIMISSIONI_NEW>{t("dim-new-title")}</a></p> })}
            {l.may_retrieve.then(|| view! { <p><a href=paths::DIMISSIONI_RETRIEVE>{t("dim-retrieve-title")}</a></p> })}
            {l.company.clone().map(|name| view! {
                <form method="get" action=paths::DIMISSIONI class="filters" role="search" aria-label=t("dim-search-label")>
                    <p>{name}</p>
                    <div class="field"><label for="lavoratore">{t("dim-worker-codice-fiscale")}</label><input id="lavoratore" name="lavoratore" value=worker.clone()/></div>
                    <div class="field">
                        <label for="tipo">{t("dim-kind")}</label>
                        <select id="tipo" name="tipo">
                            <option value="">{t("catalog-any")}</option>
                            {[Kind::Dimissioni, Kind::GiustaCausa, Kind::RisoluzioneConsensuale, Kind::Revoca].into_iter().map(|k| view! {
                                <option value=k.code() selected=k.code() == kind>{t(&k.name_key())}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field"><label for="dal">{t("dim-from")}</label><input id="dal" name="dal" type="date" value=from.clone()/></div>
                    <div class="field"><label for="al">{t("dim-until")}</label><input id="al" name="al" type="date" value=until.clone()/></div>
                    <p><button type="submit">{t("catalog-apply")}</button> " " <a href=csv.clone() download="dimissioni.csv">{t("dim-csv")}</a></p>
                </form>
            })}
            <div id="moduli">
                <ModulesTable modules=l.modules caption="dim-list-caption"/>
                <Pager label=t("dim-pages") first=l.pages.0 next=l.pages.1/>
            </div>
            {l.province.map(|((office, provinces), modules)| view! {
                <section aria-labelledby="province-heading">
                    <h2 id="province-heading">{crate::i18n::t_args("dim-province-title", &[("office", office), ("provinces", provinces)])}</h2>
                    <ModulesTable modules caption="dim-province-caption"/>
                    <Pager label=t("dim-province-pages") first=l.province_pages.0 next=l.province_pages.1/>
                </section>
            })}
        </Page>
    }
}

/// The modules the principal sees as an Ispettorato officer: the province's
/// list, asked of the decision like any other list.
async fn province_view(
    req: &PageRequest,
    who: &Principal,
    window: Window,
) -> AppResult<Option<((String, String), Vec<Modulo>)>> {
    if !who.has_role(Role::ItlOfficer) {
        return Ok(None);
    }
    let identifier = who.actor.identifier.clone();
    let Some((office, provinces)) = with_conn(&req.state.pool, move |c| itl::officer_of(c, &identifier)).await? else {
        return Ok(None);
    };
    let listing = Listing::Office { office: &office.code, officer_of: Some(&office.code) };
    let permit = access::require(req, Action::View, &Resource::Resignations(listing), &req.at.path).await?;
    let o2 = office.code.clone();
    let modules =
        with_conn(&req.state.pool, move |c| modulo::list(c, &permit, Scope::Office(&o2), &Search::default(), window))
            .await?;
    Ok(Some(((office.name, provinces.join(", ")), modules)))
}

async fn modules_for(
    req: &PageRequest,
    who: &Principal,
    q: &SearchQuery,
    window: Window,
) -> AppResult<(View, Vec<Modulo>)> {
    let view = view_of(req, who).await?;
    let search = q.search();
    let (listing, scope) = match &view {
        View::Own(cf) => (Listing::Worker(cf), OwnedScope::Worker(cf.clone())),
        View::Company { id, codice_fiscale, .. } => {
            (Listing::Employer { organisation: *id }, OwnedScope::Employer(*id, codice_fiscale.clone()))
        }
        View::Sent { id, codice_fiscale } => (
            Listing::SentFor { organisation: *id },
            OwnedScope::FiledBy { account: who.actor.account_id, organisation: *id, abilitato: codice_fiscale.clone() },
        ),
        View::Officer => return Ok((view, Vec::new())),
    };
    // The whole list at once, at the service's level; a new authentication brings the search back.
    let back = if req.at.query.is_empty() { req.at.path.clone() } else { format!("{}?{}", req.at.path, req.at.query) };
    let permit = access::require(req, Action::View, &Resource::Resignations(listing), &back).await?;
    let modules =
        with_conn(&req.state.pool, move |c| modulo::list(c, &permit, scope.borrowed(), &search, window)).await?;
    Ok((view, modules))
}

/// A [`Scope`] that can cross into the database task.
enum OwnedScope {
    Worker(String),
    Employer(OrganisationId, String),
    FiledBy { account: AccountId, organisation: OrganisationId, abilitato: String },
}

impl OwnedScope {
    fn borrowed(&self) -> Scope<'_> {
        match self {
            OwnedScope::Worker(cf) => Scope::Worker(cf),
            OwnedScope::Employer(id, cf) => Scope::Employer { organisation: *id, codice_fiscale: cf },
            OwnedScope::FiledBy { account, organisation, abilitato } => {
                Scope::FiledBy { account: *account, organisation: *organisation, abilitato }
            }
        }
    }
}

/// `GET /dimissioni-volontarie`.
pub async fn page(req: PageRequest, who: Principal, Query(q): Query<SearchQuery>) -> AppResult<Response> {
    let (list_at, province_at) = (id_cursor(q.prima.as_deref()), id_cursor(q.provincia_prima.as_deref()));
    let province = province_view(&req, &who, Window { before: province_at, limit: PAGE + 1 }).await?;
    let (province, province_next) = match province {
        Some((office, modules)) => {
            let (modules, next) = split_page(modules, PAGE, |m| m.id);
            (Some((office, modules)), next)
        }
        None => (None, None),
    };
    let (view, modules) = match modules_for(&req, &who, &q, Window { before: list_at, limit: PAGE + 1 }).await {
        Ok(found) => found,
        // An officer acting in a profile without modules of its own still sees the province's.
        Err(AppError::Forbidden) if province.is_some() => (View::Officer, Vec::new()),
        Err(e) => return Err(e),
    };
    let (title, company, may_file) = match &view {
        View::Own(_) => ("dim-lead-own", None, true),
        View::Company { name, .. } => ("dim-lead-company", Some(name.clone()), false),
        View::Sent { .. } | View::Officer => ("dim-lead-sent", None, true),
    };
    let filter = (
        q.lavoratore.clone().unwrap_or_default().chars().take(40).collect(),
        q.tipo.clone().unwrap_or_default().chars().take(40).collect(),
        q.dal.clone().unwrap_or_default().chars().take(10).collect(),
        q.al.clone().unwrap_or_default().chars().take(10).collect(),
    );
    let may_retrieve = matches!(view, View::Sent { .. });
    let (modules, next) = split_page(modules, PAGE, |m| m.id);
    // Each list's next page keeps the other where it is.
    let pages =
        (list_at.map(|_| q.href(None, province_at, "moduli")), next.map(|id| q.href(Some(id), province_at, "moduli")));
    let province_pages = (
        province_at.map(|_| q.href(list_at, None, "province-heading")),
        province_next.map(|id| q.href(list_at, Some(id), "province-heading")),
    );
    let l = Lists { title, modules, company, filter, may_file, may_retrieve, province, pages, province_pages };
    Ok(req.render(StatusCode::OK, move || view! { <ListPage l/> }.into_any()))
}

/// `GET /dimissioni-volontarie.csv`: the company's search, to keep.
pub async fn csv(req: PageRequest, who: Principal, Query(q): Query<SearchQuery>) -> AppResult<Response> {
    let (view, modules) = modules_for(&req, &who, &q, Window { before: None, limit: CSV_MAX }).await?;
    if !matches!(view, View::Company { .. }) {
        return Err(AppError::NotFound);
    }
    let lang = req.lang;
    let header = [
        "dim-col-code",
        "dim-worker-codice-fiscale",
        "dim-col-worker",
        "dim-col-kind",
        "dim-decorrenza",
        "dim-col-when",
        "dim-col-status",
    ];
    let rows = modules
        .iter()
        .map(|m| {
            [
                m.code.clone(),
                m.contents.worker_codice_fiscale.clone(),
                format!("{} {}", m.contents.worker_given_name, m.contents.worker_family_name),
                lang.t(&m.kind().name_key()),
                m.contents.decorrenza.map(|d| d.to_string()).unwrap_or_default(),
                // Italian time, as the code and the pages give it.
                crate::kernel::clock::rome(m.transmitted_at).format("%Y-%m-%d %H:%M:%S").to_string(),
                m.revoked_by_code
                    .clone()
                    .map(|c| format!("{} {c}", lang.t("dim-status-revoked-short")))
                    .unwrap_or_else(|| lang.t("dim-status-sent")),
            ]
        })
        .collect();
    crate::web::csv::download("dimissioni.csv", header.map(|k| lang.t(k)), rows)
}
