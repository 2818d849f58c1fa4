//! The end of every sign-in through an identity provider, whatever the
//! protocol: the account found (or made) for the person the provider vouched
//! for, the sign-in recorded, a step-up held to the same person, and the
//! session opened under a new id.
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::identity::account::{self, Authentication, Identity};
use crate::kernel::{AccountId, Credential, IdpSession, Level, OidcGrant, Protocol, SignedIn};
use crate::web::render::PageRequest;
use axum::http::StatusCode;
use tower_sessions::Session;

/// What a provider vouched for, checked.
pub struct Vouched {
    pub who: Identity,
    pub credential: Credential,
    pub level: Level,
    pub protocol: Protocol,
    pub provider_id: String,
    pub provider_name: String,
    pub idp_session: Option<IdpSession>,
    pub oidc_grant: Option<OidcGrant>,
    /// Who was signed in when the sign-in started (a step-up), as the
    /// pending request kept it.
    pub initiator: Option<AccountId>,
}

/// Signs the person in; a step-up that authenticated someone else is
/// refused and ends the sessions of the person who asked for it.
pub async fn sign_in(page: &PageRequest, session: &Session, v: Vouched) -> AppResult<()> {
    let (state, current) = (page.state.clone(), page.principal.clone());
    let (credential, level) = (v.credential, v.level);
    let who = v.who.clone();
    let provider = v.provider_id.clone();
    let protocol = v.protocol;
    let address = page.client.map(|a| a.to_string());
    let now = state.clock.now();
    let (account, previous, roles) = with_conn(&state.pool, move |c| {
        let how = Authentication { credential, level, protocol, provider: &provider };
        let (account, previous) = account::sign_in(c, &who, how, address.as_deref(), now)?;
        let roles = crate::identity::roles::of(c, who.kind, &account.identifier)?;
        // SPID and CIE give the codice fiscale: the old portal's profiles are theirs now.
        if matches!(credential, Credential::Spid | Credential::Cie) {
            crate::identity::legacy::claim(c, account.id, &account.identifier, now)?;
        }
        Ok((account, previous, roles))
    })
    .await?;
    // A step-up must authenticate the person already signed in: otherwise
    // the sign-in is refused and that person's sessions end.
    let before = current.as_ref().map(|p| p.actor.account_id).or(v.initiator);
    if let Some(before) = before.filter(|b| *b != account.id) {
        crate::auth::session::end(session, &state.pool).await?;
        let now = state.clock.now();
        let grants =
            with_conn(&state.pool, move |c| crate::auth::session::end_account_sessions(c, before, now)).await?;
        crate::auth::session::revoke_grants(&state, grants).await;
        tracing::warn!(%before, after = %account.id, "step-up by another person: sessions ended");
        metrics::counter!("acs_refusals_total", "reason" => "signin-other-person").increment(1);
        return Err(AppError::SignIn {
            status: StatusCode::FORBIDDEN,
            reason: "signin-other-person",
            log: "step-up authenticated another person".into(),
        });
    }
    tracing::info!(
        account = %account.id,
        credential = credential.code(),
        level = level.number(),
        protocol = protocol.code(),
        idp = %v.provider_id,
        "signed in"
    );
    crate::telemetry::sign_in(credential.code(), "success");
    // An eIDAS person's codice fiscale, if they declared one.
    let declared_codice_fiscale = match credential {
        Credential::Eidas => {
            let id = account.id;
            with_conn(&state.pool, move |c| crate::identity::declared::of(c, id)).await?
        }
        _ => None,
    };
    let signed_in = SignedIn {
        declared_codice_fiscale,
        account_id: account.id,
        given_name: account.given_name,
        family_name: account.family_name,
        identifier: account.identifier,
        credential,
        level,
        idp_entity_id: v.provider_id,
        idp_name: v.provider_name,
        at: state.clock.now(),
        previous,
        idp_session: v.idp_session,
        protocol,
        oidc_grant: v.oidc_grant,
    };
    // A step-up by the same person keeps the profile they were acting in
    // (checked again on the next request, like any other).
    let same = current.filter(|c| c.actor.account_id == account.id);
    // A step-up replaces the sign-in: an access token it held is revoked.
    if let Some(old) = same.as_ref().and_then(|c| c.actor.oidc_grant.clone()) {
        if signed_in.oidc_grant.as_ref() != Some(&old) {
            crate::auth::session::revoke_grant(&state, old).await;
        }
    }
    let keep = same.map(|c| c.acting);
    crate::auth::session::sign_in(session, signed_in.clone(), roles.clone(), state.clock.now()).await?;
    if let Some(acting) = keep.filter(|a| *a != crate::kernel::Acting::themself()) {
        let principal = crate::kernel::Principal::signed_in(signed_in, roles);
        crate::auth::session::switch_acting(session, &principal, acting).await?;
    }
    Ok(())
}
