//! `/clienti`: "I miei clienti" — everyone a person may act for through the
//! deleghe they received (a consulente's companies, a patronato's workers),
//! with the services, the dates and the state of each delega; search by name
//! or codice fiscale, filters, pages of 50 by keyset, acting for a client in
//! one click, and `/clienti.csv` with the same filters.
use super::clients::{self, After, Book, Client, Filter};
use super::lifecycle::State;
use super::model::services_line;
use super::model::Kind;
use crate::access::{self, Action, Permit};
use crate::db::with_conn;
use crate::error::AppResult;
use crate::i18n::{t, t_args, use_lang};
use crate::kernel::clock::italian_day;
use crate::kernel::Principal;
use crate::paths;
use crate::web::components::{Choice, Control, Crumb, TableOrEmpty};
use crate::web::format::format_date;
use crate::web::layout::Page;
use crate::web::render::PageRequest;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Duration;
use leptos::prelude::*;
use serde::Deserialize;
use std::sync::Arc;

/// Rows on a page.
const PAGE: i64 = 50;
/// Rows in one CSV export at the most.
const CSV_MAX: usize = 10_000;
/// "In scadenza": ending within this many days.
const ENDING_DAYS: i64 = 30;

#[derive(Debug, Default, Deserialize)]
pub struct ClientsQuery {
    #[serde(default)]
    q: String,
    scadenza: Option<String>,
    temporanea: Option<String>,
    attesa: Option<String>,
    dopo: Option<String>,
}

impl ClientsQuery {
    fn filter(&self, today: chrono::NaiveDate) -> Filter {
        let on = |v: &Option<String>| v.as_deref() == Some("si");
        Filter {
            words: self.q.chars().take(100).collect(),
            ending_by: on(&self.scadenza).then(|| today + Duration::days(ENDING_DAYS)),
            only_temporanea: on(&self.temporanea),
            only_pending: on(&self.attesa),
        }
    }

    /// The filters as an address's query (without the page boundary).
    fn query(&self) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        if !self.q.trim().is_empty() {
            s.append_pair("q", self.q.trim());
        }
        for (name, v) in [("scadenza", &self.scadenza), ("temporanea", &self.temporanea), ("attesa", &self.attesa)] {
            if v.as_deref() == Some("si") {
                s.append_pair(name, "si");
            }
        }
        s.finish()
    }
}

/// The list `who` works on now and the permit to read it (asked once per request).
async fn permit(req: &PageRequest, who: &Principal) -> AppResult<(Arc<Permit>, Book)> {
    let book = clients::book(&req.state.pool, who).await?;
    let permit = access::require(req, Action::View, &book.resource(), paths::CLIENTS).await?;
    Ok((Arc::new(permit), book))
}

/// One page of `who`'s clients: the rows, and where the next page starts.
async fn load(
    req: &PageRequest,
    book: &Book,
    permit: Arc<Permit>,
    q: &ClientsQuery,
    after: Option<After>,
    limit: i64,
) -> AppResult<(Vec<Client>, Option<After>)> {
    let book = book.clone();
    let now = req.state.clock.now();
    let today = italian_day(now);
    let filter = q.filter(today);
    let rows =
        with_conn(&req.state.pool, move |c| clients::page(c, &permit, &book, &filter, after, now, limit + 1)).await?;
    Ok(crate::web::components::split_page(rows, limit, |r| After { ends_on: r.ends_on, id: r.delega }))
}

/// What one can do for a client from the row: act for them (a delega in
/// force), answer (one waiting), or open the delega.
#[component]
fn ClientAction(c: Client) -> impl IntoView {
    match c.state {
        State::Active => view! {
            <form method="post" action=paths::PROFILES_ACTIVE class="inline-form">
                <input type="hidden" name="profilo" value=format!("delega:{}", c.delega)/>
                <input type="hidden" name="next" value=paths::SERVICES/>
                <button type="submit">{t("clients-act")}<span class="visually-hidden">{format!(" {}", c.name)}</span></button>
            </form>
        }
        .into_any(),
        State::Pending => view! {
            <a href=paths::delega(c.delega)>{t("clients-answer")}<span class="visually-hidden">{format!(" {}", c.name)}</span></a>
        }
        .into_any(),
        _ => view! {
            <a href=paths::delega(c.delega)>{t("clients-open")}<span class="visually-hidden">{format!(" {}", c.name)}</span></a>
        }
        .into_any(),
    }
}

#[component]
fn ClientsPage(
    rows: Vec<Client>,
    q: ClientsQuery,
    next: Option<After>,
    first: bool,
    sent: Vec<super::request_pages::Listed>,
    book: Book,
) -> impl IntoView {
    let lang = use_lang();
    let filters = q.query();
    let with = |extra: &str| {
        let sep = if filters.is_empty() || extra.is_empty() { "" } else { "&" };
        format!("{}?{filters}{sep}{extra}", paths::CLIENTS)
    };
    let next_href = next.map(|n| with(&format!("dopo={}", n.token())));
    let first_href = with("");
    let csv_href = format!("{}?{filters}", paths::CLIENTS_CSV);
    let cells: Vec<Vec<AnyView>> = rows
        .into_iter()
        .map(|c| {
            let kind = if c.kind == Kind::Temporanea { format!(" · {}", t(c.kind.name_key())) } else { String::new() };
            vec![
                view! { <strong>{c.name.clone()}</strong> <br/><span class="hint">{c.codice_fiscale.clone()}</span> }
                    .into_any(),
                view! { {services_line(&c.services, lang)} {kind} }.into_any(),
                format!("{} – {}", format_date(c.starts_on, lang), format_date(c.ends_on, lang)).into_any(),
                t(&c.state.name_key()).into_any(),
                view! { <ClientAction c/> }.into_any(),
            ]
        })
        .collect();
    let on = |v: &Option<String>| v.as_deref() == Some("si");
    view! {
        <Page title=t("clients-title") trail=vec![Crumb { label: t("deleghe-title"), href: paths::DELEGHE.into() }]>
            <h1>{t("clients-title")}</h1>
            {match &book {
                Book::Person { .. } => view! { <p class="lead">{t("clients-lead")}</p> }.into_any(),
                Book::Organisation { name, role, .. } => {
                    let key = if role.manages() { "clients-lead-organisation" } else { "clients-lead-operatore" };
                    view! { <p class="lead">{t_args(key, &[("name", name.clone())])}</p> }.into_any()
                }
            }}
            // Asking for deleghe: one's own, or those who manage the organisation.
            {book.may_ask().then(|| view! {
                <p>
                    <a class="button button--secondary" href=paths::CLIENT_REQUEST>{t("request-new-title")}</a>
                    " "
                    <a class="button button--secondary" href=paths::CLIENT_REQUEST_BULK>{t("bulk-title")}</a>
                </p>
            })}
            <form method="get" action=paths::CLIENTS class="card">
                <div class="field">
                    <label for="q">{t("clients-search")}</label>
                    <p id="q-hint" class="hint">{t("clients-search-hint")}</p>
                    <input id="q" name="q" type="search" value=q.q.clone() aria-describedby="q-hint"/>
                </div>
                <fieldset class="controls">
                    <legend class="controls__legend">{t("clients-show-only")}</legend>
                    <Control kind="checkbox" name="scadenza" id="scadenza".to_string()
                        choice=Choice::new("si", t_args("clients-ending", &[("days", ENDING_DAYS.to_string())]), on(&q.scadenza))/>
                    <Control kind="checkbox" name="temporanea" id="temporanea".to_string()
                        choice=Choice::new("si", t("clients-temporanea"), on(&q.temporanea))/>
                    <Control kind="checkbox" name="attesa" id="attesa".to_string()
                        choice=Choice::new("si", t("clients-pending"), on(&q.attesa))/>
                </fieldset>
                <p><button type="submit" class="button--secondary">{t("clients-apply")}</button></p>
            </form>
            <p><a href=csv_href download="clienti.csv">{t("clients-csv")}</a></p>
            <TableOrEmpty
                caption="clients-caption"
                empty="clients-none"
                columns=&["clients-col-client", "clients-col-services", "clients-col-dates", "clients-col-state", "clients-col-action"]
                cells
            />
            <crate::web::components::Pager label=t("clients-pages") first=(!first).then_some(first_href) next=next_href/>
            // The deleghe asked for, and their outcome (on the list's first page).
            {(first && !sent.is_empty()).then(|| view! {
                <section aria-labelledby="sent-heading">
                    <h2 id="sent-heading">{t("request-sent")}</h2>
                    <super::request_pages::RequestsTable rows=sent caption="request-sent-caption" sent=true/>
                </section>
            })}
        </Page>
    }
}

/// `GET /clienti[?q=…&scadenza=si&temporanea=si&attesa=si&dopo=…]`.
pub async fn page(req: PageRequest, who: Principal, Query(q): Query<ClientsQuery>) -> AppResult<Response> {
    // A boundary that does not parse starts from the first page.
    let after = q.dopo.as_deref().and_then(After::parse);
    let (permit, book) = permit(&req, &who).await?;
    let (rows, next) = load(&req, &book, permit, &q, after, PAGE).await?;
    let first = after.is_none();
    // The requests asked: one's own, or the organisation's to those who manage it.
    let sent = if first && book.may_ask() { super::request_pages::sent(&req, &who, &book).await? } else { Vec::new() };
    Ok(req.render(StatusCode::OK, move || view! { <ClientsPage rows q next first sent book/> }.into_any()))
}

/// `GET /clienti.csv`: the same list, every page, to keep or to work on.
pub async fn csv(req: PageRequest, who: Principal, Query(q): Query<ClientsQuery>) -> AppResult<Response> {
    let lang = req.lang;
    let mut all: Vec<Client> = Vec::new();
    let mut after = None;
    let (permit, book) = permit(&req, &who).await?;
    loop {
        let (rows, next) = load(&req, &book, permit.clone(), &q, after, 1000).await?;
        all.extend(rows);
        match next {
            Some(n) if all.len() < CSV_MAX => after = Some(n),
            _ => break,
        }
    }
    all.truncate(CSV_MAX);
    let rows = all
        .iter()
        .map(|c| {
            [
                c.name.clone(),
                c.codice_fiscale.clone(),
                services_line(&c.services, lang),
                lang.t(c.kind.name_key()),
                c.starts_on.to_string(),
                c.ends_on.to_string(),
                lang.t(&c.state.name_key()),
            ]
        })
        .collect();
    let header = [
        "clients-col-client",
        "clients-col-codice-fiscale",
        "clients-col-services",
        "delega-kind",
        "delega-from",
        "delega-until",
        "clients-col-state",
    ];
    crate::web::csv::download("clienti.csv", header.map(|k| lang.t(k)), rows)
}
