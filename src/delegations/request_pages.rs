//! `/clienti/richiesta`: an intermediary asks a client for a delega (the
//! client by codice fiscale or partita IVA, the services, the dates);
//! `/clienti/richieste/{id}`: the request, to both sides — the client's side
//! accepts it as asked, with fewer services or a shorter period, or refuses
//! it (after a question); the intermediary sees the outcome. Each step and
//! its mails: one transaction.
use super::asking::{self, Requester, Terms};
use super::clients::Book;
use super::lifecycle::Event;
use super::model::{self, Kind, NewDelega};
use super::notify::{self, Notice};
use super::requests::{self, ClientKind, DelegaRequest, RequestEvent, RequestState};
use crate::access::{self, Action, Resource};
use crate::catalog::model::{self as catalog, Service};
use crate::db::schema::{accounts as a, organisations as o};
use crate::db::{with_conn, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::i18n::{t, t_args, use_lang, Lang};
use crate::identity::organisations::{self, OrganisationKind, Role};
use crate::kernel::clock::{italian_day, parse_day};
use crate::kernel::{AccountId, AppState, OrganisationId, Principal, Profile};
use crate::mail::outbox;
use crate::paths;
use crate::web::are_you_sure::AreYouSure;
use crate::web::components::{Choice, Choices, Crumb, ErrorSummary, Field, FieldErrors, SuccessBanner};
use crate::web::format::{format_date, format_when};
use crate::web::layout::Page;
use crate::web::render::{FormData, PageRequest};
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use diesel::prelude::*;
use leptos::prelude::*;
use serde::Deserialize;

/// Services any client may delegate (a person's or a company's), for the form.
fn offered() -> Vec<&'static Service> {
    catalog::all()
        .iter()
        .filter(|s| {
            [Profile::Cittadino, Profile::Azienda].iter().any(|c| s.audience.contains(c) && !s.reserved.contains(c))
        })
        .collect()
}

#[component]
fn RequestForm(v: Terms, errors: FieldErrors) -> impl IntoView {
    let lang = use_lang();
    let e = errors.clone();
    view! {
        <Page title=t("request-new-title") trail=vec![Crumb { label: t("clients-title"), href: paths::CLIENTS.into() }]>
            <h1>{t("request-new-title")}</h1>
            <p class="lead">{t("request-new-lead")}</p>
            <ErrorSummary errors=errors.clone()/>
            <form method="post" action=paths::CLIENT_REQUEST novalidate>
                <Field name="cliente" identifier=true label="request-client" hint="request-client-hint" value=v.client.clone() error=e.get("cliente")/>
                <Choices name="tipo" legend=t("delega-kind") error=e.get("tipo") choices=[Kind::NonTemporanea, Kind::Temporanea]
                    .into_iter()
                    .map(|k| Choice::new(k.code(), t(k.name_key()), v.kind == k.code()))
                    .collect()/>
                <Choices name="ambito" id="servizi" legend=t("delega-scope") error=e.get("servizi") choices=vec![
                    Choice::new("tutti", t("request-scope-all"), v.all),
                    Choice::new("scelti", t("delega-scope-some"), !v.all),
                ]/>
                <div class="controls--nested">
                    <Choices name="servizio" multiple=true legend=t("delega-scope-which") choices=offered()
                        .into_iter()
                        .map(|s| Choice::new(s.slug.clone(), s.name.get(lang).to_string(), v.services.contains(&s.slug)))
                        .collect()/>
                </div>
                <Field name="dal" label="delega-from" kind="date" value=v.from.clone() error=e.get("dal")/>
                <Field name="al" label="delega-until" kind="date" value=v.until.clone() error=e.get("al")/>
                <p><button type="submit">{t("request-submit")}</button></p>
            </form>
        </Page>
    }
}

/// The permit to ask for deleghe (one at a time or from a file): one's own
/// client list, changed (SPID or CIE, level 2); `back` is where to return after signing in again.
/// Acting for an organisation, the request is the organisation's: the delega
/// it becomes is held by it, for its members.
pub(super) async fn may_ask(req: &PageRequest, who: &Principal, back: &str) -> AppResult<(access::Permit, Book)> {
    let book = super::clients::book(&req.state.pool, who).await?;
    let permit = access::require(req, Action::Change, &book.resource(), back).await?;
    Ok((permit, book))
}

/// Who asks, as the client reads it: the person, and the organisation they ask for.
pub(super) fn asker_name(who: &Principal, book: &Book) -> String {
    match book {
        Book::Person { .. } => who.actor.full_name(),
        Book::Organisation { name, .. } => format!("{name} ({})", who.actor.full_name()),
    }
}

/// `GET /clienti/richiesta`.
pub async fn form(req: PageRequest, who: Principal) -> AppResult<Response> {
    may_ask(&req, &who, paths::CLIENT_REQUEST).await?;
    let today = italian_day(req.state.clock.now());
    let v = Terms { from: today.format("%Y-%m-%d").to_string(), ..Terms::default() };
    Ok(req.render(StatusCode::OK, move || view! { <RequestForm v errors=FieldErrors::default()/> }.into_any()))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RequestFormData {
    cliente: String,
    tipo: String,
    ambito: String,
    servizio: Vec<String>,
    dal: String,
    al: String,
}

/// `POST /clienti/richiesta`.
pub async fn submit(req: PageRequest, who: Principal, FormData(f): FormData<RequestFormData>) -> AppResult<Response> {
    let (_, book) = may_ask(&req, &who, paths::CLIENT_REQUEST).await?;
    let cut = |s: &str| s.chars().take(100).collect::<String>();
    let v = Terms {
        client: cut(&f.cliente).trim().to_string(),
        kind: cut(&f.tipo),
        all: f.ambito == "tutti",
        services: f.servizio.iter().map(|s| cut(s)).take(100).collect(),
        from: cut(&f.dal),
        until: cut(&f.al),
    };
    let today = italian_day(req.state.clock.now());
    let by = Requester { account: who.actor.account_id, codice_fiscale: book.codice_fiscale(), held_by: book.holder() };
    let new = match asking::check(&v, by, today, req.state.config.delega_max_years) {
        Ok(new) => new,
        Err(errors) => {
            return Ok(
                req.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <RequestForm v errors/> }.into_any())
            )
        }
    };
    let (state, now, lang, requester_name) =
        (req.state.clone(), req.state.clock.now(), req.lang, asker_name(&who, &book));
    // The request and the client's mails: one transaction.
    let asked =
        crate::db::transaction(&req.state.pool, move |c| asking::ask(c, &state, &new, &requester_name, lang, now))
            .await?;
    let Some(id) = asked else {
        let mut errors = FieldErrors::default();
        errors.add("cliente", "request-error-waiting");
        return Ok(req.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <RequestForm v errors/> }.into_any()));
    };
    req.state.deliver_mail();
    Ok(Redirect::to(&format!("{}?esito=inviata", paths::client_request(id))).into_response())
}

/// The client organisation on the portal (if the client is one that is):
/// its id, its kind and the principal's role in it now.
#[derive(Clone, Copy, Debug)]
struct ClientOrg {
    id: OrganisationId,
    kind: Option<OrganisationKind>,
    role: Option<Role>,
}

/// The request `id` with the permit to `action` on it: 404 to anyone it does not concern.
async fn permitted(
    req: &PageRequest,
    who: &Principal,
    id: i64,
    action: Action,
) -> AppResult<(DelegaRequest, Option<ClientOrg>)> {
    let (now, account) = (req.state.clock.now(), who.actor.account_id);
    let (found, org) = with_conn(&req.state.pool, move |c| {
        let Some(r) = requests::find(c, id, now)? else { return Ok((None, None)) };
        let org = match r.client_kind {
            ClientKind::Organisation => match asking::organisation_of(c, &r.client_codice_fiscale)? {
                Some((id, kind)) => Some(ClientOrg {
                    id,
                    kind: OrganisationKind::parse(&kind),
                    role: organisations::role_in(c, id, account)?,
                }),
                None => None,
            },
            ClientKind::Person => None,
        };
        let for_holder = match r.held_by {
            Some(holder) => Some(organisations::role_in(c, holder, account)?.is_some_and(Role::manages)),
            None => None,
        };
        Ok((Some((r, for_holder)), org))
    })
    .await?;
    let (r, for_holder) = found.ok_or(AppError::NotFound)?;
    let manages_client = org.is_some_and(|o| o.role.is_some_and(Role::manages));
    let resource = Resource::DelegaRequest {
        id,
        requester: r.requester,
        client: &r.client_codice_fiscale,
        manages_client,
        for_holder,
    };
    match access::check(&req.state, Some(who), action, &resource, &req.request_id).await? {
        Ok(_) => Ok((r, org)),
        Err(access::Denial::NotApplicable) => Err(AppError::Forbidden),
        Err(denial) => Err(access::refusal(req, denial, &paths::client_request(id))),
    }
}

#[derive(Clone)]
struct Detail {
    request: DelegaRequest,
    client_name: String,
    requester_name: String,
    /// The client's side, while it can still answer.
    answering: bool,
    done: Option<String>,
    errors: FieldErrors,
}

#[component]
fn DetailPage(d: Detail) -> impl IntoView {
    let lang = use_lang();
    let r = d.request.clone();
    let id = r.id;
    let e = d.errors.clone();
    let answer = d.answering.then(|| {
        let services = r.services.clone();
        view! {
            <section aria-labelledby="answer-heading" class="card">
                <h2 id="answer-heading">{t("request-answer")}</h2>
                <p>{t("request-answer-lead")}</p>
                <ErrorSummary errors=d.errors.clone()/>
                <form method="post" action=paths::client_request(id) novalidate>
                    <input type="hidden" name="azione" value="accetta"/>
                    {services.map(|list| view! {
                        <Choices name="servizio" id="servizi" multiple=true legend=t("request-answer-services") error=e.get("servizi") choices=list
                            .iter()
                            .map(|slug| Choice::new(slug.clone(), catalog::find(slug).map_or_else(|| slug.clone(), |s| s.name.get(lang).to_string()), true))
                            .collect()/>
                    })}
                    <Field name="al" label="delega-until" kind="date" hint="request-answer-until-hint" value=r.ends_on.format("%Y-%m-%d").to_string() error=e.get("al")/>
                    <p><button type="submit">{t("request-accept")}</button></p>
                </form>
                <form method="post" action=paths::client_request(id)>
                    <input type="hidden" name="azione" value="rifiuta"/>
                    <p><button type="submit" class="button--secondary">{t("request-refuse")}</button></p>
                </form>
            </section>
        }
    });
    let title = t_args("request-title", &[("client", d.client_name.clone())]);
    view! {
        <Page title=title.clone() trail=vec![Crumb { label: t("deleghe-title"), href: paths::DELEGHE.into() }]>
            {d.done.map(|key| view! { <SuccessBanner text=t(&key)/> })}
            <h1>{title}</h1>
            <dl class="facts">
                <dt>{t("request-state")}</dt><dd><strong>{t(&r.state.name_key())}</strong></dd>
                <dt>{t("request-requester")}</dt><dd>{d.requester_name.clone()} " (" {r.delegate_codice_fiscale.clone()} ")"</dd>
                <dt>{t("request-client")}</dt><dd>{d.client_name.clone()} " (" {r.client_codice_fiscale.clone()} ")"</dd>
                <dt>{t("delega-kind")}</dt><dd>{t(r.kind.name_key())}</dd>
                <dt>{t("delega-scope")}</dt><dd>{model::services_line(&r.services, lang)}</dd>
                <dt>{t("delega-col-dates")}</dt><dd>{format_date(r.starts_on, lang)} " – " {format_date(r.ends_on, lang)}</dd>
                {(r.state == RequestState::Pending).then(|| view! {
                    <dt>{t("request-answer-by")}</dt><dd>{format_when(r.answer_by, lang)}</dd>
                })}
                {r.delega.map(|delega| view! {
                    <dt>{t("request-delega")}</dt><dd><a href=paths::delega(delega)>{t("request-delega-open")}</a></dd>
                })}
            </dl>
            {answer}
        </Page>
    }
}

#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    esito: Option<String>,
}

async fn detail_of(
    req: &PageRequest,
    who: &Principal,
    r: DelegaRequest,
    org: Option<ClientOrg>,
    errors: FieldErrors,
) -> AppResult<Detail> {
    let (client_cf, requester, held_by) = (r.client_codice_fiscale.clone(), r.requester, r.held_by);
    let (client_name, requester_name) = with_conn(&req.state.pool, move |c| {
        let client = match org {
            Some(o) => organisations::find(c, o.id)?.map(|o| o.name),
            None => crate::identity::account::name_by_codice_fiscale(c, &client_cf)?,
        };
        let person = crate::identity::account::names(c, &[requester])?.into_iter().next().map(|(_, n)| n);
        // Asked for an organisation: the delega will be the organisation's.
        let requester = match held_by {
            Some(holder) => {
                organisations::find(c, holder)?.map(|o| format!("{} – {}", o.name, person.clone().unwrap_or_default()))
            }
            None => person,
        };
        Ok((client.unwrap_or_else(|| client_cf.clone()), requester.unwrap_or_default()))
    })
    .await?;
    // The answer form for the side that may answer, also below the level it
    // asks: pressing it then asks for a new authentication (as a delega's page does).
    // Whether this person may answer: the client's side alone decides.
    let resource = Resource::DelegaRequest {
        id: r.id,
        requester: r.requester,
        client: &r.client_codice_fiscale,
        manages_client: org.is_some_and(|o| o.role.is_some_and(Role::manages)),
        for_holder: None,
    };
    let may_answer =
        matches!(access::authorize(Some(who), Action::Decide, &resource), Ok(_) | Err(access::Denial::Level { .. }));
    let answering = may_answer && r.state == RequestState::Pending;
    Ok(Detail { request: r, client_name, requester_name, answering, done: None, errors })
}

/// `GET /clienti/richieste/{id}`.
pub async fn page(
    req: PageRequest,
    who: Principal,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let (r, org) = permitted(&req, &who, id, Action::View).await?;
    let mut d = detail_of(&req, &who, r, org, FieldErrors::default()).await?;
    d.done = match q.esito.as_deref() {
        Some(e @ ("inviata" | "accettata" | "rifiutata")) => Some(format!("request-done-{e}")),
        _ => None,
    };
    Ok(req.render(StatusCode::OK, move || view! { <DetailPage d/> }.into_any()))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    azione: String,
    servizio: Vec<String>,
    al: String,
    conferma: String,
}

fn conflict(id: i64) -> AppError {
    AppError::Explained {
        status: StatusCode::CONFLICT,
        title: "request-conflict-title",
        detail: "request-conflict",
        log: format!("delega request {id}: already answered or lapsed"),
    }
}

/// `POST /clienti/richieste/{id}`: the client's side accepts (as asked, or
/// less) or refuses (after a question).
pub async fn answer(
    req: PageRequest,
    who: Principal,
    Path(id): Path<i64>,
    FormData(f): FormData<AnswerForm>,
) -> AppResult<Response> {
    let (r, org) = permitted(&req, &who, id, Action::Decide).await?;
    if r.state != RequestState::Pending {
        return Err(conflict(id));
    }
    let (now, account, lang, state) = (req.state.clock.now(), who.actor.account_id, req.lang, req.state.clone());
    match f.azione.as_str() {
        "rifiuta" if f.conferma != "si" => {
            let d = detail_of(&req, &who, r, org, FieldErrors::default()).await?;
            Ok(req.render(StatusCode::OK, move || {
                view! {
                    <AreYouSure
                        title=t("request-refuse-title")
                        lead=t_args("request-title", &[("client", d.client_name.clone())])
                        effect=t("request-refuse-effect")
                        action=paths::client_request(id)
                        hidden=vec![("azione", "rifiuta".to_string())]
                        submit=t("request-refuse-submit")
                        cancel_href=paths::client_request(id)
                        cancel_label=t("request-refuse-cancel")
                    />
                }
                .into_any()
            }))
        }
        "rifiuta" => {
            let answered = crate::db::transaction(&req.state.pool, move |c| {
                let ok = requests::answer(c, id, RequestEvent::Refuse, account, None, now)?;
                if ok {
                    mail_requester(c, &state, &r, "mail-request-refused-body", lang, now)?;
                }
                Ok(ok)
            })
            .await?;
            if !answered {
                return Err(conflict(id));
            }
            req.state.deliver_mail();
            Ok(Redirect::to(&format!("{}?esito=rifiutata", paths::client_request(id))).into_response())
        }
        "accetta" => accept(req, who, r, org, f).await,
        other => Err(AppError::BadRequest(format!("action {other:?}"))),
    }
}

fn mail_requester(
    c: &mut AnyConnection,
    state: &AppState,
    r: &DelegaRequest,
    body: &str,
    lang: Lang,
    now: chrono::NaiveDateTime,
) -> QueryResult<()> {
    let email: Option<String> =
        a::table.find(r.requester).select(a::email).first::<Option<String>>(c).optional()?.flatten();
    if let Some(email) = email {
        let link = format!("{}{}", state.config.origin(), paths::client_request(r.id));
        let args = [("client", r.client_codice_fiscale.clone()), ("link", link)];
        let key = format!("delega-request:{}:answer", r.id);
        outbox::queue(c, &state.mailer, &key, &email, lang, ("mail-request-answered-subject", body), &args, now)?;
    }
    Ok(())
}

/// Accepting: the services chosen among those asked, until a day no later
/// than asked; the delega is granted by the client's side and, asked for by
/// its delegate, accepted at once.
async fn accept(
    req: PageRequest,
    who: Principal,
    r: DelegaRequest,
    org: Option<ClientOrg>,
    f: AnswerForm,
) -> AppResult<Response> {
    let id = r.id;
    let mut errors = FieldErrors::default();
    let services = match &r.services {
        None => None,
        Some(asked) => {
            let chosen: Vec<String> = asked.iter().filter(|s| f.servizio.contains(s)).cloned().collect();
            if chosen.is_empty() {
                errors.add("servizi", "request-error-none");
            }
            Some(chosen)
        }
    };
    let until: Option<NaiveDate> = parse_day(f.al.chars().take(20).collect::<String>().as_str());
    match until {
        None => errors.add("al", "delega-error-until"),
        Some(u) if u < r.starts_on => errors.add("al", "delega-error-until-before"),
        Some(u) if u > r.ends_on => errors.add("al", "request-error-longer"),
        _ => {}
    }
    let (Some(until), true) = (until, errors.is_empty()) else {
        let d = detail_of(&req, &who, r, org, errors).await?;
        return Ok(req.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <DetailPage d/> }.into_any()));
    };
    // Granting power over the client: the same decision as granting a delega from /deleghe/nuova.
    let account = who.actor.account_id;
    let (role, capacity) = match org {
        Some(o) => (Some((o.id, o.role)), o.kind.map_or(Profile::Azienda, OrganisationKind::capacity)),
        None => (None, Profile::Cittadino),
    };
    // The request was checked against a company's services; the client may
    // turn out to be another kind of organisation: never grant beyond its own.
    let own = super::checks::services_for(capacity).0;
    if services.as_ref().is_some_and(|list| list.iter().any(|s| !own.iter().any(|d| &d.slug == s))) {
        let mut errors = FieldErrors::default();
        errors.add("servizi", "request-error-scope");
        let d = detail_of(&req, &who, r, org, errors).await?;
        return Ok(req.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <DetailPage d/> }.into_any()));
    }
    let needs = own
        .iter()
        .filter(|s| services.as_ref().is_none_or(|list| list.contains(&s.slug)))
        .map(|s| s.min_level)
        .max()
        .unwrap_or(crate::kernel::Level::L1);
    let back = paths::client_request(id);
    let permit =
        access::require(&req, Action::Change, &Resource::DelegaGrant { organisation: role, needs }, &back).await?;
    let new = NewDelega {
        grantor: account,
        organisation: org.map(|o| o.id),
        delegate_codice_fiscale: r.delegate_codice_fiscale.clone(),
        held_by: r.held_by,
        kind: r.kind,
        services,
        starts_on: r.starts_on,
        ends_on: until,
    };
    let (state, now, lang, days) =
        (req.state.clone(), req.state.clock.now(), req.lang, req.state.config.delega_pending_days);
    // The delega, its acceptance, the request answered and the mails: one transaction.
    // The request is answered first: of two answers at once, the second
    // finds it answered and nothing of it stays (the transaction rolls back).
    let accepted = crate::db::transaction(&req.state.pool, move |c| {
        if !requests::answer(c, id, RequestEvent::Accept, account, None, now)? {
            return Err(diesel::result::Error::RollbackTransaction);
        }
        let Some(delega) = model::create(c, &permit, &new, days, now)? else {
            // The same delega is already live: the request stays waiting.
            return Err(diesel::result::Error::NotFound);
        };
        if model::apply(c, delega, Event::Accept, Some(r.requester), now)?.is_err() {
            return Err(diesel::result::Error::RollbackTransaction);
        }
        requests::link_delega(c, id, delega)?;
        if let Some(d) = model::find(c, delega, now)? {
            notify::queue(c, &state, &d, Notice::Accepted, lang, now)?;
        }
        mail_requester(c, &state, &r, "mail-request-accepted-body", lang, now)?;
        Ok(())
    })
    .await;
    match accepted {
        Ok(()) => {}
        Err(crate::db::DbError::Query(diesel::result::Error::NotFound)) => {
            let mut errors = FieldErrors::default();
            errors.add("servizi", "delega-error-duplicate");
            let (r, _) = permitted(&req, &who, id, Action::View).await?;
            let d = detail_of(&req, &who, r, org, errors).await?;
            return Ok(req.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <DetailPage d/> }.into_any()));
        }
        Err(crate::db::DbError::Query(diesel::result::Error::RollbackTransaction)) => return Err(conflict(id)),
        Err(e) => return Err(e.into()),
    }
    req.state.deliver_mail();
    Ok(Redirect::to(&format!("{}?esito=accettata", paths::client_request(id))).into_response())
}

/// A request as a list shows it: the request, for whom, from whom.
#[derive(Clone, Debug)]
pub struct Listed {
    pub request: DelegaRequest,
    pub client: String,
    pub requester: String,
}

/// The requests addressed to a person (`own`, their codice fiscale) or to
/// the organisations they manage (`managed`: codice fiscale and name),
/// newest first; read in the caller's connection with the rest of `/deleghe`.
pub fn addressed(
    c: &mut AnyConnection,
    own: Option<&str>,
    managed: &[(String, String)],
    lang: Lang,
    now: chrono::NaiveDateTime,
) -> QueryResult<Vec<Listed>> {
    let mut clients: Vec<String> = managed.iter().map(|(cf, _)| cf.clone()).collect();
    clients.extend(own.map(str::to_string));
    let found = requests::addressed_to(c, &clients, now)?;
    let ids: Vec<AccountId> = found.iter().map(|r| r.requester).collect();
    let names = crate::identity::account::names(c, &ids)?;
    Ok(found
        .into_iter()
        .map(|r| {
            let client = managed.iter().find(|(cf, _)| *cf == r.client_codice_fiscale).map(|(_, n)| n.clone());
            let requester = names.iter().find(|(id, _)| *id == r.requester).map(|(_, n)| n.clone());
            Listed {
                client: client.unwrap_or_else(|| lang.t("profile-citizen")),
                requester: requester.unwrap_or_else(|| r.delegate_codice_fiscale.clone()),
                request: r,
            }
        })
        .collect())
}

/// The requests `who` sent, newest first, with their clients' names where the portal knows them.
pub async fn sent(req: &PageRequest, who: &Principal, book: &Book) -> AppResult<Vec<Listed>> {
    let held_by = book.holder();
    let (account, now, requester) = (who.actor.account_id, req.state.clock.now(), who.actor.full_name());
    Ok(with_conn(&req.state.pool, move |c| {
        let found = requests::sent_by(c, account, held_by, now)?;
        named(c, found, &requester)
    })
    .await?)
}

/// Requests one person sent, each with its client's name where the portal
/// knows it (an organisation's, or a person's who has an account): two queries for any number.
pub fn named(c: &mut AnyConnection, found: Vec<DelegaRequest>, requester: &str) -> QueryResult<Vec<Listed>> {
    let codes = |kind: ClientKind| -> Vec<String> {
        found.iter().filter(|r| r.client_kind == kind).map(|r| r.client_codice_fiscale.clone()).collect()
    };
    let mut names: std::collections::HashMap<String, String> = o::table
        .filter(o::codice_fiscale.eq_any(codes(ClientKind::Organisation)))
        .select((o::codice_fiscale, o::name))
        .load::<(String, String)>(c)?
        .into_iter()
        .collect();
    names.extend(crate::identity::account::names_by_codice_fiscale(c, &codes(ClientKind::Person))?);
    Ok(found
        .into_iter()
        .map(|r| Listed {
            client: names.get(&r.client_codice_fiscale).cloned().unwrap_or_default(),
            requester: requester.to_string(),
            request: r,
        })
        .collect())
}

/// Requests in a table: for whom (or to whom), the services, the dates, the state, a link.
#[component]
pub fn RequestsTable(rows: Vec<Listed>, caption: &'static str, sent: bool) -> impl IntoView {
    let lang = use_lang();
    let cells: Vec<Vec<AnyView>> = rows
        .into_iter()
        .map(|l| {
            let r = l.request;
            let who = if sent && l.client.is_empty() {
                // A person not yet on the portal: their codice fiscale is all it knows.
                r.client_codice_fiscale.clone()
            } else if sent {
                format!("{} ({})", l.client, r.client_codice_fiscale)
            } else {
                format!("{} – {}", l.requester, l.client)
            };
            let open = if !sent && r.state == RequestState::Pending { "request-answer-link" } else { "request-open" };
            vec![
                who.clone().into_any(),
                model::services_line(&r.services, lang).into_any(),
                format!("{} – {}", format_date(r.starts_on, lang), format_date(r.ends_on, lang)).into_any(),
                t(&r.state.name_key()).into_any(),
                view! { <a href=paths::client_request(r.id)>{t(open)}<span class="visually-hidden">{format!(" {who}")}</span></a> }
                    .into_any(),
            ]
        })
        .collect();
    view! {
        <crate::web::components::TableOrEmpty
            caption
            empty="request-none"
            columns=&["request-col-who", "clients-col-services", "clients-col-dates", "request-state", "clients-col-action"]
            cells
        />
    }
}
