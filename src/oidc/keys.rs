//! The portal's keys in the OpenID Connect federations: a federation key,
//! which signs its entity configuration (the technical rules want it apart
//! from the OIDC core keys), and the two core keys its metadata publishes,
//! one to sign (request objects, client assertions) and one that UserInfo is
//! encrypted to. RSA, kept as PEM files like the SAML key; each is named in
//! its JWK by its RFC 7638 thumbprint.
use base64::Engine;
use josekit::jwe::alg::rsaes::RsaesJweDecrypter;
use josekit::jwk::alg::rsa::RsaKeyPair;
use josekit::jwk::{Jwk, KeyPair as _};
use sha2::Digest;
use std::path::Path;

/// Large enough for the years a federation key is kept (AgID asks 2048 at least).
const BITS: u32 = 3072;

#[derive(Debug, thiserror::Error)]
pub enum OidcKeyError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: not an RSA private key in PEM: {source}")]
    Pem { path: String, source: josekit::JoseError },
    #[error("generating an RSA key: {0}")]
    Generate(#[source] josekit::JoseError),
    #[error("{0} and {1} are the same key; each job needs its own")]
    Shared(&'static str, &'static str),
}

/// What a key is for, as its JWK says (`use`, `alg`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyJob {
    /// Signs the entity configuration (and later statements): RS256.
    Federation,
    /// Signs what the portal sends an OpenID Provider: RS256.
    Signing,
    /// What UserInfo is encrypted to: RSA-OAEP.
    Encryption,
}

impl KeyJob {
    fn key_use(self) -> &'static str {
        match self {
            KeyJob::Federation | KeyJob::Signing => "sig",
            KeyJob::Encryption => "enc",
        }
    }

    pub fn algorithm(self) -> &'static str {
        match self {
            KeyJob::Federation | KeyJob::Signing => "RS256",
            KeyJob::Encryption => "RSA-OAEP",
        }
    }
}

/// One private key, and its public JWK with `kid`, `use` and `alg`.
#[derive(Clone)]
pub struct OidcKey {
    pub pair: RsaKeyPair,
    pub public: Jwk,
    pub kid: String,
    /// The encryption key's, built once: made from the key again for each
    /// encrypted answer, it cost more than the decryption itself.
    decrypter: Option<RsaesJweDecrypter>,
}

impl std::fmt::Debug for OidcKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcKey").field("kid", &self.kid).finish_non_exhaustive()
    }
}

impl OidcKey {
    pub fn from_pem(pem: &[u8], job: KeyJob, origin: &str) -> Result<OidcKey, OidcKeyError> {
        let pair =
            RsaKeyPair::from_pem(pem).map_err(|source| OidcKeyError::Pem { path: origin.to_string(), source })?;
        let mut public = pair.to_jwk_public_key();
        let kid = thumbprint(&public);
        public.set_key_id(&kid);
        public.set_key_use(job.key_use());
        public.set_algorithm(job.algorithm());
        let decrypter = match job {
            KeyJob::Encryption => Some(
                josekit::jwe::RSA_OAEP
                    .decrypter_from_pem(pem)
                    .map_err(|source| OidcKeyError::Pem { path: origin.to_string(), source })?,
            ),
            KeyJob::Federation | KeyJob::Signing => None,
        };
        Ok(OidcKey { pair, public, kid, decrypter })
    }

    /// What decrypts an answer encrypted to this key (RSA-OAEP); `None`
    /// for a signature key.
    pub fn decrypter(&self) -> Option<&RsaesJweDecrypter> {
        self.decrypter.as_ref()
    }

    pub fn load(path: &Path, job: KeyJob) -> Result<OidcKey, OidcKeyError> {
        let pem =
            std::fs::read(path).map_err(|source| OidcKeyError::Io { path: path.display().to_string(), source })?;
        Self::from_pem(&pem, job, &path.display().to_string())
    }

    /// Loads the key, or (development only) creates it first.
    pub fn load_or_generate(path: &Path, job: KeyJob) -> Result<OidcKey, OidcKeyError> {
        if !path.is_file() {
            write_new(path)?;
            tracing::info!(key = %path.display(), "generated a development OpenID Connect key");
        }
        Self::load(path, job)
    }
}

/// A new RSA private key in PEM (PKCS#8) at `path`, readable by its owner only.
pub fn write_new(path: &Path) -> Result<(), OidcKeyError> {
    let io = |source| OidcKeyError::Io { path: path.display().to_string(), source };
    let pair = RsaKeyPair::generate(BITS).map_err(OidcKeyError::Generate)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    crate::kernel::files::write_private(path, &pair.to_pem_private_key()).map_err(io)
}

/// RFC 7638: the SHA-256 of the members that define an RSA key, in
/// lexicographic order and without spaces, in base64url.
fn thumbprint(public: &Jwk) -> String {
    let member = |name| public.parameter(name).and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let canonical = serde_json::json!({ "e": member("e"), "kty": "RSA", "n": member("n") }).to_string();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(canonical.as_bytes()))
}

/// The federation key and the two core keys, each a different one.
#[derive(Clone, Debug)]
pub struct OidcKeys {
    pub federation: OidcKey,
    pub signing: OidcKey,
    pub encryption: OidcKey,
}

impl OidcKeys {
    pub fn new(federation: OidcKey, signing: OidcKey, encryption: OidcKey) -> Result<OidcKeys, OidcKeyError> {
        let named = [("federation", &federation), ("signing", &signing), ("encryption", &encryption)];
        for (i, (a, ka)) in named.iter().enumerate() {
            if let Some((b, _)) = named[i + 1..].iter().find(|(_, kb)| kb.kid == ka.kid) {
                return Err(OidcKeyError::Shared(a, b));
            }
        }
        Ok(OidcKeys { federation, signing, encryption })
    }
}

#[cfg(test)]
mod tests {
    use super::{thumbprint, KeyJob, OidcKey, OidcKeyError, OidcKeys};
    use josekit::jwk::Jwk;

    #[test]
    fn the_thumbprint_is_rfc_7638s_own_example() {
        // RFC 7638, section 3.1.
        let jwk = Jwk::from_bytes(
            br#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#,
        )
        .expect("the RFC's key");
        assert_eq!(thumbprint(&jwk), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    }

    #[test]
    fn a_key_says_what_it_is_for_and_one_key_may_not_do_two_jobs() {
        let dir = tempfile::tempdir().expect("dir");
        let (a, b) = (dir.path().join("a.pem"), dir.path().join("b.pem"));
        let sig = OidcKey::load_or_generate(&a, KeyJob::Signing).expect("generated");
        assert_eq!(sig.public.key_use(), Some("sig"));
        assert_eq!(sig.public.algorithm(), Some("RS256"));
        assert_eq!(sig.public.key_id(), Some(sig.kid.as_str()));
        assert!(sig.public.parameter("d").is_none(), "the JWK is public");
        let enc = OidcKey::load_or_generate(&b, KeyJob::Encryption).expect("generated");
        assert_eq!((enc.public.key_use(), enc.public.algorithm()), (Some("enc"), Some("RSA-OAEP")));
        // Loaded again, the same key and name.
        assert_eq!(OidcKey::load(&a, KeyJob::Signing).expect("loads").kid, sig.kid);
        let federation = OidcKey::load(&a, KeyJob::Federation).expect("loads");
        assert!(matches!(OidcKeys::new(federation, sig, enc), Err(OidcKeyError::Shared("federation", "signing"))));
    }
}
