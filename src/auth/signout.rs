//! `POST /esci`: the portal session always ends here first; then the
//! provider is told, in its protocol (SAML Single Logout, or revocation of
//! the OpenID Connect access token).
use crate::error::AppResult;
use crate::kernel::{AppState, Principal};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

pub async fn sign_out(State(state): State<AppState>, session: Session, who: Option<Principal>) -> AppResult<Response> {
    super::session::end(&session, &state.pool).await?;
    let Some(Principal { actor: who, .. }) = who else {
        return Ok(Redirect::to(crate::paths::SIGNED_OUT).into_response());
    };
    tracing::info!(account = %who.account_id, "signed out");
    match who.oidc_grant.clone() {
        Some(grant) => {
            super::session::revoke_grant(&state, grant).await;
            Ok(Redirect::to(crate::paths::SIGNED_OUT).into_response())
        }
        None => super::sso::logout::at_idp(&state, who).await,
    }
}
