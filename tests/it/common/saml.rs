//! Driving a SAML sign-in in-process: start at the portal, read the signed
//! AuthnRequest, answer with a Response signed like an IdP's.
use super::{Browser, TestApp, TestResponse};
use axum::http::{header, StatusCode};
use servizi_lavoro::auth::demo_idp::issue::ResponseSpec;
use servizi_lavoro::kernel::Level;
use servizi_lavoro::saml::codec::{b64, verify_redirect};

pub struct Started {
    pub relay_state: String,
    pub request_id: String,
    pub xml: String,
}

pub fn demo<'a>(app: &'a TestApp, kind: &str) -> &'a servizi_lavoro::auth::demo_idp::DemoIdp {
    app.state.saml.demo.iter().find(|d| d.kind == kind).expect("demo IdP")
}

pub fn demo_entity(app: &TestApp) -> String {
    demo(app, "spid").entity_id.clone()
}

/// Starts a login at the demo IdP and reads the AuthnRequest back, checking its signature.
pub async fn start(browser: &mut Browser<'_>, kind: &str, level: u8) -> Started {
    let idp = demo(browser.app, kind).entity_id.clone();
    let res = browser.get(&format!("/saml/login?idp={}&level={level}", urlenc(&idp))).await;
    assert_eq!(res.status, StatusCode::FOUND, "login must answer 302");
    let location = res.header(header::LOCATION).to_string();
    let (endpoint, query) = location.split_once('?').expect("query");
    assert_eq!(endpoint, format!("{idp}/sso"));
    let sp_key = browser.app.state.saml.sp.keys.cert.public_key().expect("key");
    let msg = verify_redirect(query, "SAMLRequest", &[sp_key]).expect("the AuthnRequest is signed by the SP");
    let relay_state = msg.relay_state.expect("RelayState");
    let doc = roxmltree::Document::parse(&msg.xml).expect("xml");
    let request_id = doc.root_element().attribute("ID").expect("ID").to_string();
    Started { relay_state, request_id, xml: msg.xml }
}

pub fn urlenc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A Response from the demo SPID IdP for Mario Rossi; tests change what they test.
pub fn spec(app: &TestApp, request_id: &str, level: Level) -> ResponseSpec {
    let sp = &app.state.saml.sp;
    ResponseSpec {
        issuer: demo_entity(app),
        destination: sp.acs_url.clone(),
        in_response_to: request_id.to_string(),
        audience: sp.entity_id.clone(),
        level,
        name_id: "_transient-name-id".into(),
        session_index: Some("_session-1".into()),
        attributes: vec![
            ("name".into(), "Mario".into()),
            ("familyName".into(), "Rossi".into()),
            ("fiscalNumber".into(), "TINIT-RSSMRA80A01H501U".into()),
            ("dateOfBirth".into(), "1980-01-01".into()),
            ("email".into(), "mario.rossi@example.org".into()),
        ],
        // The IdP answers at the portal's (controllable) time.
        issue_instant: app.state.clock.now().and_utc(),
        anomaly: None,
    }
}

pub fn demo_keys(app: &TestApp) -> servizi_lavoro::saml::keys::KeyPair {
    demo(app, "spid").keys.clone()
}

pub async fn post(browser: &mut Browser<'_>, xml: &str, relay_state: &str) -> TestResponse {
    browser.post_form("/saml/acs", &[("SAMLResponse", &b64(xml.as_bytes())), ("RelayState", relay_state)], true).await
}

/// A browser signed in through the demo IdP of `kind` (`spid`, `cie`, `eidas`).
pub async fn signed_in<'a>(
    app: &'a TestApp,
    kind: &str,
    level: Level,
    attributes: Option<&[(&str, &str)]>,
) -> Browser<'a> {
    let mut b = Browser::new(app);
    let s = start(&mut b, kind, level.number()).await;
    let mut sp = spec(app, &s.request_id, level);
    sp.issuer = demo(app, kind).entity_id.clone();
    if let Some(a) = attributes {
        sp.attributes = a.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    }
    let xml = sp.signed(&demo(app, kind).keys).expect("sign");
    assert_eq!(post(&mut b, &xml, &s.relay_state).await.status, StatusCode::SEE_OTHER);
    b
}

/// The demo IdP's Giulia Bianchi, as an IdP asserts her.
pub fn giulia_attributes() -> Vec<(String, String)> {
    let cf = servizi_lavoro::auth::demo_idp::people::find("giulia").and_then(|p| p.codice_fiscale()).expect("cf");
    vec![
        ("name".into(), "Giulia".into()),
        ("familyName".into(), "Bianchi".into()),
        ("fiscalNumber".into(), format!("TINIT-{cf}")),
    ]
}
