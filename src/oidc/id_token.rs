//! The checks of what the provider gives for a code (the technical rules,
//! "ID Token" and "UserInfo Endpoint"; OpenID Connect Core 3.1.3.7): the ID
//! Token signed by a key of the provider's trust chain, by the provider, for
//! the portal, in time, for this request (`nonce`), at the level asked or
//! above, for this access token (`at_hash`); then UserInfo, encrypted to the
//! portal's encryption key, signed by the provider, about the same subject.
use super::chain::LEEWAY_SECS;
use super::jws::{self, JwsError};
use super::keys::OidcKey;
use crate::assurance::Level;
use base64::Engine;
use josekit::jwk::JwkSet;
use serde_json::{Map, Value};
use sha2::Digest;

/// How ID Tokens and UserInfo are signed: what the portal registered
/// (`id_token_signed_response_alg`, `userinfo_signed_response_alg`).
const SIGNED_WITH: &str = "RS256";

/// An ID Token older than this is not a fresh sign-in.
const MAX_AGE_SECS: i64 = 10 * 60;

/// Why an answer is refused; each is a kind the person is told, and the
/// detail goes to the log.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenRejection {
    #[error("the ID Token: {0}")]
    Signature(JwsError),
    #[error("issued by {0:?}, not the provider asked")]
    Issuer(Option<String>),
    #[error("for {0}, not the portal")]
    Audience(String),
    #[error("expired, not yet valid or too old")]
    Time,
    #[error("another request's nonce")]
    Nonce,
    #[error("at level {0:?}, below the one asked")]
    Level(Option<String>),
    #[error("for another access token")]
    AccessToken,
    #[error("no subject")]
    Subject,
    #[error("UserInfo: {0}")]
    UserInfo(String),
}

/// What an ID Token must be.
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub nonce: &'a str,
    pub level: Level,
    /// The provider's keys, from its metadata as its trust chain gives it.
    pub keys: &'a JwkSet,
    pub now: i64,
}

/// An ID Token that holds.
#[derive(Clone, Debug, PartialEq)]
pub struct IdToken {
    pub subject: String,
    pub level: Level,
}

/// Checks `jwt`, the ID Token given with `access_token`.
pub fn check_id_token(jwt: &str, access_token: &str, e: &Expected) -> Result<IdToken, TokenRejection> {
    let payload = jws::verified_plain(jwt, e.keys, SIGNED_WITH).map_err(TokenRejection::Signature)?;
    let claims = payload.claims_set();
    let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_string);
    if text("iss").as_deref() != Some(e.issuer) {
        return Err(TokenRejection::Issuer(text("iss")));
    }
    check_audience(claims, e.client_id)?;
    let number = |name: &str| claims.get(name).and_then(Value::as_i64);
    match (number("exp"), number("iat")) {
        (Some(exp), Some(iat))
            if exp + LEEWAY_SECS > e.now && iat <= e.now + LEEWAY_SECS && iat + MAX_AGE_SECS > e.now => {}
        _ => return Err(TokenRejection::Time),
    }
    if text("nonce").as_deref() != Some(e.nonce) {
        return Err(TokenRejection::Nonce);
    }
    let level = text("acr").as_deref().and_then(Level::from_uri);
    let level = match level {
        Some(l) if l >= e.level => l,
        _ => return Err(TokenRejection::Level(text("acr"))),
    };
    // Core 3.1.3.8: the left half of the access token's SHA-256; the
    // SPID/CIE ID Token profile requires it.
    if text("at_hash").as_deref() != Some(left_hash(access_token).as_str()) {
        return Err(TokenRejection::AccessToken);
    }
    let subject = text("sub").filter(|s| !s.is_empty()).ok_or(TokenRejection::Subject)?;
    Ok(IdToken { subject, level })
}

/// `aud` is the portal, or lists it with the portal as the authorized party.
fn check_audience(claims: &Map<String, Value>, client_id: &str) -> Result<(), TokenRejection> {
    let audiences: Vec<&str> = match claims.get("aud") {
        Some(Value::String(a)) => vec![a.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    // Core 3.1.3.7: several audiences need the portal as `azp`, and an
    // `azp` must be the portal whatever the audiences.
    let azp = claims.get("azp").and_then(Value::as_str);
    let ours = audiences.contains(&client_id)
        && (audiences.len() == 1 || azp == Some(client_id))
        && azp.is_none_or(|a| a == client_id);
    match ours {
        true => Ok(()),
        false => Err(TokenRejection::Audience(audiences.join(" "))),
    }
}

/// OpenID Connect Core 3.1.3.6: the left half of the token's SHA-256, in
/// base64url (`at_hash`, `c_hash`).
pub fn left_hash(token: &str) -> String {
    let digest = sha2::Sha256::digest(token.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16])
}

/// The claims of a UserInfo answer: a JWE to the portal's `encryption` key
/// with the content encryption it registered, holding a JWT the provider
/// signed about `subject`.
pub fn check_userinfo(
    jwe: &str,
    encryption: &OidcKey,
    enc: &str,
    e: &Expected,
    subject: &str,
) -> Result<Map<String, Value>, TokenRejection> {
    let refuse = |why: String| TokenRejection::UserInfo(why);
    let header = josekit::jwt::decode_header(jwe).map_err(|e| refuse(e.to_string()))?;
    let field = |name| header.claim(name).and_then(Value::as_str);
    if field("alg") != Some(super::keys::KeyJob::Encryption.algorithm()) || field("enc") != Some(enc) {
        return Err(refuse(format!("encrypted with {:?}/{:?}", field("alg"), field("enc"))));
    }
    // Compression is not used by the federations, and would let a small
    // answer inflate without bound when decrypted.
    if header.claim("zip").is_some() {
        return Err(refuse("compressed".into()));
    }
    if field("kid").is_some_and(|kid| kid != encryption.kid) {
        return Err(refuse(format!("encrypted to key {:?}, not the portal's", field("kid"))));
    }
    let decrypter = encryption.decrypter().ok_or_else(|| refuse("the portal's key is not for encryption".into()))?;
    let (plain, _) = josekit::jwe::deserialize_compact(jwe, decrypter).map_err(|_| refuse("cannot decrypt".into()))?;
    let jwt = String::from_utf8(plain).map_err(|_| refuse("not text".into()))?;
    let payload = jws::verified_plain(jwt.trim(), e.keys, SIGNED_WITH).map_err(|e| refuse(e.to_string()))?;
    let claims = payload.claims_set().clone();
    if claims.get("sub").and_then(Value::as_str) != Some(subject) {
        return Err(refuse("about another subject".into()));
    }
    if let Some(iss) = claims.get("iss").and_then(Value::as_str) {
        if iss != e.issuer {
            return Err(refuse(format!("issued by {iss}")));
        }
    }
    if claims.contains_key("aud") {
        check_audience(&claims, e.client_id).map_err(|e| refuse(e.to_string()))?;
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::{check_id_token, check_userinfo, left_hash, Expected, IdToken, TokenRejection};
    use crate::assurance::Level;
    use crate::oidc::keys::{KeyJob, OidcKey};
    use josekit::jwe::{JweHeader, RSA_OAEP};
    use josekit::jwk::alg::rsa::RsaKeyPair;
    use josekit::jwk::{Jwk, JwkSet, KeyPair as _};
    use josekit::jws::{JwsHeader, RS256};
    use josekit::jwt::JwtPayload;
    use serde_json::{json, Value};

    const NOW: i64 = 1_800_000_000;
    const OP: &str = "https://op.example.it";
    const RP: &str = "https://servizi.lavoro.gov.it";
    const NONCE: &str = "n-0123456789abcdef0123456789abcdef";
    const ACCESS: &str = "an.access.token";

    struct Op {
        pair: RsaKeyPair,
        keys: JwkSet,
    }

    fn op() -> Op {
        let pair = RsaKeyPair::generate(2048).expect("key");
        let mut public = pair.to_jwk_public_key();
        public.set_key_id("op-sig");
        let mut keys = JwkSet::new();
        keys.push_key(public);
        Op { pair, keys }
    }

    fn portal_key() -> OidcKey {
        let pem = RsaKeyPair::generate(2048).expect("key").to_pem_private_key();
        OidcKey::from_pem(&pem, KeyJob::Encryption, "test").expect("key")
    }

    fn sign(op: &Op, claims: Value, alter: impl Fn(&mut JwsHeader)) -> String {
        let mut header = JwsHeader::new();
        header.set_key_id("op-sig");
        alter(&mut header);
        let map = claims.as_object().expect("object").clone();
        let signer = RS256.signer_from_jwk(&op.pair.to_jwk_private_key()).expect("signer");
        josekit::jwt::encode_with_signer(&JwtPayload::from_map(map).expect("payload"), &header, &signer).expect("jwt")
    }

    fn id_token_claims() -> Value {
        json!({
            "iss": OP, "sub": "pairwise-1", "aud": [RP], "iat": NOW - 5, "exp": NOW + 600,
            "nonce": NONCE, "acr": "https://www.spid.gov.it/SpidL2", "at_hash": left_hash(ACCESS),
        })
    }

    fn with(claims: Value, name: &str, value: Value) -> Value {
        let mut c = claims;
        c[name] = value;
        c
    }

    fn check(op: &Op, jwt: &str, level: Level) -> Result<IdToken, TokenRejection> {
        let e = Expected { issuer: OP, client_id: RP, nonce: NONCE, level, keys: &op.keys, now: NOW };
        check_id_token(jwt, ACCESS, &e)
    }

    #[test]
    fn an_id_token_for_this_request_holds() {
        let op = op();
        let got = check(&op, &sign(&op, id_token_claims(), |_| {}), Level::L2).expect("holds");
        assert_eq!(got, IdToken { subject: "pairwise-1".into(), level: Level::L2 });
        // A higher level than asked is fine.
        let l3 = with(id_token_claims(), "acr", json!("https://www.spid.gov.it/SpidL3"));
        assert_eq!(check(&op, &sign(&op, l3, |_| {}), Level::L2).expect("holds").level, Level::L3);
    }

    #[test]
    fn an_id_token_is_refused_for_each_thing_wrong() {
        let op = op();
        let base = id_token_claims();
        let refused = |claims: Value| check(&op, &sign(&op, claims, |_| {}), Level::L2).expect_err("refused");
        assert_eq!(
            refused(with(base.clone(), "aud", json!(["https://other.example.it"]))),
            TokenRejection::Audience("https://other.example.it".into())
        );
        assert!(matches!(
            refused(with(base.clone(), "aud", json!([RP, "https://other.example.it"]))),
            TokenRejection::Audience(_)
        ));
        assert_eq!(refused(with(base.clone(), "nonce", json!("another-request"))), TokenRejection::Nonce);
        assert_eq!(refused(with(base.clone(), "exp", json!(NOW - 120))), TokenRejection::Time);
        assert_eq!(refused(with(base.clone(), "iat", json!(NOW + 600))), TokenRejection::Time);
        assert_eq!(refused(with(base.clone(), "iat", json!(NOW - 3600))), TokenRejection::Time);
        assert!(matches!(
            refused(with(base.clone(), "acr", json!("https://www.spid.gov.it/SpidL1"))),
            TokenRejection::Level(_)
        ));
        assert!(matches!(
            refused(with(base.clone(), "iss", json!("https://elsewhere.example.it"))),
            TokenRejection::Issuer(_)
        ));
        assert_eq!(
            refused(with(base.clone(), "at_hash", json!(left_hash("another.access.token")))),
            TokenRejection::AccessToken
        );
        assert_eq!(refused(with(base.clone(), "sub", json!(""))), TokenRejection::Subject);
        let mut no_at_hash = base.clone();
        no_at_hash.as_object_mut().expect("object").remove("at_hash");
        assert_eq!(refused(no_at_hash), TokenRejection::AccessToken, "the SPID/CIE profile requires at_hash");
        assert!(matches!(
            refused(with(base.clone(), "azp", json!("https://other.example.it"))),
            TokenRejection::Audience(_)
        ));
        // Signed by a key the provider's trust chain does not give.
        let stranger = super::tests::op();
        assert!(matches!(
            check(&op, &sign(&stranger, base.clone(), |_| {}), Level::L2),
            Err(TokenRejection::Signature(_))
        ));
        // Signed with another algorithm than the one registered (RS256).
        let rs512 = {
            let mut header = JwsHeader::new();
            header.set_key_id("op-sig");
            let map = base.as_object().expect("object").clone();
            let signer = josekit::jws::RS512.signer_from_jwk(&op.pair.to_jwk_private_key()).expect("signer");
            josekit::jwt::encode_with_signer(&JwtPayload::from_map(map).expect("payload"), &header, &signer)
                .expect("jwt")
        };
        assert!(matches!(check(&op, &rs512, Level::L2), Err(TokenRejection::Signature(_))));
        // An access token (at+jwt) passed off as an ID Token.
        let typed = sign(&op, base.clone(), |h| h.set_token_type("at+jwt"));
        assert!(matches!(check(&op, &typed, Level::L2), Err(TokenRejection::Signature(_))));
    }

    #[test]
    fn an_unsigned_id_token_is_refused() {
        let op = op();
        let mut header = JwsHeader::new();
        header.set_key_id("op-sig");
        let map = id_token_claims().as_object().expect("object").clone();
        let unsigned =
            josekit::jwt::encode_unsecured(&JwtPayload::from_map(map).expect("payload"), &header).expect("jwt");
        assert!(matches!(check(&op, &unsigned, Level::L1), Err(TokenRejection::Signature(_))));
    }

    fn encrypt(to: &Jwk, jwt: &str, enc: &str) -> String {
        let mut header = JweHeader::new();
        header.set_content_encryption(enc);
        header.set_content_type("JWT");
        if let Some(kid) = to.key_id() {
            header.set_key_id(kid);
        }
        let encrypter = RSA_OAEP.encrypter_from_jwk(to).expect("encrypter");
        josekit::jwe::serialize_compact(jwt.as_bytes(), &header, &encrypter).expect("jwe")
    }

    #[test]
    fn userinfo_must_be_encrypted_to_the_portal_and_signed_about_the_subject() {
        let (op, portal) = (op(), portal_key());
        let e = Expected { issuer: OP, client_id: RP, nonce: NONCE, level: Level::L2, keys: &op.keys, now: NOW };
        let about = |sub: &str| {
            sign(
                &op,
                json!({ "sub": sub, "iss": OP, "aud": RP, "given_name": "Mario", "family_name": "Rossi" }),
                |_| {},
            )
        };
        let enc = "A256CBC-HS512";
        let good = encrypt(&portal.public, &about("pairwise-1"), enc);
        let claims = check_userinfo(&good, &portal, enc, &e, "pairwise-1").expect("holds");
        assert_eq!(claims["given_name"], "Mario");
        // About someone else than the ID Token.
        let other = encrypt(&portal.public, &about("pairwise-2"), enc);
        assert!(check_userinfo(&other, &portal, enc, &e, "pairwise-1").is_err());
        // Encrypted to another key (with the portal's kid, or its own).
        let stranger = portal_key();
        let mut disguised = stranger.public.clone();
        disguised.set_key_id(&portal.kid);
        for to in [&stranger.public, &disguised] {
            let jwe = encrypt(to, &about("pairwise-1"), enc);
            assert!(check_userinfo(&jwe, &portal, enc, &e, "pairwise-1").is_err());
        }
        // Compressed: refused before anything is inflated.
        let mut header = JweHeader::new();
        header.set_content_encryption(enc);
        header.set_compression("DEF");
        let encrypter = RSA_OAEP.encrypter_from_jwk(&portal.public).expect("encrypter");
        let zipped = josekit::jwe::serialize_compact(about("pairwise-1").as_bytes(), &header, &encrypter).expect("jwe");
        assert!(check_userinfo(&zipped, &portal, enc, &e, "pairwise-1").is_err());
        // Another content encryption than the one registered.
        let weaker = encrypt(&portal.public, &about("pairwise-1"), "A128CBC-HS256");
        assert!(check_userinfo(&weaker, &portal, enc, &e, "pairwise-1").is_err());
        // Signed by someone else.
        let forged = sign(&super::tests::op(), json!({ "sub": "pairwise-1" }), |_| {});
        let jwe = encrypt(&portal.public, &forged, enc);
        assert!(check_userinfo(&jwe, &portal, enc, &e, "pairwise-1").is_err());
    }
}
