//! A SPID identity provider built into the portal for development and
//! demonstrations, so the whole sign-in works on a fresh machine. It has its
//! own key and metadata, signs like a real IdP, can answer with every SPID
//! error code, and is refused in production.
mod handlers;
pub mod issue;
mod pages;
pub mod people;

pub use handlers::{metadata, respond, single_logout, sso};

use crate::auth::saml::idp::{IdentityProvider, IdpRegistry};
use crate::auth::saml::keys::{CertSubject, KeyPair};
use crate::auth::saml::level::Credential;
use crate::auth::saml::SamlSetupError;
use crate::config::Config;

pub const PATH: &str = "/demo-idp/spid";

pub struct DemoIdp {
    pub entity_id: String,
    pub sso_url: String,
    pub slo_url: String,
    pub keys: KeyPair,
}

impl DemoIdp {
    pub fn new(config: &Config) -> Result<DemoIdp, SamlSetupError> {
        let base = config.origin();
        let entity_id = format!("{base}{PATH}");
        let dir = config.data_dir.join("keys");
        let keys = KeyPair::load_or_generate(
            &dir.join("demo-idp.key.pem"),
            &dir.join("demo-idp.cert.pem"),
            &CertSubject {
                common_name: "Demo IdP".into(),
                organization: "Servizi Lavoro (development)".into(),
                entity_id: entity_id.clone(),
                organization_identifier: "VATIT-00000000000".into(),
                locality: "Roma".into(),
                public_sector: false,
                days: 730,
                key_bits: 2048,
            },
        )?;
        Ok(DemoIdp { sso_url: format!("{entity_id}/sso"), slo_url: format!("{entity_id}/slo"), entity_id, keys })
    }

    pub fn as_idp(&self) -> IdentityProvider {
        IdentityProvider {
            entity_id: self.entity_id.clone(),
            display_name: "Demo IdP".into(),
            credential: Credential::Spid,
            sso_redirect: self.sso_url.clone(),
            slo_redirect: Some(self.slo_url.clone()),
            certs_der: self.keys.cert.to_der().map(|d| vec![d]).unwrap_or_default(),
            test: true,
        }
    }
}

/// Adds the demo IdP to the trusted ones.
pub fn register(config: &Config, idps: &mut IdpRegistry) -> Result<DemoIdp, SamlSetupError> {
    let demo = DemoIdp::new(config)?;
    idps.add(demo.as_idp());
    Ok(demo)
}
