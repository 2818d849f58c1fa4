//! Finding a provider's trust chain (OpenID Federation 1.0, section 10.1):
//! its entity configuration names its superiors (`authority_hints`); each
//! superior's configuration names its fetch endpoint, which gives the
//! statement it issues about the provider. A superior that is a configured
//! trust anchor ends the chain; the technical rules allow one intermediary
//! (a soggetto aggregatore) below it. What is fetched is only believed once
//! [`super::chain::resolve`] has checked it all against the anchor's keys.
//! Blocking: call it off the async threads.
use super::chain::{self, ChainError, Resolved, TrustAnchor};
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
/// at `now` for its `entity_type` metadata.
pub fn resolve(
    subject: &str,
    anchors: &[TrustAnchor],
    entity_type: &'static str,
    now: i64,
) -> Result<Resolved, DiscoveryError> {
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(true)
        .build()
        .new_agent();
    let configuration = get(&agent, &well_known(subject))?;
    let mut last_error = None;
    for chain in paths(&agent, subject, &configuration, anchors, 0)? {
        match chain::resolve(&chain, anchors, entity_type, now) {
            Ok(resolved) => return Ok(resolved),
            Err(e) => last_error = Some(e),
        }
    }
    Err(last_error.map_or_else(|| DiscoveryError::NoPath(subject.to_string()), DiscoveryError::Chain))
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
        let url = format!(
            "{fetch}{separator}sub={}",
            url::form_urlencoded::byte_serialize(subject.as_bytes()).collect::<String>()
        );
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

/// A claim of a statement not yet checked (only to know where to look next).
fn claims(jwt: &str) -> Value {
    use base64::Engine;
    jwt.split('.')
        .nth(1)
        .and_then(|p| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(p).ok())
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Value::Null)
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
