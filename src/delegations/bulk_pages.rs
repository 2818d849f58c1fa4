//! `/clienti/richieste/elenco`: an intermediary asks many clients at once
//! from a CSV file (its columns explained on the page, a model to download);
//! each good line becomes a request as `/clienti/richiesta` makes one, and
//! `/clienti/richieste/elenco/{id}` reports the file: the requests sent and
//! every line left out, with the reasons, by line number.
use super::asking::Requester;
use super::bulk::{self, Batch, Rejected, HEADER, MAX_LINES};
use super::request_pages::{self, Listed, RequestsTable};
use crate::access::{self, Action, Resource};
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::i18n::{t, t_args};
use crate::kernel::clock::italian_day;
use crate::kernel::{AppState, Principal};
use crate::paths;
use crate::web::components::{Crumb, Field, FieldErrors, SuccessBanner, TableOrEmpty};
use crate::web::format::format_when;
use crate::web::layout::{FormPage, Page};
use crate::web::render::PageRequest;
use crate::web::upload;
use axum::extract::{Multipart, Path, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;

#[component]
fn BulkForm(errors: FieldErrors) -> impl IntoView {
    let e = errors.clone();
    let columns: Vec<Vec<AnyView>> = HEADER
        .iter()
        .map(|c| vec![view! { <code>{*c}</code> }.into_any(), t(&format!("bulk-column-{c}")).into_any()])
        .collect();
    view! {
        <FormPage
            title=t("bulk-title")
            lead=t_args("bulk-lead", &[("max", MAX_LINES.to_string())])
            errors
            action=paths::CLIENT_REQUEST_BULK.into()
            submit=t("bulk-submit")
            multipart=true
            trail=vec![Crumb { label: t("clients-title"), href: paths::CLIENTS.into() }]
        >
            <TableOrEmpty caption="bulk-columns-caption" empty="bulk-columns-caption" columns=&["bulk-col-column", "bulk-col-meaning"] cells=columns/>
            <p><a href=paths::CLIENT_REQUEST_TEMPLATE download="richieste-deleghe.csv">{t("bulk-template")}</a></p>
            <Field name="file" label="bulk-file" kind="file" hint="bulk-file-hint" error=e.get("file")/>
        </FormPage>
    }
}

/// `GET /clienti/richieste/elenco`.
pub async fn form(req: PageRequest, who: Principal) -> AppResult<Response> {
    request_pages::may_ask(&req, &who, paths::CLIENT_REQUEST_BULK).await?;
    Ok(req.render(StatusCode::OK, || view! { <BulkForm errors=FieldErrors::default()/> }.into_any()))
}

/// `GET /clienti/richieste/modello.csv`: a file to fill in, with two example lines.
pub async fn template(req: PageRequest, who: Principal) -> AppResult<Response> {
    request_pages::may_ask(&req, &who, paths::CLIENT_REQUEST_BULK).await?;
    let until = italian_day(req.state.clock.now()) + chrono::Duration::days(365);
    let rows = vec![
        ["RSSMRA80A01H501U", "non_temporanea", "tutti", "", &until.format("%d/%m/%Y").to_string()].map(str::to_string),
        ["01234567897", "temporanea", "cigsonline smart-working", "", &until.format("%d/%m/%Y").to_string()]
            .map(str::to_string),
    ];
    crate::web::csv::download("richieste-deleghe.csv", HEADER.map(str::to_string), rows)
}

/// `POST /clienti/richieste/elenco`: the file's good lines become requests, in one transaction.
pub async fn submit(req: PageRequest, who: Principal, request: Request) -> AppResult<Response> {
    let (_, book) = request_pages::may_ask(&req, &who, paths::CLIENT_REQUEST_BULK).await?;
    let state: AppState = req.state.clone();
    let multipart = <Multipart as axum::extract::FromRequest<AppState>>::from_request(request, &state)
        .await
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let form = upload::read(multipart, "file").await.checked()?;
    let lines = match form.file {
        Err(key) => Err(key),
        Ok(None) => Err("bulk-error-file-missing"),
        Ok(Some(bytes)) => bulk::parse(&bytes),
    };
    let lines = match lines {
        Ok(lines) => lines,
        Err(key) => {
            let mut errors = FieldErrors::default();
            errors.add("file", key);
            return Ok(req.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <BulkForm errors/> }.into_any()));
        }
    };
    let now = req.state.clock.now();
    let by = Requester { account: who.actor.account_id, codice_fiscale: book.codice_fiscale(), held_by: book.holder() };
    let checked = bulk::check(lines, by, italian_day(now), req.state.config.delega_max_years);
    let (lang, name) = (req.lang, request_pages::asker_name(&who, &book));
    // The batch, its requests and their mails: one transaction.
    let id =
        crate::db::transaction(&req.state.pool, move |c| bulk::send(c, &state, &checked, &name, lang, now)).await?;
    req.state.deliver_mail();
    tracing::info!(batch = id, "delega requests sent from a file");
    Ok(Redirect::to(&format!("{}?esito=inviato", paths::client_request_batch(id))).into_response())
}

#[component]
fn ReportPage(batch: Batch, sent: Vec<Listed>, done: bool) -> impl IntoView {
    let lang = crate::i18n::use_lang();
    let rejected: Vec<Vec<AnyView>> = batch
        .rejected
        .iter()
        .map(|Rejected { line, client, reasons }| {
            let why =
                reasons.iter().map(|(column, key)| format!("{column}: {}", t(key))).collect::<Vec<_>>().join("; ");
            vec![line.to_string().into_any(), client.clone().into_any(), why.into_any()]
        })
        .collect();
    let count = |key: &str, n: usize| t_args(key, &[("count", n.to_string())]);
    let counts = format!(
        "{}: {}, {}.",
        count("bulk-report-lines", usize::try_from(batch.lines).unwrap_or_default()),
        count("bulk-report-sent", sent.len()),
        count("bulk-report-rejected", batch.rejected.len())
    );
    view! {
        <Page title=t("bulk-report-title") trail=vec![Crumb { label: t("clients-title"), href: paths::CLIENTS.into() }]>
            {done.then(|| view! { <SuccessBanner text=t("bulk-done")/> })}
            <h1>{t("bulk-report-title")}</h1>
            <p class="lead">{t_args("bulk-report-when", &[("when", format_when(batch.created_at, lang))])}</p>
            <p><strong>{counts}</strong></p>
            <section aria-labelledby="rejected-heading">
                <h2 id="rejected-heading">{t("bulk-rejected")}</h2>
                <TableOrEmpty caption="bulk-rejected-caption" empty="bulk-rejected-none" columns=&["bulk-col-line", "request-client", "bulk-col-why"] cells=rejected/>
                {(!batch.rejected.is_empty()).then(|| view! {
                    <p><a href=paths::CLIENT_REQUEST_BULK>{t("bulk-again")}</a></p>
                })}
            </section>
            <section aria-labelledby="sent-heading">
                <h2 id="sent-heading">{t("bulk-sent")}</h2>
                <RequestsTable rows=sent caption="bulk-sent-caption" sent=true/>
            </section>
        </Page>
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct DoneQuery {
    esito: Option<String>,
}

/// `GET /clienti/richieste/elenco/{id}`: the report, to its sender alone (404 to anyone else).
pub async fn report(
    req: PageRequest,
    who: Principal,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<DoneQuery>,
) -> AppResult<Response> {
    let (now, name) = (req.state.clock.now(), who.actor.full_name());
    let batch = with_conn(&req.state.pool, move |c| bulk::find(c, id)).await?.ok_or(AppError::NotFound)?;
    let resource = Resource::RequestBatch { id, requester: batch.requester };
    access::require(&req, Action::View, &resource, &paths::client_request_batch(id)).await?;
    // Its requests only once the report is known to be the reader's.
    let sent = with_conn(&req.state.pool, move |c| {
        let requests = super::requests::of_batch(c, id, now)?;
        request_pages::named(c, requests, &name)
    })
    .await?;
    let done = q.esito.as_deref() == Some("inviato");
    Ok(req.render(StatusCode::OK, move || view! { <ReportPage batch sent done/> }.into_any()))
}
