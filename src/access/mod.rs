//! The one place that decides access: may this session enter this service,
//! as this profile, and if not, why and what would fix it. Every "Accedi al
//! servizio" goes through [`decide`]; pages use it to explain.
use crate::auth::saml::level::{Credential, Level};
use crate::catalog::model::{Profile, Service};
use crate::db::AnyConnection;
use crate::identity::SignedIn;
use diesel::prelude::*;

/// Why not, and what would fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Denial {
    /// Sign in first (with one of these credentials).
    SignIn,
    /// This credential cannot be used here: sign in with one of these.
    Credential { allowed: Vec<Credential> },
    /// The service is for other profiles: act as one of these.
    Profile { needed: Vec<Profile> },
    /// A higher level is needed; `step_up` says a new authentication can give it.
    Level { needed: Level, step_up: bool },
}

impl Denial {
    /// A short code for logs and tests.
    pub fn code(&self) -> &'static str {
        match self {
            Denial::SignIn => "sign-in",
            Denial::Credential { .. } => "credential",
            Denial::Profile { .. } => "profile",
            Denial::Level { .. } => "level",
        }
    }
}

/// The highest level a credential can reach by authenticating again.
fn reachable(credential: Credential) -> Level {
    match credential {
        Credential::Spid | Credential::Cie | Credential::Eidas => Level::L3,
        // Password + one-time code: level 2 and no more.
        Credential::Foreign => Level::L2,
    }
}

/// The decision for `who`, acting as `profile`, on `service`.
pub fn decide(who: Option<&SignedIn>, profile: Profile, service: &Service) -> Result<(), Denial> {
    let Some(who) = who else { return Err(Denial::SignIn) };
    if !service.credentials.contains(&who.credential) {
        return Err(Denial::Credential { allowed: service.credentials.clone() });
    }
    if !service.audience.contains(&profile) {
        return Err(Denial::Profile { needed: service.audience.clone() });
    }
    if who.level < service.min_level {
        return Err(Denial::Level { needed: service.min_level, step_up: reachable(who.credential) >= service.min_level });
    }
    Ok(())
}

/// Helpdesk operators act only when signed in with SPID or CIE as themselves,
/// with a codice fiscale given the role (`servizi-lavoro operators add`).
pub fn is_helpdesk_operator(conn: &mut AnyConnection, who: &SignedIn) -> QueryResult<bool> {
    use crate::db::schema::operators as o;
    if !matches!(who.credential, Credential::Spid | Credential::Cie) {
        return Ok(false);
    }
    Ok(o::table.find(&who.identifier).count().get_result::<i64>(conn)? > 0)
}

/// Only Utente Estero sign-ins use a password the portal holds.
pub fn may_change_portal_password(who: &SignedIn) -> bool {
    who.credential == Credential::Foreign
}

/// The profile the session acts as. Everyone enters as Cittadino; company and
/// intermediary profiles come with their association.
pub fn current_profile(_who: Option<&SignedIn>) -> Profile {
    Profile::Cittadino
}

/// Decides and logs the decision with its reason.
pub fn decide_logged(who: Option<&SignedIn>, profile: Profile, service: &Service) -> Result<(), Denial> {
    let d = decide(who, profile, service);
    tracing::info!(
        service = %service.slug,
        account = who.map(|w| w.account_id),
        credential = who.map(|w| w.credential.code()),
        level = who.map(|w| w.level.number()),
        profile = profile.code(),
        decision = match &d { Ok(()) => "allowed", Err(e) => e.code() },
        "access decision"
    );
    d
}
