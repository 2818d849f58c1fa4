//! A trust anchor and an OpenID Provider built into the portal for
//! development and demonstrations, like the demo SAML IdPs: the portal
//! resolves the demo provider's trust chain through the demo anchor over
//! HTTP exactly as it does a real one's, and signs people in with it over
//! OpenID Connect. Their keys are made on first start; production refuses
//! demo providers (`SL_DEMO_IDP`). The pages and endpoints are
//! `auth::demo_op`; here are their keys and what they sign.
use super::chain::TrustAnchor;
use super::keys::{KeyJob, OidcKey, OidcKeyError};
use super::providers::Provider;
use crate::assurance::Credential;
use josekit::jwk::KeyPair as _;
use josekit::jws::{JwsHeader, RS256};
use josekit::jwt::JwtPayload;
use serde_json::{json, Value};
use std::path::Path;

/// The provider's trust mark, issued by the demo anchor.
pub const MARK: &str = "https://www.spid.gov.it/openid-federation/agreement/op-public";
/// Where the demo federation lives under the portal's address.
pub const ANCHOR_PATH: &str = "/demo-oidc";
pub const PROVIDER_PATH: &str = "/demo-oidc/op";
const LIFETIME_SECS: i64 = 24 * 60 * 60;

#[derive(Clone, Debug)]
pub struct DemoFederation {
    pub anchor_id: String,
    pub provider_id: String,
    anchor_key: OidcKey,
    provider_key: OidcKey,
    /// The provider's core key: ID Tokens, UserInfo, codes, access tokens.
    pub provider_core: OidcKey,
}

impl DemoFederation {
    /// The demo federation at `origin` (the portal's base URL, no slash).
    pub fn load(origin: &str, keys_dir: &Path) -> Result<DemoFederation, OidcKeyError> {
        let key = |name: &str, job| OidcKey::load_or_generate(&keys_dir.join(name), job);
        Ok(DemoFederation {
            anchor_id: format!("{origin}{ANCHOR_PATH}"),
            provider_id: format!("{origin}{PROVIDER_PATH}"),
            anchor_key: key("demo-oidc-anchor.key.pem", KeyJob::Federation)?,
            provider_key: key("demo-oidc-provider.key.pem", KeyJob::Federation)?,
            provider_core: key("demo-oidc-provider-core.key.pem", KeyJob::Signing)?,
        })
    }

    /// The anchor as the portal believes it: its id and key, given "out of band".
    pub fn anchor(&self) -> TrustAnchor {
        let mut jwks = josekit::jwk::JwkSet::new();
        jwks.push_key(self.anchor_key.public.clone());
        TrustAnchor { entity_id: self.anchor_id.clone(), jwks }
    }

    pub fn provider(&self) -> Provider {
        Provider {
            entity_id: self.provider_id.clone(),
            credential: Credential::Spid,
            name: "Demo OP (OpenID Connect)".into(),
            instead_of: None,
            test: true,
        }
    }

    fn sign(key: &OidcKey, typ: &str, claims: Value) -> Result<String, josekit::JoseError> {
        let mut header = JwsHeader::new();
        header.set_token_type(typ);
        header.set_key_id(&key.kid);
        let map = match claims {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        let signer = RS256.signer_from_jwk(&key.pair.to_jwk_private_key())?;
        josekit::jwt::encode_with_signer(&JwtPayload::from_map(map)?, &header, &signer)
    }

    /// Signed by the provider's core key (`typ` e.g. `JWT`, `at+jwt`).
    pub fn sign_core(&self, typ: &str, claims: Value) -> Result<String, josekit::JoseError> {
        Self::sign(&self.provider_core, typ, claims)
    }

    pub fn anchor_configuration(&self, now: i64) -> Result<String, josekit::JoseError> {
        let a = &self.anchor_id;
        Self::sign(
            &self.anchor_key,
            "entity-statement+jwt",
            json!({
                "iss": a, "sub": a, "iat": now, "exp": now + LIFETIME_SECS,
                "jwks": { "keys": [self.anchor_key.public.as_ref()] },
                "trust_mark_issuers": { MARK: [a] },
                "constraints": { "max_path_length": 1 },
                "metadata": { "federation_entity": {
                    "organization_name": "Demo trust anchor (development)",
                    "federation_fetch_endpoint": format!("{a}/fetch"),
                    "federation_trust_mark_status_endpoint": format!("{a}/trust_mark_status"),
                } },
            }),
        )
    }

    /// The anchor's statement about the provider (its only subordinate).
    pub fn statement_about_provider(&self, now: i64) -> Result<String, josekit::JoseError> {
        Self::sign(
            &self.anchor_key,
            "entity-statement+jwt",
            json!({
                "iss": self.anchor_id, "sub": self.provider_id, "iat": now, "exp": now + LIFETIME_SECS,
                "jwks": { "keys": [self.provider_key.public.as_ref()] },
                "metadata_policy": { "openid_provider": {
                    "acr_values_supported": { "subset_of": crate::assurance::Level::ALL.map(|l| l.uri()) },
                } },
            }),
        )
    }

    pub fn trust_mark(&self, now: i64) -> Result<String, josekit::JoseError> {
        Self::sign(
            &self.anchor_key,
            "trust-mark+jwt",
            json!({ "iss": self.anchor_id, "sub": self.provider_id, "id": MARK, "iat": now, "exp": now + LIFETIME_SECS }),
        )
    }

    /// The anchor's answer about `mark`: active when it is a mark it issued.
    pub fn status(&self, mark: &str, now: i64) -> Result<Option<String>, josekit::JoseError> {
        let mut keys = josekit::jwk::JwkSet::new();
        keys.push_key(self.anchor_key.public.clone());
        if super::trust_marks::verify(MARK, mark, &self.provider_id, &keys, now).is_err() {
            return Ok(None);
        }
        let claims = json!({ "iss": self.anchor_id, "iat": now, "trust_mark": mark, "status": "active" });
        Self::sign(&self.anchor_key, "trust-mark-status-response+jwt", claims).map(Some)
    }

    pub fn provider_configuration(&self, now: i64) -> Result<String, josekit::JoseError> {
        let p = &self.provider_id;
        Self::sign(
            &self.provider_key,
            "entity-statement+jwt",
            json!({
                "iss": p, "sub": p, "iat": now, "exp": now + LIFETIME_SECS,
                "jwks": { "keys": [self.provider_key.public.as_ref()] },
                "authority_hints": [self.anchor_id],
                "trust_marks": [{ "id": MARK, "trust_mark": self.trust_mark(now)? }],
                "metadata": {
                    "federation_entity": { "organization_name": "Demo OpenID Provider (development)" },
                    "openid_provider": {
                        "issuer": p,
                        "authorization_endpoint": format!("{p}/authorization"),
                        "token_endpoint": format!("{p}/token"),
                        "userinfo_endpoint": format!("{p}/userinfo"),
                        "revocation_endpoint": format!("{p}/revocation"),
                        "client_registration_types_supported": ["automatic"],
                        "code_challenge_methods_supported": ["S256"],
                        "acr_values_supported": crate::assurance::Level::ALL.map(|l| l.uri()),
                        "id_token_signing_alg_values_supported": ["RS256"],
                        "userinfo_signing_alg_values_supported": ["RS256"],
                        "userinfo_encryption_alg_values_supported": ["RSA-OAEP"],
                        "userinfo_encryption_enc_values_supported": [super::entity::USERINFO_ENC],
                        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
                        "authorization_response_iss_parameter_supported": true,
                        "jwks": { "keys": [self.provider_core.public.as_ref()] },
                    },
                },
            }),
        )
    }
}
