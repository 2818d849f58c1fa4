//! Server-side sessions: the cookie holds only a random id; the data lives in
//! the database, so any instance behind a load balancer can serve any request.
//! The session keeps one typed [`Principal`]; [`resolve_principal`] reads it
//! once per request and hands it on typed.
mod grants;
mod merge;
mod principal;
mod store;

pub use grants::{revoke_grant, revoke_grants};

pub use principal::{
    membership, principal_of, resolve_principal, sign_in, switch_acting, update_actor, BoxFuture, Refresh, Resolver,
    CHECKED_KEY, DEVICE_KEY, EPOCH_KEY, IDLE_KEY, SESSION_KEY,
};
pub use store::{
    delete_expired, end_account_sessions, end_by_id, end_idp_sessions, end_other_sessions, end_session, owner_of,
    reference, sessions_of, DieselStore, Lifetime, Listed,
};

use crate::config::Config;
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};

/// `__Host-` binds the cookie to our exact origin (Secure, Path=/, no Domain),
/// so it is only possible, and always used, over HTTPS.
pub fn cookie_name(config: &Config) -> &'static str {
    if config.secure_cookies() {
        "__Host-sl_session"
    } else {
        "sl_session"
    }
}

pub fn layer(config: &Config, store: DieselStore) -> SessionManagerLayer<DieselStore> {
    SessionManagerLayer::new(store)
        .with_name(cookie_name(config))
        .with_secure(config.secure_cookies())
        .with_http_only(true)
        // Lax, not Strict: the return from an identity provider is a cross-site
        // navigation and must arrive with the cookie.
        .with_same_site(SameSite::Lax)
        .with_path("/")
        // The cookie lasts as long as the browser; the server decides expiry
        // (idle and absolute limits, see `Lifetime`) and forgets the rest.
        .with_expiry(Expiry::OnSessionEnd)
}

/// Gives the session a new id, keeping its data: call on every change of
/// privilege (sign-in, step-up, profile switch) against session fixation.
pub async fn rotate(session: &tower_sessions::Session) -> Result<(), tower_sessions::session::Error> {
    session.cycle_id().await
}

/// Ends the request's session for good (its row deleted, not only set aside
/// as `flush` does), then forgets it in the request.
pub async fn end(session: &tower_sessions::Session, pool: &crate::db::DbPool) -> Result<(), crate::error::AppError> {
    if let Some(id) = session.id() {
        let id = id.to_string();
        crate::db::with_conn(pool, move |c| end_by_id(c, &id)).await?;
    }
    session.flush().await?;
    Ok(())
}
