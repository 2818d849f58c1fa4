//! What people see of an interruption: the notice on the service's page, the
//! 503 page in place of the service while it lasts, and `/stato-servizi`,
//! the record of the past year's.
use super::model::{self, Service};
use super::outages::{self, Outage};
use crate::db::with_conn;
use crate::error::AppResult;
use crate::i18n::{t, t_args, use_lang};
use crate::kernel::AppState;
use crate::paths;
use crate::web::components::TableOrEmpty;
use crate::web::format::format_when;
use crate::web::layout::Page;
use crate::web::render::PageRequest;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDateTime;
use leptos::prelude::*;

/// "From 02/12/2026 at 10:00 to 02/12/2026 at 18:00", or "…, end not yet known".
fn period(x: &Outage) -> String {
    let lang = use_lang();
    let from = format_when(x.starts_at, lang);
    match x.end() {
        Some(end) => t_args("outage-period", &[("from", from), ("to", format_when(end, lang))]),
        None => t_args("outage-period-open", &[("from", from)]),
    }
}

fn service_name(slug: &str) -> String {
    model::find(slug).map(|s| s.name.get(use_lang()).to_string()).unwrap_or_else(|| slug.to_string())
}

/// One interruption, as a notice: what, when, and the Ministry's words.
#[component]
pub fn OutageNotice(outage: Outage, now: NaiveDateTime) -> impl IntoView {
    let heading =
        if outage.in_force(now) { t(&format!("outage-now-{}", outage.kind.code())) } else { t("outage-coming") };
    let note = outage.note(use_lang()).map(str::to_string);
    view! {
        <div class="notice notice--warning">
            <h2>{heading}</h2>
            <p>{period(&outage)}</p>
            {note.map(|n| view! { <p><strong>{t("outage-ministry-says")}</strong> " " {n}</p> })}
        </div>
    }
}

#[component]
fn OutagePage(service: &'static Service, outage: Outage, now: NaiveDateTime) -> impl IntoView {
    let lang = use_lang();
    let name = service.name.get(lang).to_string();
    let back = outage.end().map(|end| t_args("outage-come-back", &[("when", format_when(end, lang))]));
    // A resignation's seven days to revoke run on: the worker needs proof of
    // the interruption and the way the Ministry opens meanwhile.
    let dimissioni = service.slug == "dimissioni-volontarie";
    view! {
        <Page title=t_args("outage-title", &[("service", name.clone())])
            trail=vec![crate::web::components::Crumb { label: t("catalog-title"), href: paths::SERVICES.into() }]>
            <h1>{t_args("outage-title", &[("service", name)])}</h1>
            <OutageNotice outage now/>
            <h2>{t("outage-meanwhile")}</h2>
            <ul>
                <li>{back.unwrap_or_else(|| t("outage-come-back-later"))}</li>
                <li>{t("outage-nothing-lost")}</li>
                {dimissioni.then(|| view! { <li>{t("outage-dimissioni-proof")}</li> })}
                <li><a href=paths::SERVICE_STATUS>{t("outage-status-link")}</a></li>
                <li><a href=paths::SUPPORT>{t("outage-support-link")}</a></li>
            </ul>
        </Page>
    }
}

/// The 503 page in place of the service, with `Retry-After`.
pub fn unavailable(req: &PageRequest, service: &'static Service, outage: Outage) -> Response {
    let now = req.state.clock.now();
    let retry = outage.retry_after_secs(now);
    let mut res =
        req.render(StatusCode::SERVICE_UNAVAILABLE, move || view! { <OutagePage service outage now/> }.into_any());
    res.headers_mut().insert(header::RETRY_AFTER, retry.into());
    res
}

/// For a service the portal runs itself: while an interruption is in force,
/// every address of the service answers the 503 page.
pub async fn closed_while_out(
    State((state, slug)): State<(AppState, &'static str)>,
    req: Request,
    next: Next,
) -> Response {
    let now = state.clock.now();
    let found = with_conn(&state.pool, move |c| outages::in_force(c, slug, now)).await;
    match (found, model::find(slug)) {
        (Ok(Some(outage)), Some(service)) => {
            let (parts, _) = req.into_parts();
            unavailable(&PageRequest::from_parts(&parts, state), service, outage)
        }
        (Ok(_), _) => next.run(req).await,
        (Err(e), _) => crate::error::AppError::from(e).into_response(),
    }
}

#[component]
fn StatusPage(record: Vec<Outage>, now: NaiveDateTime) -> impl IntoView {
    let lang = use_lang();
    let (current, rest): (Vec<Outage>, Vec<Outage>) = record.into_iter().partition(|x| x.in_force(now));
    let (planned, past): (Vec<Outage>, Vec<Outage>) = rest.into_iter().partition(|x| x.upcoming(now));
    let row = move |x: Outage| {
        let end = x.end().map(|e| format_when(e, lang)).unwrap_or_else(|| t("outage-end-unknown"));
        view! {
            <tr>
                <th scope="row"><a href=paths::service(&x.slug)>{service_name(&x.slug)}</a></th>
                <td>{t(&format!("outage-kind-{}", x.kind.code()))}</td>
                <td>{format_when(x.starts_at, lang)}</td>
                <td>{end}</td>
            </tr>
        }
    };
    const COLUMNS: &[&str] = &["outage-col-service", "outage-col-kind", "outage-col-from", "outage-col-to"];
    let planned: Vec<AnyView> = planned.into_iter().map(|x| row(x).into_any()).collect();
    let past: Vec<AnyView> = past.into_iter().map(|x| row(x).into_any()).collect();
    view! {
        <Page title=t("status-title")>
            <h1>{t("status-title")}</h1>
            <p class="lead">{t("status-lead")}</p>
            <h2>{t("status-now")}</h2>
            {if current.is_empty() {
                view! { <p class="notice">{t("status-all-working")}</p> }.into_any()
            } else {
                current.into_iter().map(|x| {
                    let name = service_name(&x.slug);
                    view! { <h3>{name}</h3> <OutageNotice outage=x now/> }
                }).collect_view().into_any()
            }}
            <h2>{t("status-planned")}</h2>
            <TableOrEmpty caption="status-planned-caption" empty="status-none-planned" columns=COLUMNS rows=planned/>
            <h2>{t("status-past")}</h2>
            <TableOrEmpty caption="status-past-caption" empty="status-none-past" columns=COLUMNS rows=past/>
        </Page>
    }
}

/// `GET /stato-servizi`: in force, planned and past interruptions.
pub async fn status(req: PageRequest) -> AppResult<Response> {
    let now = req.state.clock.now();
    let record = with_conn(&req.state.pool, move |c| outages::record(c, now)).await?;
    Ok(req.render(StatusCode::OK, move || view! { <StatusPage record now/> }.into_any()))
}

/// The interruptions the service's page announces.
pub async fn announced(state: &AppState, slug: &'static str) -> AppResult<Vec<Outage>> {
    let now = state.clock.now();
    Ok(with_conn(&state.pool, move |c| outages::announced(c, slug, now)).await?)
}
