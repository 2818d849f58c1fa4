//! `/profili/associa`: the person enters a company's codice fiscale. When the
//! company registry names them as legale rappresentante the profile is theirs
//! at once; otherwise the page says why and what to do.
use super::requests;
use crate::access::{self, AuditEvent};
use crate::db::with_conn;
use crate::error::AppResult;
use crate::i18n::t;
use crate::identity::organisations::{self, Role};
use crate::kernel::PartitaIva;
use crate::kernel::{Credential, Principal};
use crate::mail::outbox;
use crate::paths;
use crate::registry::{CompanyRegistry, LocalRegistry};
use crate::web::components::{Crumb, Field, FieldErrors};
use crate::web::layout::FormPage;
use crate::web::render::{FormData, PageRequest};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;

#[derive(Clone, Debug, Default)]
struct Submission {
    codice_fiscale: String,
    errors: FieldErrors,
}

#[component]
fn AssociatePage(sub: Submission) -> impl IntoView {
    let e = sub.errors.clone();
    view! {
        <FormPage
            title=t("associate-title")
            lead=t("associate-lead")
            errors=sub.errors
            action=paths::PROFILES_ASSOCIATE.into()
            submit=t("associate-submit")
            trail=vec![Crumb { label: t("profiles-title"), href: paths::PROFILES.into() }]
        >
            <Field name="codice_fiscale" identifier=true label="associate-codice-fiscale" hint="associate-codice-fiscale-hint" value=sub.codice_fiscale error=e.get("codice_fiscale")/>
        </FormPage>
    }
}

/// `GET /profili/associa`.
pub async fn form(req: PageRequest, _who: Principal) -> Response {
    req.render(StatusCode::OK, || view! { <AssociatePage sub=Submission::default()/> }.into_any())
}

#[derive(Debug, Deserialize)]
pub struct AssociateForm {
    pub codice_fiscale: Option<String>,
}

fn again(req: &PageRequest, codice_fiscale: String, field_error: &'static str) -> Response {
    let mut errors = FieldErrors::default();
    errors.add("codice_fiscale", field_error);
    let sub = Submission { codice_fiscale, errors };
    req.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <AssociatePage sub/> }.into_any())
}

/// Requests to companies' PEC one person may have waiting at once.
const MAX_PENDING_REQUESTS: usize = 3;

/// `POST /profili/associa`.
pub async fn submit(req: PageRequest, who: Principal, FormData(form): FormData<AssociateForm>) -> AppResult<Response> {
    let typed: String = form.codice_fiscale.unwrap_or_default().trim().chars().take(40).collect();
    let Some(codice_fiscale) = PartitaIva::parse(&typed).map(String::from) else {
        return Ok(again(&req, typed, "associate-error-codice-fiscale"));
    };
    // The registry names people by codice fiscale: SPID and CIE sign-ins have one.
    if !matches!(who.actor.credential, Credential::Spid | Credential::Cie) {
        return Ok(again(&req, typed, "associate-error-credential"));
    }
    let tc = codice_fiscale.clone();
    let Some(company) = with_conn(&req.state.pool, move |c| LocalRegistry.company(c, &tc)).await? else {
        return Ok(again(&req, typed, "associate-error-unknown"));
    };
    if !company.representatives.contains(&who.actor.identifier) {
        // The company decides: a single-use link to its PEC address — once
        // per company while it waits, and a few companies at a time, so
        // nobody can use the portal to flood companies' PEC boxes.
        let (account, now) = (who.actor.account_id, req.state.clock.now());
        let tc = company.codice_fiscale.clone();
        let pending = with_conn(&req.state.pool, move |c| requests::pending_of(c, account, now)).await?;
        if pending.contains(&company.codice_fiscale) {
            return Ok(Redirect::to(paths::PROFILES).into_response());
        }
        if pending.len() >= MAX_PENDING_REQUESTS {
            return Ok(again(&req, typed, "associate-error-too-many"));
        }
        let (state, lang, name, company_name, pec) =
            (req.state.clone(), req.lang, who.actor.full_name(), company.name.clone(), company.pec.clone());
        // The request and its single-use link to the company's PEC: one transaction.
        crate::db::transaction(&req.state.pool, move |c| {
            let token = requests::create(c, &tc, account, now)?;
            let link = format!("{}{}?token={token}", state.config.origin(), paths::PROFILES_CONFIRM);
            let args = [("name", name.clone()), ("company", company_name.clone()), ("link", link)];
            let keys = ("mail-association-subject", "mail-association-body");
            let key = format!("association:{}", uuid::Uuid::new_v4().simple());
            outbox::queue(c, &state.mailer, &key, &pec, lang, keys, &args, now)
        })
        .await?;
        req.state.deliver_mail();
        tracing::info!(%account, company = %company.codice_fiscale, "association request sent to the company's PEC");
        return Ok(Redirect::to(paths::PROFILES).into_response());
    }
    let (account, now) = (who.actor.account_id, req.state.clock.now());
    let event = AuditEvent {
        at: now,
        actor_account_id: Some(account),
        subject: format!("account:{account}"),
        action: access::AuditAction::Associate,
        resource: format!("company:{codice_fiscale}"),
        outcome: access::Outcome::Allowed,
        reason: "registry names the person as legale rappresentante".into(),
        request_id: req.request_id.clone(),
    };
    crate::db::transaction(&req.state.pool, move |c| {
        let org = organisations::organisation_for(c, &company.as_organisation(), now)?;
        organisations::join(c, org, account, Role::LegaleRappresentante, now)?;
        access::record(c, &event)
    })
    .await?;
    Ok(Redirect::to(paths::PROFILES).into_response())
}
