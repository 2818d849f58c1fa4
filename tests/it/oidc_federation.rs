//! The portal in the SPID and CIE id OpenID Connect federations (issue 27):
//! its entity configuration at `/.well-known/openid-federation`, signed with
//! its federation key, says what the technical rules ask of a Relying Party.
use crate::common::TestApp;
use axum::http::{header, StatusCode};
use josekit::jwk::JwkSet;
use josekit::jws::RS256;
use serde_json::Value;

const TRUST_MARK_ID: &str = "https://www.spid.gov.it/openid-federation/agreement/sp-public";

/// A member of a federation: one superior, one trust mark.
fn member() -> TestApp {
    TestApp::with_config(|c| {
        c.oidc.authority_hints = vec!["https://trust-anchor.example.it".into()];
        let marks = c.data_dir.join("trust-marks.json");
        let list = serde_json::json!([{ "id": TRUST_MARK_ID, "trust_mark": "eyJhbGciOiJSUzI1NiJ9.e30.c2ln" }]);
        std::fs::write(&marks, list.to_string()).expect("trust marks");
        c.oidc.trust_marks = Some(marks);
    })
}

/// The keys a configuration says it is signed with (read before trusting it).
fn own_keys(jwt: &str) -> JwkSet {
    use base64::Engine;
    let payload = jwt.split('.').nth(1).expect("three parts");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).expect("base64url");
    let claims: Value = serde_json::from_slice(&bytes).expect("JSON");
    JwkSet::from_map(claims["jwks"].as_object().expect("jwks").clone()).expect("a JWK set")
}

/// The configuration's claims, after checking it is signed by a key it names.
fn verified(jwt: &str) -> (Value, String) {
    let set = own_keys(jwt);
    let header = josekit::jwt::decode_header(jwt).expect("a header");
    let kid = header.claim("kid").and_then(Value::as_str).expect("kid").to_string();
    let key = set.get(&kid).first().copied().expect("the signing key is in its own jwks");
    let verifier = RS256.verifier_from_jwk(key).expect("an RSA key");
    let (payload, header) = josekit::jwt::decode_with_verifier(jwt, &verifier).expect("the signature holds");
    assert_eq!(header.token_type(), Some("entity-statement+jwt"));
    assert_eq!(header.algorithm(), Some("RS256"));
    (Value::Object(payload.claims_set().clone()), kid)
}

#[tokio::test]
async fn the_entity_configuration_is_signed_by_the_federation_key_and_describes_a_relying_party() {
    let app = member();
    let res = app.get("/.well-known/openid-federation").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header(header::CONTENT_TYPE), "application/entity-statement+jwt");
    let (ec, federation_kid) = verified(&res.body);
    let base = app.state.config.base_url.as_str().trim_end_matches('/').to_string();
    assert_eq!((ec["iss"].as_str(), ec["sub"].as_str()), (Some(base.as_str()), Some(base.as_str())));
    let now = app.state.clock.now().and_utc().timestamp();
    assert_eq!(ec["iat"].as_i64(), Some(now));
    assert_eq!(ec["exp"].as_i64(), Some(now + 86_400), "valid for a day");
    assert_eq!(ec["authority_hints"], serde_json::json!(["https://trust-anchor.example.it"]));
    assert_eq!(ec["trust_marks"][0]["id"], TRUST_MARK_ID);
    assert!(ec["jwks"]["keys"].as_array().is_some_and(|k| k.len() == 1), "the federation key alone");
    assert!(ec["jwks"]["keys"][0].get("d").is_none(), "public keys only");

    let fe = &ec["metadata"]["federation_entity"];
    for claim in ["organization_name", "homepage_uri", "policy_uri", "logo_uri"] {
        assert!(fe[claim].as_str().is_some_and(|v| !v.is_empty()), "federation_entity.{claim}");
    }
    assert!(fe["logo_uri"].as_str().is_some_and(|u| u.ends_with(".svg")), "the rules want an SVG logo");
    assert!(fe["contacts"].as_array().is_some_and(|c| !c.is_empty()));

    let rp = &ec["metadata"]["openid_relying_party"];
    assert_eq!(rp["client_id"], base.as_str());
    assert_eq!(rp["client_registration_types"], serde_json::json!(["automatic"]));
    assert_eq!(rp["redirect_uris"], serde_json::json!([format!("{base}/oidc/callback")]));
    assert_eq!(rp["response_types"], serde_json::json!(["code"]));
    assert_eq!(rp["grant_types"], serde_json::json!(["authorization_code", "refresh_token"]));
    assert_eq!(rp["token_endpoint_auth_method"], "private_key_jwt");
    assert_eq!(rp["application_type"], "web");
    assert_eq!(rp["id_token_signed_response_alg"], "RS256");
    assert_eq!(rp["userinfo_signed_response_alg"], "RS256");
    assert_eq!(rp["userinfo_encrypted_response_alg"], "RSA-OAEP");
    assert_eq!(rp["userinfo_encrypted_response_enc"], "A256CBC-HS512");
    // The core keys: one to sign, one to encrypt to, neither the federation key.
    let core = rp["jwks"]["keys"].as_array().expect("core keys");
    let uses: Vec<(&str, &str)> =
        core.iter().map(|k| (k["use"].as_str().unwrap_or(""), k["alg"].as_str().unwrap_or(""))).collect();
    assert_eq!(uses, [("sig", "RS256"), ("enc", "RSA-OAEP")]);
    assert!(core.iter().all(|k| k["kid"].as_str().is_some_and(|kid| kid != federation_kid) && k.get("d").is_none()));
}

#[tokio::test]
async fn a_changed_byte_breaks_the_signature_and_a_later_request_is_signed_anew() {
    let app = member();
    let first = app.get("/.well-known/openid-federation").await.body;
    // The signature covers the claims: a configuration altered on the way is refused.
    let mut parts: Vec<String> = first.split('.').map(str::to_string).collect();
    parts[1] = parts[1].replacen('e', "f", 1);
    let set = own_keys(&first);
    let verifier = RS256.verifier_from_jwk(set.keys()[0]).expect("key");
    assert!(josekit::jwt::decode_with_verifier(parts.join("."), &verifier).is_err());
    // Each request signs with the time of the request.
    app.state.clock.advance(chrono::Duration::hours(1));
    let later = app.get("/.well-known/openid-federation").await.body;
    let (before, after) = (verified(&first).0, verified(&later).0);
    assert_eq!(after["iat"].as_i64(), before["iat"].as_i64().map(|t| t + 3600));
}
