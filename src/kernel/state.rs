//! What every request can reach: the database, the settings, the SAML
//! service provider, the mailer and the clock. Built once at start.
use super::clock::Clock;
use crate::config::Config;
use crate::db::{DbPool, GroupCommit};
use crate::keyring::Keyring;
use crate::mail::{MailError, Mailer};
use crate::oidc::{Federation, FederationSetupError};
use crate::saml::{Saml, SamlSetupError};
use std::sync::Arc;

/// Cloned many times a request (each handler, each page context, each
/// database call): one shared pointer, so a clone is one reference count, not
/// one per field on counters every core touches.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub pool: DbPool,
    /// Small writes of concurrent requests (the audit rows) committed together.
    pub group_commit: GroupCommit,
    pub config: Arc<Config>,
    pub saml: Arc<Saml>,
    /// The portal in the OpenID Connect federations: its keys and what it says of itself.
    pub oidc: Arc<Federation>,
    /// The keys that seal Dimissioni modules.
    pub seal: Arc<Keyring>,
    pub mailer: Mailer,
    pub clock: Clock,
    /// Ready for traffic: false while shutting down (`/readyz` says so).
    pub ready: Arc<std::sync::atomic::AtomicBool>,
}

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(transparent)]
    Saml(#[from] SamlSetupError),
    #[error(transparent)]
    Mail(#[from] MailError),
    #[error(transparent)]
    Oidc(#[from] FederationSetupError),
}

impl AppState {
    /// Loads what requests need: keys, trusted identity providers.
    pub fn new(config: Config, pool: DbPool) -> Result<Self, SetupError> {
        Self::with_clock(config, pool, Clock::system())
    }

    pub fn with_clock(config: Config, pool: DbPool, clock: Clock) -> Result<Self, SetupError> {
        let saml = Arc::new(Saml::from_config(&config)?);
        let seal = Arc::new(Keyring::from_config(&config, &saml.sp.keys).map_err(SamlSetupError::Keys)?);
        let oidc = Arc::new(Federation::from_config(&config, clock.now().and_utc().timestamp())?);
        let mailer = Mailer::from_config(&config)?;
        let ready = Arc::new(std::sync::atomic::AtomicBool::new(true));
        Ok(AppState(Arc::new(Shared {
            pool,
            group_commit: GroupCommit::default(),
            config: Arc::new(config),
            saml,
            oidc,
            seal,
            mailer,
            clock,
            ready,
        })))
    }
}

impl AppState {
    /// Starts a pass of the outbox's worker now, after a change queued its
    /// messages (`mail::outbox::queue`, in the change's own transaction).
    pub fn deliver_mail(&self) {
        crate::mail::outbox::kick(&self.pool, &self.mailer, self.clock.now());
    }
}
