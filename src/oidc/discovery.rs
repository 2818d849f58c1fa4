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

/// The chain of `subject` (an entity identifier) to one of `anchors`, checked
/// at `now` for its `entity_type` metadata, and the trust marks it carries
/// that hold (at least one must).
pub fn resolve(
    subject: &str,
    anchors: &[TrustAnchor],
    entity_type: &'static str,
    now: i64,
) -> Result<(Resolved, Vec<Mark>), DiscoveryError> {
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(true)
        .build()
        .new_agent();
    let configuration = get(&agent, &well_known(subject))?;
    let mut last_error = None;
    for chain in paths(&agent, subject, &configuration, anchors, 0)? {
        match chain::resolve(&chain, anchors, entity_type, now) {
            Ok(resolved) => {
                let anchor = anchors.iter().find(|a| a.entity_id == resolved.anchor).ok_or(ChainError::TooShort)?;
                let marks = marks_that_hold(&agent, subject, &configuration, anchor, now)?;
                return Ok((resolved, marks));
            }
            Err(e) => last_error = Some(e),
        }
    }
    Err(last_error.map_or_else(|| DiscoveryError::NoPath(subject.to_string()), DiscoveryError::Chain))
}

/// The marks `subject`'s configuration (already checked as the chain's first
/// link) lists that hold: issued by whom the anchor allows, signed, about
/// it, in time, and still active at their issuer's status endpoint.
fn marks_that_hold(
    agent: &ureq::Agent,
    subject: &str,
    configuration: &str,
    anchor: &TrustAnchor,
    now: i64,
) -> Result<Vec<Mark>, DiscoveryError> {
    let anchor_jwt = get(agent, &well_known(&anchor.entity_id))?;
    let anchor_claims = jws::verified(&anchor_jwt, &anchor.jwks, "entity-statement+jwt")
        .map_err(|e| ChainError::Malformed(usize::MAX, format!("the anchor's own configuration: {e}")))?
        .claims_set()
        .clone();
    let own = jws::unverified(configuration).map_err(|e| ChainError::Malformed(0, e.to_string()))?;
    let (mut held, mut refused) = (Vec::new(), None);
    for (id, jwt) in trust_marks::listed(&own) {
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
    let jws_error = |e| TrustMarkError::Jws(id.into(), e);
    // The issuer's keys and status endpoint: the anchor's own, or those the
    // anchor's statement about the issuer asserts.
    let (keys, issuer_claims) = if issuer == anchor.entity_id {
        (anchor.jwks.clone(), anchor_claims.clone())
    } else {
        let fetch = anchor_claims["metadata"]["federation_entity"]["federation_fetch_endpoint"]
            .as_str()
            .ok_or_else(|| TrustMarkError::Unreachable(id.into(), "the anchor has no fetch endpoint".into()))?;
        let statement = get(agent, &format!("{fetch}?sub={}", encoded(&issuer)))?;
        let about = jws::verified(&statement, &anchor.jwks, "entity-statement+jwt").map_err(jws_error)?;
        let keys = jws::jwks_of(about.claims_set()).map_err(jws_error)?;
        let own = get(agent, &well_known(&issuer))?;
        let own = jws::verified(&own, &keys, "entity-statement+jwt").map_err(jws_error)?;
        (keys, own.claims_set().clone())
    };
    let mark = trust_marks::verify(id, jwt, subject, &keys, now)?;
    let status = issuer_claims["metadata"]["federation_entity"]["federation_trust_mark_status_endpoint"].as_str();
    let Some(status) = status else {
        return Err(TrustMarkError::Unreachable(id.into(), "no trust mark status endpoint".into()).into());
    };
    let unreachable = |e: String| TrustMarkError::Unreachable(id.into(), e);
    match agent.post(status).send_form([("trust_mark", jwt)]) {
        Ok(mut answer) => {
            let body = answer.body_mut().with_config().limit(256 * 1024).read_to_string();
            match status_is_active(&body.map_err(|e| unreachable(e.to_string()))?, &keys) {
                true => Ok(mark),
                false => Err(TrustMarkError::Revoked(id.into()).into()),
            }
        }
        Err(ureq::Error::StatusCode(404)) => Err(TrustMarkError::Revoked(id.into()).into()),
        Err(e) => Err(unreachable(e.to_string()).into()),
    }
}

/// A status answer: a JWT signed by the issuer saying `"status": "active"`
/// (OpenID Federation 1.0), or the earlier `{"active": true}`.
fn status_is_active(body: &str, issuer_keys: &JwkSet) -> bool {
    let body = body.trim();
    match serde_json::from_str::<Value>(body) {
        Ok(json) => json["active"] == Value::Bool(true),
        Err(_) => jws::verified(body, issuer_keys, "trust-mark-status-response+jwt")
            .is_ok_and(|p| p.claim("status").and_then(Value::as_str) == Some("active")),
    }
}

fn encoded(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Every chain from `subject` (whose configuration is `configuration`) up to
/// a configured anchor, each as [`chain::resolve`] takes it.
fn paths(
    agent: &ureq::Agent,
    subject: &str,
    configuration: &str,
    anchors: &[TrustAnchor],
    depth: usize,
) -> Result<Vec<Vec<String>>, DiscoveryError> {
    let mut found = Vec::new();
    for hint in claim_list(configuration, "authority_hints") {
        let superior = get(agent, &well_known(&hint))?;
        let Some(fetch) = metadata_text(&superior, "federation_fetch_endpoint") else { continue };
        let separator = if fetch.contains('?') { '&' } else { '?' };
        let url = format!("{fetch}{separator}sub={}", encoded(subject));
        let statement = get(agent, &url)?;
        if anchors.iter().any(|a| a.entity_id == hint) {
            found.push(vec![configuration.to_string(), statement]);
        } else if depth < MAX_INTERMEDIARIES {
            for above in paths(agent, &hint, &superior, anchors, depth + 1)? {
                // The intermediary's own configuration is not a link: its statement is.
                let mut chain = vec![configuration.to_string(), statement.clone()];
                chain.extend(above.into_iter().skip(1));
                found.push(chain);
            }
        }
    }
    Ok(found)
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

fn metadata_text(jwt: &str, name: &str) -> Option<String> {
    claims(jwt)["metadata"]["federation_entity"][name].as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::anchors_from_json;

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
