//! Who the visitor is: sign-in with SPID, CIE and eIDAS (through `saml`),
//! SPID and CIE over OpenID Connect (through `oidc`) or the demo identity
//! providers, sessions and the principal,
//! the personal area and sign-out.
pub mod choice;
pub mod demo_idp;
pub mod demo_op;
pub mod openid;
pub mod pages;
pub mod session;
mod sessions_page;
mod signout;
pub mod sso;

use crate::kernel::sweep::Swept;
use crate::kernel::AppState;
use crate::paths;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;

/// `GET /saml/metadata`: our signed SP metadata.
async fn saml_metadata(State(state): State<AppState>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/samlmetadata+xml")], state.saml.sp.metadata_xml.clone())
}

/// `GET /saml/cie/metadata`: the same service provider in the CIE profile.
async fn cie_metadata(State(state): State<AppState>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/samlmetadata+xml")], state.saml.sp.cie_metadata_xml.clone())
}

/// `GET /.well-known/openid-federation`: the portal's entity configuration,
/// signed now; in production only once it belongs to a federation.
async fn entity_configuration(State(state): State<AppState>) -> axum::response::Response {
    use crate::oidc::entity;
    let fed = &state.oidc;
    let Some(keys) = &fed.keys else {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    };
    let now = state.clock.now().and_utc().timestamp();
    // Signed at most once a minute; the same signed text within it.
    let cached = fed.signed_configuration.lock().ok().and_then(|c| c.clone()).filter(|(minute, _)| *minute == now / 60);
    if let Some((_, jwt)) = cached {
        return ([(header::CONTENT_TYPE, entity::MEDIA_TYPE)], jwt).into_response();
    }
    let c = &state.config;
    let entity_id = c.entity_id();
    let party = entity::Party {
        organization_name: c.organization.name.clone(),
        client_name: c.organization.display_name.clone(),
        homepage_uri: format!("{entity_id}/"),
        policy_uri: format!("{entity_id}{}", paths::PRIVACY),
        logo_uri: format!("{entity_id}{}", crate::web::assets::url("emblem.svg")),
        // The rules ask for the institutional PEC address when there is one.
        contacts: vec![c.pec_from.clone().unwrap_or_else(|| c.organization.contact_email.clone())],
        redirect_uris: vec![openid::login::redirect_uri(&state)],
        authority_hints: fed.authority_hints.clone(),
        trust_marks: fed.trust_marks.clone(),
        entity_id,
    };
    match entity::sign(&party, keys, now) {
        Ok(jwt) => {
            if let Ok(mut c) = fed.signed_configuration.lock() {
                *c = Some((now / 60, jwt.clone()));
            }
            ([(header::CONTENT_TYPE, entity::MEDIA_TYPE)], jwt).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot sign the entity configuration");
            axum::http::StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// The sign-in domain's clean-up: expired sessions and sign-in requests, and
/// the SAML register past its time.
pub fn sweep(c: &mut crate::db::AnyConnection, now: chrono::NaiveDateTime) -> diesel::QueryResult<Swept> {
    let rows = session::delete_expired(c, now)?
        + sso::request_state::purge_expired(c, now)?
        + sso::register::purge(c, now)?
        + sso::register::purge_replay(c, now)?
        + openid::pending::purge_expired(c, now)?
        + openid::chains::purge_expired(c, now)?;
    Ok(Swept::rows(rows))
}

/// The sign-in domain's addresses; the demo IdPs only when they are on.
pub fn routes(state: &AppState) -> Router<AppState> {
    let mut router = Router::new()
        .route(paths::SIGN_IN, get(choice::page))
        .route(paths::PERSONAL_AREA, get(pages::personal_area))
        .route(paths::SIGNED_OUT, get(pages::signed_out))
        .route(paths::SESSIONS, get(sessions_page::page))
        .route(paths::SESSIONS_END, post(sessions_page::end))
        .route(paths::SESSIONS_PREFERENCES, post(sessions_page::preferences))
        .route(paths::SIGN_OUT, post(signout::sign_out))
        .route(paths::SAML_METADATA, get(saml_metadata))
        .route(paths::SAML_CIE_METADATA, get(cie_metadata))
        .route(paths::OIDC_FEDERATION, get(entity_configuration))
        .route(paths::OIDC_LOGIN, get(openid::login::login))
        .route(paths::OIDC_CALLBACK, get(openid::callback::callback))
        .route(paths::SAML_LOGIN, get(sso::login::login))
        .route(paths::SAML_ACS, post(sso::acs::acs))
        .route(paths::SAML_SLO, get(sso::logout::single_logout));
    if !state.saml.demo.is_empty() {
        router = router
            .route(paths::DEMO_IDP_METADATA, get(demo_idp::metadata))
            .route(paths::DEMO_IDP_SSO, get(demo_idp::sso).post(demo_idp::respond))
            .route(paths::DEMO_IDP_SLO, get(demo_idp::single_logout));
    }
    router.merge(demo_op::routes(state))
}
