//! Sign-in over OpenID Connect (issue 27), in process: `/accedi` offers the
//! configured providers, a provider's kept trust chain serves every instance
//! until shortly before it expires, a request leaves signed with PKCE and
//! its secrets stay in the database, and an answer is claimed once, from
//! the browser that asked. (The whole sign-in with the reference provider
//! runs in `scripts/test`.)
use crate::common::{Browser, TestApp};
use axum::http::StatusCode;
use chrono::Duration;
use serde_json::{json, Value};
use servizi_lavoro::auth::openid::chains::{self, ProviderChain};

/// Nothing listens there: a chain can only come from the database.
const OP: &str = "http://127.0.0.1:9/oidc/op";

/// The sign-in link of `OP` (its entity id encoded, as `/accedi` gives it).
fn login(query: &str) -> String {
    let op: String = url::form_urlencoded::byte_serialize(OP.as_bytes()).collect();
    format!("/oidc/login?provider={op}{query}")
}

fn with_provider() -> TestApp {
    TestApp::with_config(|c| {
        let base = c.base_url.as_str().trim_end_matches('/').to_string();
        let anchors = c.data_dir.join("anchors.json");
        let jwks = json!({ "keys": [{ "kty": "RSA", "kid": "ta", "e": "AQAB",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw" }] });
        std::fs::write(&anchors, json!([{ "entity_id": "http://127.0.0.1:9", "jwks": jwks }]).to_string())
            .expect("anchors");
        c.oidc.trust_anchors = Some(anchors);
        let providers = c.data_dir.join("providers.json");
        let list = json!([{ "entity_id": OP, "credential": "spid", "name": "OP federato",
                            "instead_of": format!("{base}/demo-idp/spid") }]);
        std::fs::write(&providers, list.to_string()).expect("providers");
        c.oidc.providers = Some(providers);
    })
}

fn chain(app: &TestApp, valid_for: Duration) -> ProviderChain {
    let metadata = json!({
        "issuer": OP,
        "authorization_endpoint": format!("{OP}/authorization"),
        "token_endpoint": format!("{OP}/token"),
        "userinfo_endpoint": format!("{OP}/userinfo"),
        "jwks": { "keys": [] },
    });
    ProviderChain {
        anchor: "http://127.0.0.1:9".into(),
        metadata: metadata.as_object().expect("object").clone(),
        expires_at: app.state.clock.now() + valid_for,
    }
}

/// Keeps `c` as resolved now, with a provider's trust mark.
async fn keep(app: &TestApp, c: ProviderChain) {
    let now = app.state.clock.now();
    let marks = vec![servizi_lavoro::config::PROVIDER_TRUST_MARKS[0].to_string()];
    servizi_lavoro::db::with_conn(&app.state.pool, move |conn| chains::keep(conn, OP, &c, &marks, now))
        .await
        .expect("kept");
}

#[tokio::test]
async fn accedi_offers_the_openid_provider_in_place_of_the_saml_idp_it_stands_for() {
    let app = with_provider();
    let page = app.get("/accedi").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&login("")), "the provider is in the SPID list");
    assert!(page.body.contains("OP federato"));
    assert!(!page.body.contains("demo-idp%2Fspid"), "the SAML IdP it stands for is not offered");
    assert!(page.body.contains("demo-idp%2Fcie"), "the other credentials keep their providers");
}

#[tokio::test]
async fn a_kept_chain_serves_until_shortly_before_it_expires_and_not_after() {
    let app = with_provider();
    keep(&app, chain(&app, Duration::hours(2))).await;
    let got = chains::provider(&app.state, OP).await.expect("the kept chain");
    assert_eq!(got.metadata["issuer"], OP);
    // Near its end a renewal is tried; the federation is unreachable, and
    // the kept chain still holds, so it is used.
    app.state.clock.advance(Duration::minutes(115));
    assert!(chains::provider(&app.state, OP).await.is_ok());
    // Past its expiry nothing is kept: the provider is refused, and the
    // failure is remembered a minute (no request asks the federation again).
    app.state.clock.advance(Duration::minutes(10));
    assert!(matches!(chains::provider(&app.state, OP).await, Err(chains::Untrusted::Chain(_))));
    assert!(matches!(chains::provider(&app.state, OP).await, Err(chains::Untrusted::Failed(_))));
    app.state.clock.advance(Duration::seconds(61));
    assert!(matches!(chains::provider(&app.state, OP).await, Err(chains::Untrusted::Chain(_))));
    // And the person is told so, in their language.
    let res = app.get(&login("&lang=en")).await;
    assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(res.body.contains("cannot confirm right now that this identity provider belongs"), "{}", res.body);
}

#[tokio::test]
async fn a_chain_kept_through_an_anchor_no_longer_believed_or_without_a_required_mark_is_not_used() {
    let app = with_provider();
    let mut through_another = chain(&app, Duration::hours(2));
    through_another.anchor = "https://former-anchor.example.it".into();
    keep(&app, through_another).await;
    assert!(chains::provider(&app.state, OP).await.is_err(), "an anchor no longer configured");
    let now = app.state.clock.now();
    let unmarked = chain(&app, Duration::hours(2));
    servizi_lavoro::db::with_conn(&app.state.pool, move |c| {
        chains::keep(c, OP, &unmarked, &["https://other.mark".into()], now)
    })
    .await
    .expect("kept");
    app.state.clock.advance(Duration::seconds(61));
    assert!(chains::provider(&app.state, OP).await.is_err(), "no provider's mark");
}

/// The request object's claims, from the URL the browser is sent to.
fn request_claims(location: &str) -> Value {
    use base64::Engine;
    let url = url::Url::parse(location).expect("a URL");
    let request = url.query_pairs().find(|(k, _)| k == "request").expect("a request object").1.to_string();
    let payload = request.split('.').nth(1).expect("a JWS");
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).expect("base64"))
        .expect("JSON")
}

#[tokio::test]
async fn an_answer_is_claimed_once_and_only_through_the_browser_that_asked() {
    let app = with_provider();
    keep(&app, chain(&app, Duration::hours(2))).await;
    let mut browser = Browser::new(&app);
    let res = browser.get(&login("&level=2&next=/servizi")).await;
    assert_eq!(res.status, StatusCode::FOUND);
    let location = res.header(axum::http::header::LOCATION).to_string();
    assert!(location.starts_with(&format!("{OP}/authorization?")), "{location}");
    let claims = request_claims(&location);
    assert_eq!(claims["acr_values"], "https://www.spid.gov.it/SpidL2");
    assert_eq!(claims["prompt"], "consent login");
    let state = claims["state"].as_str().expect("state").to_string();

    // From another browser (no login cookie): refused, and the request is spent.
    let mut other = Browser::new(&app);
    let stolen = other.get(&format!("/oidc/callback?state={state}&code=abc")).await;
    assert_eq!(stolen.status, StatusCode::BAD_REQUEST);
    let again = browser.get(&format!("/oidc/callback?state={state}&code=abc")).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "a state is claimed once");

    // The person refuses consent at the provider: told so, once.
    let res = browser.get(&login("")).await;
    let state = request_claims(res.header(axum::http::header::LOCATION))["state"].as_str().expect("state").to_string();
    let denied = browser.get(&format!("/oidc/callback?state={state}&error=access_denied&lang=en")).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert!(denied.body.contains("did not agree to share your data"), "{}", denied.body);
    let replayed = browser.get(&format!("/oidc/callback?state={state}&error=access_denied")).await;
    assert_eq!(replayed.status, StatusCode::BAD_REQUEST);

    // An answer naming another provider (RFC 9207): a mix-up, refused.
    let res = browser.get(&login("")).await;
    let state = request_claims(res.header(axum::http::header::LOCATION))["state"].as_str().expect("state").to_string();
    let mixed = browser.get(&format!("/oidc/callback?state={state}&code=abc&iss=https%3A%2F%2Fevil.example.it")).await;
    assert_eq!(mixed.status, StatusCode::BAD_REQUEST);

    // No request in flight, or none named.
    for path in [
        "/oidc/callback?code=abc",
        "/oidc/callback?state=unknown&code=abc",
        "/oidc/login",
        "/oidc/login?provider=https%3A%2F%2Felsewhere.example.it",
    ] {
        assert_eq!(browser.get(path).await.status, StatusCode::BAD_REQUEST, "{path}");
    }
}
