//! The identity providers we trust, read from SAML metadata (single entity
//! files, or an aggregated registry such as SPID's). Adding an IdP needs
//! configuration only.
use crate::assurance::Credential;
use openssl::x509::X509;
use rand::seq::SliceRandom;

pub const NS_MD: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
pub const BINDING_REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
pub const BINDING_POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

#[derive(Clone, Debug)]
pub struct IdentityProvider {
    pub entity_id: String,
    pub display_name: String,
    pub credential: Credential,
    /// SingleSignOnService, HTTP-Redirect binding.
    pub sso_redirect: String,
    /// SingleLogoutService, HTTP-Redirect binding, if the IdP offers SAML logout.
    pub slo_redirect: Option<String>,
    /// Signing certificates (DER), all currently valid.
    pub certs_der: Vec<Vec<u8>>,
    /// A test or demo IdP (shown as such on the login page).
    pub test: bool,
}

impl IdentityProvider {
    /// The signing certificates valid now: checked when used, not only at
    /// load, since the server runs for longer than some certificates last.
    pub fn current_certs_der(&self) -> Vec<Vec<u8>> {
        self.certs_der.iter().filter(|d| X509::from_der(d).is_ok_and(|c| still_valid(&c))).cloned().collect()
    }

    pub fn public_keys(&self) -> Vec<openssl::pkey::PKey<openssl::pkey::Public>> {
        self.current_certs_der()
            .iter()
            .filter_map(|d| X509::from_der(d).ok().and_then(|c| c.public_key().ok()))
            .collect()
    }
}

/// Identity providers that exist for testing (AgID's validator and demo, the
/// spid-sp-test tool's): never trusted in production unless allowed for a while.
pub const KNOWN_TEST_IDPS: &[&str] = &[
    "https://validator.spid.gov.it",
    "https://demo.spid.gov.it",
    "https://demo.spid.gov.it/validator",
    "https://localhost:8443",
    "https://localhost:8080",
];

/// What loading metadata must insist on.
#[derive(Clone, Debug, Default)]
pub struct MetadataPolicy {
    pub production: bool,
    /// AgID's certificate (DER), which must have signed an aggregated registry.
    pub registry_cert_der: Option<Vec<u8>>,
    /// Known test IdPs may be trusted (never in production, unless a dated setting allows it).
    pub test_idps_allowed: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum IdpError {
    #[error("{origin}: cannot read the metadata: {reason}")]
    Read { origin: String, reason: String },
    #[error("{origin}: the metadata is not valid XML: {reason}")]
    Xml { origin: String, reason: String },
    #[error("{origin}: no identity provider with a usable signing certificate and SSO endpoint")]
    Empty { origin: String },
    #[error("{origin}: production reads identity-provider metadata over https only")]
    Insecure { origin: String },
    #[error("{origin}: the registry's signature is missing or not AgID's ({reason}); set SL_SPID_REGISTRY_CERT to AgID's certificate")]
    Unsigned { origin: String, reason: String },
}

/// Every IdP, looked up by entity ID.
#[derive(Clone, Debug, Default)]
pub struct IdpRegistry {
    idps: Vec<IdentityProvider>,
}

impl IdpRegistry {
    pub fn add(&mut self, idp: IdentityProvider) {
        self.idps.retain(|i| i.entity_id != idp.entity_id);
        self.idps.push(idp);
    }

    pub fn get(&self, entity_id: &str) -> Option<&IdentityProvider> {
        self.idps.iter().find(|i| i.entity_id == entity_id)
    }

    /// The IdPs of one credential in a new random order, as AgID requires
    /// for the SPID button (no provider may be favoured by position).
    pub fn shuffled(&self, credential: Credential) -> Vec<&IdentityProvider> {
        let mut list: Vec<&IdentityProvider> = self.idps.iter().filter(|i| i.credential == credential).collect();
        list.shuffle(&mut rand::rng());
        list
    }

    pub fn all(&self) -> impl Iterator<Item = &IdentityProvider> {
        self.idps.iter()
    }

    pub fn len(&self) -> usize {
        self.idps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.idps.is_empty()
    }

    /// Loads metadata from a file path or an http(s) URL. An aggregated
    /// registry must carry AgID's signature when a certificate is configured
    /// (always, in production); only what the signature covers is read.
    pub fn load_source(
        &mut self,
        source: &str,
        credential: Credential,
        policy: &MetadataPolicy,
    ) -> Result<usize, IdpError> {
        let read_err = |reason: String| IdpError::Read { origin: source.to_string(), reason };
        if policy.production && source.starts_with("http://") {
            return Err(IdpError::Insecure { origin: source.to_string() });
        }
        let xml = if source.starts_with("http://") || source.starts_with("https://") {
            ureq::get(source)
                .call()
                .map_err(|e| read_err(e.to_string()))?
                .body_mut()
                .with_config()
                .limit(16 * 1024 * 1024)
                .read_to_string()
                .map_err(|e| read_err(e.to_string()))?
        } else {
            std::fs::read_to_string(source).map_err(|e| read_err(e.to_string()))?
        };
        let aggregated = roxmltree::Document::parse(&xml)
            .map_err(|e| IdpError::Xml { origin: source.to_string(), reason: e.to_string() })?
            .root_element()
            .tag_name()
            .name()
            == "EntitiesDescriptor";
        let unsigned = |reason: String| IdpError::Unsigned { origin: source.to_string(), reason };
        let xml = match (&policy.registry_cert_der, aggregated) {
            (Some(cert), true) => super::xmldsig::verify_and_reduce(&xml, std::slice::from_ref(cert))
                .map_err(|e| unsigned(e.to_string()))?,
            (None, true) if policy.production => return Err(unsigned("no certificate configured".into())),
            _ => xml,
        };
        let mut found =
            parse_metadata(&xml, credential).map_err(|reason| IdpError::Xml { origin: source.to_string(), reason })?;
        for idp in &mut found {
            idp.test = KNOWN_TEST_IDPS.contains(&idp.entity_id.as_str());
        }
        found.retain(|idp| {
            let refused = idp.test && !policy.test_idps_allowed;
            if refused {
                tracing::warn!(entity_id = %idp.entity_id, "test identity provider refused (SL_ALLOW_TEST_IDPS_UNTIL)");
            }
            !refused
        });
        if found.is_empty() {
            return Err(IdpError::Empty { origin: source.to_string() });
        }
        let n = found.len();
        for idp in found {
            tracing::info!(entity_id = %idp.entity_id, "trusting identity provider");
            self.add(idp);
        }
        Ok(n)
    }
}

fn md<'a>(node: roxmltree::Node<'a, 'a>, name: &'a str) -> impl Iterator<Item = roxmltree::Node<'a, 'a>> + 'a {
    node.children()
        .filter(move |n| n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(NS_MD))
}

/// Every IdP entity in `xml` (an EntityDescriptor or an EntitiesDescriptor).
/// Expired or unreadable certificates are left out; so is an IdP with none left.
pub fn parse_metadata(xml: &str, credential: Credential) -> Result<Vec<IdentityProvider>, String> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for entity in doc
        .descendants()
        .filter(|n| n.tag_name().name() == "EntityDescriptor" && n.tag_name().namespace() == Some(NS_MD))
    {
        let Some(entity_id) = entity.attribute("entityID") else { continue };
        let Some(sso) = md(entity, "IDPSSODescriptor").next() else { continue };
        let location = |service: &str| {
            md(sso, service)
                .find(|s| s.attribute("Binding") == Some(BINDING_REDIRECT))
                .and_then(|s| s.attribute("Location"))
                .map(str::to_string)
        };
        let Some(sso_redirect) = location("SingleSignOnService") else { continue };
        let mut certs_der = Vec::new();
        for kd in md(sso, "KeyDescriptor").filter(|k| k.attribute("use").is_none_or(|u| u == "signing")) {
            for c in kd.descendants().filter(|n| n.tag_name().name() == "X509Certificate") {
                let Some(der) = c.text().and_then(super::codec::unb64) else { continue };
                match X509::from_der(&der) {
                    Ok(cert) if still_valid(&cert) => certs_der.push(der),
                    Ok(_) => tracing::warn!(entity_id, "ignoring an expired or not yet valid IdP certificate"),
                    Err(e) => tracing::warn!(entity_id, error = %e, "ignoring an unreadable IdP certificate"),
                }
            }
        }
        if certs_der.is_empty() {
            tracing::warn!(entity_id, "identity provider left out: no valid signing certificate");
            continue;
        }
        let display_name = entity
            .descendants()
            .filter(|n| n.tag_name().name() == "OrganizationDisplayName")
            .find(|n| n.attribute(("http://www.w3.org/XML/1998/namespace", "lang")) != Some("en"))
            .and_then(|n| n.text())
            .map(|t| t.trim().to_string())
            .unwrap_or_else(|| entity_id.to_string());
        out.push(IdentityProvider {
            entity_id: entity_id.to_string(),
            display_name,
            credential,
            sso_redirect,
            slo_redirect: location("SingleLogoutService"),
            certs_der,
            test: false,
        });
    }
    Ok(out)
}

fn still_valid(cert: &X509) -> bool {
    let Ok(now) = openssl::asn1::Asn1Time::days_from_now(0) else { return false };
    cert.not_before() <= now && cert.not_after() >= now
}
