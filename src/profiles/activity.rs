//! `/area-personale/attivita`: what a person can see of their own account,
//! read from the sign-in history and the audit trail: each sign-in (when,
//! credential, identity provider, level) and each action (when, what, on
//! what, as whom, the outcome); also as CSV.
use crate::access::{self, describe, Action, AuditEvent, Names};
use crate::catalog::model as catalog;
use crate::db::with_conn;
use crate::error::AppResult;
use crate::i18n::{t, t_args, use_lang, Lang};
use crate::identity::account::{self, SignInRecord};
use crate::identity::legacy::{self, LegacyAction};
use crate::identity::organisations::Organisation;
use crate::kernel::{AccountId, OrganisationId};
use crate::kernel::{Credential, Principal, Protocol};
use crate::paths;
use crate::web::components::{id_cursor, split_page, Crumb, Pager, TableOrEmpty};
use crate::web::layout::Page;
use crate::web::render::PageRequest;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use leptos::prelude::*;
use std::collections::HashMap;

/// How much of the history is shown.
const LIMIT: i64 = 200;

#[derive(Clone)]
struct History {
    sign_ins: Vec<SignInRecord>,
    actions: Vec<AuditEvent>,
    /// What the old portal recorded (ClicLavoro), if anything.
    legacy: Vec<LegacyAction>,
    /// What the actions were about, in words.
    names: Names,
}

async fn load(req: &PageRequest, who: &Principal) -> AppResult<History> {
    let (account, credential, identifier) = (who.actor.account_id, who.actor.credential, who.actor.identifier.clone());
    let lang = req.lang;
    let mut history = with_conn(&req.state.pool, move |c| {
        let actions = access::by_actor(c, account, LIMIT)?;
        let legacy = match credential {
            Credential::Spid | Credential::Cie => legacy::activity_of(c, &identifier)?,
            _ => Vec::new(),
        };
        let names = Names::load(c, &actions)?.with_services(&actions, |s| catalog::name_of(s, lang));
        Ok(History { sign_ins: account::sign_ins_of(c, account, LIMIT)?, actions, legacy, names })
    })
    .await?;
    // The identity provider by its name, not its entity id.
    for s in &mut history.sign_ins {
        if let Some(idp) = req.state.saml.idps.get(&s.idp) {
            s.idp = idp.display_name.clone();
        } else if let Some(op) = req.state.oidc.provider(&s.idp) {
            s.idp = op.name.clone();
        }
    }
    Ok(history)
}

/// The credential's name, and the protocol when it is not the usual one:
/// "SPID (OpenID Connect)".
fn credential_name(s: &SignInRecord, lang: Lang) -> String {
    let name = Credential::parse(&s.credential).map(|c| lang.t(c.name_key())).unwrap_or_else(|| s.credential.clone());
    match Protocol::parse(&s.protocol) {
        Some(Protocol::OpenIdConnect) => lang.t_args("activity-over-oidc", &[("credential", name)]),
        _ => name,
    }
}

#[component]
fn ActivityPage(history: History) -> impl IntoView {
    let lang = use_lang();
    let when = move |at| crate::web::format::format_when(at, lang);
    let sign_ins: Vec<Vec<AnyView>> = history
        .sign_ins
        .iter()
        .map(|s| {
            vec![
                when(s.at).into_any(),
                credential_name(s, lang).into_any(),
                s.idp.clone().into_any(),
                s.level.to_string().into_any(),
                s.address.clone().unwrap_or_else(|| t("activity-unknown-address")).into_any(),
            ]
        })
        .collect();
    let actions: Vec<Vec<AnyView>> = access::in_runs(&history.actions)
        .into_iter()
        .map(|(e, times)| {
            vec![
                crate::web::format::format_when_times(e.at, times, lang).into_any(),
                e.action.name(lang).into_any(),
                describe(e, &history.names, lang).into_view().into_any(),
                history.names.as_whom(&e.subject, lang).into_any(),
                e.outcome.name(lang).into_any(),
            ]
        })
        .collect();
    view! {
        <Page title=t("activity-title") trail=vec![Crumb { label: t("area-title"), href: paths::PERSONAL_AREA.into() }]>
            <h1>{t("activity-title")}</h1>
            <p class="lead">{t("activity-lead")}</p>
            <p><a href=paths::ACTIVITY_CSV download="attivita.csv">{t("activity-csv")}</a></p>
            <section aria-labelledby="sign-ins-heading">
                <h2 id="sign-ins-heading">{t("activity-sign-ins")}</h2>
                <TableOrEmpty
                    caption="activity-sign-ins-caption"
                    empty="activity-none"
                    columns=&["activity-col-when", "activity-col-credential", "activity-col-idp", "activity-col-level", "activity-col-from"]
                    cells=sign_ins
                />
            </section>
            <section aria-labelledby="actions-heading">
                <h2 id="actions-heading">{t("activity-actions")}</h2>
                <TableOrEmpty
                    caption="activity-actions-caption"
                    empty="activity-none"
                    columns=&["activity-col-when", "activity-col-action", "activity-col-on", "activity-col-as", "activity-col-outcome"]
                    cells=actions
                />
            </section>
            {(!history.legacy.is_empty()).then(|| view! {
                <section aria-labelledby="legacy-heading">
                    <h2 id="legacy-heading">{t("activity-legacy")}</h2>
                    <p>{t("activity-legacy-lead")}</p>
                    <TableOrEmpty
                        caption="activity-legacy-caption"
                        empty="activity-none"
                        columns=&["activity-col-when", "activity-col-action", "activity-col-as"]
                        rows=history.legacy.iter().map(|l| view! {
                            <tr>
                                <td>{when(l.at)}</td>
                                <td>{l.description.clone()}</td>
                                <td>{l.organisation.clone().unwrap_or_else(|| t("profile-citizen"))}</td>
                            </tr>
                        }.into_any()).collect()
                    />
                </section>
            })}
        </Page>
    }
}

/// `GET /area-personale/attivita`: one's own history only (no id in the address).
pub async fn page(req: PageRequest, who: Principal) -> AppResult<Response> {
    let history = load(&req, &who).await?;
    Ok(req.render(StatusCode::OK, move || view! { <ActivityPage history/> }.into_any()))
}

/// `GET /area-personale/attivita.csv`: the same, to keep or to send.
pub async fn csv(req: PageRequest, who: Principal) -> AppResult<Response> {
    let history = load(&req, &who).await?;
    let lang = req.lang;
    let stamp = |at: chrono::NaiveDateTime| at.format("%Y-%m-%d %H:%M:%S").to_string();
    let mut rows = Vec::new();
    for s in &history.sign_ins {
        let from = s.address.clone().unwrap_or_else(|| lang.t("activity-unknown-address"));
        let what = format!("{} · {} · {} · {from}", credential_name(s, lang), s.idp, s.level);
        let kind = lang.t("activity-kind-sign-in");
        rows.push([stamp(s.at), kind, what, String::new(), String::new(), lang.t("activity-allowed")]);
    }
    for e in &history.actions {
        let whom = history.names.as_whom(&e.subject, lang);
        let (kind, what) = (lang.t("activity-kind-action"), e.action.name(lang));
        let on = describe(e, &history.names, lang).text;
        rows.push([stamp(e.at), kind, what, on, whom, e.outcome.name(lang)]);
    }
    for l in &history.legacy {
        let whom = l.organisation.clone().unwrap_or_else(|| lang.t("profile-citizen"));
        let kind = lang.t("activity-kind-legacy");
        rows.push([stamp(l.at), kind, l.description.clone(), String::new(), whom, String::new()]);
    }
    let header = [
        "activity-col-when",
        "activity-col-kind",
        "activity-col-action",
        "activity-col-on",
        "activity-col-as",
        "activity-col-outcome",
    ];
    crate::web::csv::download("attivita.csv", header.map(|k| lang.t(k)), rows)
}

/// An organisation's activity: every action on its behalf or on its members.
#[derive(Clone)]
struct OrganisationHistory {
    organisation: Organisation,
    actions: Vec<AuditEvent>,
    /// Who did it, by account id.
    actors: HashMap<AccountId, String>,
    names: Names,
    /// The page shown is not the first.
    later: bool,
    /// Where the next page starts, if there is one.
    next: Option<i64>,
}

/// Rows on a page of an organisation's activity; its CSV has at most [`ORG_CSV_MAX`], the newest.
const ORG_PAGE: i64 = 50;
const ORG_CSV_MAX: i64 = 10_000;

#[derive(Debug, Default, serde::Deserialize)]
pub struct PageQuery {
    /// Events older than this id.
    prima: Option<String>,
}

async fn load_organisation(
    req: &PageRequest,
    who: &Principal,
    id: OrganisationId,
    before: Option<i64>,
    limit: i64,
) -> AppResult<OrganisationHistory> {
    let (_, organisation) = super::organisation::permit(req, who, id, Action::View).await?;
    let lang = req.lang;
    Ok(with_conn(&req.state.pool, move |c| {
        // One more than asked: whether there is a next page.
        let (found, next) = split_page(access::about_organisation(c, id, before, limit + 1)?, limit, |(id, _)| *id);
        let actions: Vec<AuditEvent> = found.into_iter().map(|(_, e)| e).collect();
        let mut ids: Vec<AccountId> = actions.iter().filter_map(|e| e.actor_account_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let actors = account::names(c, &ids)?.into_iter().collect();
        let names = Names::load(c, &actions)?.with_services(&actions, |s| catalog::name_of(s, lang));
        let organisation = organisation.clone();
        Ok(OrganisationHistory { organisation, actions, actors, names, later: before.is_some(), next })
    })
    .await?)
}

fn actor_name(e: &AuditEvent, actors: &HashMap<AccountId, String>) -> String {
    e.actor_account_id.and_then(|id| actors.get(&id).cloned()).unwrap_or_default()
}

#[component]
fn OrganisationActivityPage(history: OrganisationHistory) -> impl IntoView {
    let lang = use_lang();
    let id = history.organisation.id;
    let rows: Vec<Vec<AnyView>> = access::in_runs(&history.actions)
        .into_iter()
        .map(|(e, times)| {
            vec![
                crate::web::format::format_when_times(e.at, times, lang).into_any(),
                actor_name(e, &history.actors).into_any(),
                e.action.name(lang).into_any(),
                describe(e, &history.names, lang).into_view().into_any(),
                history.names.as_whom(&e.subject, lang).into_any(),
                e.outcome.name(lang).into_any(),
            ]
        })
        .collect();
    let title = t_args("org-activity-title", &[("organisation", history.organisation.name.clone())]);
    view! {
        <Page title=title.clone() trail=vec![
            Crumb { label: t("profiles-title"), href: paths::PROFILES.into() },
            Crumb { label: history.organisation.name.clone(), href: paths::organisation(id) },
        ]>
            <h1>{title}</h1>
            <p class="lead">{t("org-activity-lead")}</p>
            <p><a href=paths::organisation_activity_csv(id) download="attivita-organizzazione.csv">{t("activity-csv")}</a></p>
            <TableOrEmpty
                caption="org-activity-caption"
                empty="activity-none"
                columns=&["activity-col-when", "activity-col-who", "activity-col-action", "activity-col-on", "activity-col-as", "activity-col-outcome"]
                cells=rows
            />
            <Pager
                label=t("org-activity-pages")
                first=history.later.then(|| paths::organisation_activity(id))
                next=history.next.map(|before| format!("{}?prima={before}", paths::organisation_activity(id)))
            />
        </Page>
    }
}

/// `GET /profili/organizzazioni/{id}/attivita[?prima=…]`: for those who manage it.
pub async fn organisation_page(
    req: PageRequest,
    who: Principal,
    Path(id): Path<OrganisationId>,
    axum::extract::Query(q): axum::extract::Query<PageQuery>,
) -> AppResult<Response> {
    // A cursor that does not parse starts from the first page.
    let before = id_cursor(q.prima.as_deref());
    let history = load_organisation(&req, &who, id, before, ORG_PAGE).await?;
    Ok(req.render(StatusCode::OK, move || view! { <OrganisationActivityPage history/> }.into_any()))
}

/// `GET /profili/organizzazioni/{id}/attivita.csv`.
pub async fn organisation_csv(req: PageRequest, who: Principal, Path(id): Path<OrganisationId>) -> AppResult<Response> {
    let history = load_organisation(&req, &who, id, None, ORG_CSV_MAX).await?;
    let lang = req.lang;
    let rows = history
        .actions
        .iter()
        .map(|e| {
            [
                e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                actor_name(e, &history.actors),
                e.action.name(lang),
                describe(e, &history.names, lang).text,
                history.names.as_whom(&e.subject, lang),
                e.outcome.name(lang),
            ]
        })
        .collect();
    let header = [
        "activity-col-when",
        "activity-col-who",
        "activity-col-action",
        "activity-col-on",
        "activity-col-as",
        "activity-col-outcome",
    ];
    crate::web::csv::download("attivita-organizzazione.csv", header.map(|k| lang.t(k)), rows)
}
