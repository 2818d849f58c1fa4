//! Signing in with SPID, in-process: the AuthnRequest as the IdP receives
//! it, a Response signed like an IdP's, the ACS, the session, the register,
//! Single Logout — and a refusal for every family of broken Response.

use crate::common::saml::{demo_entity, demo_keys, post, spec, start, urlenc};
use crate::common::{input_value, Browser, TestApp};
use axum::http::{header, StatusCode};
use servizi_lavoro::kernel::Level;
use servizi_lavoro::saml::codec::{signed_redirect_query, verify_redirect};

#[tokio::test]
async fn the_authn_request_follows_the_spid_rules() {
    let app = TestApp::new();
    let mut b = Browser::new(&app);
    for (level, force) in [(1, false), (2, true), (3, true)] {
        let s = start(&mut b, "spid", level).await;
        let doc = roxmltree::Document::parse(&s.xml).expect("xml");
        let root = doc.root_element();
        assert_eq!(root.attribute("Version"), Some("2.0"));
        assert!(s.request_id.starts_with('_') && s.request_id.len() > 30, "random ID {}", s.request_id);
        assert!(root.attribute("IssueInstant").is_some_and(|t| t.ends_with('Z')));
        assert_eq!(root.attribute("Destination"), Some(demo_entity(&app).as_str()));
        assert_eq!(root.attribute("ForceAuthn") == Some("true"), force, "ForceAuthn for level {level}");
        assert_eq!(root.attribute("AssertionConsumerServiceIndex"), Some("0"));
        assert_eq!(root.attribute("AttributeConsumingServiceIndex"), Some("0"));
        let by_name = |n: &str| root.descendants().find(|e| e.tag_name().name() == n).expect(n);
        let issuer = by_name("Issuer");
        assert_eq!(issuer.text(), Some(app.state.saml.sp.entity_id.as_str()));
        assert_eq!(issuer.attribute("NameQualifier"), Some(app.state.saml.sp.entity_id.as_str()));
        assert_eq!(issuer.attribute("Format"), Some("urn:oasis:names:tc:SAML:2.0:nameid-format:entity"));
        let policy = by_name("NameIDPolicy");
        assert_eq!(policy.attribute("Format"), Some("urn:oasis:names:tc:SAML:2.0:nameid-format:transient"));
        assert!(policy.attribute("AllowCreate").is_none());
        assert_eq!(by_name("RequestedAuthnContext").attribute("Comparison"), Some("minimum"));
        assert_eq!(
            by_name("AuthnContextClassRef").text(),
            Some(format!("https://www.spid.gov.it/SpidL{level}").as_str())
        );
        assert!(s.relay_state.len() == 64 && !s.relay_state.contains("http"));
    }
}

#[tokio::test]
async fn a_person_signs_in_and_sees_their_access_and_the_previous_one() {
    let app = TestApp::new();
    let mut b = Browser::new(&app);
    let s = start(&mut b, "spid", 2).await;
    let xml = spec(&app, &s.request_id, Level::L2).signed(&demo_keys(&app)).expect("sign");
    let res = post(&mut b, &xml, &s.relay_state).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.header(header::LOCATION), "/area-personale");
    let page = b.get("/area-personale").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Benvenuto, Mario Rossi"));
    assert!(page.body.contains("RSSMRA80A01H501U"));
    assert!(page.body.contains("Livello 2"));
    assert!(page.body.contains("primo accesso"));
    assert!(page.body.contains("action=\"/esci\""), "sign-out form in the header");

    // A second sign-in in another browser (level 1) lands in the same account and shows the first one.
    let mut other = Browser::new(&app);
    let s = start(&mut other, "spid", 1).await;
    let xml = spec(&app, &s.request_id, Level::L1).signed(&demo_keys(&app)).expect("sign");
    assert_eq!(post(&mut other, &xml, &s.relay_state).await.status, StatusCode::SEE_OTHER);
    let page = other.get("/area-personale?lang=en").await;
    assert!(page.body.contains("Level 1"));
    assert!(page.body.contains("with SPID (level 2)"), "previous access shown: {}", page.body);
}

#[tokio::test]
async fn the_session_id_changes_at_sign_in() {
    let app = TestApp::new();
    let mut b = Browser::new(&app);
    // Any anonymous session the browser had (here: none yet) is never promoted; a new id is issued.
    let s = start(&mut b, "spid", 1).await;
    let before = b.cookies.get("sl_session").cloned();
    let xml = spec(&app, &s.request_id, Level::L1).signed(&demo_keys(&app)).expect("sign");
    post(&mut b, &xml, &s.relay_state).await;
    let after = b.cookies.get("sl_session").cloned();
    assert!(after.is_some());
    assert_ne!(before, after);
}

#[tokio::test]
async fn the_personal_area_needs_a_sign_in() {
    let app = TestApp::new();
    let res = app.get("/area-personale").await;
    assert!(res.status.is_redirection());
    assert!(res.header(header::LOCATION).starts_with("/accedi"));
}

/// One broken Response per family of checks; each must be refused with a
/// 4xx page, and the person must not be signed in.
#[tokio::test]
async fn broken_responses_are_refused() {
    type Breaker = fn(&TestApp, &str, &servizi_lavoro::saml::keys::KeyPair) -> String;
    let cases: Vec<(&str, Breaker, StatusCode)> = vec![
        (
            "assertion unsigned",
            |app, id, keys| {
                let s = spec(app, id, Level::L1);
                let a = s.unsigned_assertion();
                let start = a.find("<ds:Signature").expect("sig");
                let end = a.find("</ds:Signature>").expect("sig") + "</ds:Signature>".len();
                let unsigned = format!("{}{}", &a[..start], &a[end..]);
                // Only the Response around it is signed.
                s.sign(&unsigned, keys, true).expect("sign")
            },
            StatusCode::FORBIDDEN,
        ),
        (
            "signed by another key",
            |app, id, _| {
                let other = servizi_lavoro::saml::keys::generate(&servizi_lavoro::saml::sp_subject(&app.state.config))
                    .expect("key");
                spec(app, id, Level::L1).signed(&other).expect("sign")
            },
            StatusCode::FORBIDDEN,
        ),
        (
            "altered after signing",
            |app, id, keys| {
                spec(app, id, Level::L1).signed(keys).expect("sign").replace("RSSMRA80A01H501U", "VRDLCU75C15L219V")
            },
            StatusCode::FORBIDDEN,
        ),
        (
            "wrong audience",
            |app, id, keys| {
                let mut s = spec(app, id, Level::L1);
                s.audience = "https://another-sp.example".into();
                s.signed(keys).expect("sign")
            },
            StatusCode::BAD_REQUEST,
        ),
        (
            "wrong recipient and destination",
            |app, id, keys| {
                let mut s = spec(app, id, Level::L1);
                s.destination = "https://another-sp.example/acs".into();
                s.signed(keys).expect("sign")
            },
            StatusCode::BAD_REQUEST,
        ),
        (
            "answer to another request",
            |app, _, keys| spec(app, "_not-our-request", Level::L1).signed(keys).expect("sign"),
            StatusCode::BAD_REQUEST,
        ),
        (
            "expired",
            |app, id, keys| {
                let mut s = spec(app, id, Level::L1);
                s.issue_instant = chrono::Utc::now() - chrono::Duration::hours(2);
                s.signed(keys).expect("sign")
            },
            StatusCode::FORBIDDEN,
        ),
        (
            "issued in the future",
            |app, id, keys| {
                let mut s = spec(app, id, Level::L1);
                s.issue_instant = chrono::Utc::now() + chrono::Duration::hours(2);
                s.signed(keys).expect("sign")
            },
            StatusCode::FORBIDDEN,
        ),
        (
            "unknown level",
            |app, id, keys| {
                spec(app, id, Level::L2)
                    .signed(keys)
                    .expect("sign")
                    .replace("https://www.spid.gov.it/SpidL2", "urn:oasis:names:tc:SAML:2.0:ac:classes:SpidL2")
            },
            StatusCode::FORBIDDEN,
        ),
        (
            "wrapped assertion (XSW)",
            |app, id, keys| {
                let good = spec(app, id, Level::L1).signed(keys).expect("sign");
                let start = good.find("<saml:Assertion").expect("a");
                let end = good.find("</saml:Assertion>").expect("a") + "</saml:Assertion>".len();
                let signed_assertion = &good[start..end];
                let evil = signed_assertion.replace("RSSMRA80A01H501U", "VRDLCU75C15L219V").replacen(
                    "ID=\"_",
                    "ID=\"_evil",
                    1,
                );
                good.replace(
                    signed_assertion,
                    &format!("<samlp:Extensions>{signed_assertion}</samlp:Extensions>{evil}"),
                )
            },
            StatusCode::FORBIDDEN,
        ),
        (
            "document type declaration",
            |app, id, keys| {
                format!(
                    "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>{}",
                    spec(app, id, Level::L1).signed(keys).expect("sign")
                )
            },
            StatusCode::BAD_REQUEST,
        ),
        (
            "missing codice fiscale",
            |app, id, keys| {
                let mut s = spec(app, id, Level::L1);
                s.attributes.retain(|(n, _)| n != "fiscalNumber");
                s.signed(keys).expect("sign")
            },
            StatusCode::FORBIDDEN,
        ),
    ];
    for (name, breaker, status) in cases {
        let app = TestApp::new();
        let mut b = Browser::new(&app);
        let s = start(&mut b, "spid", 1).await;
        let xml = breaker(&app, &s.request_id, &demo_keys(&app));
        let res = post(&mut b, &xml, &s.relay_state).await;
        assert_eq!(res.status, status, "{name}: {}", res.body.chars().take(300).collect::<String>());
        assert!(res.body.contains("Accesso non riuscito"), "{name}: localized failure page");
        assert!(res.body.contains("href=\"/accedi\""), "{name}: offers to try again");
        assert!(b.get("/area-personale").await.status.is_redirection(), "{name}: must not be signed in");
    }
}

#[tokio::test]
async fn a_level_below_the_requested_one_is_refused() {
    let app = TestApp::new();
    let mut b = Browser::new(&app);
    let s = start(&mut b, "spid", 2).await;
    let xml = spec(&app, &s.request_id, Level::L1).signed(&demo_keys(&app)).expect("sign");
    let res = post(&mut b, &xml, &s.relay_state).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.body.contains("livello di sicurezza"));
    // A higher level than asked is fine.
    let s = start(&mut b, "spid", 2).await;
    let xml = spec(&app, &s.request_id, Level::L3).signed(&demo_keys(&app)).expect("sign");
    assert_eq!(post(&mut b, &xml, &s.relay_state).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_response_is_used_once_and_unsolicited_ones_are_refused() {
    let app = TestApp::new();
    let mut b = Browser::new(&app);
    let s = start(&mut b, "spid", 1).await;
    let xml = spec(&app, &s.request_id, Level::L1).signed(&demo_keys(&app)).expect("sign");
    assert_eq!(post(&mut b, &xml, &s.relay_state).await.status, StatusCode::SEE_OTHER);
    let mut thief = Browser::new(&app);
    let again = post(&mut thief, &xml, &s.relay_state).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(again.body.contains("scaduta o è già stata usata"));
    let unsolicited = post(&mut thief, &xml, "0000").await;
    assert_eq!(unsolicited.status, StatusCode::BAD_REQUEST);
    let empty = thief.post_form("/saml/acs", &[], true).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn idp_error_codes_get_a_specific_message() {
    for (code, text) in
        [(19u8, "troppe volte"), (22, "acconsentito"), (25, "Hai annullato l'accesso"), (30, "identità personale")]
    {
        let app = TestApp::new();
        let mut b = Browser::new(&app);
        let s = start(&mut b, "spid", 1).await;
        let mut sp = spec(&app, &s.request_id, Level::L1);
        sp.anomaly = Some(code);
        let res = post(&mut b, &sp.signed(&demo_keys(&app)).expect("sign"), &s.relay_state).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "nr{code}");
        assert!(res.body.contains(text), "nr{code}: {}", res.body);
    }
}

#[tokio::test]
async fn login_rejects_unknown_idps_and_levels() {
    let app = TestApp::new();
    let res = app.get("/saml/login?idp=https%3A%2F%2Funknown.example").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.body.contains("non è tra quelli riconosciuti"));
    let res = app.get(&format!("/saml/login?idp={}&level=9", urlenc(&demo_entity(&app)))).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.get("/saml/login").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn every_exchange_is_in_the_saml_register_and_old_entries_are_purged() {
    use diesel::prelude::*;
    use servizi_lavoro::db::schema::saml_register as r;
    let app = TestApp::new();
    let mut b = Browser::new(&app);
    let s = start(&mut b, "spid", 1).await;
    let xml = spec(&app, &s.request_id, Level::L1).signed(&demo_keys(&app)).expect("sign");
    post(&mut b, &xml, &s.relay_state).await;
    let rid = s.request_id.clone();
    let row: (String, Option<String>, Option<String>, Option<String>, Option<String>) =
        servizi_lavoro::db::with_conn(&app.state.pool, move |c| {
            r::table
                .filter(r::request_id.eq(&rid))
                .select((r::request_xml, r::response_xml, r::assertion_id, r::assertion_subject, r::outcome))
                .first(c)
        })
        .await
        .expect("register row");
    assert!(row.0.contains("AuthnRequest"));
    assert!(row.1.is_some_and(|x| x.contains("samlp:Response")));
    assert!(row.2.is_some());
    assert_eq!(row.3.as_deref(), Some("_transient-name-id"));
    assert_eq!(row.4.as_deref(), Some("success"));
    let in_two_years = chrono::Utc::now().naive_utc() + chrono::Duration::days(2 * 366);
    let purged = servizi_lavoro::db::with_conn(&app.state.pool, move |c| {
        servizi_lavoro::auth::sso::register::purge(c, chrono::Utc::now().naive_utc())
            .and_then(|n0| servizi_lavoro::auth::sso::register::purge(c, in_two_years).map(|n1| (n0, n1)))
    })
    .await
    .expect("purge");
    assert_eq!(purged.0, 0, "recent entries are kept");
    assert!(purged.1 >= 1, "entries older than 24 months are deleted");
}

async fn signed_in(app: &TestApp) -> Browser<'_> {
    let mut b = Browser::new(app);
    let s = start(&mut b, "spid", 1).await;
    let xml = spec(app, &s.request_id, Level::L1).signed(&demo_keys(app)).expect("sign");
    assert_eq!(post(&mut b, &xml, &s.relay_state).await.status, StatusCode::SEE_OTHER);
    b
}

#[tokio::test]
async fn sign_out_ends_the_session_and_logs_out_at_the_idp() {
    let app = TestApp::new();
    let mut b = signed_in(&app).await;
    let res = b.post_form("/esci", &[], false).await;
    assert_eq!(res.status, StatusCode::FOUND);
    let to_idp = res.header(header::LOCATION).to_string();
    assert!(to_idp.starts_with(&format!("{}/slo?SAMLRequest=", demo_entity(&app))));
    // The portal session is already over, whatever the IdP does.
    assert!(b.get("/area-personale").await.status.is_redirection());
    // The demo IdP answers with a signed LogoutResponse, which the portal accepts.
    let back = b.get(&to_idp).await;
    assert_eq!(back.status, StatusCode::FOUND);
    let done = b.get(back.header(header::LOCATION)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.header(header::LOCATION), "/uscita");
    assert!(b.get("/uscita").await.body.contains("Sei uscito"));
    // A second, replayed LogoutResponse is refused.
    assert_eq!(b.get(back.header(header::LOCATION)).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_idp_initiated_logout_ends_the_portal_session() {
    let app = TestApp::new();
    let mut b = signed_in(&app).await;
    assert_eq!(b.get("/area-personale").await.status, StatusCode::OK);
    let idp = demo_entity(&app);
    let request = |id: &str, at: chrono::DateTime<chrono::Utc>, destination: &str| {
        format!(
            concat!(
                r#"<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" "#,
                r#"ID="{id}" Version="2.0" IssueInstant="{now}" Destination="{slo}"><saml:Issuer>{idp}</saml:Issuer>"#,
                r#"<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient" NameQualifier="{idp}">_transient-name-id</saml:NameID>"#,
                r#"</samlp:LogoutRequest>"#
            ),
            id = id,
            now = servizi_lavoro::saml::codec::instant(at),
            slo = destination,
            idp = idp,
        )
    };
    let slo = app.state.saml.sp.slo_url.clone();
    let xml = request("_lr1", chrono::Utc::now(), &slo);
    // Unsigned (or signed by someone else) it is refused and changes nothing.
    let forged = signed_redirect_query(
        "SAMLRequest",
        &xml,
        Some("rs"),
        &servizi_lavoro::saml::keys::generate(&servizi_lavoro::saml::sp_subject(&app.state.config)).expect("k").key,
    )
    .expect("q");
    let refused = app.get(&format!("/saml/slo?{forged}")).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("lo sei ancora"), "the page says nothing was changed");
    assert_eq!(b.get("/area-personale").await.status, StatusCode::OK);
    // Signed but stale, or for another destination: refused too.
    let stale = request("_lr0", chrono::Utc::now() - chrono::Duration::hours(1), &slo);
    let q = signed_redirect_query("SAMLRequest", &stale, Some("rs"), &demo_keys(&app).key).expect("q");
    assert_eq!(app.get(&format!("/saml/slo?{q}")).await.status, StatusCode::BAD_REQUEST);
    let elsewhere = request("_lr2", chrono::Utc::now(), "https://other.example/slo");
    let q = signed_redirect_query("SAMLRequest", &elsewhere, Some("rs"), &demo_keys(&app).key).expect("q");
    assert_eq!(app.get(&format!("/saml/slo?{q}")).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(b.get("/area-personale").await.status, StatusCode::OK);
    let query = signed_redirect_query("SAMLRequest", &xml, Some("rs"), &demo_keys(&app).key).expect("q");
    let res = app.get(&format!("/saml/slo?{query}")).await;
    assert_eq!(res.status, StatusCode::FOUND);
    let answer = res.header(header::LOCATION).to_string();
    assert!(answer.starts_with(&format!("{idp}/slo?SAMLResponse=")));
    let sp_key = app.state.saml.sp.keys.cert.public_key().expect("key");
    let msg = verify_redirect(answer.split_once('?').expect("q").1, "SAMLResponse", &[sp_key])
        .expect("signed LogoutResponse");
    assert!(msg.xml.contains("InResponseTo=\"_lr1\"") && msg.xml.contains("status:Success"));
    assert!(b.get("/area-personale").await.status.is_redirection(), "the session is over");
    // The same request again is a replay.
    assert_eq!(app.get(&format!("/saml/slo?{query}")).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn metadata_is_signed_and_lists_our_endpoints() {
    let app = TestApp::new();
    let res = app.get("/saml/metadata").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.header(header::CONTENT_TYPE).contains("samlmetadata+xml"));
    let sp = &app.state.saml.sp;
    for needle in [
        format!("entityID=\"{}\"", sp.entity_id),
        "AuthnRequestsSigned=\"true\"".to_string(),
        "WantAssertionsSigned=\"true\"".to_string(),
        format!("Location=\"{}\"", sp.acs_url),
        format!("Location=\"{}\"", sp.slo_url),
        "index=\"0\" isDefault=\"true\"".to_string(),
        "<spid:IPACode>m_lps</spid:IPACode><spid:Public/>".to_string(),
        "Name=\"fiscalNumber\"".to_string(),
    ] {
        assert!(res.body.contains(&needle), "metadata lacks {needle}");
    }
    let cert = sp.keys.cert.to_der().expect("der");
    servizi_lavoro::saml::xmldsig::verify_and_reduce(&res.body, &[cert]).expect("the metadata signature verifies");
}

#[tokio::test]
async fn the_demo_idp_pages_work_without_javascript() {
    let app = TestApp::new();
    let mut b = Browser::new(&app);
    let idp = demo_entity(&app);
    let res = b.get(&format!("/saml/login?idp={}&level=2", urlenc(&idp))).await;
    let page = b.get(res.header(header::LOCATION)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("livello 2"));
    let request = input_value(&page.body, "request").expect("request field");
    let confirm = b
        .post_form(
            &format!("{idp}/sso"),
            &[("request", &request), ("person", "giulia"), ("level", "2"), ("outcome", "success")],
            false,
        )
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    let saml_response = input_value(&confirm.body, "SAMLResponse").expect("SAMLResponse");
    let relay_state = input_value(&confirm.body, "RelayState").expect("RelayState");
    let res = b.post_form("/saml/acs", &[("SAMLResponse", &saml_response), ("RelayState", &relay_state)], true).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(b.get("/area-personale").await.body.contains("Giulia Bianchi"));
    // A tampered request is refused by the demo IdP itself.
    let bad = b
        .post_form(&format!("{idp}/sso"), &[("request", &request.replace("SigAlg", "x")), ("person", "mario")], false)
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_login_choice_lists_the_identity_providers_as_links() {
    let app = TestApp::new();
    let res = app.get("/accedi?next=/aiuto").await;
    assert!(res.body.contains("<details"), "IdP list in a disclosure that works without JavaScript");
    assert!(
        res.body.contains(&format!("href=\"/saml/login?idp={}&amp;next=%2Faiuto\"", urlenc(&demo_entity(&app)))),
        "{}",
        res.body
    );
}
