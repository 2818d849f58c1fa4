//! SAML 2.0 for SPID (and, through the same rules, CIE and eIDAS): our keys
//! and metadata, the trusted identity providers, AuthnRequests and the
//! checks on Responses. Protocol only: the sign-in handlers are in
//! `auth::sso`, the built-in demo IdP's pages in `auth::demo_idp`.
pub mod authn_request;
pub mod codec;
pub mod comparison;
pub mod demo;
pub mod idp;
pub mod keys;
pub mod response;
pub mod sp;
pub mod xmldsig;

use crate::assurance::Credential;
use crate::config::Config;
use idp::IdpRegistry;
use keys::{CertSubject, KeyPair};
use sp::ServiceProvider;

/// Everything SAML needs at request time, built once at start.
pub struct Saml {
    pub sp: ServiceProvider,
    pub idps: IdpRegistry,
    /// Development only: the built-in identity providers (SPID, CIE, eIDAS).
    pub demo: Vec<demo::DemoIdp>,
}

#[derive(Debug, thiserror::Error)]
pub enum SamlSetupError {
    #[error("service-provider keys: {0}")]
    Keys(#[from] keys::KeyError),
    #[error("signing the metadata: {0}")]
    Metadata(#[from] xmldsig::SignatureError),
    #[error("identity providers: {0}")]
    Idp(#[from] idp::IdpError),
    #[error("SL_SPID_REGISTRY_CERT: {0} is not a PEM certificate")]
    RegistryCert(String),
}

/// The certificate subject for our own keys, from the configuration.
pub fn sp_subject(config: &Config) -> CertSubject {
    let o = &config.organization;
    let public = o.profile == crate::config::SpProfile::Public;
    CertSubject {
        common_name: o.display_name.clone(),
        organization: o.name.clone(),
        entity_id: config.origin(),
        organization_identifier: if public {
            format!("PA:IT-{}", o.ipa_code)
        } else {
            format!("VATIT-{}", o.vat_number)
        },
        locality: "Roma".into(),
        public_sector: public,
        days: 730,
        key_bits: 3072,
    }
}

impl Saml {
    /// Loads keys (in development, creates them on first start) and trusts the
    /// configured identity providers, plus the demo ones when enabled.
    pub fn from_config(config: &Config) -> Result<Saml, SamlSetupError> {
        let keys = if config.is_production() {
            KeyPair::load(&config.sp_key, &config.sp_cert)?
        } else {
            KeyPair::load_or_generate(&config.sp_key, &config.sp_cert, &sp_subject(config))?
        };
        if keys.days_left() < 30 {
            tracing::warn!(days = keys.days_left(), "the service-provider certificate expires soon: renew it");
        }
        let sp = ServiceProvider::new(config, keys)?;
        let registry_cert_der = match &config.spid_registry_cert {
            Some(path) => Some(
                std::fs::read(path)
                    .ok()
                    .and_then(|pem| openssl::x509::X509::from_pem(&pem).ok())
                    .and_then(|c| c.to_der().ok())
                    .ok_or_else(|| SamlSetupError::RegistryCert(path.display().to_string()))?,
            ),
            None => None,
        };
        let today = crate::kernel::clock::Clock::system().now().date();
        let policy = idp::MetadataPolicy {
            production: config.is_production(),
            registry_cert_der,
            test_idps_allowed: config.test_idps_allowed(today),
        };
        let mut idps = IdpRegistry::default();
        let sources = [
            (&config.spid_idp_metadata, Credential::Spid),
            (&config.cie_idp_metadata, Credential::Cie),
            (&config.eidas_idp_metadata, Credential::Eidas),
        ];
        for (list, credential) in sources {
            for source in list {
                idps.load_source(source, credential, &policy)?;
            }
        }
        let demo = if config.demo_idp { demo::register(config, &mut idps)? } else { Vec::new() };
        Ok(Saml { sp, idps, demo })
    }
}
