//! The principal in the session: written at sign-in and on a change of
//! profile, read once per request by [`resolve_principal`].
use super::rotate;
use crate::kernel::{Acting, AppState, Basis, Principal, Role, SignedIn};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use tower_sessions::Session;

pub const SESSION_KEY: &str = "principal";
/// The person's chosen inactivity limit in minutes (0: none until the cap; negative: the default).
pub const IDLE_KEY: &str = "idle_minutes";
/// The browser and system the session is used from, for the sessions page.
pub const DEVICE_KEY: &str = "device";
/// The access counter as the session was read (`access_epoch`): put in by
/// the store on each load, never stored (as no key beginning with `~` is).
pub const EPOCH_KEY: &str = "~access_epoch";
/// The counter's value and the Italian day at which whom the person acts for
/// was last checked: no change since, the same day, no new check.
pub const CHECKED_KEY: &str = "access_checked";
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
    keep(session, &Principal::signed_in(who, roles)).await?;
    session.insert(RENEWED_KEY, now).await
}

/// Changes whom the signed-in person acts for (under a new session id).
pub async fn switch_acting(
    session: &Session,
    principal: &Principal,
    acting: Acting,
) -> Result<(), tower_sessions::session::Error> {
    rotate(session).await?;
    // Checked afresh on the next request, whatever was checked before.
    session.remove_value(CHECKED_KEY).await?;
    keep(session, &Principal { acting, ..principal.clone() }).await
}

/// Replaces what the session knows of the signed-in person (a codice
/// fiscale they declared), keeping whom they act for.
pub async fn update_actor(
    session: &Session,
    principal: &Principal,
    actor: SignedIn,
) -> Result<(), tower_sessions::session::Error> {
    keep(session, &Principal { actor, ..principal.clone() }).await
}

/// The principal a stored session holds, typed; `None` when it holds none
/// (or one written by an older version, which then counts as signed out).
pub fn principal_of(data: &std::collections::HashMap<String, serde_json::Value>) -> Option<Principal> {
    data.get(SESSION_KEY).and_then(typed)
}

/// While a request holds the session, the principal is its JSON text (a
/// string value; the store reads and writes it as the object it is), parsed
/// once straight into a [`Principal`]: as a tree of JSON values it was built,
/// copied and walked on every request, a tenth of a signed-in page's work.
fn typed(value: &serde_json::Value) -> Option<Principal> {
    match value {
        serde_json::Value::String(text) => serde_json::from_str(text).ok(),
        other => serde_json::from_value(other.clone()).ok(),
    }
}

/// Puts `who` in the session, as its JSON text (see [`typed`]).
async fn keep(session: &Session, who: &Principal) -> Result<(), tower_sessions::session::Error> {
    let text = serde_json::to_string(who).map_err(tower_sessions::session::Error::SerdeJson)?;
    session.insert_value(SESSION_KEY, serde_json::Value::String(text)).await.map(|_| ())
}

/// A domain's check, on every request, that whom the principal acts for
/// still holds (a membership, a delega): `None` when the basis is not the
/// domain's (nothing to check, nothing copied), else a check answering
/// `Ok(None)` unchanged, `Ok(Some(acting))` to act so from now on (back to
/// Cittadino when it ended).
pub type Refresh = fn(&AppState, &Principal) -> Option<BoxFuture<Result<Option<Acting>, crate::db::DbError>>>;
pub type BoxFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>>;

/// What resolving the principal needs: the state, and every domain's
/// [`Refresh`] (composed in `app.rs`, so this module depends on no domain).
#[derive(Clone)]
pub struct Resolver {
    pub state: AppState,
    pub refreshers: &'static [Refresh],
}

/// Middleware, the one principal resolver: `Option<Principal>` into the
/// request extensions. Ends sessions past their absolute limit, renews the
/// idle limit of active ones, and asks each domain whether whom the person
/// acts for still holds; a failure to check fails closed (as themself).
pub async fn resolve_principal(State(r): State<Resolver>, mut req: Request, next: Next) -> Response {
    let state = r.state;
    // Assets and health checks never need the person: no session read for them.
    let path = req.uri().path();
    if path.starts_with("/assets/") || path == "/healthz" || path == "/readyz" {
        req.extensions_mut().insert(None::<Principal>);
        return next.run(req).await;
    }
    let user_agent =
        req.headers().get(axum::http::header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let principal = match req.extensions().get::<Session>().cloned() {
        Some(session) => match current(&state, &session, &user_agent).await {
            Some(p) => Some(refreshed(&state, r.refreshers, &session, p).await),
            None => None,
        },
        None => None,
    };
    req.extensions_mut().insert(principal);
    next.run(req).await
}

async fn refreshed(state: &AppState, refreshers: &[Refresh], session: &Session, mut who: Principal) -> Principal {
    if who.acting.basis == Basis::Own {
        return who;
    }
    // Nothing it rests on changed since the last check, on any instance (the
    // counter), and it is still that Italian day (a delega's dates and
    // today's approval): it holds as the session has it.
    let today = crate::kernel::clock::italian_day(state.clock.now());
    let epoch = session.get::<i64>(EPOCH_KEY).await.ok().flatten();
    let checked = session.get::<(i64, NaiveDate)>(CHECKED_KEY).await.ok().flatten();
    if epoch.is_some_and(|n| checked == Some((n, today))) {
        return who;
    }
    let mut sound = true;
    for refresh in refreshers {
        let Some(check) = refresh(state, &who) else { continue };
        let acting = match check.await {
            Ok(None) => continue,
            Ok(Some(acting)) => acting,
            Err(e) => {
                tracing::warn!(error = %e, "could not check whom the person acts for: as themself");
                sound = false;
                Acting::themself()
            }
        };
        who.acting = acting;
        // An ended basis or a changed role applies under a new session id,
        // like any change of profile; a delega's limits of today are kept as they are.
        let saved = match who.acting.basis {
            Basis::Delega { .. } => keep(session, &who).await,
            _ => switch_acting(session, &who, who.acting.clone()).await,
        };
        if let Err(e) = saved {
            tracing::warn!(error = %e, "session: the refreshed profile could not be saved");
        }
    }
    if let (Some(n), true) = (epoch, sound) {
        if let Err(e) = session.insert(CHECKED_KEY, (n, today)).await {
            tracing::warn!(error = %e, "session: the check could not be noted");
        }
    }
    who
}

/// The membership refresher: acting for an organisation holds only while the
/// membership does, in the role and with the services it has now (a removed
/// member is back to Cittadino, a changed role or set of services applies,
/// on their next request).
pub fn membership(state: &AppState, who: &Principal) -> Option<BoxFuture<Result<Option<Acting>, crate::db::DbError>>> {
    let Basis::Membership { id, role, services } = &who.acting.basis else { return None };
    let (id, role, services, account) = (*id, *role, services.clone(), who.actor.account_id);
    let (pool, acting) = (state.pool.clone(), who.acting.clone());
    Some(Box::pin(async move {
        let active =
            crate::db::read(&pool, move |c| crate::identity::organisations::active_membership(c, id, account)).await?;
        Ok(match active {
            Some(now) if now.role == role && now.services == services => None,
            Some(now) => {
                Some(Acting { basis: Basis::Membership { id, role: now.role, services: now.services }, ..acting })
            }
            None => {
                tracing::info!(%account, membership = %id, "membership ended: acting as Cittadino again");
                Some(Acting::themself())
            }
        })
    }))
}

/// "Firefox su Linux": the browser and the system, from the User-Agent.
pub fn device_of(user_agent: &str) -> String {
    let browser = [("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari")]
        .into_iter()
        .find(|(marker, _)| user_agent.contains(marker))
        .map_or("?", |(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS", "macOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map_or("?", |(_, name)| name);
    format!("{browser} · {system}")
}

async fn current(state: &AppState, session: &Session, user_agent: &str) -> Option<Principal> {
    let mut principal = typed(&session.get_value(SESSION_KEY).await.ok().flatten()?)?;
    let now = state.clock.now();
    if now - principal.actor.at >= Duration::hours(state.config.session_max_hours) {
        tracing::info!(account = %principal.actor.account_id, "session ended: absolute limit");
        if let Err(e) = super::end(session, &state.pool).await {
            tracing::warn!(error = %e, "session: an expired session could not be removed");
        }
        return None;
    }
    // Once per session: the device, and the person's own inactivity limit.
    if session.get::<String>(DEVICE_KEY).await.ok().flatten().is_none() {
        if let Err(e) = session.insert(DEVICE_KEY, device_of(user_agent)).await {
            tracing::warn!(error = %e, "session: the device could not be noted");
        }
    }
    let idle = match session.get::<i64>(IDLE_KEY).await.ok().flatten() {
        Some(minutes) => minutes,
        None => {
            let account = principal.actor.account_id;
            let chosen =
                crate::db::with_conn(&state.pool, move |c| crate::identity::account::idle_preference(c, account))
                    .await
                    .ok()
                    .flatten()
                    .map_or(-1, i64::from);
            if let Err(e) = session.insert(IDLE_KEY, chosen).await {
                tracing::warn!(error = %e, "session: the idle limit could not be noted");
            }
            chosen
        }
    };
    let mut renewed = session.get::<NaiveDateTime>(RENEWED_KEY).await.ok().flatten();
    if renewed.is_none_or(|r| now - r >= Duration::seconds(RENEW_EVERY_SECS)) {
        // Any change makes the store save the record, with a new idle deadline.
        if let Err(e) = session.insert(RENEWED_KEY, now).await {
            tracing::warn!(error = %e, "session: the renewal could not be noted");
        }
        renewed = Some(now);
    }
    let cap = principal.actor.at + Duration::hours(state.config.session_max_hours);
    let idle_until = match idle {
        0 => cap,
        m if m > 0 => renewed.unwrap_or(now) + Duration::minutes(m),
        _ => renewed.unwrap_or(now) + Duration::minutes(state.config.session_idle_minutes),
    };
    principal.session_until = Some(idle_until.min(cap));
    Some(principal)
}
