//! Signing out of an OpenID Connect sign-in: the access token is revoked at
//! the provider (which ends the person's session there); the portal session
//! has already ended, whatever the provider answers.
use crate::kernel::{AppState, OidcGrant};

pub async fn revoke(state: &AppState, grant: OidcGrant) {
    let Some(keys) = state.oidc.keys.clone() else { return };
    let client_id = super::login::client_id(state);
    let now = state.clock.now().and_utc().timestamp();
    let https_only = state.config.is_production();
    let endpoint = grant.revocation_endpoint.clone();
    let done = tokio::task::spawn_blocking(move || {
        let agent = crate::oidc::discovery::agent(https_only);
        crate::oidc::endpoints::revoke(&agent, &keys, &grant.revocation_endpoint, &client_id, &grant.access_token, now)
    })
    .await;
    match done {
        Ok(Ok(())) => tracing::info!(%endpoint, "access token revoked at the provider"),
        Ok(Err(e)) => tracing::warn!(%endpoint, error = %e, "the provider did not revoke the access token"),
        Err(e) => tracing::warn!(%endpoint, error = %e, "revocation did not run"),
    }
}
