//! Trust chains (OpenID Federation 1.0, section 10): why the portal may
//! believe what an OpenID Provider says about itself. A chain is the
//! provider's own entity configuration, then the statement each superior
//! issued about the entity below it, up to a trust anchor whose keys the
//! portal was given out of band. Each link must be signed by the keys the
//! link above asserts for its issuer, name the entity below it, and be in
//! force; the provider's metadata is then shaped by the superiors' metadata
//! policies, applied as the specification says (merged from the anchor
//! down, then applied). Fetching the statements, caching chains until their
//! earliest expiry and checking trust marks come with the sign-in.
use super::jws::{self, JwsError};
use josekit::jwk::JwkSet;
use josekit::jwt::JwtPayload;
use serde_json::{Map, Value};

/// Clock skew allowed between the federation's machines and ours.
pub(super) const LEEWAY_SECS: i64 = 60;

/// Why a chain does not hold: said in the log, and on the page as a kind.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ChainError {
    #[error("statement {0} is not a signed entity statement: {1}")]
    Malformed(usize, String),
    #[error("statement {0} is of type {1:?}, not entity-statement+jwt")]
    WrongType(usize, Option<String>),
    #[error("statement {0} is signed with {1:?}, which is not allowed")]
    Algorithm(usize, Option<String>),
    #[error("statement {0} is signed by key {1:?}, not one its superior asserts")]
    UnknownKey(usize, Option<String>),
    #[error("statement {0}: the signature does not hold")]
    Signature(usize),
    #[error("statement {0} expired or is not yet valid")]
    Time(usize),
    #[error("statement {0} names {1:?} where {2:?} was expected")]
    Link(usize, Option<String>, String),
    #[error("the chain ends at {0:?}, which is not a configured trust anchor")]
    UnknownAnchor(Option<String>),
    #[error("the chain is empty or has no superior")]
    TooShort,
    #[error("the metadata policy cannot be applied: {0}")]
    Policy(String),
    #[error("no {0} metadata")]
    NoMetadata(&'static str),
    #[error("statement {0} allows at most {1} intermediaries below its issuer")]
    PathLength(usize, i64),
    #[error("statement {0}'s constraints: {1}")]
    Constraint(usize, String),
}

/// A trust anchor as configured: its entity identifier and its keys.
#[derive(Clone, Debug)]
pub struct TrustAnchor {
    pub entity_id: String,
    pub jwks: JwkSet,
}

/// A chain that holds: whom it is about, the metadata of the asked type
/// after the policies, and until when it may be believed (the earliest
/// expiry of its statements).
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    pub subject: String,
    pub anchor: String,
    pub metadata: Map<String, Value>,
    pub expires_at: i64,
}

/// Checks `statements` (the subject's entity configuration first, then each
/// superior's statement about the one before, the last issued by a trust
/// anchor) at `now`, and gives the subject's `entity_type` metadata.
pub fn resolve(
    statements: &[String],
    anchors: &[TrustAnchor],
    entity_type: &'static str,
    now: i64,
) -> Result<Resolved, ChainError> {
    if statements.len() < 2 {
        return Err(ChainError::TooShort);
    }
    let decoded: Vec<Map<String, Value>> =
        statements.iter().enumerate().map(|(i, s)| unverified(i, s)).collect::<Result<_, _>>()?;
    let subject = text(&decoded[0], "sub");
    if text(&decoded[0], "iss") != subject {
        return Err(ChainError::Link(0, text(&decoded[0], "iss"), subject.unwrap_or_default()));
    }
    // Each statement is signed with the keys the one above asserts for its issuer.
    let last = statements.len() - 1;
    let anchor_id = text(&decoded[last], "iss");
    let anchor = anchors
        .iter()
        .find(|a| Some(&a.entity_id) == anchor_id.as_ref())
        .ok_or_else(|| ChainError::UnknownAnchor(anchor_id.clone()))?;
    // The subject's configuration is also signed by its own keys.
    verified(0, &statements[0], &jwks_of(&decoded[0], 0)?, now)?;
    let mut payloads = Vec::with_capacity(statements.len());
    for (i, jwt) in statements.iter().enumerate() {
        let keys = match i {
            i if i == last => anchor.jwks.clone(),
            i => jwks_of(&decoded[i + 1], i + 1)?,
        };
        payloads.push(verified(i, jwt, &keys, now)?);
    }
    // Each superior's statement is about the entity below it, and the
    // chain is no longer below its issuer than its constraints allow (the
    // issuer of statement i has i - 1 intermediaries under it down to the subject).
    for i in 1..=last {
        let below = text(&decoded[i - 1], "iss").unwrap_or_default();
        if text(&decoded[i], "sub").as_deref() != Some(below.as_str()) {
            return Err(ChainError::Link(i, text(&decoded[i], "sub"), below));
        }
        let constraints = decoded[i].get("constraints");
        let max = constraints.and_then(|c| c.get("max_path_length")).and_then(Value::as_i64);
        if let Some(max) = max.filter(|&max| i64::try_from(i - 1).unwrap_or(i64::MAX) > max) {
            return Err(ChainError::PathLength(i, max));
        }
        // Section 6.2.2: what the leaf may be.
        if let Some(allowed) = constraints.and_then(|c| c.get("allowed_leaf_entity_types")).and_then(Value::as_array) {
            if !allowed.iter().any(|t| t.as_str() == Some(entity_type)) {
                return Err(ChainError::Constraint(i, format!("a leaf may not be {entity_type}")));
            }
        }
        // Section 6.2.1: the names below the issuer.
        if let Some(naming) = constraints.and_then(|c| c.get("naming_constraints")) {
            for below in &decoded[..i] {
                let name = text(below, "sub").unwrap_or_default();
                if !named_within(&name, naming) {
                    return Err(ChainError::Constraint(i, format!("{name} is outside its naming constraints")));
                }
            }
        }
        // Section 6.1.4: operators a superior says must be understood.
        if let Some(crit) = decoded[i].get("metadata_policy_crit").and_then(Value::as_array) {
            if let Some(unknown) = crit.iter().filter_map(Value::as_str).find(|op| !POLICY_OPERATORS.contains(op)) {
                return Err(ChainError::Policy(format!("statement {i} needs the unknown operator {unknown}")));
            }
        }
    }
    let mut metadata = decoded[0]
        .get("metadata")
        .and_then(|m| m.get(entity_type))
        .and_then(Value::as_object)
        .cloned()
        .ok_or(ChainError::NoMetadata(entity_type))?;
    // Section 6.1.2: values the immediate superior sets in its own statement
    // replace the subject's, before the policies apply.
    if let Some(set) = decoded[1].get("metadata").and_then(|m| m.get(entity_type)).and_then(Value::as_object) {
        metadata.extend(set.clone());
    }
    let metadata = apply_policies(&decoded[1..], entity_type, metadata)?;
    let expires_at =
        payloads.iter().filter_map(|p: &JwtPayload| p.claim("exp").and_then(Value::as_i64)).min().unwrap_or(now);
    Ok(Resolved { subject: subject.unwrap_or_default(), anchor: anchor.entity_id.clone(), metadata, expires_at })
}

/// The metadata policy operators of OpenID Federation 1.0 (section 6.1.3.1),
/// all of which the policy library applies.
const POLICY_OPERATORS: [&str; 7] = ["value", "add", "default", "one_of", "subset_of", "superset_of", "essential"];

/// Whether the entity id `name` is within `naming` (`permitted` and
/// `excluded` host names; one starting with a dot means any name under it).
fn named_within(name: &str, naming: &Value) -> bool {
    let host = url::Url::parse(name).ok().and_then(|u| u.host_str().map(str::to_ascii_lowercase)).unwrap_or_default();
    let matches = |c: &Value| {
        let c = c.as_str().unwrap_or_default().to_ascii_lowercase();
        match c.strip_prefix('.') {
            Some(_) => host.ends_with(&c),
            None => host == c,
        }
    };
    let list = |key: &str| naming.get(key).and_then(Value::as_array).cloned();
    let permitted = list("permitted").is_none_or(|p| p.iter().any(matches));
    let excluded = list("excluded").is_some_and(|e| e.iter().any(matches));
    permitted && !excluded
}

/// The superiors' policies for `entity_type`, merged from the anchor down,
/// applied to `metadata`. The policy library unwraps on shapes it does not
/// expect (a list claim given as a string): its panic is a refusal here,
/// never a crashed request.
fn apply_policies(
    superiors: &[Map<String, Value>],
    entity_type: &str,
    metadata: Map<String, Value>,
) -> Result<Map<String, Value>, ChainError> {
    let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        apply_policies_unguarded(superiors, entity_type, metadata)
    }));
    applied.unwrap_or_else(|_| Err(ChainError::Policy("a policy or metadata of an unexpected shape".into())))
}

fn apply_policies_unguarded(
    superiors: &[Map<String, Value>],
    entity_type: &str,
    metadata: Map<String, Value>,
) -> Result<Map<String, Value>, ChainError> {
    let mut merged = Value::Object(Map::new());
    for statement in superiors.iter().rev() {
        let Some(policy) = statement.get("metadata_policy") else { continue };
        let combined = oidfed_metadata_policy::merge_policies(&merged, policy);
        merged = Value::Object(combined.map_err(|e| ChainError::Policy(e.to_string()))?);
    }
    let policy = merged.get(entity_type).and_then(Value::as_object).cloned().unwrap_or_default();
    oidfed_metadata_policy::apply_policy_on_metadata(policy, &metadata).map_err(|e| ChainError::Policy(e.to_string()))
}

fn text(claims: &Map<String, Value>, name: &str) -> Option<String> {
    claims.get(name).and_then(Value::as_str).map(str::to_string)
}

/// Statement `i`'s claims, read before checking them.
fn unverified(i: usize, jwt: &str) -> Result<Map<String, Value>, ChainError> {
    jws::unverified(jwt).map_err(|e| ChainError::at(i, e))
}

/// The keys statement `i` asserts for its subject.
fn jwks_of(claims: &Map<String, Value>, i: usize) -> Result<JwkSet, ChainError> {
    jws::jwks_of(claims).map_err(|e| ChainError::at(i, e))
}

/// A statement outside a chain (an anchor's own configuration, its statement
/// about a trust mark issuer), if signed by one of `keys`, issued by `iss`
/// about `sub`, and in force at `now`.
pub(super) fn statement(
    jwt: &str,
    keys: &JwkSet,
    iss: &str,
    sub: &str,
    now: i64,
) -> Result<Map<String, Value>, ChainError> {
    let payload = verified(0, jwt, keys, now)?;
    let claims = payload.claims_set();
    for (name, expected) in [("iss", iss), ("sub", sub)] {
        let found = text(claims, name);
        if found.as_deref() != Some(expected) {
            return Err(ChainError::Link(0, found, expected.to_string()));
        }
    }
    Ok(claims.clone())
}

/// Statement `i`, if signed by one of `keys` and in force at `now`.
fn verified(i: usize, jwt: &str, keys: &JwkSet, now: i64) -> Result<JwtPayload, ChainError> {
    let payload = jws::verified(jwt, keys, "entity-statement+jwt").map_err(|e| ChainError::at(i, e))?;
    let (iat, exp) = (payload.claim("iat").and_then(Value::as_i64), payload.claim("exp").and_then(Value::as_i64));
    match (iat, exp) {
        (Some(iat), Some(exp)) if iat <= now + LEEWAY_SECS && now < exp + LEEWAY_SECS => Ok(payload),
        _ => Err(ChainError::Time(i)),
    }
}

impl ChainError {
    fn at(i: usize, e: JwsError) -> ChainError {
        match e {
            JwsError::Malformed(why) => ChainError::Malformed(i, why),
            JwsError::WrongType(typ) => ChainError::WrongType(i, typ),
            JwsError::Algorithm(alg) => ChainError::Algorithm(i, alg),
            JwsError::UnknownKey(kid) => ChainError::UnknownKey(i, kid),
            JwsError::Signature => ChainError::Signature(i),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{resolve, ChainError, TrustAnchor};
    use josekit::jwk::alg::rsa::RsaKeyPair;
    use josekit::jwk::{Jwk, JwkSet, KeyPair as _};
    use josekit::jws::{JwsHeader, RS256};
    use josekit::jwt::JwtPayload;
    use serde_json::{json, Value};

    const NOW: i64 = 1_800_000_000;
    const TA: &str = "https://ta.example.it";
    const OP: &str = "https://op.example.it";

    struct Key {
        pair: RsaKeyPair,
        kid: &'static str,
    }

    impl Key {
        fn new(kid: &'static str) -> Key {
            Key { pair: RsaKeyPair::generate(2048).expect("key"), kid }
        }

        fn public(&self) -> Value {
            let mut jwk: Jwk = self.pair.to_jwk_public_key();
            jwk.set_key_id(self.kid);
            Value::Object(jwk.as_ref().clone())
        }

        fn jwks(&self) -> Value {
            json!({ "keys": [self.public()] })
        }

        fn sign_as(&self, claims: Value, typ: &str, kid: &str) -> String {
            let mut header = JwsHeader::new();
            header.set_token_type(typ);
            header.set_key_id(kid);
            let Value::Object(map) = claims else { panic!("claims are an object") };
            let payload = JwtPayload::from_map(map).expect("payload");
            let signer = RS256.signer_from_jwk(&self.pair.to_jwk_private_key()).expect("signer");
            josekit::jwt::encode_with_signer(&payload, &header, &signer).expect("signed")
        }

        fn sign(&self, claims: Value) -> String {
            self.sign_as(claims, "entity-statement+jwt", self.kid)
        }
    }

    struct Federation {
        ta: Key,
        op: Key,
    }

    fn federation() -> Federation {
        Federation { ta: Key::new("ta-1"), op: Key::new("op-1") }
    }

    impl Federation {
        fn anchors(&self) -> Vec<TrustAnchor> {
            let jwks = JwkSet::from_map(self.ta.jwks().as_object().expect("jwks").clone()).expect("set");
            vec![TrustAnchor { entity_id: TA.into(), jwks }]
        }

        fn configuration(&self, exp: i64) -> String {
            self.op.sign(json!({
                "iss": OP, "sub": OP, "iat": NOW - 10, "exp": exp, "jwks": self.op.jwks(),
                "authority_hints": [TA],
                "metadata": { "openid_provider": {
                    "issuer": OP,
                    "id_token_signing_alg_values_supported": ["RS256", "ES256"],
                    "acr_values_supported": ["https://www.spid.gov.it/SpidL1", "https://www.spid.gov.it/SpidL2"],
                } },
            }))
        }

        fn statement(&self, policy: Value, exp: i64) -> String {
            self.ta.sign(json!({
                "iss": TA, "sub": OP, "iat": NOW - 10, "exp": exp, "jwks": self.op.jwks(), "metadata_policy": policy,
            }))
        }
    }

    #[test]
    fn a_chain_to_a_configured_anchor_holds_until_its_earliest_expiry_with_the_policy_applied() {
        let f = federation();
        let policy = json!({ "openid_provider": {
            "id_token_signing_alg_values_supported": { "subset_of": ["RS256", "RS512"] },
            "contacts": { "add": ["ops@ta.example.it"] },
        } });
        let chain = [f.configuration(NOW + 3600), f.statement(policy, NOW + 600)];
        let resolved = resolve(&chain, &f.anchors(), "openid_provider", NOW).expect("the chain holds");
        assert_eq!((resolved.subject.as_str(), resolved.anchor.as_str()), (OP, TA));
        assert_eq!(resolved.expires_at, NOW + 600, "the earliest expiry");
        assert_eq!(resolved.metadata["id_token_signing_alg_values_supported"], json!(["RS256"]));
        assert_eq!(resolved.metadata["contacts"], json!(["ops@ta.example.it"]));
    }

    #[test]
    fn each_broken_link_is_refused_for_its_own_reason() {
        let f = federation();
        let (good, statement) = (f.configuration(NOW + 3600), f.statement(json!({}), NOW + 600));
        let anchors = f.anchors();
        let check = |chain: &[String]| resolve(chain, &anchors, "openid_provider", NOW).map(|_| ());
        assert_eq!(check(&[good.clone(), statement.clone()]), Ok(()));
        // Outside the anchor: the same statement signed by another authority.
        let stranger = Key::new("ta-1");
        let foreign = stranger.sign(json!({ "iss": TA, "sub": OP, "iat": NOW, "exp": NOW + 600, "jwks": f.op.jwks() }));
        assert_eq!(check(&[good.clone(), foreign]), Err(ChainError::Signature(1)));
        let elsewhere = stranger.sign(
            json!({ "iss": "https://other.example.it", "sub": OP, "iat": NOW, "exp": NOW + 600, "jwks": f.op.jwks() }),
        );
        assert!(matches!(check(&[good.clone(), elsewhere]), Err(ChainError::UnknownAnchor(_))));
        // Expired, and not yet valid.
        assert_eq!(check(&[f.configuration(NOW - 120), statement.clone()]), Err(ChainError::Time(0)));
        assert_eq!(check(&[good.clone(), f.statement(json!({}), NOW - 120)]), Err(ChainError::Time(1)));
        // Tampered: one character of the claims changed.
        let mut parts: Vec<String> = good.split('.').map(str::to_string).collect();
        parts[1] = parts[1].replacen('e', "f", 1);
        assert!(matches!(
            check(&[parts.join("."), statement.clone()]),
            Err(ChainError::Signature(0) | ChainError::Malformed(0, _))
        ));
        // The provider's configuration signed by a key its superior does not assert.
        let rogue = Key::new("op-1");
        let impostor = rogue.sign(json!({ "iss": OP, "sub": OP, "iat": NOW, "exp": NOW + 600, "jwks": rogue.jwks(),
            "metadata": { "openid_provider": { "issuer": OP } } }));
        assert_eq!(check(&[impostor, statement.clone()]), Err(ChainError::Signature(0)));
        let unnamed = f.op.sign_as(
            json!({ "iss": OP, "sub": OP, "iat": NOW, "exp": NOW + 600, "jwks": f.op.jwks() }),
            "entity-statement+jwt",
            "op-2",
        );
        assert_eq!(check(&[unnamed, statement.clone()]), Err(ChainError::UnknownKey(0, Some("op-2".into()))));
        // A statement about someone else, and a JWT of another type.
        let about_other = f.ta.sign(json!({ "iss": TA, "sub": "https://other-op.example.it", "iat": NOW, "exp": NOW + 600, "jwks": f.op.jwks() }));
        assert!(matches!(check(&[good.clone(), about_other]), Err(ChainError::Link(1, _, _))));
        let id_token = f.op.sign_as(
            json!({ "iss": OP, "sub": OP, "iat": NOW, "exp": NOW + 600, "jwks": f.op.jwks() }),
            "JWT",
            "op-1",
        );
        assert!(matches!(check(&[id_token, statement.clone()]), Err(ChainError::WrongType(0, _))));
        // alg none: no key verifies it.
        let none = format!(
            "{}.{}.",
            b64(r#"{"alg":"none","typ":"entity-statement+jwt","kid":"op-1"}"#),
            good.split('.').nth(1).unwrap_or("")
        );
        assert!(matches!(check(&[none, statement.clone()]), Err(ChainError::Algorithm(0, _))));
        // No superior at all.
        assert_eq!(check(&[good]), Err(ChainError::TooShort));
    }

    #[test]
    fn an_intermediary_is_allowed_only_as_deep_as_the_anchor_says() {
        let f = federation();
        let int = Key::new("int-1");
        const INT: &str = "https://sa.example.it";
        let by_int = int.sign(json!({ "iss": INT, "sub": OP, "iat": NOW - 10, "exp": NOW + 600, "jwks": f.op.jwks() }));
        let about_int = |constraints: Value| {
            f.ta.sign(json!({ "iss": TA, "sub": INT, "iat": NOW - 10, "exp": NOW + 600, "jwks": int.jwks(), "constraints": constraints }))
        };
        let chain = |constraints| [f.configuration(NOW + 3600), by_int.clone(), about_int(constraints)];
        let anchors = f.anchors();
        assert!(resolve(&chain(json!({ "max_path_length": 1 })), &anchors, "openid_provider", NOW).is_ok());
        assert_eq!(
            resolve(&chain(json!({ "max_path_length": 0 })), &anchors, "openid_provider", NOW),
            Err(ChainError::PathLength(2, 0))
        );
    }

    #[test]
    fn a_superiors_constraints_overrides_and_critical_operators_are_honoured() {
        let f = federation();
        let anchors = f.anchors();
        let with = |extra: Value| {
            let mut claims = json!({ "iss": TA, "sub": OP, "iat": NOW - 10, "exp": NOW + 600, "jwks": f.op.jwks() });
            claims.as_object_mut().expect("object").extend(extra.as_object().expect("object").clone());
            let chain = [f.configuration(NOW + 3600), f.ta.sign(claims)];
            resolve(&chain, &anchors, "openid_provider", NOW)
        };
        let leaf_types = |types: Value| json!({ "constraints": { "allowed_leaf_entity_types": types } });
        assert!(with(leaf_types(json!(["openid_provider"]))).is_ok());
        assert!(matches!(with(leaf_types(json!(["openid_relying_party"]))), Err(ChainError::Constraint(1, _))));
        let naming = |n: Value| json!({ "constraints": { "naming_constraints": n } });
        assert!(with(naming(json!({ "permitted": [".example.it"] }))).is_ok());
        assert!(matches!(with(naming(json!({ "permitted": [".example.org"] }))), Err(ChainError::Constraint(1, _))));
        assert!(matches!(
            with(naming(json!({ "permitted": [".example.it"], "excluded": ["op.example.it"] }))),
            Err(ChainError::Constraint(1, _))
        ));
        // The superior's own values replace the provider's, then its policy applies.
        let set = with(json!({
            "metadata": { "openid_provider": { "acr_values_supported": ["https://www.spid.gov.it/SpidL2"] } },
            "metadata_policy": { "openid_provider": { "acr_values_supported": {
                "subset_of": ["https://www.spid.gov.it/SpidL1", "https://www.spid.gov.it/SpidL2"] } } },
        }))
        .expect("holds");
        assert_eq!(set.metadata["acr_values_supported"], json!(["https://www.spid.gov.it/SpidL2"]));
        assert!(with(json!({ "metadata_policy_crit": ["subset_of"] })).is_ok());
        assert!(matches!(with(json!({ "metadata_policy_crit": ["regexp"] })), Err(ChainError::Policy(_))));
    }

    #[test]
    fn a_statement_outside_a_chain_is_checked_like_a_link() {
        let f = federation();
        let about = |sub: &str, exp: i64| {
            f.ta.sign(json!({ "iss": TA, "sub": sub, "iat": NOW - 10, "exp": exp, "jwks": f.op.jwks() }))
        };
        let keys = &f.anchors()[0].jwks;
        assert!(super::statement(&about(OP, NOW + 600), keys, TA, OP, NOW).is_ok());
        assert!(matches!(
            super::statement(&about("https://x.example.it", NOW + 600), keys, TA, OP, NOW),
            Err(ChainError::Link(..))
        ));
        assert!(matches!(
            super::statement(&about(OP, NOW + 600), keys, "https://other-ta.example.it", OP, NOW),
            Err(ChainError::Link(..))
        ));
        assert_eq!(super::statement(&about(OP, NOW - 120), keys, TA, OP, NOW), Err(ChainError::Time(0)));
    }

    #[test]
    fn metadata_the_policy_forbids_breaks_the_chain() {
        let f = federation();
        let policy = json!({ "openid_provider": {
            "id_token_signing_alg_values_supported": { "superset_of": ["PS256"] },
        } });
        let chain = [f.configuration(NOW + 3600), f.statement(policy, NOW + 600)];
        assert!(matches!(resolve(&chain, &f.anchors(), "openid_provider", NOW), Err(ChainError::Policy(_))));
        let essential = json!({ "openid_provider": { "revocation_endpoint": { "essential": true } } });
        let chain = [f.configuration(NOW + 3600), f.statement(essential, NOW + 600)];
        assert!(matches!(resolve(&chain, &f.anchors(), "openid_provider", NOW), Err(ChainError::Policy(_))));
    }

    #[test]
    fn metadata_of_a_shape_the_policy_does_not_expect_is_refused_not_a_crash() {
        let f = federation();
        let policy = json!({ "openid_provider": { "contacts": { "add": ["ops@ta.example.it"] } } });
        let odd = f.op.sign(json!({
            "iss": OP, "sub": OP, "iat": NOW - 10, "exp": NOW + 600, "jwks": f.op.jwks(),
            "metadata": { "openid_provider": { "issuer": OP, "contacts": "not a list" } },
        }));
        let chain = [odd, f.statement(policy, NOW + 600)];
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let outcome = resolve(&chain, &f.anchors(), "openid_provider", NOW);
        std::panic::set_hook(previous);
        assert!(matches!(outcome, Err(ChainError::Policy(_))), "{outcome:?}");
    }

    fn b64(s: &str) -> String {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
    }
}
