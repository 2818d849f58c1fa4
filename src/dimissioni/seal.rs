//! The data certa: each module's hash covers its code, its transmission time
//! and its contents, and the previous module's hash, and (seal version 2)
//! every column that drives access or delivery: who sent it, the worker's
//! account, the retrieval code and the key that seals it. It is signed with
//! the seal key ([`crate::keyring`]). Altering a stored module, removing one
//! or reordering them breaks the chain; a revoca recorded on a module must be
//! the revoca that names it; [`super::chain`] checks it all
//! (`servizi-lavoro dimissioni verify`).
use crate::kernel::AccountId;
use chrono::NaiveDateTime;
use openssl::hash::MessageDigest;
use openssl::sign::{Signer, Verifier};
use sha2::{Digest, Sha256};

/// The first module's "previous hash".
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What seal version 2 covers beyond the contents.
#[derive(Debug)]
pub struct Covered<'a> {
    pub filed_by: AccountId,
    pub worker_account: Option<AccountId>,
    pub retrieval_code: Option<&'a str>,
    pub key: &'a str,
}

/// The verification code printed on a module: the start of its seal (48
/// bits), as `XXXX-XXXX-XXXX`. With the module's code it proves a copy
/// authentic at `/verifica`; alone, or with the code alone, it proves nothing.
pub fn verification_code(hash: &str) -> String {
    let head: String = hash.chars().filter(char::is_ascii_hexdigit).take(12).collect::<String>().to_ascii_uppercase();
    head.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

/// The module's hash, hex: SHA-256 over the previous hash, code, time and
/// contents (JSON), each followed by a zero byte; version 2 (`covered`) then
/// the sender's account, the worker's account, the retrieval code and the key.
pub fn hash(
    prev_hash: &str,
    code: &str,
    at: NaiveDateTime,
    contents: &impl serde::Serialize,
    covered: Option<&Covered>,
) -> String {
    let body = serde_json::to_string(contents).unwrap_or_default();
    let mut parts = vec![prev_hash.to_string(), code.to_string(), at.format("%Y-%m-%dT%H:%M:%S%.3f").to_string(), body];
    if let Some(c) = covered {
        parts.push(c.filed_by.to_string());
        parts.push(c.worker_account.map(|a| a.to_string()).unwrap_or_default());
        parts.push(c.retrieval_code.unwrap_or_default().to_string());
        parts.push(c.key.to_string());
    }
    let mut h = Sha256::new();
    for part in parts {
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

/// Is `signature` the signature of `hash` by the key of `cert`?
pub fn signed(cert: &openssl::x509::X509, hash: &str, signature: &str) -> bool {
    use base64::Engine;
    let Ok(sig) = base64::engine::general_purpose::STANDARD.decode(signature) else { return false };
    let Ok(public) = cert.public_key() else { return false };
    Verifier::new(MessageDigest::sha256(), &public)
        .and_then(|mut v| v.update(hash.as_bytes()).and_then(|_| v.verify(&sig)))
        .unwrap_or(false)
}
