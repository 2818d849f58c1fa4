//! SPID and CIE id over OpenID Connect Federation, beside SAML (issue 27):
//! the portal is a Relying Party of both federations. The protocol, without
//! the database or the web: the portal's keys and entity configuration,
//! finding and checking a provider's trust chain and trust marks, the
//! authentication request, the provider's endpoints, and the checks of its
//! ID Token and UserInfo. The sign-in itself is `auth::openid`.
pub mod authorize;
pub mod chain;
pub mod demo;
pub mod discovery;
pub mod endpoints;
pub mod entity;
pub mod id_token;
pub mod jws;
pub mod keys;
pub mod providers;
pub mod trust_marks;

use crate::config::Config;
use keys::{KeyJob, OidcKey, OidcKeyError, OidcKeys};

/// The portal's part in the federations, loaded once at start.
#[derive(Clone, Debug)]
pub struct Federation {
    /// None: a production portal that is not (yet) a member, which needs no
    /// keys and publishes no entity configuration.
    pub keys: Option<OidcKeys>,
    pub authority_hints: Vec<String>,
    pub trust_marks: Vec<entity::TrustMark>,
    /// The trust anchors whose keys the portal was given.
    pub anchors: Vec<chain::TrustAnchor>,
    /// The trust marks that make an entity an OpenID Provider.
    pub provider_marks: Vec<String>,
    /// The providers people may sign in with over OpenID Connect.
    pub providers: Vec<providers::Provider>,
    /// The entity configuration last signed, and the minute it was signed
    /// in: an RSA-3072 signature per request would be work for anyone to ask.
    pub signed_configuration: std::sync::Arc<std::sync::Mutex<Option<(i64, String)>>>,
    /// The demo trust anchor and provider (development, with the demo IdPs).
    pub demo: Option<demo::DemoFederation>,
}

impl Federation {
    pub fn provider(&self, entity_id: &str) -> Option<&providers::Provider> {
        self.providers.iter().find(|p| p.entity_id == entity_id)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FederationSetupError {
    #[error(transparent)]
    Keys(#[from] OidcKeyError),
    #[error("{path}: the trust marks, a JSON list of {{\"id\", \"trust_mark\"}}: {source}")]
    TrustMarks { path: String, source: Box<dyn std::error::Error + Send + Sync> },
    #[error("{path}: the trust anchors, a JSON list of {{\"entity_id\", \"jwks\"}}: {reason}")]
    Anchors { path: String, reason: String },
    #[error("{path}: the OpenID Providers, a JSON list of {{\"entity_id\", \"credential\", \"name\"}}: {reason}")]
    Providers { path: String, reason: String },
}

impl Federation {
    /// The keys and the federation's settings. In development the keys are
    /// made on first start; in production they are read once the portal has
    /// superiors to name (`SL_OIDC_AUTHORITY_HINTS`), and not needed before.
    /// `now`: seconds since the epoch, from the clock (a production portal
    /// does not start with an expired trust mark).
    pub fn from_config(config: &Config, now: i64) -> Result<Federation, FederationSetupError> {
        let o = &config.oidc;
        let member = !config.is_production() || !o.authority_hints.is_empty();
        let load = |path: &std::path::Path, job| match config.is_production() {
            true => OidcKey::load(path, job),
            false => OidcKey::load_or_generate(path, job),
        };
        let keys = match member {
            false => None,
            true => Some(OidcKeys::new(
                load(&o.federation_key, KeyJob::Federation)?,
                load(&o.signing_key, KeyJob::Signing)?,
                load(&o.encryption_key, KeyJob::Encryption)?,
            )?),
        };
        let trust_marks = match &o.trust_marks {
            None => Vec::new(),
            Some(path) => {
                let error = |source: Box<dyn std::error::Error + Send + Sync>| FederationSetupError::TrustMarks {
                    path: path.display().to_string(),
                    source,
                };
                let text = std::fs::read(path).map_err(|e| error(e.into()))?;
                let marks: Vec<entity::TrustMark> = serde_json::from_slice(&text).map_err(|e| error(e.into()))?;
                let expired = |m: &&entity::TrustMark| {
                    jws::unverified(&m.trust_mark)
                        .ok()
                        .and_then(|c| c.get("exp").and_then(serde_json::Value::as_i64))
                        .is_some_and(|exp| exp <= now)
                };
                if let Some(m) = marks.iter().find(expired).filter(|_| config.is_production()) {
                    return Err(error(format!("the trust mark {} has expired", m.id).into()));
                }
                marks
            }
        };
        let anchors = match &o.trust_anchors {
            None => Vec::new(),
            Some(path) => {
                let error = |reason: String| FederationSetupError::Anchors { path: path.display().to_string(), reason };
                let text = std::fs::read(path).map_err(|e| error(e.to_string()))?;
                discovery::anchors_from_json(&text).map_err(error)?
            }
        };
        let mut providers = match &o.providers {
            None => Vec::new(),
            Some(path) => {
                let error =
                    |reason: String| FederationSetupError::Providers { path: path.display().to_string(), reason };
                let text = std::fs::read(path).map_err(|e| error(e.to_string()))?;
                providers::from_json(&text).map_err(error)?
            }
        };
        // Like the demo SAML IdPs: a demo anchor and provider, believed and offered.
        let demo = match config.demo_idp && !config.is_production() {
            true => Some(demo::DemoFederation::load(&config.origin(), &config.data_dir.join("keys"))?),
            false => None,
        };
        let mut anchors = anchors;
        if let Some(d) = &demo {
            anchors.push(d.anchor());
            providers.push(d.provider());
        }
        if !providers.is_empty() && (keys.is_none() || anchors.is_empty()) {
            return Err(FederationSetupError::Providers {
                path: o.providers.as_ref().map(|p| p.display().to_string()).unwrap_or_default(),
                reason: "signing in with a provider needs the portal's keys and a trust anchor".into(),
            });
        }
        Ok(Federation {
            demo,
            signed_configuration: Default::default(),
            providers,
            keys,
            anchors,
            authority_hints: o.authority_hints.clone(),
            trust_marks,
            provider_marks: o.provider_marks.clone(),
        })
    }
}
