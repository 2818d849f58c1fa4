//! `GET /servizi/{slug}/accedi`: "Accedi al servizio", through the access decision.
use super::model::{self, ServiceSlug};
use super::pages::{profiles_to_switch, AccessDeniedPage};
use super::usage;
use super::{outages, status_page};
use crate::access::{self, Action, Denial, Resource};
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::paths;
use crate::paths::safe_return_path;
use crate::web::render::PageRequest;
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;

/// Allowed: on to the service (usage recorded). Level too low: a new
/// authentication at the level the service needs, then straight back here.
/// Otherwise: the explanation, with what would fix it (403).
pub async fn enter(page: PageRequest, Path(ServiceSlug { slug }): Path<ServiceSlug>) -> AppResult<Response> {
    let service = model::find(&slug).ok_or(AppError::NotFound)?;
    // Interrupted: said to everyone, before any sign-in that would lead nowhere.
    let now = page.state.clock.now();
    let slug = service.slug.as_str();
    if let Some(outage) = with_conn(&page.state.pool, move |c| outages::in_force(c, slug, now)).await? {
        return Ok(status_page::unavailable(&page, service, outage));
    }
    let here = safe_return_path(Some(&paths::service_enter(&service.slug)), paths::SERVICES);
    let resource = Resource::Service(service.requirements());
    let who = page.principal.as_ref();
    match access::check(&page.state, who, Action::Enter, &resource, &page.request_id).await? {
        Ok(permit) => {
            with_conn(&page.state.pool, move |c| usage::record(c, &permit, service, now)).await?;
            let url = if service.internal {
                service.path.clone()
            } else {
                format!("{}{}", page.state.config.services_base_url.trim_end_matches('/'), service.path)
            };
            Ok((StatusCode::SEE_OTHER, [(header::LOCATION, url)]).into_response())
        }
        // Signed out: sign in once, at the level the service needs.
        Err(Denial::SignIn) => Ok(Redirect::to(&paths::sign_in_at(&here, service.min_level.number())).into_response()),
        Err(Denial::Level { needed, step_up: true }) => Err(AppError::StepUpRequired {
            idp: who.map(|w| w.actor.idp_entity_id.clone()).unwrap_or_default(),
            level: needed.number(),
            next: here,
        }),
        Err(denial) => {
            let held = match (&denial, who) {
                (Denial::Profile { needed }, Some(who)) => profiles_to_switch(&page, who, needed).await?,
                _ => Vec::new(),
            };
            Ok(page.render(StatusCode::FORBIDDEN, move || view! { <AccessDeniedPage service denial held/> }.into_any()))
        }
    }
}
