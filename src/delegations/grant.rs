//! `/deleghe/nuova`: granting a delega. First for whom (oneself as
//! Cittadino, or an organisation one manages: a plain GET form, so the
//! services offered are that subject's), then to whom (codice fiscale), of
//! which kind, for all or some services, from when until when. A delega
//! never grants more than the subject has: only services open to its
//! profile, never one the law reserves to the person.
use super::model::{self, Kind, NewDelega};
use super::notify::{self, Notice};
use super::outcome::Done;
use crate::access::{self, Action, Permit, Resource};
use crate::catalog::model as catalog;
use crate::db::with_conn;
use crate::error::AppResult;
use crate::i18n::{t, use_lang};
use crate::identity::organisations::{self, Profile as Held};
use crate::kernel::CodiceFiscale;
use crate::kernel::OrganisationId;
use crate::kernel::{Principal, Profile};
use crate::paths;
use crate::web::check_answers::{self, CheckAnswers};
use crate::web::components::{Answer, Choice, Choices, Crumb, ErrorSummary, Field, FieldErrors};
use crate::web::format::format_date;
use crate::web::layout::Page;
use crate::web::render::{FormData, PageRequest};
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::Deserialize;

/// For whom a delega can be granted: `me` (one's citizen services) or an organisation one manages.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Subject {
    value: String,
    name: String,
    capacity: Profile,
    organisation: Option<OrganisationId>,
}

async fn subjects(req: &PageRequest, who: &Principal) -> AppResult<Vec<Subject>> {
    let account = who.actor.account_id;
    let held: Vec<Held> = with_conn(&req.state.pool, move |c| organisations::profiles_of(c, account)).await?;
    let mut out = vec![Subject {
        value: "me".into(),
        name: req.lang.t("profile-citizen"),
        capacity: Profile::Cittadino,
        organisation: None,
    }];
    out.extend(held.into_iter().filter(|p| p.role.manages()).map(|p| Subject {
        value: p.organisation_id.to_string(),
        name: p.organisation_name,
        capacity: p.kind.capacity(),
        organisation: Some(p.organisation_id),
    }));
    Ok(out)
}

#[derive(Clone, Debug, Default)]
struct Values {
    codice_fiscale: String,
    kind: String,
    all: bool,
    services: Vec<String>,
    from: String,
    until: String,
}

#[component]
fn GrantPage(
    subject: Subject,
    subjects: Vec<Subject>,
    v: Values,
    errors: FieldErrors,
    max_years: i32,
) -> impl IntoView {
    let lang = use_lang();
    let e = errors.clone();
    let (delegable, reserved) = super::checks::services_for(subject.capacity);
    let chooser = (subjects.len() > 1).then(|| {
        let current = subject.value.clone();
        view! {
            <form method="get" action=paths::DELEGA_NEW class="card">
                <div class="field">
                    <label for="per">{t("delega-for")}</label>
                    <select id="per" name="per">
                        {subjects.iter().map(|s| view! { <option value=s.value.clone() selected=s.value == current>{s.name.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button--secondary">{t("delega-for-choose")}</button>
            </form>
        }
    });
    let kind_error = e.get("tipo");
    let scope_error = e.get("servizi");
    view! {
        <Page title=t("delega-new-title") trail=vec![Crumb { label: t("deleghe-title"), href: paths::DELEGHE.into() }]>
            <h1>{t("delega-new-title")}</h1>
            <p class="lead">{t("delega-new-lead")}</p>
            {chooser}
            <ErrorSummary errors=errors.clone()/>
            <form method="post" action=paths::DELEGA_NEW novalidate>
                <input type="hidden" name="per" value=subject.value.clone()/>
                <p>{t("delega-for")} ": " <strong>{subject.name.clone()}</strong></p>
                <Field name="codice_fiscale" identifier=true label="delega-delegate" hint="delega-delegate-hint" value=v.codice_fiscale.clone() error=e.get("codice_fiscale")/>
                // The error summary links to each group's first control (`#tipo`, `#servizi`).
                <Choices name="tipo" legend=t("delega-kind") error=kind_error choices=[Kind::NonTemporanea, Kind::Temporanea]
                    .into_iter()
                    .map(|k| Choice::new(k.code(), t(k.name_key()), v.kind == k.code()).hint(t(&format!("{}-hint", k.name_key()))))
                    .collect()/>
                <Choices name="ambito" id="servizi" legend=t("delega-scope") error=scope_error choices=vec![
                    Choice::new("tutti", t("delega-scope-all"), v.all),
                    Choice::new("scelti", t("delega-scope-some"), !v.all),
                ]/>
                <div class="controls--nested">
                    <Choices name="servizio" multiple=true legend=t("delega-scope-which") choices=delegable
                        .into_iter()
                        .map(|s| Choice::new(s.slug.clone(), s.name.get(lang).to_string(), v.services.contains(&s.slug)))
                        .collect()/>
                    {(!reserved.is_empty()).then(|| view! {
                        <p class="hint">{t("delega-reserved")} " "
                            {reserved.iter().map(|s| s.name.get(lang).to_string()).collect::<Vec<_>>().join(", ")}
                        </p>
                    })}
                </div>
                <Field name="dal" label="delega-from" kind="date" value=v.from.clone() error=e.get("dal")/>
                <Field name="al" label="delega-until" kind="date" hint="delega-until-hint" value=v.until.clone() error=e.get("al")/>
                <p class="hint">{crate::i18n::t_args("delega-max", &[("years", max_years.to_string())])}</p>
                <p><button type="submit">{t("delega-new-continue")}</button></p>
            </form>
        </Page>
    }
}

#[derive(Debug, Deserialize)]
pub struct ForQuery {
    pub per: Option<String>,
}

fn chosen(subjects: &[Subject], per: Option<&str>) -> Option<Subject> {
    match per {
        None => subjects.first().cloned(),
        Some(p) => subjects.iter().find(|s| s.value == p).cloned(),
    }
}

/// The permit to grant a delega for `subject` covering `services` (none:
/// every service it may delegate): asked of the one decision, which wants
/// SPID or CIE at level 2, and at least the level of each service covered.
async fn may_grant(req: &PageRequest, subject: &Subject, services: Option<&[String]>) -> AppResult<Permit> {
    let (delegable, _) = super::checks::services_for(subject.capacity);
    let needs = delegable
        .iter()
        .filter(|s| services.is_none_or(|chosen| chosen.contains(&s.slug)))
        .map(|s| s.min_level)
        .max()
        .unwrap_or(crate::kernel::Level::L1);
    // The role is read again here: the list of subjects only offered it.
    let organisation = match subject.organisation {
        Some(id) => {
            let role = match req.principal.as_ref().map(|p| p.actor.account_id) {
                Some(account) => with_conn(&req.state.pool, move |c| organisations::role_in(c, id, account)).await?,
                None => None,
            };
            Some((id, role))
        }
        None => None,
    };
    let back = format!("{}?per={}", paths::DELEGA_NEW, subject.value);
    access::require(req, Action::Change, &Resource::DelegaGrant { organisation, needs }, &back).await
}

/// `GET /deleghe/nuova[?per=…]`.
pub async fn form(req: PageRequest, who: Principal, Query(q): Query<ForQuery>) -> AppResult<Response> {
    let subjects = subjects(&req, &who).await?;
    // Someone else's organisation is not among the choices: as if it did not exist.
    let subject = chosen(&subjects, q.per.as_deref()).ok_or(crate::error::AppError::NotFound)?;
    may_grant(&req, &subject, None).await?;
    let today = crate::kernel::clock::italian_day(req.state.clock.now());
    let v = Values { all: false, from: today.format("%Y-%m-%d").to_string(), ..Values::default() };
    let max_years = req.state.config.delega_max_years;
    Ok(req.render(StatusCode::OK, move || {
        view! { <GrantPage subject subjects v errors=FieldErrors::default() max_years/> }.into_any()
    }))
}

/// The new delega's form as posted (a checkbox per service: `servizio` repeated).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct GrantForm {
    per: String,
    codice_fiscale: String,
    tipo: String,
    ambito: String,
    servizio: Vec<String>,
    dal: String,
    al: String,
    /// From the check page: `conferma` grants, `modifica` shows the form again.
    passo: String,
}

/// `POST /deleghe/nuova`.
pub async fn submit(req: PageRequest, who: Principal, FormData(form): FormData<GrantForm>) -> AppResult<Response> {
    let cut = |s: &str| s.chars().take(100).collect::<String>();
    let subjects = subjects(&req, &who).await?;
    let subject = chosen(&subjects, Some(&cut(&form.per))).ok_or(crate::error::AppError::NotFound)?;
    let v = Values {
        codice_fiscale: cut(&form.codice_fiscale).trim().to_string(),
        kind: cut(&form.tipo),
        all: form.ambito == "tutti",
        services: form.servizio.iter().map(|s| cut(s)).take(100).collect(),
        from: cut(&form.dal),
        until: cut(&form.al),
    };
    // Asked before the form is checked, so a new authentication comes before any typing is lost.
    let permit = may_grant(&req, &subject, (!v.all).then_some(v.services.as_slice())).await?;
    let (today, max_years) =
        (crate::kernel::clock::italian_day(req.state.clock.now()), req.state.config.delega_max_years);
    if form.passo == check_answers::CHANGE {
        return Ok(req.render(StatusCode::OK, move || {
            view! { <GrantPage subject subjects v errors=FieldErrors::default() max_years/> }.into_any()
        }));
    }
    let mut errors = FieldErrors::default();
    let delegate = CodiceFiscale::personal(&v.codice_fiscale).map(String::from);
    match &delegate {
        None => errors.add("codice_fiscale", "delega-error-codice-fiscale"),
        Some(cf) if *cf == who.actor.identifier => errors.add("codice_fiscale", "delega-error-self"),
        _ => {}
    }
    let kind = Kind::parse(&v.kind);
    if kind.is_none() {
        errors.add("tipo", "delega-error-kind");
    }
    let (delegable, _) = super::checks::services_for(subject.capacity);
    let services = super::checks::scope(v.all, &v.services, &delegable, "delega-error-scope", &mut errors);
    let (from, until) = super::checks::period(&v.from, &v.until, today, max_years, &mut errors);
    let max = max_years;
    let again = |errors: FieldErrors, v: Values, subject: Subject, subjects: Vec<Subject>| {
        req.render(StatusCode::UNPROCESSABLE_ENTITY, move || {
            view! { <GrantPage subject subjects v errors max_years=max/> }.into_any()
        })
    };
    let (Some(delegate), Some(kind), Some(from), Some(until), true) = (delegate, kind, from, until, errors.is_empty())
    else {
        return Ok(again(errors, v, subject, subjects));
    };
    if form.passo != check_answers::CONFIRM {
        let (answers, hidden) =
            answers(&req, &subject, &v, &delegate, kind, services.as_deref(), (from, until)).await?;
        return Ok(req.render(StatusCode::OK, move || {
            view! {
                <CheckAnswers
                    title=t("delega-check-title")
                    answers
                    action=paths::DELEGA_NEW.to_string()
                    hidden
                    submit=t("delega-new-submit")
                    note=t("delega-check-note")
                    trail=vec![Crumb { label: t("deleghe-title"), href: paths::DELEGHE.into() }]
                />
            }
            .into_any()
        }));
    }
    let new = NewDelega {
        grantor: who.actor.account_id,
        organisation: subject.organisation,
        delegate_codice_fiscale: delegate,
        held_by: None,
        kind,
        services,
        starts_on: from,
        ends_on: until,
    };
    let (days, now, state, lang) =
        (req.state.config.delega_pending_days, req.state.clock.now(), req.state.clone(), req.lang);
    // The delega and its mails: one transaction.
    let created = crate::db::transaction(&req.state.pool, move |c| {
        let Some(id) = model::create(c, &permit, &new, days, now)? else { return Ok(None) };
        let delega = model::find(c, id, now)?;
        if let Some(d) = &delega {
            notify::queue(c, &state, d, Notice::Granted, lang, now)?;
        }
        Ok(delega)
    })
    .await?;
    let Some(delega) = created else {
        errors.add("codice_fiscale", "delega-error-duplicate");
        return Ok(again(errors, v, subject, subjects));
    };
    req.state.deliver_mail();
    Ok(Redirect::to(&paths::delega_done(delega.id, Done::Granted.code())).into_response())
}

/// The answers in words before the delega is granted (a change button
/// each), and the hidden fields that carry them.
async fn answers(
    req: &PageRequest,
    subject: &Subject,
    v: &Values,
    delegate: &str,
    kind: Kind,
    services: Option<&[String]>,
    (from, until): (NaiveDate, NaiveDate),
) -> AppResult<(Vec<Answer>, Vec<(&'static str, String)>)> {
    let lang = req.lang;
    let named = super::confirm::delegate_named(req, delegate).await?;
    let change = |field: &str| Some(format!("{}#{field}", paths::DELEGA_NEW));
    let services_named = match services {
        None => vec![lang.t("delega-scope-all")],
        Some(list) => {
            list.iter().filter_map(|slug| catalog::find(slug)).map(|s| s.name.get(lang).to_string()).collect()
        }
    };
    let answers = vec![
        Answer { question: lang.t("delega-for"), answer: vec![subject.name.clone()], change: None },
        Answer { question: lang.t("delega-check-delegate"), answer: vec![named], change: change("codice_fiscale") },
        Answer { question: lang.t("delega-kind"), answer: vec![lang.t(kind.name_key())], change: change("tipo") },
        Answer { question: lang.t("delega-scope"), answer: services_named, change: change("servizi") },
        Answer { question: lang.t("delega-from"), answer: vec![format_date(from, lang)], change: change("dal") },
        Answer { question: lang.t("delega-until"), answer: vec![format_date(until, lang)], change: change("al") },
    ];
    let mut hidden = vec![
        ("per", subject.value.clone()),
        ("codice_fiscale", delegate.to_string()),
        ("tipo", kind.code().to_string()),
        ("ambito", if services.is_none() { "tutti" } else { "scelti" }.to_string()),
        ("dal", v.from.clone()),
        ("al", v.until.clone()),
    ];
    hidden.extend(services.unwrap_or_default().iter().map(|s| ("servizio", s.clone())));
    Ok((answers, hidden))
}
