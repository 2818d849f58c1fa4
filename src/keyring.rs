//! The keys that seal Dimissioni modules: one of their own (not the SAML
//! key, which is renewed on SPID's schedule and does another job), and the
//! certificates of the keys it replaced, so a module sealed years ago still
//! verifies after rotation. Each seal names its key by the certificate's
//! fingerprint.
use crate::config::Config;
use crate::saml::keys::{CertSubject, KeyError, KeyPair};
use openssl::x509::X509;

/// A key's name in a seal: the first 16 hex digits of its certificate's SHA-256.
pub fn key_id(cert: &X509) -> String {
    cert.digest(openssl::hash::MessageDigest::sha256())
        .map(|d| d.iter().take(8).map(|b| format!("{b:02x}")).collect())
        .unwrap_or_default()
}

#[derive(Clone, Debug)]
pub struct Keyring {
    /// The key new modules are sealed with.
    pub current: KeyPair,
    /// Its name.
    pub current_id: String,
    /// Every certificate a module may name: the current one and those retired.
    certs: Vec<(String, X509)>,
    /// What sealed the modules of seal version 1, which name no key: the
    /// service-provider certificate.
    legacy: X509,
}

impl Keyring {
    /// The seal key (in development, made on first start) and the retired
    /// certificates of `SL_SEAL_RETIRED_CERTS`.
    pub fn from_config(config: &Config, service_provider: &KeyPair) -> Result<Keyring, KeyError> {
        let current = if config.is_production() {
            KeyPair::load(&config.seal_key, &config.seal_cert)?
        } else {
            KeyPair::load_or_generate(&config.seal_key, &config.seal_cert, &subject(config))?
        };
        let mut retired = Vec::new();
        if let Some(path) = &config.seal_retired_certs {
            let pem =
                std::fs::read(path).map_err(|source| KeyError::Io { path: path.display().to_string(), source })?;
            retired = X509::stack_from_pem(&pem)?;
        }
        Ok(Keyring::new(current, retired, service_provider.cert.clone()))
    }

    pub fn new(current: KeyPair, retired: Vec<X509>, legacy: X509) -> Keyring {
        let current_id = key_id(&current.cert);
        let mut certs = vec![(current_id.clone(), current.cert.clone())];
        certs.extend(retired.into_iter().map(|c| (key_id(&c), c)));
        Keyring { current, current_id, certs, legacy }
    }

    /// The certificate a seal names (`None`: version 1, the service
    /// provider's), if the portal knows it.
    pub fn cert(&self, id: Option<&str>) -> Option<&X509> {
        match id {
            Some(id) => self.certs.iter().find(|(i, _)| i == id).map(|(_, c)| c),
            None => Some(&self.legacy),
        }
    }
}

fn subject(config: &Config) -> CertSubject {
    CertSubject {
        common_name: format!("{} - sigillo Dimissioni volontarie", config.organization.display_name),
        ..crate::saml::sp_subject(config)
    }
}
