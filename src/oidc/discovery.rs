//! Finding a provider's trust chain (OpenID Federation 1.0, section 10.1):
//! its entity configuration names its superiors (`authority_hints`); each
//! superior's configuration names its fetch endpoint, which gives the
//! statement it issues about the provider. A superior that is a configured
//! trust anchor ends the chain; the technical rules allow one intermediary
//! (a soggetto aggregatore) below it. What is fetched is only believed once
//! [`super::chain::resolve`] has checked it all against the anchor's keys.
//! Blocking: call it off the async threads.
use super::chain::{self, ChainError, Resolved, TrustAnchor};
use super::jws;
use super::trust_marks::{self, Mark, TrustMarkError};
use josekit::jwk::JwkSet;
use serde_json::Value;
use std::time::Duration;

/// The technical rules: a provider under an anchor, or under one
/// intermediary under it.
const MAX_INTERMEDIARIES: usize = 1;

#[derive(Debug, thiserror::Error)]
pub enum DiscoveryError {
    #[error("{url}: {reason}")]
    Fetch { url: String, reason: String },
    #[error("{0} names no superior that leads to a configured trust anchor")]
    NoPath(String),
    #[error(transparent)]
    Chain(#[from] ChainError),
    #[error(transparent)]
    TrustMark(#[from] TrustMarkError),
}

/// The trust anchors the portal believes, read from `SL_OIDC_TRUST_ANCHORS`:
/// a JSON list of `{"entity_id": …, "jwks": {"keys": […]}}`.
pub fn anchors_from_json(text: &[u8]) -> Result<Vec<TrustAnchor>, String> {
    let list: Vec<Value> = serde_json::from_slice(text).map_err(|e| e.to_string())?;
    list.into_iter()
        .map(|a| {
            let entity_id = a["entity_id"].as_str().ok_or("an anchor without entity_id")?.to_string();
            let jwks = a["jwks"].as_object().ok_or("an anchor without jwks")?.clone();
            let jwks = JwkSet::from_map(jwks).map_err(|e| e.to_string())?;
            Ok(TrustAnchor { entity_id, jwks })
        })
        .collect()
}

/// What the portal trusts: the anchors, the trust marks that make an entity
/// what it claims to be, and whether only https may be fetched (production).
#[derive(Clone, Copy, Debug)]
pub struct Trust<'a> {
    pub anchors: &'a [TrustAnchor],
    /// At least one of these marks must hold (trust marks are the
    /// federation's first filter: a member that is only a Relying Party has
    /// no provider's mark, whatever metadata it publishes).
    pub required_marks: &'a [String],
    pub https_only: bool,
}

/// At most this many superiors are asked about an entity: a few is what the
/// federations have; more is someone making the portal fetch for them.
const MAX_HINTS: usize = 4;

/// How the portal speaks to federation members: no redirects (an entity's
/// statements and endpoints are at the addresses it is named by), ten
/// seconds at most, https only in production; an error status is an error.
pub fn agent(https_only: bool) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(true)
        .https_only(https_only)
        .max_redirects(0)
        .build()
        .new_agent()
}

/// The chain of `subject` (an entity identifier) to one of the anchors,
/// checked at `now` for its `entity_type` metadata, and the required trust
/// marks it carries that hold (at least one must).
pub fn resolve(
    trust: Trust,
    subject: &str,
    entity_type: &'static str,
    now: i64,
) -> Result<(Resolved, Vec<Mark>), DiscoveryError> {
    let agent = agent(trust.https_only);
    let configuration = get(&agent, &well_known(subject))?;
    let mut last_error = None;
    for chain in paths(&agent, subject, &configuration, trust.anchors, 0, now) {
        match chain::resolve(&chain, trust.anchors, entity_type, now) {
            Ok(resolved) if resolved.subject != subject => {
                last_error = Some(ChainError::Link(0, Some(resolved.subject), subject.to_string()));
            }
            Ok(resolved) => {
                let anchor =
                    trust.anchors.iter().find(|a| a.entity_id == resolved.anchor).ok_or(ChainError::TooShort)?;
                let marks = marks_that_hold(&agent, trust, subject, &configuration, anchor, now)?;
                return Ok((resolved, marks));
            }
            Err(e) => last_error = Some(e),
        }
    }
    Err(last_error.map_or_else(|| DiscoveryError::NoPath(subject.to_string()), DiscoveryError::Chain))
}

/// The required marks `subject`'s configuration (already checked as the
/// chain's first link) lists that hold: issued by whom the anchor allows,
/// signed, about it, in time, and still active at their issuer's status
/// endpoint.
fn marks_that_hold(
    agent: &ureq::Agent,
    trust: Trust,
    subject: &str,
    configuration: &str,
    anchor: &TrustAnchor,
    now: i64,
) -> Result<Vec<Mark>, DiscoveryError> {
    let anchor_jwt = get(agent, &well_known(&anchor.entity_id))?;
    let anchor_claims = chain::statement(&anchor_jwt, &anchor.jwks, &anchor.entity_id, &anchor.entity_id, now)?;
    let own = jws::unverified(configuration).map_err(|e| ChainError::Malformed(0, e.to_string()))?;
    let (mut held, mut refused) = (Vec::new(), None);
    for (id, jwt) in trust_marks::listed(&own).into_iter().filter(|(id, _)| trust.required_marks.contains(id)) {
        match mark_holds(agent, subject, &id, &jwt, anchor, &anchor_claims, now) {
            Ok(mark) => held.push(mark),
            Err(e) => {
                tracing::warn!(subject, error = %e, "a trust mark does not hold");
                refused = Some(e);
            }
        }
    }
    match (held.is_empty(), refused) {
        (false, _) => Ok(held),
        (true, Some(e)) => Err(e),
        (true, None) => Err(TrustMarkError::Missing(subject.to_string()).into()),
    }
}

/// An endpoint of a statement's `federation_entity` metadata.
fn endpoint<'a>(claims: &'a serde_json::Map<String, Value>, name: &str) -> Option<&'a str> {
    claims.get("metadata")?.get("federation_entity")?.get(name)?.as_str()
}

fn mark_holds(
    agent: &ureq::Agent,
    subject: &str,
    id: &str,
    jwt: &str,
    anchor: &TrustAnchor,
    anchor_claims: &serde_json::Map<String, Value>,
    now: i64,
) -> Result<Mark, DiscoveryError> {
    let allowed = trust_marks::issuers_allowed(anchor_claims, &anchor.entity_id, id);
    let Some(issuer) = trust_marks::issuer_of(jwt).filter(|i| allowed.contains(i)) else {
        return Err(TrustMarkError::Issuer(id.into(), trust_marks::issuer_of(jwt)).into());
    };
    // The issuer's keys and status endpoint: the anchor's own, or those the
    // anchor's statement about the issuer asserts (checked like a link).
    let (keys, issuer_claims) = if issuer == anchor.entity_id {
        (anchor.jwks.clone(), anchor_claims.clone())
    } else {
        let fetch = endpoint(anchor_claims, "federation_fetch_endpoint")
            .ok_or_else(|| TrustMarkError::Unreachable(id.into(), "the anchor has no fetch endpoint".into()))?;
        let statement = get(agent, &with_sub(fetch, &issuer))?;
        let about = chain::statement(&statement, &anchor.jwks, &anchor.entity_id, &issuer, now)?;
        let keys = jws::jwks_of(&about).map_err(|e| TrustMarkError::Jws(id.into(), e))?;
        let own = get(agent, &well_known(&issuer))?;
        (keys.clone(), chain::statement(&own, &keys, &issuer, &issuer, now)?)
    };
    let mark = trust_marks::verify(id, jwt, subject, &keys, now)?;
    let Some(status) = endpoint(&issuer_claims, "federation_trust_mark_status_endpoint") else {
        return Err(TrustMarkError::Unreachable(id.into(), "no trust mark status endpoint".into()).into());
    };
    let unreachable = |e: String| TrustMarkError::Unreachable(id.into(), e);
    match agent.post(status).send_form([("trust_mark", jwt)]) {
        Ok(mut answer) => {
            let body = answer.body_mut().with_config().limit(256 * 1024).read_to_string();
            match status_is_active(&body.map_err(|e| unreachable(e.to_string()))?, jwt, &issuer, &keys, now) {
                true => Ok(mark),
                false => Err(TrustMarkError::Revoked(id.into()).into()),
            }
        }
        Err(ureq::Error::StatusCode(404)) => Err(TrustMarkError::Revoked(id.into()).into()),
        Err(e) => Err(unreachable(e.to_string()).into()),
    }
}

/// How old a status answer may be: it is asked for now, so it is made now.
const STATUS_FRESH_SECS: i64 = 300;

/// A status answer that says the mark is active: a JWT of type
/// `trust-mark-status-response+jwt` signed by the mark's issuer, about this
/// very mark, made just now (OpenID Federation 1.0, 8.4.2). An unsigned
/// answer proves nothing: anyone on the way could have written it.
fn status_is_active(body: &str, mark: &str, issuer: &str, issuer_keys: &JwkSet, now: i64) -> bool {
    let Ok(payload) = jws::verified(body.trim(), issuer_keys, "trust-mark-status-response+jwt") else {
        return false;
    };
    let claim = |name| payload.claim(name).and_then(Value::as_str);
    let fresh = payload
        .claim("iat")
        .and_then(Value::as_i64)
        .is_some_and(|iat| (now - STATUS_FRESH_SECS..=now + chain::LEEWAY_SECS).contains(&iat));
    claim("status") == Some("active") && claim("trust_mark") == Some(mark) && claim("iss") == Some(issuer) && fresh
}

/// `endpoint` asked about `sub`.
fn with_sub(endpoint: &str, sub: &str) -> String {
    let separator = if endpoint.contains('?') { '&' } else { '?' };
    format!("{endpoint}{separator}sub={}", url::form_urlencoded::byte_serialize(sub.as_bytes()).collect::<String>())
}

/// Every chain from `subject` (whose configuration is `configuration`) up to
/// a configured anchor, each as [`chain::resolve`] takes it. A superior that
/// cannot be reached is passed over (another may lead to an anchor).
fn paths(
    agent: &ureq::Agent,
    subject: &str,
    configuration: &str,
    anchors: &[TrustAnchor],
    depth: usize,
    now: i64,
) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for hint in claim_list(configuration, "authority_hints").into_iter().take(MAX_HINTS) {
        let is_anchor = anchors.iter().any(|a| a.entity_id == hint);
        // An intermediary is contacted only once an anchor vouches for it: an
        // entity's hints are its own say, and could name any address.
        if !is_anchor && (depth >= MAX_INTERMEDIARIES || !vouched_for(agent, anchors, &hint, now)) {
            tracing::warn!(subject, superior = %hint, "a superior no configured anchor vouches for is not asked");
            continue;
        }
        let fetched = get(agent, &well_known(&hint)).and_then(|superior| {
            let claims = jws::unverified(&superior).unwrap_or_default();
            let fetch = endpoint(&claims, "federation_fetch_endpoint").map(str::to_string);
            let statement = match fetch {
                Some(fetch) => Some(get(agent, &with_sub(&fetch, subject))?),
                None => None,
            };
            Ok((superior, statement))
        });
        let (superior, Some(statement)) = (match fetched {
            Ok(found) => found,
            Err(e) => {
                tracing::warn!(subject, superior = %hint, error = %e, "a superior cannot be reached");
                continue;
            }
        }) else {
            continue;
        };
        if is_anchor {
            found.push(vec![configuration.to_string(), statement]);
        } else {
            for above in paths(agent, &hint, &superior, anchors, depth + 1, now) {
                // The intermediary's own configuration is not a link: its statement is.
                let mut chain = vec![configuration.to_string(), statement.clone()];
                chain.extend(above.into_iter().skip(1));
                found.push(chain);
            }
        }
    }
    found
}

/// Whether one of `anchors` has issued a statement about `entity` (its
/// configuration checked with the anchor's configured keys, then the
/// statement its fetch endpoint gives, signed by it, about that entity).
fn vouched_for(agent: &ureq::Agent, anchors: &[TrustAnchor], entity: &str, now: i64) -> bool {
    anchors.iter().any(|anchor| {
        let id = &anchor.entity_id;
        let vouched =
            get(agent, &well_known(id)).ok().and_then(|jwt| chain::statement(&jwt, &anchor.jwks, id, id, now).ok());
        let fetch = vouched.as_ref().and_then(|c| endpoint(c, "federation_fetch_endpoint")).map(str::to_string);
        fetch
            .and_then(|f| get(agent, &with_sub(&f, entity)).ok())
            .is_some_and(|statement| chain::statement(&statement, &anchor.jwks, id, entity, now).is_ok())
    })
}

fn well_known(entity_id: &str) -> String {
    format!("{}/.well-known/openid-federation", entity_id.trim_end_matches('/'))
}

fn get(agent: &ureq::Agent, url: &str) -> Result<String, DiscoveryError> {
    let fail = |reason: String| DiscoveryError::Fetch { url: url.to_string(), reason };
    agent
        .get(url)
        .call()
        .map_err(|e| fail(e.to_string()))?
        .body_mut()
        .with_config()
        .limit(1024 * 1024)
        .read_to_string()
        .map_err(|e| fail(e.to_string()))
}

/// The claims of a statement not yet checked (only to know where to look next).
fn claims(jwt: &str) -> Value {
    jws::unverified(jwt).map(Value::Object).unwrap_or(Value::Null)
}

fn claim_list(jwt: &str, name: &str) -> Vec<String> {
    claims(jwt)[name].as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect()
}
#[cfg(test)]
mod tests {
    use super::{anchors_from_json, status_is_active};
    use josekit::jwk::alg::rsa::RsaKeyPair;
    use josekit::jwk::{JwkSet, KeyPair as _};
    use josekit::jws::{JwsHeader, RS256};
    use josekit::jwt::JwtPayload;
    use serde_json::json;

    #[test]
    fn only_a_fresh_answer_signed_by_the_issuer_about_this_very_mark_says_active() {
        const NOW: i64 = 1_800_000_000;
        const TA: &str = "https://ta.example.it";
        let pair = RsaKeyPair::generate(2048).expect("key");
        let mut jwk = pair.to_jwk_public_key();
        jwk.set_key_id("ta-1");
        let keys = JwkSet::from_map(json!({ "keys": [jwk.as_ref()] }).as_object().expect("map").clone()).expect("set");
        let answer = |claims: serde_json::Value| {
            let mut header = JwsHeader::new();
            header.set_token_type("trust-mark-status-response+jwt");
            header.set_key_id("ta-1");
            let payload = JwtPayload::from_map(claims.as_object().expect("map").clone()).expect("payload");
            let signer = RS256.signer_from_jwk(&pair.to_jwk_private_key()).expect("signer");
            josekit::jwt::encode_with_signer(&payload, &header, &signer).expect("signed")
        };
        let active = |mark: &str, iat: i64| json!({ "iss": TA, "iat": iat, "trust_mark": mark, "status": "active" });
        assert!(status_is_active(&answer(active("m.a.rk", NOW)), "m.a.rk", TA, &keys, NOW));
        // About another mark, from another issuer, stale, or not active.
        assert!(!status_is_active(&answer(active("o.th.er", NOW)), "m.a.rk", TA, &keys, NOW));
        assert!(!status_is_active(&answer(active("m.a.rk", NOW)), "m.a.rk", "https://other.example.it", &keys, NOW));
        assert!(!status_is_active(&answer(active("m.a.rk", NOW - 3600)), "m.a.rk", TA, &keys, NOW));
        let revoked = json!({ "iss": TA, "iat": NOW, "trust_mark": "m.a.rk", "status": "revoked" });
        assert!(!status_is_active(&answer(revoked), "m.a.rk", TA, &keys, NOW));
        // Unsigned: anyone on the way could have written it.
        assert!(!status_is_active(r#"{"active": true}"#, "m.a.rk", TA, &keys, NOW));
    }

    #[test]
    fn trust_anchors_are_read_with_their_keys_and_a_bad_file_is_named() {
        let text = br#"[{"entity_id": "https://ta.example.it", "jwks": {"keys": [{"kty": "RSA", "kid": "k1", "n": "0vx7", "e": "AQAB"}]}}]"#;
        let anchors = anchors_from_json(text).expect("one anchor");
        assert_eq!(anchors[0].entity_id, "https://ta.example.it");
        assert_eq!(anchors[0].jwks.get("k1").len(), 1);
        assert!(anchors_from_json(br#"[{"entity_id": "https://ta.example.it"}]"#).is_err_and(|e| e.contains("jwks")));
        assert!(anchors_from_json(br#"[{"jwks": {"keys": []}}]"#).is_err_and(|e| e.contains("entity_id")));
        assert!(anchors_from_json(b"not json").is_err());
    }
}
