//! `/deleghe`: the deleghe one gave (also for the organisations one
//! manages) and received, filterable by state, and the acceptance code form;
//! `/deleghe/{id}`: one delega, its history, what the delegate did under it
//! (for the grantor's side), and the actions each side may take.
use super::confirm::{self, GrantedPage};
use super::lifecycle::State;
use super::model::{self, Delega, HistoryLine, Kind, Window};
use super::outcome::Done;
use super::permit::permit_and_sides;
use crate::access::{self, describe, Action, AuditEvent, Names};
use crate::catalog::model as catalog;
use crate::db::with_conn;
use crate::error::AppResult;
use crate::i18n::{t, t_args, use_lang};
use crate::identity::organisations;
use crate::kernel::DelegaId;
use crate::kernel::OrganisationId;
use crate::kernel::{Credential, Principal};
use crate::paths;
use crate::web::components::{
    id_cursor, split_page, Crumb, ErrorSummary, Field, FieldErrors, Pager, SuccessBanner, TableOrEmpty,
};
use crate::web::format::{format_date, format_when, format_when_times};
use crate::web::layout::Page;
use crate::web::render::PageRequest;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use leptos::prelude::*;
use serde::Deserialize;

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ListQuery {
    pub stato: Option<String>,
    /// The received list's page: those older than this id.
    pub ricevute_prima: Option<String>,
    /// The given list's page: those older than this id.
    pub conferite_prima: Option<String>,
}

impl ListQuery {
    fn state(&self) -> Option<State> {
        self.stato.as_deref().and_then(State::parse)
    }

    /// The address of this page with one of its cursors moved.
    fn href(&self, received: Option<DelegaId>, given: Option<DelegaId>, anchor: &str) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        if let Some(s) = self.state() {
            query.append_pair("stato", s.code());
        }
        if let Some(id) = received {
            query.append_pair("ricevute_prima", &id.to_string());
        }
        if let Some(id) = given {
            query.append_pair("conferite_prima", &id.to_string());
        }
        format!("{}?{}#{anchor}", paths::DELEGHE, query.finish())
    }
}

/// A cursor as the address carries it; one that does not parse starts from the first page.
fn cursor(typed: &Option<String>) -> Option<DelegaId> {
    id_cursor(typed.as_deref()).map(DelegaId::new)
}

/// Deleghe on each list's page.
const PAGE: i64 = 50;

/// What `/deleghe` shows.
#[derive(Clone, Default)]
pub struct Lists {
    pub given: Vec<Delega>,
    pub received: Vec<Delega>,
    pub query: ListQuery,
    /// Where each list's next page starts, if it has one.
    pub next_received: Option<DelegaId>,
    pub next_given: Option<DelegaId>,
    /// A delega addressed to the person waits for their answer (on any page).
    pub pending: bool,
    pub code: String,
    pub errors: FieldErrors,
    /// Deleghe intermediaries asked of this person or of the organisations they manage.
    pub requests: Vec<super::request_pages::Listed>,
}

pub async fn load(req: &PageRequest, who: &Principal, query: ListQuery) -> AppResult<Lists> {
    let (account, now) = (who.actor.account_id, req.state.clock.now());
    // Deleghe are addressed to a codice fiscale, which SPID and CIE give.
    let codice_fiscale =
        matches!(who.actor.credential, Credential::Spid | Credential::Cie).then(|| who.actor.identifier.clone());
    let lang = req.lang;
    let window = Window::first(PAGE + 1).in_state(query.state());
    let (received_before, given_before) = (cursor(&query.ricevute_prima), cursor(&query.conferite_prima));
    let (given, received, pending, requests) = with_conn(&req.state.pool, move |c| {
        let managed: Vec<_> =
            organisations::profiles_of(c, account)?.into_iter().filter(|p| p.role.manages()).collect();
        let ids: Vec<OrganisationId> = managed.iter().map(|p| p.organisation_id).collect();
        let named: Vec<(String, String)> =
            managed.into_iter().map(|p| (p.codice_fiscale, p.organisation_name)).collect();
        let (received, pending) = match &codice_fiscale {
            Some(cf) => (
                model::received(c, cf, now, window.before(received_before))?,
                !model::received(c, cf, now, Window::first(1).in_state(Some(State::Pending)))?.is_empty(),
            ),
            None => (Vec::new(), false),
        };
        let requests = super::request_pages::addressed(c, codice_fiscale.as_deref(), &named, lang, now)?;
        Ok((model::given(c, account, &ids, now, window.before(given_before))?, received, pending, requests))
    })
    .await?;
    let (given, next_given) = split_page(given, PAGE, |d| d.id);
    let (received, next_received) = split_page(received, PAGE, |d| d.id);
    Ok(Lists { requests, given, received, next_given, next_received, pending, query, ..Lists::default() })
}

/// `GET /deleghe[?stato=…&ricevute_prima=…&conferite_prima=…]`.
pub async fn list(req: PageRequest, who: Principal, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let lists = load(&req, &who, q).await?;
    Ok(render_list(&req, StatusCode::OK, lists))
}

pub fn render_list(req: &PageRequest, status: StatusCode, lists: Lists) -> Response {
    req.render(status, move || view! { <ListPage lists/> }.into_any())
}

/// "All services" or how many.
fn scope_summary(d: &Delega) -> String {
    match &d.services {
        None => t("delega-scope-all-short"),
        Some(list) => t_args("delega-scope-count", &[("count", list.len().to_string())]),
    }
}

#[component]
fn DelegheTable(deleghe: Vec<Delega>, caption: &'static str, given: bool) -> impl IntoView {
    let lang = use_lang();
    let rows: Vec<AnyView> = deleghe
        .into_iter()
        .map(|d| {
            let other = if given { d.delegate_label() } else { d.grantor_name.clone() };
            view! {
                <tr>
                    <td><a href=paths::delega(d.id)>{d.subject_name()}</a></td>
                    <td>{other}</td>
                    <td>{t(d.kind.name_key())} <br/><span class="hint">{scope_summary(&d)}</span></td>
                    <td>{format_date(d.starts_on, lang)} " – " {format_date(d.ends_on, lang)}</td>
                    <td>{t(&d.state.name_key())}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    const GIVEN: &[&str] =
        &["delega-col-for", "delega-col-delegate", "delega-col-kind", "delega-col-dates", "delega-col-state"];
    const RECEIVED: &[&str] =
        &["delega-col-for", "delega-col-grantor", "delega-col-kind", "delega-col-dates", "delega-col-state"];
    view! { <TableOrEmpty caption=caption empty="deleghe-none" columns=if given { GIVEN } else { RECEIVED } rows/> }
}

#[component]
fn ListPage(lists: Lists) -> impl IntoView {
    let pending = lists.pending;
    let e = lists.errors.clone();
    let q = lists.query.clone();
    let current = q.state().map(|s| s.code()).unwrap_or("");
    // Each list's next page keeps the other list where it is.
    let (received_at, given_at) = (cursor(&q.ricevute_prima), cursor(&q.conferite_prima));
    let next_received = lists.next_received.map(|id| q.href(Some(id), given_at, "received-heading"));
    let next_given = lists.next_given.map(|id| q.href(received_at, Some(id), "given-heading"));
    let first_received = received_at.is_some().then(|| q.href(None, given_at, "received-heading"));
    let first_given = given_at.is_some().then(|| q.href(received_at, None, "given-heading"));
    view! {
        <Page title=t("deleghe-title")>
            <h1>{t("deleghe-title")}</h1>
            <p class="lead">{t("deleghe-lead")}</p>
            {pending.then(|| view! { <div class="notice" role="status"><p>{t("deleghe-pending-banner")}</p></div> })}
            <p><a class="button" href=paths::DELEGA_NEW>{t("delega-new-title")}</a></p>
            <form method="get" action=paths::DELEGHE class="filters">
                <div class="field">
                    <label for="stato">{t("delega-filter")}</label>
                    <select id="stato" name="stato">
                        <option value="">{t("delega-filter-all")}</option>
                        {State::ALL.into_iter().map(|s| view! { <option value=s.code() selected=s.code() == current>{t(&s.name_key())}</option> }).collect_view()}
                    </select>
                </div>
                <p><button type="submit" class="button--secondary">{t("catalog-apply")}</button></p>
            </form>
            {(!lists.requests.is_empty()).then(|| view! {
                <section aria-labelledby="requests-heading">
                    <h2 id="requests-heading">{t("request-received")}</h2>
                    <super::request_pages::RequestsTable rows=lists.requests.clone() caption="request-received-caption" sent=false/>
                </section>
            })}
            <section aria-labelledby="received-heading">
                <h2 id="received-heading">{t("deleghe-received")}</h2>
                <p><a href=paths::CLIENTS>{t("clients-link")}</a></p>
                <DelegheTable deleghe=lists.received caption="deleghe-received-caption" given=false/>
                <Pager label=t("deleghe-received-pages") first=first_received next=next_received/>
                <ErrorSummary errors=lists.errors.clone()/>
                <form method="post" action=paths::DELEGA_CODE novalidate class="card">
                    <Field name="codice" label="delega-code" hint="delega-code-hint" value=lists.code.clone() error=e.get("codice")/>
                    <button type="submit" class="button--secondary">{t("delega-code-submit")}</button>
                </form>
            </section>
            <section aria-labelledby="given-heading">
                <h2 id="given-heading">{t("deleghe-given")}</h2>
                <DelegheTable deleghe=lists.given caption="deleghe-given-caption" given=true/>
                <Pager label=t("deleghe-given-pages") first=first_given next=next_given/>
            </section>
        </Page>
    }
}

/// What one delega's page shows.
#[derive(Clone)]
struct Detail {
    delega: Delega,
    history: Vec<HistoryLine>,
    /// What the delegate did under it (for the grantor's side only).
    actions: Option<(Vec<AuditEvent>, Names)>,
    grantor_side: bool,
    delegate_side: bool,
    /// May ask for today's approval of a temporanea: its delegate, or for an
    /// organisation's, any member who acts through it.
    asker: bool,
    /// A temporanea's use today: asked, approved, or neither.
    today: Option<model::Approval>,
    /// The action just done, to confirm.
    done: Option<Done>,
}

#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    esito: Option<String>,
}

/// `GET /deleghe/{id}`: to both sides; to anyone else it does not exist.
/// Right after an action (`?esito=`), it confirms it: a delega just granted
/// gets its confirmation page, the other actions a banner.
pub async fn detail(
    req: PageRequest,
    who: Principal,
    Path(id): Path<DelegaId>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let (_, delega, sides) = permit_and_sides(&req, &who, id, Action::View).await?;
    let done = q.esito.as_deref().and_then(Done::parse);
    if done == Some(Done::Granted) && delega.grantor_account_id == who.actor.account_id {
        let delegate = confirm::delegate_named(&req, &delega.delegate_codice_fiscale).await?;
        return Ok(req.render(StatusCode::OK, move || view! { <GrantedPage d=delega delegate/> }.into_any()));
    }
    let this = sides.resource(&delega);
    // Each side's buttons, also below the level its actions ask: pressing one
    // then asks for a new authentication, rather than hiding what one may do.
    let side =
        |action| matches!(access::authorize(Some(&who), action, &this), Ok(_) | Err(access::Denial::Level { .. }));
    let (delegate_side, grantor_side) = (side(Action::Decide), side(Action::Change));
    let asker = if delega.held_by.is_some() { side(Action::Switch) } else { delegate_side };
    let today = crate::kernel::clock::italian_day(req.state.clock.now());
    let lang = req.lang;
    let (history, actions, today) = with_conn(&req.state.pool, move |c| {
        let actions = match grantor_side {
            true => {
                let events = access::under_delega(c, id, 200)?;
                let names = Names::load(c, &events)?.with_services(&events, |s| catalog::name_of(s, lang));
                Some((events, names))
            }
            false => None,
        };
        Ok((model::history(c, id)?, actions, model::approval_state(c, id, today)?))
    })
    .await?;
    let data = Detail { delega, history, actions, grantor_side, delegate_side, asker, today, done };
    Ok(req.render(StatusCode::OK, move || view! { <DetailPage data/> }.into_any()))
}

/// One button posting `azione` to the delega.
#[component]
fn ActionButton(
    id: DelegaId,
    action: &'static str,
    label: &'static str,
    #[prop(optional)] secondary: bool,
) -> impl IntoView {
    view! {
        <form method="post" action=paths::delega_action(id) class="inline-form">
            <input type="hidden" name="azione" value=action/>
            <button type="submit" class=secondary.then_some("button--secondary")>{t(label)}</button>
        </form>
    }
}

#[component]
fn DetailPage(data: Detail) -> impl IntoView {
    let lang = use_lang();
    let d = data.delega.clone();
    let id = d.id;
    let services = d.services_named(lang);
    let temporary = d.kind == Kind::Temporanea;
    let today_state = data.today;
    let mut buttons: Vec<AnyView> = Vec::new();
    if data.delegate_side && d.state == State::Pending {
        buttons.push(view! { <ActionButton id action="accetta" label="delega-accept"/> }.into_any());
        buttons.push(view! { <ActionButton id action="rifiuta" label="delega-refuse" secondary=true/> }.into_any());
    }
    if data.asker && temporary && d.state == State::Active && today_state.is_none() {
        buttons.push(view! { <ActionButton id action="chiedi" label="delega-ask"/> }.into_any());
    }
    if data.grantor_side && temporary && today_state == Some(model::Approval::Requested) {
        buttons.push(view! { <ActionButton id action="approva" label="delega-approve"/> }.into_any());
    }
    if data.delegate_side && matches!(d.state, State::Accepted | State::Active) {
        buttons.push(view! { <ActionButton id action="rinuncia" label="delega-renounce" secondary=true/> }.into_any());
    }
    if data.grantor_side && d.state.is_live() {
        buttons.push(view! { <ActionButton id action="revoca" label="delega-revoke" secondary=true/> }.into_any());
    }
    let history: Vec<AnyView> = data
        .history
        .iter()
        .map(|h| {
            let event = format!("delega-event-{}", h.event);
            view! {
                <tr>
                    <td>{format_when(h.at, lang)}</td>
                    <td>{t(&event)}</td>
                    <td>{h.actor.clone().unwrap_or_else(|| t("delega-by-portal"))}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let actions = data.actions.map(|(events, names)| {
        let rows: Vec<Vec<AnyView>> = access::in_runs(&events)
            .into_iter()
            .map(|(e, times)| {
                vec![
                    format_when_times(e.at, times, lang).into_any(),
                    e.action.name(lang).into_any(),
                    describe(e, &names, lang).into_view().into_any(),
                    e.outcome.name(lang).into_any(),
                ]
            })
            .collect();
        view! {
            <section aria-labelledby="under-heading">
                <h2 id="under-heading">{t("delega-under")}</h2>
                <TableOrEmpty
                    caption="delega-under-caption"
                    empty="activity-none"
                    columns=&["activity-col-when", "activity-col-action", "activity-col-on", "activity-col-outcome"]
                    cells=rows
                />
            </section>
        }
    });
    let title = t_args("delega-title", &[("subject", d.subject_name())]);
    view! {
        <Page title=title.clone() trail=vec![Crumb { label: t("deleghe-title"), href: paths::DELEGHE.into() }]>
            {data.done.map(|done| view! { <SuccessBanner text=t(&done.banner_key())/> })}
            <h1>{title}</h1>
            <dl class="facts">
                <dt>{t("delega-col-state")}</dt><dd><strong>{t(&d.state.name_key())}</strong></dd>
                <dt>{t("delega-col-grantor")}</dt><dd>{d.grantor_name.clone()}</dd>
                <dt>{t("delega-col-delegate")}</dt><dd>{d.delegate_label()}</dd>
                <dt>{t("delega-col-kind")}</dt><dd>{t(d.kind.name_key())}</dd>
                <dt>{t("delega-scope")}</dt><dd><ul>{services.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul></dd>
                <dt>{t("delega-col-dates")}</dt><dd>{format_date(d.starts_on, lang)} " – " {format_date(d.ends_on, lang)}</dd>
                {(d.state == State::Pending).then(|| view! {
                    <dt>{t("delega-answer-by")}</dt><dd>{format_when(d.answer_by, lang)}</dd>
                })}
                {(data.grantor_side && d.state == State::Pending).then(|| view! {
                    <dt>{t("delega-code")}</dt><dd><code>{d.acceptance_code.clone()}</code> <br/><span class="hint">{t("delega-code-pass-on")}</span></dd>
                })}
                {temporary.then(|| view! {
                    <dt>{t("delega-today")}</dt>
                    <dd>{t(match today_state { Some(model::Approval::Approved) => "delega-today-approved", Some(model::Approval::Requested) => "delega-today-asked", None => "delega-today-none" })}</dd>
                })}
            </dl>
            {(!buttons.is_empty()).then(|| view! { <div class="actions">{buttons}</div> })}
            <section aria-labelledby="history-heading">
                <h2 id="history-heading">{t("delega-history")}</h2>
                <TableOrEmpty
                    caption="delega-history-caption"
                    empty="activity-none"
                    columns=&["activity-col-when", "activity-col-action", "activity-col-who"]
                    rows=history
                />
            </section>
            {actions}
        </Page>
    }
}
