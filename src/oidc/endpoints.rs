//! The provider's endpoints the portal calls itself (blocking: call off the
//! async threads): the token endpoint, which redeems a code; UserInfo; and
//! revocation at sign-out. The portal authenticates with `private_key_jwt`:
//! a client assertion signed with its core signing key, for that endpoint.
use super::keys::OidcKeys;
use josekit::jwk::KeyPair as _;
use josekit::jws::{JwsHeader, RS256};
use josekit::jwt::JwtPayload;
use serde::Deserialize;
use serde_json::json;

const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const ASSERTION_LIFETIME_SECS: i64 = 60;
/// Answers larger than this are not tokens.
const MAX_ANSWER: u64 = 256 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum EndpointError {
    #[error("{0}: {1}")]
    Call(String, String),
    #[error("cannot sign the client assertion: {0}")]
    Sign(#[from] josekit::JoseError),
    #[error("the token endpoint's answer: {0}")]
    Answer(String),
}

/// What the token endpoint gives for a code.
#[derive(Clone, Debug, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub id_token: String,
    pub token_type: String,
}

/// A client assertion (RFC 7523) for `audience`, the endpoint it is sent to.
pub fn client_assertion(keys: &OidcKeys, client_id: &str, audience: &str, now: i64) -> Result<String, EndpointError> {
    let mut header = JwsHeader::new();
    header.set_token_type("JWT");
    header.set_key_id(&keys.signing.kid);
    let claims = json!({
        "iss": client_id,
        "sub": client_id,
        "aud": [audience],
        "iat": now,
        "exp": now + ASSERTION_LIFETIME_SECS,
        "jti": super::authorize::random(16),
    });
    let map = match claims {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    let signer = RS256.signer_from_jwk(&keys.signing.pair.to_jwk_private_key())?;
    Ok(josekit::jwt::encode_with_signer(&JwtPayload::from_map(map)?, &header, &signer)?)
}

fn read(url: &str, result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Result<String, EndpointError> {
    let fail = |e: String| EndpointError::Call(url.to_string(), e);
    result
        .map_err(|e| fail(e.to_string()))?
        .body_mut()
        .with_config()
        .limit(MAX_ANSWER)
        .read_to_string()
        .map_err(|e| fail(e.to_string()))
}

/// A code and its PKCE verifier, redeemed.
pub struct Redeem<'a> {
    pub token_endpoint: &'a str,
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub code: &'a str,
    pub code_verifier: &'a str,
    pub state: &'a str,
    pub now: i64,
}

pub fn redeem(agent: &ureq::Agent, keys: &OidcKeys, r: &Redeem) -> Result<Tokens, EndpointError> {
    let assertion = client_assertion(keys, r.client_id, r.token_endpoint, r.now)?;
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", r.client_id),
        ("redirect_uri", r.redirect_uri),
        ("code", r.code),
        ("code_verifier", r.code_verifier),
        ("state", r.state),
        ("client_assertion_type", ASSERTION_TYPE),
        ("client_assertion", &assertion),
    ];
    let text = read(r.token_endpoint, agent.post(r.token_endpoint).send_form(form))?;
    let tokens: Tokens = serde_json::from_str(&text).map_err(|e| EndpointError::Answer(e.to_string()))?;
    if !tokens.token_type.eq_ignore_ascii_case("bearer") {
        return Err(EndpointError::Answer(format!("token type {}", tokens.token_type)));
    }
    Ok(tokens)
}

/// The UserInfo answer for `access_token`, as it came (a JWE).
pub fn userinfo(agent: &ureq::Agent, endpoint: &str, access_token: &str) -> Result<String, EndpointError> {
    read(endpoint, agent.get(endpoint).header("Authorization", format!("Bearer {access_token}")).call())
}

/// Revokes `token` at the provider (RFC 7009), which ends the person's
/// session there.
pub fn revoke(
    agent: &ureq::Agent,
    keys: &OidcKeys,
    endpoint: &str,
    client_id: &str,
    token: &str,
    now: i64,
) -> Result<(), EndpointError> {
    let assertion = client_assertion(keys, client_id, endpoint, now)?;
    let form = [
        ("client_id", client_id),
        ("token", token),
        ("client_assertion_type", ASSERTION_TYPE),
        ("client_assertion", &assertion),
    ];
    read(endpoint, agent.post(endpoint).send_form(form)).map(|_| ())
}
