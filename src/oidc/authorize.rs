//! The authentication request (the technical rules, "Authorization
//! Endpoint (Authentication)"): authorization code flow with PKCE (S256) and
//! every parameter in a request object signed with the portal's core
//! signing key, so the provider knows it is the portal that asks, and for
//! what: the level (`acr_values`), the claims, `prompt=consent login`.
use super::keys::OidcKeys;
use crate::assurance::{Credential, Level};
use base64::Engine;
use josekit::jwk::KeyPair as _;
use josekit::jws::{JwsHeader, RS256};
use josekit::jwt::JwtPayload;
use serde_json::{json, Map, Value};
use sha2::Digest;

/// How long the provider may take to receive the request object.
const REQUEST_LIFETIME_SECS: i64 = 60;

/// The claim of the codice fiscale, in both federations (`TINIT-…`).
pub const FISCAL_NUMBER: &str = "https://attributes.eid.gov.it/fiscal_number";

/// A request's one-time values, kept by the portal until the answer.
#[derive(Clone, Debug)]
pub struct Secrets {
    /// Ties the answer to this request (and to the browser, through the row).
    pub state: String,
    /// Ties the ID Token to this request.
    pub nonce: String,
    /// PKCE: only who made the request can redeem the code.
    pub code_verifier: String,
}

impl Secrets {
    pub fn new() -> Secrets {
        Secrets { state: random(32), nonce: random(32), code_verifier: random(48) }
    }
}

impl Default for Secrets {
    fn default() -> Self {
        Self::new()
    }
}

/// `bytes` random bytes, base64url: URL-safe, and within PKCE's verifier
/// alphabet (RFC 7636, 4.1), 64 characters for 48 bytes.
pub(super) fn random(bytes: usize) -> String {
    let raw: Vec<u8> = (0..bytes).map(|_| rand::random::<u8>()).collect();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

/// RFC 7636, S256: base64url of the SHA-256 of the verifier.
pub fn code_challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()))
}

/// What the portal asks for: the person's names, codice fiscale, date of
/// birth and e-mail address, in UserInfo; CIE id gives the names in the ID
/// Token too (SPID's rules keep personal data out of it).
pub fn claims_asked(credential: Credential) -> Value {
    let userinfo = json!({
        "given_name": { "essential": true },
        "family_name": { "essential": true },
        FISCAL_NUMBER: { "essential": true },
        "birthdate": null,
        "email": null,
    });
    match credential {
        Credential::Cie => json!({
            "id_token": { "given_name": { "essential": true }, "family_name": { "essential": true } },
            "userinfo": userinfo,
        }),
        _ => json!({ "userinfo": userinfo }),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuthorizeError {
    #[error("cannot sign the request object: {0}")]
    Sign(#[from] josekit::JoseError),
    #[error("the provider's authorization endpoint {0:?} is not a URL")]
    Endpoint(String),
}

/// A request to one provider.
pub struct AuthRequest<'a> {
    /// The portal's entity id, its `client_id`.
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub provider: &'a str,
    pub authorization_endpoint: &'a str,
    pub credential: Credential,
    pub level: Level,
    pub secrets: &'a Secrets,
    pub now: i64,
}

impl AuthRequest<'_> {
    /// The request object's claims.
    pub fn claims(&self) -> Map<String, Value> {
        let claims = json!({
            "iss": self.client_id,
            "client_id": self.client_id,
            "aud": [self.provider, self.authorization_endpoint],
            "iat": self.now,
            "exp": self.now + REQUEST_LIFETIME_SECS,
            "jti": random(16),
            "response_type": "code",
            "scope": "openid",
            "redirect_uri": self.redirect_uri,
            "state": self.secrets.state,
            "nonce": self.secrets.nonce,
            "code_challenge": code_challenge(&self.secrets.code_verifier),
            "code_challenge_method": "S256",
            // The rules: a fresh authentication, and the person's consent
            // to what is released, every time.
            "prompt": "consent login",
            "acr_values": self.level.uri(),
            "claims": claims_asked(self.credential),
        });
        match claims {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    /// Where to send the browser: the provider's authorization endpoint with
    /// the signed request object, and the parameters OAuth 2.0 wants beside it.
    pub fn url(&self, keys: &OidcKeys) -> Result<String, AuthorizeError> {
        let mut header = JwsHeader::new();
        header.set_token_type("JWT");
        header.set_key_id(&keys.signing.kid);
        let claims = self.claims();
        let signer = RS256.signer_from_jwk(&keys.signing.pair.to_jwk_private_key())?;
        let request = josekit::jwt::encode_with_signer(&JwtPayload::from_map(claims.clone())?, &header, &signer)?;
        let mut url = url::Url::parse(self.authorization_endpoint)
            .map_err(|_| AuthorizeError::Endpoint(self.authorization_endpoint.to_string()))?;
        url.query_pairs_mut()
            .append_pair("client_id", self.client_id)
            .append_pair("response_type", "code")
            .append_pair("scope", "openid")
            .append_pair("code_challenge", claims["code_challenge"].as_str().unwrap_or_default())
            .append_pair("code_challenge_method", "S256")
            .append_pair("request", &request);
        Ok(url.into())
    }
}

#[cfg(test)]
mod tests {
    use super::{code_challenge, AuthRequest, Secrets, FISCAL_NUMBER};
    use crate::assurance::{Credential, Level};
    use crate::oidc::keys::{KeyJob, OidcKey, OidcKeys};
    use josekit::jwk::alg::rsa::RsaKeyPair;
    use josekit::jwk::{JwkSet, KeyPair as _};

    #[test]
    fn the_challenge_is_rfc_7636s_own_example() {
        // RFC 7636, appendix B.
        assert_eq!(
            code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let s = Secrets::new();
        assert!((43..=128).contains(&s.code_verifier.len()) && s.state.len() >= 32 && s.nonce.len() >= 32);
        assert_ne!(s.state, Secrets::new().state);
    }

    #[test]
    fn the_request_object_is_signed_and_asks_what_the_rules_want() {
        let key = |job| {
            let pem = RsaKeyPair::generate(2048).expect("key").to_pem_private_key();
            OidcKey::from_pem(&pem, job, "test").expect("key")
        };
        let keys = OidcKeys::new(key(KeyJob::Federation), key(KeyJob::Signing), key(KeyJob::Encryption)).expect("keys");
        let secrets = Secrets::new();
        let request = AuthRequest {
            client_id: "https://servizi.lavoro.gov.it",
            redirect_uri: "https://servizi.lavoro.gov.it/oidc/callback",
            provider: "https://op.example.it",
            authorization_endpoint: "https://op.example.it/authorization?x=1",
            credential: Credential::Spid,
            level: Level::L2,
            secrets: &secrets,
            now: 1_800_000_000,
        };
        let url = url::Url::parse(&request.url(&keys).expect("url")).expect("a URL");
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!((q["x"].as_str(), q["response_type"].as_str(), q["scope"].as_str()), ("1", "code", "openid"));
        assert_eq!(q["code_challenge"], code_challenge(&secrets.code_verifier));
        let mut portal = JwkSet::new();
        portal.push_key(keys.signing.public.clone());
        let claims = crate::oidc::jws::verified(&q["request"], &portal, "JWT").expect("signed by the core key");
        let c = claims.claims_set();
        assert_eq!(c["state"], secrets.state.as_str());
        assert_eq!(c["nonce"], secrets.nonce.as_str());
        assert_eq!(c["prompt"], "consent login");
        assert_eq!(c["acr_values"], "https://www.spid.gov.it/SpidL2");
        assert_eq!(c["code_challenge_method"], "S256");
        assert_eq!(c["aud"], serde_json::json!(["https://op.example.it", "https://op.example.it/authorization?x=1"]));
        assert_eq!(c["exp"].as_i64(), Some(1_800_000_060));
        assert!(c["claims"]["userinfo"].get(FISCAL_NUMBER).is_some());
        assert!(c["claims"].get("id_token").is_none(), "SPID keeps personal data out of the ID Token");
        assert!(c.get("code_verifier").is_none(), "the verifier never leaves the portal");
        // CIE id: the names asked in the ID Token too, at the level asked.
        let cie = AuthRequest { credential: Credential::Cie, level: Level::L3, ..request };
        let c = cie.claims();
        assert_eq!(c["acr_values"], "https://www.spid.gov.it/SpidL3");
        assert_eq!(c["claims"]["id_token"]["family_name"]["essential"], true);
        assert!(c["claims"]["userinfo"].get(FISCAL_NUMBER).is_some());
    }
}
