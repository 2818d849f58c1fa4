//! The one check of a signed federation JWT (entity statements, trust marks,
//! trust mark status answers): of the expected type, signed with an allowed
//! algorithm (never `none`) by the key of `keys` its header names.
use josekit::jwk::JwkSet;
use josekit::jws::{JwsVerifier, ES256, ES512, PS256, PS512, RS256, RS512};
use josekit::jwt::JwtPayload;
use serde_json::{Map, Value};

/// Why a signed JWT is refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum JwsError {
    #[error("not a signed JWT: {0}")]
    Malformed(String),
    #[error("of type {0:?}, not the one expected")]
    WrongType(Option<String>),
    #[error("signed with {0:?}, which is not allowed")]
    Algorithm(Option<String>),
    #[error("signed by key {0:?}, not one of the keys it should be")]
    UnknownKey(Option<String>),
    #[error("the signature does not hold")]
    Signature,
}

/// The claims of `jwt`, if it is of type `typ` and signed by one of `keys`.
pub fn verified(jwt: &str, keys: &JwkSet, typ: &str) -> Result<JwtPayload, JwsError> {
    verify(jwt, keys, |t| t == Some(typ))
}

/// The claims of a plain signed JWT (an ID Token, a UserInfo answer: of type
/// `JWT` or none, so never an access token or a statement passed off as
/// one), if signed with `alg` (what the portal registered) by one of `keys`.
pub fn verified_plain(jwt: &str, keys: &JwkSet, alg: &str) -> Result<JwtPayload, JwsError> {
    let header = josekit::jwt::decode_header(jwt).map_err(|e| JwsError::Malformed(e.to_string()))?;
    let used = header.claim("alg").and_then(Value::as_str);
    if used != Some(alg) {
        return Err(JwsError::Algorithm(used.map(str::to_string)));
    }
    verify(jwt, keys, |t| matches!(t, None | Some("JWT")))
}

fn verify(jwt: &str, keys: &JwkSet, type_allowed: impl Fn(Option<&str>) -> bool) -> Result<JwtPayload, JwsError> {
    let header = josekit::jwt::decode_header(jwt).map_err(|e| JwsError::Malformed(e.to_string()))?;
    let claim = |name| header.claim(name).and_then(Value::as_str).map(str::to_string);
    if !type_allowed(claim("typ").as_deref()) {
        return Err(JwsError::WrongType(claim("typ")));
    }
    let kid = claim("kid");
    // A key published for encryption never verifies a signature.
    let jwk = kid
        .as_deref()
        .and_then(|k| keys.get(k).into_iter().find(|j| j.key_use() != Some("enc")))
        .ok_or(JwsError::UnknownKey(kid))?;
    let unusable = |_| JwsError::Signature;
    let verifier: Box<dyn JwsVerifier> = match claim("alg").as_deref() {
        Some("RS256") => Box::new(RS256.verifier_from_jwk(jwk).map_err(unusable)?),
        Some("RS512") => Box::new(RS512.verifier_from_jwk(jwk).map_err(unusable)?),
        Some("PS256") => Box::new(PS256.verifier_from_jwk(jwk).map_err(unusable)?),
        Some("PS512") => Box::new(PS512.verifier_from_jwk(jwk).map_err(unusable)?),
        Some("ES256") => Box::new(ES256.verifier_from_jwk(jwk).map_err(unusable)?),
        Some("ES512") => Box::new(ES512.verifier_from_jwk(jwk).map_err(unusable)?),
        other => return Err(JwsError::Algorithm(other.map(str::to_string))),
    };
    let (payload, _) = josekit::jwt::decode_with_verifier(jwt, &*verifier).map_err(|_| JwsError::Signature)?;
    Ok(payload)
}

/// The claims, read before checking them (to learn whose keys to check with).
pub fn unverified(jwt: &str) -> Result<Map<String, Value>, JwsError> {
    use base64::Engine;
    let malformed = |why: &str| JwsError::Malformed(why.to_string());
    let payload = jwt.split('.').nth(1).ok_or_else(|| malformed("not a JWS"))?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).map_err(|_| malformed("base64"))?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(malformed("not a JSON object")),
    }
}

/// A statement's keys (`jwks`).
pub fn jwks_of(claims: &Map<String, Value>) -> Result<JwkSet, JwsError> {
    let jwks = claims.get("jwks").and_then(Value::as_object).ok_or(JwsError::Malformed("no jwks".into()))?;
    JwkSet::from_map(jwks.clone()).map_err(|e| JwsError::Malformed(e.to_string()))
}
