//! The identity providers built into the portal for development (SPID, CIE,
//! eIDAS): their keys and entries among the trusted IdPs. Their pages are in
//! `auth::demo_idp`; production refuses them.
use super::idp::{IdentityProvider, IdpRegistry};
use super::keys::{CertSubject, KeyPair};
use super::SamlSetupError;
use crate::assurance::Credential;
use crate::config::Config;

/// The demo IdP's name for a credential (a proper name, the same in every language).
pub fn display_name(credential: Credential) -> &'static str {
    match credential {
        Credential::Cie => "Demo CieID",
        Credential::Eidas => "Demo eIDAS (EU)",
        _ => "Demo IdP",
    }
}

pub struct DemoIdp {
    pub credential: Credential,
    /// `spid`, `cie` or `eidas`: the path segment under `/demo-idp/`.
    pub kind: &'static str,
    pub entity_id: String,
    pub sso_url: String,
    /// CIE offers no SAML Single Logout.
    pub slo_url: Option<String>,
    pub keys: KeyPair,
}

impl DemoIdp {
    pub fn path(&self) -> String {
        format!("/demo-idp/{}", self.kind)
    }

    pub fn display_name(&self) -> &'static str {
        display_name(self.credential)
    }

    pub fn as_idp(&self) -> IdentityProvider {
        IdentityProvider {
            entity_id: self.entity_id.clone(),
            display_name: self.display_name().into(),
            credential: self.credential,
            sso_redirect: self.sso_url.clone(),
            slo_redirect: self.slo_url.clone(),
            certs_der: self.keys.cert.to_der().map(|d| vec![d]).unwrap_or_default(),
            test: true,
        }
    }
}

/// Creates the demo IdPs and adds them to the trusted ones.
pub fn register(config: &Config, idps: &mut IdpRegistry) -> Result<Vec<DemoIdp>, SamlSetupError> {
    let base = config.origin();
    let dir = config.data_dir.join("keys");
    let keys = KeyPair::load_or_generate(
        &dir.join("demo-idp.key.pem"),
        &dir.join("demo-idp.cert.pem"),
        &CertSubject {
            common_name: "Demo IdP".into(),
            organization: "Servizi Lavoro (development)".into(),
            entity_id: format!("{base}/demo-idp"),
            organization_identifier: "VATIT-00000000000".into(),
            locality: "Roma".into(),
            public_sector: false,
            days: 730,
            key_bits: 2048,
        },
    )?;
    let demos: Vec<DemoIdp> = [(Credential::Spid, "spid"), (Credential::Cie, "cie"), (Credential::Eidas, "eidas")]
        .into_iter()
        .map(|(credential, kind)| {
            let entity_id = format!("{base}/demo-idp/{kind}");
            DemoIdp {
                credential,
                kind,
                sso_url: format!("{entity_id}/sso"),
                slo_url: (credential != Credential::Cie).then(|| format!("{entity_id}/slo")),
                entity_id,
                keys: keys.clone(),
            }
        })
        .collect();
    for d in &demos {
        idps.add(d.as_idp());
    }
    Ok(demos)
}
