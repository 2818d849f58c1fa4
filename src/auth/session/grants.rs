//! The access tokens of OpenID Connect sign-ins, revoked at their provider
//! (which ends the person's session there) whenever the portal session they
//! belong to ends: signing out, out everywhere, one session closed, a
//! step-up that replaces the sign-in. The portal session has already ended,
//! whatever the provider answers.
use crate::kernel::{AppState, OidcGrant};

pub async fn revoke_grant(state: &AppState, grant: OidcGrant) {
    let Some(keys) = state.oidc.keys.clone() else { return };
    let client_id = state.config.entity_id();
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

/// Revokes each of `grants`.
pub async fn revoke_grants(state: &AppState, grants: Vec<OidcGrant>) {
    for grant in grants {
        revoke_grant(state, grant).await;
    }
}
