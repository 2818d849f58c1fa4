//! Trust marks (the technical rules, "Trust Mark"): an entity is a member of
//! the federation only with a mark that holds. A mark is a JWT of type
//! `trust-mark+jwt` about the entity, signed by an issuer the trust anchor
//! names for that mark (`trust_mark_issuers`, the anchor itself when it
//! names none) and not expired; that is the static check, here. Whether
//! its issuer still stands by it (revocation) is asked at the issuer's
//! status endpoint, in [`super::discovery`].
use super::jws::{self, JwsError};
use josekit::jwk::JwkSet;
use serde_json::{Map, Value};

/// A mark that holds: what it certifies and who issued it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub id: String,
    pub issuer: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TrustMarkError {
    #[error("trust mark {0}: {1}")]
    Jws(String, JwsError),
    #[error("trust mark {0} is about {1:?}, not this entity")]
    Subject(String, Option<String>),
    #[error("trust mark {0} says it certifies {1:?}")]
    Id(String, Option<String>),
    #[error("trust mark {0} has expired")]
    Expired(String),
    #[error("trust mark {0} has no time of issue, or one in the future")]
    Issued(String),
    #[error("trust mark {0}: {1:?} may not issue it in this federation")]
    Issuer(String, Option<String>),
    #[error("trust mark {0}: its issuer no longer stands by it")]
    Revoked(String),
    #[error("trust mark {0}: its issuer cannot be asked ({1})")]
    Unreachable(String, String),
    #[error("{0} carries no trust mark that holds")]
    Missing(String),
}

/// What the claims call a mark's identifier (the draft and the rules differ).
fn id_of(claims: &Map<String, Value>) -> Option<String> {
    ["id", "trust_mark_id", "trust_mark_type"]
        .iter()
        .find_map(|k| claims.get(*k).and_then(Value::as_str))
        .map(str::to_string)
}

/// The marks an entity configuration lists: (identifier, JWT).
pub fn listed(configuration: &Map<String, Value>) -> Vec<(String, String)> {
    let entries = configuration.get("trust_marks").and_then(Value::as_array).into_iter().flatten();
    entries
        .filter_map(|e| {
            let entry = e.as_object()?;
            Some((id_of(entry)?, entry.get("trust_mark")?.as_str()?.to_string()))
        })
        .collect()
}

/// Who may issue mark `id`, according to the anchor's configuration.
pub fn issuers_allowed(anchor: &Map<String, Value>, anchor_id: &str, id: &str) -> Vec<String> {
    match anchor.get("trust_mark_issuers").and_then(|m| m.get(id)).and_then(Value::as_array) {
        Some(list) => list.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        None => vec![anchor_id.to_string()],
    }
}

/// The issuer a mark names (read before checking it, to find its keys).
pub fn issuer_of(jwt: &str) -> Option<String> {
    jws::unverified(jwt).ok()?.get("iss")?.as_str().map(str::to_string)
}

/// The static check of mark `id` (`jwt`) carried by `subject`, its issuer's keys given.
pub fn verify(id: &str, jwt: &str, subject: &str, issuer_keys: &JwkSet, now: i64) -> Result<Mark, TrustMarkError> {
    let payload = jws::verified(jwt, issuer_keys, "trust-mark+jwt").map_err(|e| TrustMarkError::Jws(id.into(), e))?;
    let claims = payload.claims_set();
    let about = claims.get("sub").and_then(Value::as_str);
    if about != Some(subject) {
        return Err(TrustMarkError::Subject(id.into(), about.map(str::to_string)));
    }
    let certifies = id_of(claims);
    if certifies.as_deref() != Some(id) {
        return Err(TrustMarkError::Id(id.into(), certifies));
    }
    if claims.get("exp").and_then(Value::as_i64).is_some_and(|exp| exp + super::chain::LEEWAY_SECS <= now) {
        return Err(TrustMarkError::Expired(id.into()));
    }
    // Issued, and not in the future (iat is required).
    if claims.get("iat").and_then(Value::as_i64).is_none_or(|iat| iat > now + super::chain::LEEWAY_SECS) {
        return Err(TrustMarkError::Issued(id.into()));
    }
    let issuer = claims.get("iss").and_then(Value::as_str).unwrap_or_default().to_string();
    Ok(Mark { id: id.into(), issuer })
}

#[cfg(test)]
mod tests {
    use super::{issuers_allowed, listed, verify, Mark, TrustMarkError};
    use crate::oidc::jws::JwsError;
    use josekit::jwk::alg::rsa::RsaKeyPair;
    use josekit::jwk::{JwkSet, KeyPair as _};
    use josekit::jws::{JwsHeader, RS256};
    use josekit::jwt::JwtPayload;
    use serde_json::{json, Value};

    const NOW: i64 = 1_800_000_000;
    const TA: &str = "https://ta.example.it";
    const OP: &str = "https://op.example.it";
    const OP_PUBLIC: &str = "https://registry.agid.gov.it/openid_provider/public/";

    fn key() -> (RsaKeyPair, JwkSet) {
        let pair = RsaKeyPair::generate(2048).expect("key");
        let mut jwk = pair.to_jwk_public_key();
        jwk.set_key_id("ta-1");
        let set = JwkSet::from_map(json!({ "keys": [jwk.as_ref()] }).as_object().expect("map").clone()).expect("set");
        (pair, set)
    }

    fn mark(pair: &RsaKeyPair, claims: Value, typ: &str) -> String {
        let mut header = JwsHeader::new();
        header.set_token_type(typ);
        header.set_key_id("ta-1");
        let payload = JwtPayload::from_map(claims.as_object().expect("map").clone()).expect("payload");
        let signer = RS256.signer_from_jwk(&pair.to_jwk_private_key()).expect("signer");
        josekit::jwt::encode_with_signer(&payload, &header, &signer).expect("signed")
    }

    #[test]
    fn a_mark_holds_only_about_its_entity_for_what_it_says_signed_by_its_issuer_and_in_time() {
        let (pair, keys) = key();
        let claims =
            |sub: &str, id: &str, exp: i64| json!({ "iss": TA, "sub": sub, "id": id, "iat": NOW - 10, "exp": exp });
        let good = mark(&pair, claims(OP, OP_PUBLIC, NOW + 600), "trust-mark+jwt");
        assert_eq!(verify(OP_PUBLIC, &good, OP, &keys, NOW), Ok(Mark { id: OP_PUBLIC.into(), issuer: TA.into() }));
        // Carried by another entity, or listed under another identifier.
        assert!(matches!(
            verify(OP_PUBLIC, &good, "https://other.example.it", &keys, NOW),
            Err(TrustMarkError::Subject(..))
        ));
        assert!(matches!(
            verify("https://registry.agid.gov.it/openid_provider/private/", &good, OP, &keys, NOW),
            Err(TrustMarkError::Id(..))
        ));
        // Expired.
        let old = mark(&pair, claims(OP, OP_PUBLIC, NOW - 120), "trust-mark+jwt");
        assert_eq!(verify(OP_PUBLIC, &old, OP, &keys, NOW), Err(TrustMarkError::Expired(OP_PUBLIC.into())));
        // Not yet issued, or with no time of issue.
        let later = mark(&pair, json!({ "iss": TA, "sub": OP, "id": OP_PUBLIC, "iat": NOW + 3600 }), "trust-mark+jwt");
        assert_eq!(verify(OP_PUBLIC, &later, OP, &keys, NOW), Err(TrustMarkError::Issued(OP_PUBLIC.into())));
        let timeless = mark(&pair, json!({ "iss": TA, "sub": OP, "id": OP_PUBLIC }), "trust-mark+jwt");
        assert_eq!(verify(OP_PUBLIC, &timeless, OP, &keys, NOW), Err(TrustMarkError::Issued(OP_PUBLIC.into())));
        // Signed by someone else under the issuer's key name, or of another type.
        let (other, _) = key();
        let forged = mark(&other, claims(OP, OP_PUBLIC, NOW + 600), "trust-mark+jwt");
        assert_eq!(
            verify(OP_PUBLIC, &forged, OP, &keys, NOW),
            Err(TrustMarkError::Jws(OP_PUBLIC.into(), JwsError::Signature))
        );
        let statement = mark(&pair, claims(OP, OP_PUBLIC, NOW + 600), "entity-statement+jwt");
        assert!(matches!(
            verify(OP_PUBLIC, &statement, OP, &keys, NOW),
            Err(TrustMarkError::Jws(_, JwsError::WrongType(_)))
        ));
    }

    #[test]
    fn the_anchor_says_who_may_issue_a_mark_and_an_entity_lists_its_marks() {
        let anchor = json!({ "trust_mark_issuers": { OP_PUBLIC: ["https://registry.spid.gov.it"] } });
        let anchor = anchor.as_object().expect("map");
        assert_eq!(issuers_allowed(anchor, TA, OP_PUBLIC), ["https://registry.spid.gov.it"]);
        assert_eq!(issuers_allowed(anchor, TA, "https://other/"), [TA], "none named: the anchor itself");
        let ec = json!({ "trust_marks": [
            { "id": OP_PUBLIC, "trust_mark": "a.b.c" },
            { "trust_mark_id": "https://x/", "trust_mark": "d.e.f" },
            { "trust_mark": "no-id" },
        ] });
        assert_eq!(
            listed(ec.as_object().expect("map")),
            [(OP_PUBLIC.to_string(), "a.b.c".to_string()), ("https://x/".to_string(), "d.e.f".to_string())]
        );
    }
}
