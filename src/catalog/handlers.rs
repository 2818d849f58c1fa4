//! `GET /servizi/{slug}/accedi`: "Accedi al servizio", through the access decision.
use super::model;
use super::usage;
use crate::access::{self, Denial};
use crate::app::AppState;
use crate::auth::saml::request_state::safe_return_path;
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::identity::SignedIn;
use crate::web::render::render_view;
use axum::extract::{Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use leptos::prelude::*;

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Allowed: on to the service (usage recorded). Level too low: a new
/// authentication at the level the service needs, then straight back here.
/// Otherwise: the explanation, with what would fix it (403).
pub async fn enter(
    State(state): State<AppState>,
    Extension(who): Extension<Option<SignedIn>>,
    Path(slug): Path<String>,
    req: Request,
) -> AppResult<Response> {
    let service = model::find(&slug).ok_or(AppError::NotFound)?;
    let here = safe_return_path(Some(&format!("/servizi/{}/accedi", service.slug)), "/servizi");
    let profile = access::current_profile(who.as_ref());
    match access::decide_logged(who.as_ref(), profile, service) {
        Ok(()) => {
            let account = who.as_ref().map(|w| w.account_id).unwrap_or_default();
            let s = service.slug.clone();
            with_conn(&state.pool, move |c| usage::record(c, account, &s)).await?;
            let url = format!("{}{}", state.config.services_base_url.trim_end_matches('/'), service.path);
            Ok((StatusCode::SEE_OTHER, [(header::LOCATION, url)]).into_response())
        }
        Err(Denial::SignIn) => Ok(Redirect::to(&format!("/accedi?next={}", enc(&here))).into_response()),
        Err(Denial::Level { needed, step_up: true }) => {
            let idp = who.map(|w| w.idp_entity_id).unwrap_or_default();
            Ok(Redirect::to(&format!("/saml/login?idp={}&level={}&next={}", enc(&idp), needed.number(), enc(&here))).into_response())
        }
        Err(denial) => {
            let (parts, _) = req.into_parts();
            let d = AccessDenied(service.slug.clone(), super::pages::explain_for(&denial));
            Ok(render_view(&state, parts, StatusCode::FORBIDDEN, move || provide_context(d.clone()), AccessDeniedPage).await)
        }
    }
}

#[derive(Clone)]
struct AccessDenied(String, super::pages::Explanation);

#[component]
fn AccessDeniedPage() -> impl IntoView {
    let Some(AccessDenied(slug, why)) = use_context::<AccessDenied>() else { return ().into_any() };
    let lang = crate::i18n::use_lang();
    let name = model::find(&slug).map(|s| s.name.get(lang).to_string()).unwrap_or_default();
    view! {
        <crate::web::layout::Page title=crate::i18n::t("access-denied-title")>
            <h1>{crate::i18n::t("access-denied-title")}</h1>
            <p class="lead">{name}</p>
            <p>{why.render()}</p>
            <p><a href=format!("/servizi/{slug}")>{crate::i18n::t("access-back")}</a></p>
        </crate::web::layout::Page>
    }
    .into_any()
}
