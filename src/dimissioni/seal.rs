//! The data certa: each module's hash covers its code, its transmission time
//! and its contents, and the previous module's hash, and is signed with the
//! portal's key. Altering a stored module, removing one or reordering them
//! breaks the chain; `servizi-lavoro dimissioni verify` finds where.
use super::module::{self, Contents, Module};
use crate::db::AnyConnection;
use chrono::NaiveDateTime;
use openssl::hash::MessageDigest;
use openssl::sign::{Signer, Verifier};
use sha2::{Digest, Sha256};

/// The first module's "previous hash".
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The module's hash, hex: SHA-256 over the previous hash, code, time and contents (JSON).
/// The verification code printed on a module: the start of its seal (48
/// bits), as `XXXX-XXXX-XXXX`. With the module's code it proves a copy
/// authentic at `/verifica`; alone, or with the code alone, it proves nothing.
pub fn verification_code(hash: &str) -> String {
    let head: String = hash.chars().filter(char::is_ascii_hexdigit).take(12).collect::<String>().to_ascii_uppercase();
    head.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

pub fn hash(prev_hash: &str, code: &str, at: NaiveDateTime, contents: &Contents) -> String {
    let body = serde_json::to_string(contents).unwrap_or_default();
    let mut h = Sha256::new();
    for part in [prev_hash, code, &at.format("%Y-%m-%dT%H:%M:%S%.3f").to_string(), &body] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash signed with the portal's key (RSA-SHA256), base64.
pub fn sign(keys: &crate::saml::keys::KeyPair, hash: &str) -> Result<String, openssl::error::ErrorStack> {
    use base64::Engine;
    let mut signer = Signer::new(MessageDigest::sha256(), &keys.key)?;
    signer.update(hash.as_bytes())?;
    Ok(base64::engine::general_purpose::STANDARD.encode(signer.sign_to_vec()?))
}

fn signed(keys: &crate::saml::keys::KeyPair, hash: &str, signature: &str) -> bool {
    use base64::Engine;
    let Ok(sig) = base64::engine::general_purpose::STANDARD.decode(signature) else { return false };
    let Ok(public) = keys.cert.public_key() else { return false };
    Verifier::new(MessageDigest::sha256(), &public)
        .and_then(|mut v| v.update(hash.as_bytes()).and_then(|_| v.verify(&sig)))
        .unwrap_or(false)
}

/// What is wrong with one module of the chain.
#[derive(Debug, PartialEq, Eq)]
pub struct Broken {
    pub code: String,
    pub why: &'static str,
}

/// Checks every module in order: its hash, its link to the previous one, its
/// signature. Returns how many were checked, or the first broken one.
pub fn verify(
    conn: &mut AnyConnection,
    keys: &crate::saml::keys::KeyPair,
) -> diesel::QueryResult<Result<usize, Broken>> {
    let chain: Vec<Module> = module::chain(conn)?;
    let mut prev = GENESIS.to_string();
    for m in &chain {
        let broken = |why| Ok(Err(Broken { code: m.code.clone(), why }));
        if m.prev_hash != prev {
            return broken("not linked to the module before it (one removed or reordered)");
        }
        if hash(&m.prev_hash, &m.code, m.transmitted_at, &m.contents) != m.hash {
            return broken("its contents, code or time were altered");
        }
        if !signed(keys, &m.hash, &m.signature) {
            return broken("the signature does not match the portal's key");
        }
        prev = m.hash.clone();
    }
    Ok(Ok(chain.len()))
}
