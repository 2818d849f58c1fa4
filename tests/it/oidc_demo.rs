//! The demo trust anchor and OpenID Provider (development, like the demo
//! SAML IdPs): what they publish holds for the portal's own checks, and the
//! provider refuses what a real one must. (The whole sign-in through them,
//! over HTTP, runs in the browser tests.)
use crate::common::{Browser, TestApp};
use axum::http::{header, StatusCode};
use josekit::jwk::JwkSet;
use serde_json::Value;
use servizi_lavoro::kernel::Level;
use servizi_lavoro::oidc::authorize::{AuthRequest, Secrets};
use servizi_lavoro::oidc::{endpoints, id_token, jws};

fn claims(jwt: &str) -> serde_json::Map<String, Value> {
    jws::unverified(jwt).expect("a JWT")
}

fn demo(app: &TestApp) -> servizi_lavoro::oidc::demo::DemoFederation {
    app.state.oidc.demo.clone().expect("the demo federation is on in development")
}

#[tokio::test]
async fn the_demo_anchor_and_provider_publish_what_the_portal_checks() {
    let app = TestApp::new();
    let d = demo(&app);
    let now = app.state.clock.now().and_utc().timestamp();
    let anchor = app.get("/demo-oidc/.well-known/openid-federation").await;
    assert_eq!(anchor.status, StatusCode::OK);
    assert_eq!(anchor.header(header::CONTENT_TYPE), "application/entity-statement+jwt");
    let provider = app.get("/demo-oidc/op/.well-known/openid-federation").await.body;
    let statement = app
        .get(&format!(
            "/demo-oidc/fetch?sub={}",
            url::form_urlencoded::byte_serialize(d.provider_id.as_bytes()).collect::<String>()
        ))
        .await
        .body;
    // The chain holds for the portal's own check, through the anchor it believes.
    let resolved =
        servizi_lavoro::oidc::chain::resolve(&[provider.clone(), statement], &[d.anchor()], "openid_provider", now)
            .expect("the demo chain holds");
    assert_eq!(resolved.metadata["issuer"], d.provider_id.as_str());
    // Its trust mark is active at the anchor; anything else is not.
    let mark = claims(&provider)["trust_marks"][0]["trust_mark"].as_str().expect("a mark").to_string();
    let mut b = Browser::new(&app);
    let status = b.post_form("/demo-oidc/trust_mark_status", &[("trust_mark", &mark)], false).await;
    assert_eq!(status.status, StatusCode::OK);
    assert_eq!(claims(&status.body)["status"], "active");
    let forged = b.post_form("/demo-oidc/trust_mark_status", &[("trust_mark", "a.b.c")], false).await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/demo-oidc/fetch?sub=https%3A%2F%2Fother.example.it").await.status, StatusCode::NOT_FOUND);
    // The portal offers it among the SPID providers, marked as a test one.
    assert!(app.get("/accedi").await.body.contains("Demo OP (OpenID Connect)"));
}

/// A code from the demo provider for Mario at `level`, and the secrets.
async fn code(app: &TestApp, level: Level) -> (String, Secrets) {
    let d = demo(app);
    let keys = app.state.oidc.keys.clone().expect("keys");
    let secrets = Secrets::new();
    let client = servizi_lavoro::auth::openid::login::client_id(&app.state);
    let callback = servizi_lavoro::auth::openid::login::redirect_uri(&app.state);
    let endpoint = format!("{}/authorization", d.provider_id);
    let request = AuthRequest {
        client_id: &client,
        redirect_uri: &callback,
        provider: &d.provider_id,
        authorization_endpoint: &endpoint,
        credential: servizi_lavoro::kernel::Credential::Spid,
        level,
        secrets: &secrets,
        now: app.state.clock.now().and_utc().timestamp(),
    };
    let url = url::Url::parse(&request.url(&keys).expect("url")).expect("url");
    let object = url.query_pairs().find(|(k, _)| k == "request").expect("request").1.to_string();
    let mut b = Browser::new(app);
    let page = b.get(&format!("/demo-oidc/op/authorization?request={object}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let res = b
        .post_form(
            "/demo-oidc/op/authorization",
            &[("request", &object), ("person", "mario"), ("level", &level.number().to_string())],
            false,
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let back = url::Url::parse(res.header(header::LOCATION)).expect("back to the portal");
    assert_eq!(back.query_pairs().find(|(k, _)| k == "state").expect("state").1, secrets.state);
    assert_eq!(back.query_pairs().find(|(k, _)| k == "iss").expect("iss").1, d.provider_id);
    (back.query_pairs().find(|(k, _)| k == "code").expect("code").1.to_string(), secrets)
}

#[tokio::test]
async fn the_demo_provider_redeems_a_code_once_with_its_verifier_and_its_tokens_pass_the_portals_checks() {
    let app = TestApp::new();
    let d = demo(&app);
    let keys = app.state.oidc.keys.clone().expect("keys");
    let client = servizi_lavoro::auth::openid::login::client_id(&app.state);
    let callback = servizi_lavoro::auth::openid::login::redirect_uri(&app.state);
    let token_endpoint = format!("{}/token", d.provider_id);
    let now = app.state.clock.now().and_utc().timestamp();
    let (code, secrets) = code(&app, Level::L2).await;
    let mut b = Browser::new(&app);
    let redeem = |verifier: String, assertion: String| {
        vec![
            ("grant_type".to_string(), "authorization_code".to_string()),
            ("code".into(), code.clone()),
            ("code_verifier".into(), verifier),
            ("redirect_uri".into(), callback.clone()),
            ("client_assertion".into(), assertion),
        ]
    };
    let post = |fields: Vec<(String, String)>| fields;
    let good_assertion = endpoints::client_assertion(&keys, &client, &token_endpoint, now).expect("assertion");
    // Another verifier (PKCE), or an assertion for another endpoint: refused.
    for fields in [
        post(redeem(Secrets::new().code_verifier, good_assertion.clone())),
        post(redeem(
            secrets.code_verifier.clone(),
            endpoints::client_assertion(&keys, &client, "https://elsewhere", now).expect("a"),
        )),
    ] {
        let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(b.post_form("/demo-oidc/op/token", &f, false).await.status, StatusCode::BAD_REQUEST);
    }
    let fields = redeem(secrets.code_verifier.clone(), good_assertion);
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let answer = b.post_form("/demo-oidc/op/token", &f, false).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let tokens: Value = serde_json::from_str(&answer.body).expect("JSON");
    // The same code again: refused.
    assert_eq!(b.post_form("/demo-oidc/op/token", &f, false).await.status, StatusCode::BAD_REQUEST);
    // What it gave passes the portal's own checks.
    let op_keys = JwkSet::from_map(
        claims(&app.get("/demo-oidc/op/.well-known/openid-federation").await.body)["metadata"]["openid_provider"]
            ["jwks"]
            .as_object()
            .expect("jwks")
            .clone(),
    )
    .expect("keys");
    let expected = id_token::Expected {
        issuer: &d.provider_id,
        client_id: &client,
        nonce: &secrets.nonce,
        level: Level::L2,
        keys: &op_keys,
        now,
    };
    let access = tokens["access_token"].as_str().expect("access token");
    let id = id_token::check_id_token(tokens["id_token"].as_str().expect("id token"), access, &expected)
        .expect("the ID Token holds");
    assert_eq!(id.level, Level::L2);
    let userinfo =
        app.get_with("/demo-oidc/op/userinfo", &[(header::AUTHORIZATION, &format!("Bearer {access}"))]).await;
    assert_eq!(userinfo.status, StatusCode::OK);
    let person = id_token::check_userinfo(
        &userinfo.body,
        &keys.encryption,
        servizi_lavoro::oidc::entity::USERINFO_ENC,
        &expected,
        &id.subject,
    )
    .expect("UserInfo holds");
    assert_eq!(person["https://attributes.eid.gov.it/fiscal_number"], "TINIT-RSSMRA80A01H501U");
    // Without a token, or with another: 401.
    assert_eq!(app.get("/demo-oidc/op/userinfo").await.status, StatusCode::UNAUTHORIZED);
    let forged = app.get_with("/demo-oidc/op/userinfo", &[(header::AUTHORIZATION, "Bearer a.b.c")]).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_demo_provider_takes_only_the_portals_signed_requests() {
    let app = TestApp::new();
    for bad in ["", "?request=a.b.c"] {
        assert_eq!(app.get(&format!("/demo-oidc/op/authorization{bad}")).await.status, StatusCode::BAD_REQUEST);
    }
}
