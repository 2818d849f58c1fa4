//! `/profili/organizzazioni/{id}/membri/{member}/servizi`: those who manage
//! an organisation give an operatore only some of its services (or all of
//! them again). The operatore meets the change on their next request — the
//! membership is re-read each time — and a service outside it answers 403
//! with what to do; every change is in the organisation's activity.
//! (The organisation's page shows each operatore's services: `organisation::services_in_words`.)
use super::members::{audit, MemberPath};
use super::organisation;
use crate::access::{self, Action};
use crate::catalog::model::{self as catalog, Service};
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::i18n::{t, t_args, use_lang};
use crate::identity::organisations::{self, Member, MemberList, MembersRefusal, Organisation, Role};
use crate::kernel::{OrganisationId, Principal};
use crate::paths;
use crate::web::components::{Choice, Choices, Crumb, FieldErrors};
use crate::web::layout::FormPage;
use crate::web::render::{FormData, PageRequest};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;
use std::sync::Arc;

/// The services the organisation itself may use: those an operatore can be given.
fn offered(org: &Organisation) -> Vec<&'static Service> {
    let capacity = org.kind.capacity();
    catalog::all().iter().filter(|s| s.audience.contains(&capacity)).collect()
}

#[component]
fn ServicesForm(org: Organisation, member: Member, chosen: Option<Vec<String>>, errors: FieldErrors) -> impl IntoView {
    let lang = use_lang();
    let e = errors.clone();
    let some = chosen.is_some();
    let chosen = chosen.unwrap_or_default();
    let title = t_args("member-services-title-of", &[("name", member.name.clone())]);
    view! {
        <FormPage
            title
            lead=t_args("member-services-lead", &[("organisation", org.name.clone())])
            errors
            action=paths::member_services(org.id, member.membership_id)
            submit=t("member-services-submit")
            trail=vec![
                Crumb { label: t("profiles-title"), href: paths::PROFILES.into() },
                Crumb { label: org.name.clone(), href: paths::organisation(org.id) },
            ]
        >
            <Choices name="ambito" id="servizi" legend=t("member-services-scope") error=e.get("servizi") choices=vec![
                Choice::new("tutti", t("member-services-all"), !some),
                Choice::new("scelti", t("member-services-some"), some),
            ]/>
            <div class="controls--nested">
                <Choices name="servizio" multiple=true legend=t("member-services-which") choices=offered(&org)
                    .into_iter()
                    .map(|s| Choice::new(s.slug.clone(), s.name.get(lang).to_string(), chosen.contains(&s.slug)))
                    .collect()/>
            </div>
        </FormPage>
    }
}

/// The organisation (with the permit to change its members) and its active operatore `member`.
async fn operatore(
    req: &PageRequest,
    who: &Principal,
    id: OrganisationId,
    member: crate::kernel::MembershipId,
) -> AppResult<(Arc<access::Permit>, Organisation, Member)> {
    let (permit, org) = organisation::permit(req, who, id, Action::Change).await?;
    let permit = Arc::new(permit);
    let p2 = permit.clone();
    let found = with_conn(&req.state.pool, move |c| organisations::members(c, &p2, id, MemberList::One(member)))
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    if found.role != Role::Operatore {
        return Err(super::members::refused(MembersRefusal::OnlyOperatore, id));
    }
    Ok((permit, org, found))
}

/// `GET …/membri/{member}/servizi`.
pub async fn form(
    req: PageRequest,
    who: Principal,
    Path(MemberPath { id, member }): Path<MemberPath>,
) -> AppResult<Response> {
    let (_, org, member) = operatore(&req, &who, id, member).await?;
    let chosen = member.services.clone();
    Ok(req.render(StatusCode::OK, move || {
        view! { <ServicesForm org member chosen errors=FieldErrors::default()/> }.into_any()
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ServicesFormData {
    ambito: String,
    servizio: Vec<String>,
}

/// `POST …/membri/{member}/servizi`.
pub async fn submit(
    req: PageRequest,
    who: Principal,
    Path(MemberPath { id, member }): Path<MemberPath>,
    FormData(f): FormData<ServicesFormData>,
) -> AppResult<Response> {
    let (permit, org, m) = operatore(&req, &who, id, member).await?;
    let offered: Vec<&str> = offered(&org).iter().map(|s| s.slug.as_str()).collect();
    let mut errors = FieldErrors::default();
    let chosen: Option<Vec<String>> = match f.ambito.as_str() {
        "tutti" => None,
        _ => {
            let mut list: Vec<String> = f.servizio.iter().take(100).map(|s| s.chars().take(100).collect()).collect();
            list.sort();
            list.dedup();
            if list.is_empty() {
                errors.add("servizi", "member-services-error-empty");
            } else if list.iter().any(|s| !offered.contains(&s.as_str())) {
                errors.add("servizi", "member-services-error-foreign");
            }
            Some(list)
        }
    };
    if !errors.is_empty() {
        return Ok(req.render(StatusCode::UNPROCESSABLE_ENTITY, move || {
            view! { <ServicesForm org member=m chosen errors/> }.into_any()
        }));
    }
    let stored = chosen.clone();
    let changed =
        with_conn(&req.state.pool, move |c| organisations::set_services(c, &permit, id, member, stored.as_deref()))
            .await?;
    let old = changed.map_err(|r| super::members::refused(r, id))?;
    if old != chosen {
        let words = |s: &Option<Vec<String>>| s.as_ref().map_or_else(|| "*".to_string(), |l| l.join(" "));
        let detail = format!("{} -> {}", words(&old), words(&chosen));
        audit(&req, &who, access::AuditAction::ChangeServices, format!("org:{id}/member:{member}"), detail).await?;
    }
    Ok(Redirect::to(&paths::organisation_services_changed(id, member)).into_response())
}
