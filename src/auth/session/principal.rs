//! The principal in the session: written at sign-in and on a change of
//! profile, read once per request by [`resolve_principal`].
use super::rotate;
use crate::kernel::{Acting, AppState, Basis, Principal, Role, SignedIn};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use chrono::{Duration, NaiveDateTime};
use tower_sessions::Session;

pub const SESSION_KEY: &str = "principal";
/// When the session was last renewed (sliding inactivity expiry).
const RENEWED_KEY: &str = "renewed_at";
/// Renew at most this often: a write per request would cost more than it gives.
const RENEW_EVERY_SECS: i64 = 60;

/// Starts a signed-in session (under a new id) for `who`, acting as Cittadino.
pub async fn sign_in(
    session: &Session,
    who: SignedIn,
    roles: Vec<Role>,
    now: NaiveDateTime,
) -> Result<(), tower_sessions::session::Error> {
    rotate(session).await?;
    session.insert(SESSION_KEY, Principal::signed_in(who, roles)).await?;
    session.insert(RENEWED_KEY, now).await
}

/// Changes whom the signed-in person acts for (under a new session id).
pub async fn switch_acting(
    session: &Session,
    principal: &Principal,
    acting: Acting,
) -> Result<(), tower_sessions::session::Error> {
    rotate(session).await?;
    let p = Principal { acting, ..principal.clone() };
    session.insert(SESSION_KEY, p).await
}

/// The principal a stored session holds, typed; `None` when it holds none
/// (or one written by an older version, which then counts as signed out).
pub fn principal_of(data: &std::collections::HashMap<String, serde_json::Value>) -> Option<Principal> {
    data.get(SESSION_KEY).and_then(|v| serde_json::from_value(v.clone()).ok())
}

/// Middleware: `Option<Principal>` into the request extensions. Ends sessions
/// past their absolute limit, and renews the idle limit of active ones.
pub async fn resolve_principal(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    // Assets and health checks never need the person: no session read for them.
    let path = req.uri().path();
    if path.starts_with("/assets/") || path == "/healthz" {
        req.extensions_mut().insert(None::<Principal>);
        return next.run(req).await;
    }
    let principal = match req.extensions().get::<Session>().cloned() {
        Some(session) => current(&state, &session).await,
        None => None,
    };
    req.extensions_mut().insert(principal);
    next.run(req).await
}

async fn current(state: &AppState, session: &Session) -> Option<Principal> {
    let mut principal = session.get::<Principal>(SESSION_KEY).await.ok().flatten()?;
    // Acting for an organisation holds only while the membership does, in
    // the role it has now: a removed member is back to Cittadino, a changed
    // role applies, on their next request.
    if let Basis::Membership { id, role } = principal.acting.basis {
        let account = principal.actor.account_id;
        let active = crate::db::with_conn(&state.pool, move |c| {
            crate::identity::organisations::active_membership(c, id, account)
        })
        .await;
        match active {
            Ok(Some(now)) if now.role == role => {}
            Ok(Some(now)) => {
                let acting = Acting { basis: Basis::Membership { id, role: now.role }, ..principal.acting.clone() };
                let _ = switch_acting(session, &principal, acting.clone()).await;
                principal.acting = acting;
            }
            _ => {
                tracing::info!(account, membership = id, "membership ended: acting as Cittadino again");
                let _ = switch_acting(session, &principal, Acting::themself()).await;
                principal.acting = Acting::themself();
            }
        }
    }
    let now = state.clock.now();
    if now - principal.actor.at >= Duration::hours(state.config.session_max_hours) {
        tracing::info!(account = principal.actor.account_id, "session ended: absolute limit");
        let _ = session.flush().await;
        return None;
    }
    let renewed = session.get::<NaiveDateTime>(RENEWED_KEY).await.ok().flatten();
    if renewed.is_none_or(|r| now - r >= Duration::seconds(RENEW_EVERY_SECS)) {
        // Any change makes the store save the record, with a new idle deadline.
        let _ = session.insert(RENEWED_KEY, now).await;
    }
    Some(principal)
}
