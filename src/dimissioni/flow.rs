//! `/dimissioni-volontarie/nuova`: sending a module, step by step, each a
//! plain page: who this procedure is not for; the relationship (from the
//! CO when it started in 2008 or later, or by hand); the form in Allegato A's
//! sections; a review; then Trasmetti. A soggetto abilitato enters the
//! worker's data and needs the PIN of the paper delega to send. The review
//! carries what was typed; nothing is kept on the server until it is sent,
//! and the same form sent twice makes one module.
use super::deliver;
use super::documents;
use super::filer::{self, Filer};
use super::form::{self, Values};
use super::modulo::{self, Kind, Sender};
use super::pdf;
use super::pin;
use super::rapporti::{EmploymentRecords, LocalRecords, Rapporto};
use crate::access::{self, Action, Resource};
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::i18n::{t, t_args};
use crate::kernel::clock::rome;
use crate::kernel::Principal;
use crate::kernel::{CodiceFiscale, PartitaIva};
use crate::paths;
use crate::web::components::{
    CheckboxField, Choice, Choices, Crumb, ErrorSummary, Field, FieldErrors, SelectField, TextareaField,
};
use crate::web::layout::Page;
use crate::web::render::{FormData, PageRequest};
use axum::extract::Query;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::Deserialize;

fn trail() -> Vec<Crumb> {
    vec![Crumb { label: t("dim-title"), href: paths::DIMISSIONI.into() }]
}

/// Today in Italy: the procedure's days are Italian days.
fn today(req: &PageRequest) -> NaiveDate {
    rome(req.state.clock.now()).date()
}

/// The four steps of sending a module, shown above each step's heading.
const STEPS: u8 = 4;

/// "Passo 2 di 4", and a way back to the step before (none on the review:
/// its answers travel in the form, and its own button goes back to change them).
#[component]
fn StepHeading(step: u8, title: String, #[prop(optional)] back: Option<String>) -> impl IntoView {
    view! {
        {back.map(|href| view! { <p><a class="back-link" href=href>{t("dim-back")}</a></p> })}
        <p class="caption">{t_args("dim-step", &[("n", step.to_string()), ("of", STEPS.to_string())])}</p>
        <h1>{title}</h1>
    }
}

#[component]
fn EligibilityPage(error: bool) -> impl IntoView {
    let errors = {
        let mut e = FieldErrors::default();
        if error {
            e.add("idoneo", "dim-error-eligible");
        }
        e
    };
    view! {
        <Page title=t("dim-new-title") trail=trail()>
            <StepHeading step=1 title=t("dim-new-title") back=paths::DIMISSIONI.to_string()/>
            <p class="lead">{t("dim-eligibility-lead")}</p>
            <ErrorSummary errors/>
            <h2>{t("dim-excluded-title")}</h2>
            <ul>
                {["dim-excluded-domestic", "dim-excluded-pa", "dim-excluded-trial", "dim-excluded-parents", "dim-excluded-adoption", "dim-excluded-marriage", "dim-excluded-protected", "dim-excluded-sea", "dim-excluded-other"]
                    .into_iter().map(|k| view! { <li>{t(k)}</li> }).collect_view()}
            </ul>
            // Those who must validate at the Ispettorato: where to go (it can be asked for remotely).
            <p>{t("dim-excluded-convalida")}</p>
            <form method="get" action=paths::DIMISSIONI_RELATIONSHIP novalidate>
                <CheckboxField name="idoneo" label="dim-eligible" error=error.then_some("dim-error-eligible")/>
                <p><button type="submit">{t("dim-continue")}</button></p>
            </form>
        </Page>
    }
}

/// `GET /dimissioni-volontarie/nuova`.
pub async fn eligibility(req: PageRequest) -> AppResult<Response> {
    let who = filer::enter(&req).await?;
    filer::filer(&req, &who).await?;
    Ok(req.render(StatusCode::OK, || view! { <EligibilityPage error=false/> }.into_any()))
}

#[derive(Debug, Default, Deserialize)]
pub struct RelationshipQuery {
    pub idoneo: Option<String>,
}

#[derive(Clone, Debug, Default)]
struct Lookup {
    worker: String,
    employer: String,
    before_2008: bool,
    /// What the search by employer found.
    found: Option<Vec<Rapporto>>,
    /// The worker's own active relationships, with any employer (the worker's
    /// codice fiscale is known): offered first, before any search.
    own: Vec<Rapporto>,
    errors: FieldErrors,
}

/// The relationships to choose from, and the button that fills the module
/// from the chosen one. Posted, so no codice fiscale is ever in an address.
#[component]
fn ChooseRelationship(list: Vec<Rapporto>, worker: String, employer: String) -> impl IntoView {
    let choices = list
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let label = t_args(
                "dim-found-item",
                &[
                    ("employer", r.employer_name.clone()),
                    ("since", r.start_date.format("%d/%m/%Y").to_string()),
                    ("contract", r.contract_type.clone()),
                    ("place", r.workplace_comune.clone()),
                ],
            );
            Choice::new(r.id.to_string(), label, i == 0)
        })
        .collect();
    view! {
        <form method="post" action=paths::DIMISSIONI_FORM>
            <input type="hidden" name="avvio" value="si"/>
            <input type="hidden" name="cf_lavoratore" value=worker/>
            // The employer as typed: an operator reads a relationship only knowing it.
            <input type="hidden" name="cf_datore" value=employer/>
            <Choices name="rapporto" legend=t("dim-found-choose") choices/>
            <p><button type="submit">{t("dim-fill")}</button></p>
        </form>
    }
}

/// A button to the module with nothing filled from the CO (before 2008, or not found).
#[component]
fn ByHand(worker: String, employer: String, label: &'static str, #[prop(optional)] secondary: bool) -> impl IntoView {
    view! {
        <form method="post" action=paths::DIMISSIONI_FORM>
            <input type="hidden" name="avvio" value="si"/>
            <input type="hidden" name="cf_lavoratore" value=worker/>
            <input type="hidden" name="cf_datore" value=employer/>
            <p><button type="submit" class=secondary.then_some("button--secondary")>{t(label)}</button></p>
        </form>
    }
}

#[component]
fn RelationshipPage(lookup: Lookup, operator: bool) -> impl IntoView {
    let e = lookup.errors.clone();
    let (worker, employer) = (lookup.worker.clone(), lookup.employer.clone());
    let found = lookup.found.clone().map(|list| {
        if list.is_empty() {
            return view! {
                <section aria-labelledby="found-heading" class="card">
                    <h2 id="found-heading">{t("dim-not-found-title")}</h2>
                    <p>{t("dim-not-found")}</p>
                    <ByHand worker=worker.clone() employer=employer.clone() label="dim-by-hand"/>
                </section>
            }
            .into_any();
        }
        view! {
            <section aria-labelledby="found-heading" class="card">
                <h2 id="found-heading">{t("dim-found-title")}</h2>
                <ChooseRelationship list worker=worker.clone() employer=employer.clone()/>
                <ByHand worker=worker.clone() employer=employer.clone() label="dim-none-of-these" secondary=true/>
            </section>
        }
        .into_any()
    });
    // The worker's own relationships come first; the search is for the rest.
    let own = (!lookup.own.is_empty() && lookup.found.is_none()).then(|| {
        view! {
            <section aria-labelledby="own-heading" class="card">
                <h2 id="own-heading">{t("dim-own-title")}</h2>
                <p>{t("dim-own-lead")}</p>
                <ChooseRelationship list=lookup.own.clone() worker=String::new() employer=String::new()/>
            </section>
            <h2>{t("dim-own-other")}</h2>
        }
    });
    view! {
        <Page title=t("dim-relationship-title") trail=trail()>
            <StepHeading step=2 title=t("dim-relationship-title") back=paths::DIMISSIONI_NEW.to_string()/>
            {own}
            <p class="lead">{t("dim-relationship-lead")}</p>
            <ErrorSummary errors=lookup.errors.clone()/>
            <form method="post" action=paths::DIMISSIONI_RELATIONSHIP novalidate>
                {operator.then(|| view! {
                    <Field name="cf_lavoratore" identifier=true label="dim-worker-codice-fiscale" value=lookup.worker.clone() error=e.get("cf_lavoratore")/>
                })}
                <Field name="cf_datore" identifier=true label="dim-employer-codice-fiscale" hint="dim-employer-codice-fiscale-hint" value=lookup.employer.clone() error=e.get("cf_datore")/>
                <Choices name="inizio" legend=t("dim-started") choices=vec![
                    Choice::new("dal2008", t("dim-started-from-2008"), !lookup.before_2008),
                    Choice::new("prima2008", t("dim-started-before-2008"), lookup.before_2008),
                ]/>
                <p><button type="submit">{t("dim-search")}</button></p>
            </form>
            {found}
        </Page>
    }
}

/// `GET /dimissioni-volontarie/nuova/rapporto?idoneo=si`.
pub async fn relationship_form(req: PageRequest, Query(q): Query<RelationshipQuery>) -> AppResult<Response> {
    let who = filer::enter(&req).await?;
    let filer = filer::filer(&req, &who).await?;
    let operator = filer.is_operator();
    if q.idoneo.as_deref() != Some("si") {
        return Ok(req.render(StatusCode::UNPROCESSABLE_ENTITY, || view! { <EligibilityPage error=true/> }.into_any()));
    }
    let mut lookup = Lookup::default();
    if let (Filer::Worker, Some(worker)) = (&filer, who.actor.codice_fiscale().map(String::from)) {
        let day = today(&req);
        lookup.own = with_conn(&req.state.pool, move |c| LocalRecords.of_worker(c, &worker, day)).await?;
    }
    Ok(req.render(StatusCode::OK, move || view! { <RelationshipPage lookup operator/> }.into_any()))
}

#[derive(Debug, Deserialize)]
pub struct LookupForm {
    pub cf_lavoratore: Option<String>,
    pub cf_datore: Option<String>,
    pub inizio: Option<String>,
}

/// The worker's codice fiscale: one's own, or (for an operator) the one typed.
fn worker_of(who: &Principal, filer: &Filer, typed: &str) -> String {
    match filer {
        Filer::Worker => who.actor.codice_fiscale().unwrap_or_default().to_string(),
        Filer::Operator(_) => typed.trim().to_ascii_uppercase(),
    }
}

/// `POST /dimissioni-volontarie/nuova/rapporto`: the CO's active relationships with that employer.
pub async fn relationship_lookup(req: PageRequest, FormData(f): FormData<LookupForm>) -> AppResult<Response> {
    let who = filer::enter(&req).await?;
    let filer = filer::filer(&req, &who).await?;
    let typed: String = f.cf_lavoratore.unwrap_or_default().chars().take(40).collect();
    let mut lookup = Lookup {
        worker: worker_of(&who, &filer, &typed),
        employer: f.cf_datore.unwrap_or_default().trim().chars().take(40).collect(),
        before_2008: f.inizio.as_deref() == Some("prima2008"),
        ..Lookup::default()
    };
    let worker = CodiceFiscale::personal(&lookup.worker).map(String::from);
    if worker.is_none() {
        lookup.worker = typed;
        lookup.errors.add("cf_lavoratore", "dim-error-worker-codice-fiscale");
    }
    let employer = PartitaIva::parse(&lookup.employer)
        .map(String::from)
        .or_else(|| CodiceFiscale::personal(&lookup.employer).map(String::from));
    if employer.is_none() {
        lookup.errors.add("cf_datore", "dim-error-employer-codice-fiscale");
    }
    let operator = filer.is_operator();
    let (Some(worker), Some(employer), true) = (worker, employer, lookup.errors.is_empty()) else {
        return Ok(req.render(StatusCode::UNPROCESSABLE_ENTITY, move || {
            view! { <RelationshipPage lookup operator/> }.into_any()
        }));
    };
    if lookup.before_2008 {
        // Straight to the module, to fill by hand (posted: no code in the address).
        let start = Values { worker_codice_fiscale: worker, employer_codice_fiscale: employer, ..Values::default() };
        return start_module(&req, &who, &filer, start).await;
    }
    let day = today(&req);
    let (w, e) = (worker.clone(), employer.clone());
    lookup.found = Some(with_conn(&req.state.pool, move |c| LocalRecords.active(c, &w, &e, day)).await?);
    lookup.worker = worker;
    lookup.employer = employer;
    Ok(req.render(StatusCode::OK, move || view! { <RelationshipPage lookup operator/> }.into_any()))
}

/// Sections 1–3 that are not the sender's to change: the worker's identity
/// (when the worker sends), and the CO's data (when filled from the CO;
/// only a relationship of this worker).
async fn lock(req: &PageRequest, who: &Principal, filer: &Filer, v: &mut Values) -> AppResult<()> {
    if let Filer::Worker = filer {
        v.worker_codice_fiscale = who.actor.codice_fiscale().unwrap_or_default().to_string();
        v.worker_family_name = who.actor.family_name.clone();
        v.worker_given_name = who.actor.given_name.clone();
    }
    if v.relationship.is_empty() {
        return Ok(());
    }
    let id: i64 = v.relationship.parse().map_err(|_| AppError::BadRequest("relationship".into()))?;
    let r = with_conn(&req.state.pool, move |c| LocalRecords.find(c, id)).await?.ok_or(AppError::NotFound)?;
    let worker = CodiceFiscale::parse(&v.worker_codice_fiscale).map(String::from).unwrap_or_default();
    if r.worker_codice_fiscale != worker {
        // Another worker's relationship: as if it did not exist.
        return Err(AppError::NotFound);
    }
    // An operator reads it only knowing the employer too (as the lookup
    // asked), and the reading is in the audit trail.
    if filer.is_operator() {
        let typed = PartitaIva::parse(&v.employer_codice_fiscale)
            .map(String::from)
            .or_else(|| CodiceFiscale::parse(&v.employer_codice_fiscale).map(String::from))
            .unwrap_or_default();
        let resource = Resource::Rapporto { id, employer: &r.employer_codice_fiscale, typed: &typed };
        access::require(req, Action::View, &resource, &req.at.path).await?;
    }
    v.fill_from(&r);
    Ok(())
}

/// Only the relationship's number: codici fiscali travel in posted forms,
/// never in an address (logs, history).
#[derive(Debug, Default, Deserialize)]
pub struct FormQuery {
    pub rapporto: Option<String>,
}

/// A field that cannot be changed here (from the identity or the CO): a
/// labelled read-only input, announced as such (the server enforces it anyway).
#[component]
fn Locked(name: &'static str, label: &'static str, value: String) -> impl IntoView {
    view! {
        <div class="field">
            <label for=name>{t(label)}</label>
            <input id=name name=name value=value readonly/>
        </div>
    }
}

/// Every value as hidden inputs (the review and PIN pages send them on).
#[component]
fn Carried(v: Values) -> impl IntoView {
    v.fields().map(|(name, value)| view! { <input type="hidden" name=name value=value.to_string()/> }).collect_view()
}

fn kind_options() -> Vec<(String, String)> {
    let mut out = vec![(String::new(), "dim-kind-choose".to_string())];
    out.extend(Kind::FILED.iter().map(|k| (k.code().to_string(), k.name_key())));
    out
}

#[component]
fn ModulePage(v: Values, errors: FieldErrors, operator: bool) -> impl IntoView {
    let e = errors.clone();
    let from_co = !v.relationship.is_empty();
    let (vc, ec) = (v.clone(), errors.clone());
    let field = move |name: &'static str, label: &'static str, locked: bool| {
        if locked {
            view! { <Locked name label value=vc.get(name)/> }.into_any()
        } else {
            let identifier = name.starts_with("cf_");
            let inputmode = (name == "cap").then_some("numeric");
            view! { <Field name label value=vc.get(name) error=ec.get(name) identifier inputmode/> }.into_any()
        }
    };
    view! {
        <Page title=t("dim-form-title") trail=trail()>
            <StepHeading step=3 title=t("dim-form-title") back=format!("{}?idoneo=si", paths::DIMISSIONI_RELATIONSHIP)/>
            <p class="lead">{t(if from_co { "dim-form-lead-co" } else { "dim-form-lead" })}</p>
            <ErrorSummary errors=errors.clone()/>
            <form method="post" action=paths::DIMISSIONI_FORM novalidate>
                <input type="hidden" name="rapporto" value=v.relationship.clone()/>
                <input type="hidden" name="chiave" value=v.key.clone()/>
                <fieldset>
                    <legend>{t("dim-section-worker")}</legend>
                    {field("cf_lavoratore", "dim-worker-codice-fiscale", !operator)}
                    {field("cognome", "dim-worker-family-name", !operator)}
                    {field("nome", "dim-worker-given-name", !operator)}
                    {if operator {
                        view! { <Field name="email_lavoratore" label="dim-worker-email" kind="email" value=v.worker_email.clone() error=e.get("email_lavoratore")/> }.into_any()
                    } else {
                        // The worker's own address (WCAG 1.3.5).
                        view! { <Field name="email_lavoratore" label="dim-worker-email" kind="email" autocomplete="email" value=v.worker_email.clone() error=e.get("email_lavoratore")/> }.into_any()
                    }}
                </fieldset>
                <fieldset>
                    <legend>{t("dim-section-employer")}</legend>
                    {field("cf_datore", "dim-employer-codice-fiscale", from_co)}
                    {field("denominazione", "dim-employer-name", from_co)}
                    {field("indirizzo", "dim-workplace-address", from_co)}
                    {field("comune", "dim-workplace-comune", from_co)}
                    {field("cap", "dim-workplace-cap", from_co)}
                    {field("provincia", "dim-workplace-province", from_co)}
                    <Field name="pec_datore" label="dim-employer-pec" kind="email" hint="dim-employer-address-hint" value=v.employer_pec.clone() error=e.get("pec_datore")/>
                    <Field name="email_datore" label="dim-employer-email" kind="email" value=v.employer_email.clone() error=e.get("email_datore")/>
                </fieldset>
                <fieldset>
                    <legend>{t("dim-section-relationship")}</legend>
                    {if from_co {
                        view! { <Locked name="data_inizio" label="dim-start-date" value=v.start_date.clone()/> }.into_any()
                    } else {
                        view! { <Field name="data_inizio" label="dim-start-date" kind="date" value=v.start_date.clone() error=e.get("data_inizio")/> }.into_any()
                    }}
                    {field("tipologia", "dim-contract-type", from_co)}
                </fieldset>
                <fieldset>
                    <legend>{t("dim-section-communication")}</legend>
                    <SelectField name="tipo" label="dim-kind" options=kind_options() value=v.kind.clone() error=e.get("tipo")/>
                    <TextareaField name="motivo" label="dim-reason" hint="dim-reason-hint" value=v.reason.clone() error=e.get("motivo") rows=4 maxlength=2000/>
                    <Field name="decorrenza" label="dim-decorrenza" kind="date" hint="dim-decorrenza-hint" value=v.decorrenza.clone() error=e.get("decorrenza")/>
                </fieldset>
                <p class="hint">{t("dim-section-sending-note")}</p>
                <p><button type="submit">{t("dim-review")}</button></p>
            </form>
        </Page>
    }
}

/// `GET /dimissioni-volontarie/nuova/modulo[?rapporto=…]`.
pub async fn module_form(req: PageRequest, Query(q): Query<FormQuery>) -> AppResult<Response> {
    let who = filer::enter(&req).await?;
    let filer = filer::filer(&req, &who).await?;
    let start = Values { relationship: q.rapporto.unwrap_or_default(), ..Values::default() };
    start_module(&req, &who, &filer, start).await
}

/// A new module's form (200): a fresh key, the relationship's data from the
/// CO when one was chosen, the worker's own address when the worker sends.
async fn start_module(req: &PageRequest, who: &Principal, filer: &Filer, start: Values) -> AppResult<Response> {
    let mut v = Values {
        key: uuid::Uuid::new_v4().simple().to_string(),
        worker_codice_fiscale: start.worker_codice_fiscale.chars().take(40).collect(),
        employer_codice_fiscale: start.employer_codice_fiscale.chars().take(40).collect(),
        relationship: start.relationship.chars().take(20).collect(),
        ..Values::default()
    };
    if let Filer::Worker = filer {
        use crate::db::schema::accounts as a;
        use diesel::prelude::*;
        let account = who.actor.account_id;
        v.worker_email = with_conn(&req.state.pool, move |c| {
            Ok(a::table.find(account).select(a::email).first::<Option<String>>(c).optional()?.flatten())
        })
        .await?
        .unwrap_or_default();
    }
    lock(req, who, filer, &mut v).await?;
    let operator = filer.is_operator();
    Ok(req.render(StatusCode::OK, move || view! { <ModulePage v errors=FieldErrors::default() operator/> }.into_any()))
}

#[component]
fn ReviewPage(
    v: Values,
    operator: bool,
    errors: FieldErrors,
    /// Modules in force for the same relationship (not revoked): said before sending another.
    #[prop(optional)]
    live: Vec<String>,
) -> impl IntoView {
    // Days as the rest of the portal shows them (the form sends them as ISO).
    let lang = crate::i18n::use_lang();
    let day = |d: &str| {
        crate::kernel::clock::parse_day(d).map(|d| crate::web::format::format_date(d, lang)).unwrap_or_else(|| d.into())
    };
    let rows: Vec<(&'static str, String)> = vec![
        ("dim-worker-codice-fiscale", v.worker_codice_fiscale.clone()),
        ("dim-worker-family-name", v.worker_family_name.clone()),
        ("dim-worker-given-name", v.worker_given_name.clone()),
        ("dim-worker-email", v.worker_email.clone()),
        ("dim-employer-codice-fiscale", v.employer_codice_fiscale.clone()),
        ("dim-employer-name", v.employer_name.clone()),
        (
            "dim-workplace-address",
            format!(
                "{}, {} {} ({})",
                v.workplace_address,
                v.workplace_cap,
                v.workplace_comune,
                v.workplace_province.to_ascii_uppercase()
            ),
        ),
        ("dim-employer-pec", v.employer_pec.clone()),
        ("dim-employer-email", v.employer_email.clone()),
        ("dim-start-date", day(&v.start_date)),
        ("dim-contract-type", v.contract_type.clone()),
        ("dim-kind", Kind::parse(&v.kind).map(|k| t(&k.name_key())).unwrap_or_default()),
        ("dim-reason", v.reason.clone()),
        ("dim-decorrenza", day(&v.decorrenza)),
    ];
    view! {
        <Page title=t("dim-review-title") trail=trail()>
            <StepHeading step=4 title=t("dim-review-title")/>
            <p class="lead">{t(if operator { "dim-review-lead-operator" } else { "dim-review-lead" })}</p>
            <ErrorSummary errors=errors.clone()/>
            {(!live.is_empty()).then(|| view! {
                <div class="notice" role="note">
                    <p>{crate::i18n::t_args("dim-review-live", &[("codes", live.join(", ")), ("count", live.len().to_string())])}</p>
                </div>
            })}
            <dl class="facts">
                {rows.into_iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| view! { <dt>{t(k)}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
            <div class="actions">
                {if operator {
                    view! {
                        <form method="post" action=paths::DIMISSIONI_PIN class="inline-form">
                            <Carried v=v.clone()/>
                            <button type="submit">{t("dim-pin-generate")}</button>
                        </form>
                    }.into_any()
                } else {
                    view! {
                        <form method="post" action=paths::DIMISSIONI_SEND class="inline-form">
                            <Carried v=v.clone()/>
                            <button type="submit">{t("dim-send")}</button>
                        </form>
                    }.into_any()
                }}
                " "
                <form method="post" action=paths::DIMISSIONI_FORM class="inline-form">
                    <Carried v=v.clone()/>
                    <input type="hidden" name="modifica" value="si"/>
                    <button type="submit" class="button--secondary">{t("dim-change")}</button>
                </form>
            </div>
        </Page>
    }
}

/// The posted form: values, locked parts enforced, checked.
async fn posted(
    req: &PageRequest,
    who: &Principal,
    filer: &Filer,
    values: Values,
) -> AppResult<(Values, Result<modulo::Contents, FieldErrors>)> {
    let mut v = values.capped();
    if !v.has_valid_key() {
        return Err(AppError::BadRequest("form key".into()));
    }
    lock(req, who, filer, &mut v).await?;
    let mut checked = form::check(&v, today(req));
    if let (Ok(contents), Filer::Operator(org)) = (&mut checked, filer) {
        contents.abilitato_kind = Some(org.kind.code().to_string());
        contents.abilitato_codice_fiscale = Some(org.codice_fiscale.clone());
    }
    Ok((v, checked))
}

/// `POST /dimissioni-volontarie/nuova/modulo`: checked, then the review (or the form again, 422).
/// The module's form as posted, with the step's own fields.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ModuloForm {
    #[serde(flatten)]
    values: Values,
    /// "si": back from the review to change the answers.
    modifica: String,
    /// "si": a new module, from the relationship step (a relationship chosen,
    /// or the codici fiscali to fill by hand).
    avvio: String,
    /// The worker's PIN, typed by the operator.
    pin: String,
}

impl ModuloForm {
    fn pin(&self) -> String {
        crate::web::text::code_signs(&self.pin, 20)
    }
}

pub async fn module_submit(req: PageRequest, FormData(form): FormData<ModuloForm>) -> AppResult<Response> {
    let who = filer::enter(&req).await?;
    let filer = filer::filer(&req, &who).await?;
    let operator = filer.is_operator();
    if form.avvio == "si" {
        return start_module(&req, &who, &filer, form.values).await;
    }
    let changing = form.modifica == "si";
    let (v, checked) = posted(&req, &who, &filer, form.values).await?;
    if changing {
        return Ok(req.render(StatusCode::OK, move || {
            view! { <ModulePage v errors=FieldErrors::default() operator/> }.into_any()
        }));
    }
    match checked {
        Err(errors) => {
            Ok(req
                .render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <ModulePage v errors operator/> }.into_any()))
        }
        Ok(contents) => {
            // Another resignation already in force for this relationship: said, not refused.
            let live = with_conn(&req.state.pool, move |c| modulo::in_force_for(c, &contents)).await?;
            Ok(req.render(StatusCode::OK, move || {
                view! { <ReviewPage v operator errors=FieldErrors::default() live/> }.into_any()
            }))
        }
    }
}

#[component]
fn PinPage(v: Values, pin: Option<String>, errors: FieldErrors) -> impl IntoView {
    let e = errors.clone();
    view! {
        <Page title=t("dim-pin-title") trail=trail()>
            <h1>{t("dim-pin-title")}</h1>
            <p class="lead">{t("dim-pin-lead")}</p>
            <ErrorSummary errors=errors.clone()/>
            {pin.clone().map(|p| view! {
                <p>{t("dim-pin")} ": " <strong><code class="secret">{p.clone()}</code></strong></p>
                <form method="post" action=paths::DIMISSIONI_PIN_PDF>
                    <Carried v=v.clone()/>
                    <input type="hidden" name="pin" value=p/>
                    <p><button type="submit" class="button--secondary">{t("dim-pin-pdf")}</button></p>
                </form>
            })}
            <form method="post" action=paths::DIMISSIONI_SEND novalidate>
                <Carried v=v.clone()/>
                <Field name="pin" label="dim-pin-enter" hint="dim-pin-enter-hint" error=e.get("pin") autocomplete="off"/>
                <p><button type="submit">{t("dim-send")}</button></p>
            </form>
        </Page>
    }
}

fn pin_for<'a>(who: &Principal, contents: &'a modulo::Contents, key: &'a str) -> pin::For<'a> {
    pin::For {
        operator: who.actor.account_id,
        worker_codice_fiscale: &contents.worker_codice_fiscale,
        kind: &contents.kind,
        key,
        content: pin::content_hash(contents),
    }
}

/// `POST /dimissioni-volontarie/nuova/delega`: the operator's PIN for this module, issued today.
pub async fn issue_pin(req: PageRequest, FormData(form): FormData<ModuloForm>) -> AppResult<Response> {
    let who = filer::enter(&req).await?;
    let filer = filer::filer(&req, &who).await?;
    if !filer.is_operator() {
        return Err(AppError::Forbidden);
    }
    let (v, checked) = posted(&req, &who, &filer, form.values).await?;
    let contents = match checked {
        Ok(c) => c,
        Err(errors) => {
            return Ok(req.render(StatusCode::UNPROCESSABLE_ENTITY, move || {
                view! { <ModulePage v errors operator=true/> }.into_any()
            }))
        }
    };
    let (day, now) = (today(&req), req.state.clock.now());
    let (w2, key) = (who.clone(), v.key.clone());
    // This form was sent already (its PIN spent): nothing to sign again.
    let issued = with_conn(&req.state.pool, move |c| match pin::sent_with(c, &key)? {
        Some(_) => Ok(None),
        None => pin::issue(c, &pin_for(&w2, &contents, &key), day, now).map(Some),
    })
    .await?
    .ok_or(AppError::Explained {
        status: StatusCode::CONFLICT,
        title: "dim-pin-sent-title",
        detail: "dim-pin-sent",
        log: "a PIN asked for a form already sent".into(),
    })?;
    Ok(req.render(StatusCode::OK, move || {
        view! { <PinPage v pin=Some(issued) errors=FieldErrors::default()/> }.into_any()
    }))
}

/// `POST /dimissioni-volontarie/nuova/delega.pdf`: the paper delega, for the PIN just issued.
pub async fn pin_pdf(req: PageRequest, FormData(form): FormData<ModuloForm>) -> AppResult<Response> {
    let who = filer::enter(&req).await?;
    let filer = filer::filer(&req, &who).await?;
    let Filer::Operator(org) = &filer else { return Err(AppError::Forbidden) };
    let typed_pin = form.pin();
    let (v, checked) = posted(&req, &who, &filer, form.values).await?;
    let contents = checked.map_err(|_| AppError::BadRequest("module".into()))?;
    let typed: String = typed_pin.clone();
    let day = today(&req);
    let (w2, c2, key, p2) = (who.clone(), contents.clone(), v.key.clone(), typed.clone());
    let ok = with_conn(&req.state.pool, move |c| pin::check(c, &pin_for(&w2, &c2, &key), &p2, day)).await?;
    ok.map_err(|_| AppError::Forbidden)?;
    let facts = documents::DelegaFacts {
        pin: &typed,
        issued_on: day,
        worker: format!("{} {}", contents.worker_given_name, contents.worker_family_name),
        worker_codice_fiscale: &contents.worker_codice_fiscale,
        kind: Kind::parse(&contents.kind).unwrap_or(Kind::Dimissioni),
        employer: contents.employer_name.clone(),
        operator: who.actor.full_name(),
        organisation: org.name.clone(),
    };
    let bytes = pdf::render(&documents::delega(&facts, req.lang));
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"delega-{}.pdf\"", contents.worker_codice_fiscale),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// `POST /dimissioni-volontarie/nuova/trasmetti`: the module is sent (once).
pub async fn send(req: PageRequest, FormData(form): FormData<ModuloForm>) -> AppResult<Response> {
    let who = filer::enter(&req).await?;
    let filer = filer::filer(&req, &who).await?;
    let operator = filer.is_operator();
    let typed_pin = form.pin();
    let (v, checked) = posted(&req, &who, &filer, form.values).await?;
    let contents = match checked {
        Ok(c) => c,
        Err(errors) => {
            return Ok(req.render(StatusCode::UNPROCESSABLE_ENTITY, move || {
                view! { <ModulePage v errors operator/> }.into_any()
            }))
        }
    };
    let day = today(&req);
    if operator {
        let typed = typed_pin;
        let (w2, c2, key) = (who.clone(), contents.clone(), v.key.clone());
        let refused = with_conn(&req.state.pool, move |c| {
            // A PIN issued for another module is named as such.
            match pin::check(c, &pin_for(&w2, &c2, &key), &typed, day)? {
                Err(pin::Refusal::Wrong) if pin::issued_elsewhere(c, &typed, &key)? => Ok(Some(pin::Refusal::Used)),
                Err(r) => Ok(Some(r)),
                Ok(()) => Ok(None),
            }
        })
        .await?;
        if let Some(r) = refused {
            let mut errors = FieldErrors::default();
            errors.add("pin", r.key());
            return Ok(
                req.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <PinPage v pin=None errors/> }.into_any())
            );
        }
    }
    let sender = Sender { account: who.actor.account_id, worker_account: (!operator).then_some(who.actor.account_id) };
    // The worker's own mail in the language they use here; an operator's worker gets Italian.
    let worker_lang = if operator { crate::i18n::Lang::It } else { req.lang };
    let code = deliver::transmit(&req.state, contents, sender, v.key.clone(), operator, worker_lang)
        .await?
        .map_err(AppError::Internal)?;
    Ok(Redirect::to(&super::sent::address(&code)).into_response())
}
