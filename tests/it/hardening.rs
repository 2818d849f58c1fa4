//! What a security review found (issue 10), each as a test that failed
//! before its fix: throttling behind a proxy, the reset link's second factor,
//! open redirects, login CSRF, the helpdesk's level and atomic decisions,
//! protocol-relative links, documents served as attachments.
use crate::common::saml::{demo, post, spec, start, urlenc};
use crate::common::{Browser, TestApp};
use crate::foreign_user::{enrolled, mail_containing, operator, registered_and_confirmed, sign_in_password, PASSWORD};
use axum::http::{header, StatusCode};
use chrono::Duration;
use servizi_lavoro::kernel::Level;

async fn wrong_password(b: &mut Browser<'_>, email: &str) -> StatusCode {
    b.post_form("/accesso-utente-estero", &[("email", email), ("password", "not the password")], false).await.status
}

#[tokio::test]
async fn an_account_waits_longer_and_longer_but_is_never_locked_out() {
    let app = TestApp::new();
    let mut b = Browser::new(&app);
    for _ in 0..3 {
        assert_eq!(wrong_password(&mut b, "ana@example.com").await, StatusCode::UNAUTHORIZED);
    }
    let res = b.post_form("/accesso-utente-estero", &[("email", "ana@example.com"), ("password", "x")], false).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(res.body.contains("Troppi tentativi"));
    // The form again, with the e-mail typed and how many seconds to wait.
    assert_eq!(crate::common::input_value(&res.body, "email").as_deref(), Some("ana@example.com"));
    let wait = res.header(axum::http::header::RETRY_AFTER).to_string();
    assert!(res.body.contains(&format!("aspetta {wait} second")), "{wait}");
    // Each wait is longer, but waiting it out always allows one more attempt.
    let mut waits = Vec::new();
    for _ in 0..8 {
        let res =
            b.post_form("/accesso-utente-estero", &[("email", "ana@example.com"), ("password", "x")], false).await;
        let wait: i64 = res.header(header::RETRY_AFTER).parse().unwrap_or(0);
        assert!(wait >= 1, "{}", res.status);
        waits.push(wait);
        app.state.clock.advance(Duration::seconds(wait));
        assert_eq!(wrong_password(&mut b, "ana@example.com").await, StatusCode::UNAUTHORIZED);
    }
    assert!(waits.windows(2).all(|w| w[1] >= w[0]) && waits[7] > waits[0], "{waits:?}");
    // Attempts are forgiven with time: a day later the first attempt goes straight through.
    app.state.clock.advance(Duration::days(1));
    assert_eq!(wrong_password(&mut b, "ana@example.com").await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_empty_form_is_a_mistake_not_a_failed_attempt() {
    let app = TestApp::new();
    let mut b = Browser::new(&app);
    for _ in 0..6 {
        let res = b.post_form("/accesso-utente-estero", &[("email", ""), ("password", "")], false).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(wrong_password(&mut b, "ana@example.com").await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_is_throttled_on_its_own_address() {
    let app = TestApp::with_config(|c| c.trusted_proxies = vec!["127.0.0.1".parse().expect("cidr")]);
    // 20 guesses with random addresses from one client…
    let mut attacker = Browser::behind_proxy(&app, "203.0.113.66");
    for i in 0..20 {
        assert_eq!(wrong_password(&mut attacker, &format!("random{i}@example.com")).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(wrong_password(&mut attacker, "random-last@example.com").await, StatusCode::TOO_MANY_REQUESTS);
    // …do not keep anyone else out, although every request reaches us from the proxy.
    let mut other = Browser::behind_proxy(&app, "198.51.100.7");
    assert_eq!(wrong_password(&mut other, "someone@example.com").await, StatusCode::UNAUTHORIZED);
    // The address window decays: a few minutes later the attacker may try again.
    app.state.clock.advance(Duration::minutes(3));
    assert_eq!(wrong_password(&mut attacker, "random-again@example.com").await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn forwarded_addresses_from_untrusted_peers_are_ignored() {
    let app = TestApp::new();
    // Without SL_TRUSTED_PROXIES a client cannot dodge the limit by inventing addresses.
    for i in 0..20 {
        let mut b = Browser::behind_proxy(&app, &format!("192.0.2.{i}"));
        assert_eq!(wrong_password(&mut b, &format!("r{i}@example.com")).await, StatusCode::UNAUTHORIZED);
    }
    let mut b = Browser::behind_proxy(&app, "192.0.2.200");
    assert_eq!(wrong_password(&mut b, "r-last@example.com").await, StatusCode::TOO_MANY_REQUESTS);
}

async fn reset_form(app: &TestApp) -> (Browser<'_>, String, String) {
    let mut b = Browser::new(app);
    b.post_form("/accesso-utente-estero/password-dimenticata", &[("email", "ana.perez@example.com")], false).await;
    let mail = mail_containing(app, "nuova-password?token=").await;
    let link = crate::foreign_user::link_in(&mail, "http://localhost:3000/accesso-utente-estero/nuova-password?token=");
    let form = b.get(&link).await;
    let token = crate::common::input_value(&form.body, "token").expect("token");
    (b, link, token)
}

#[tokio::test]
async fn the_reset_links_second_factor_is_throttled_and_the_link_burns_after_five_wrong_codes() {
    let app = TestApp::new();
    let _ = enrolled(&app).await;
    let (mut b, link, token) = reset_form(&app).await;
    let new = "alba sulle Ande 2031";
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let res = b
            .post_form(
                "/accesso-utente-estero/nuova-password",
                &[("token", &token), ("password", new), ("password_confirm", new), ("code", "000000")],
                false,
            )
            .await;
        if res.status == StatusCode::TOO_MANY_REQUESTS {
            let wait: i64 = res.header(header::RETRY_AFTER).parse().expect("retry-after");
            app.state.clock.advance(Duration::seconds(wait));
            continue;
        }
        statuses.push(res.status);
    }
    // Guesses are slowed down like sign-in…
    assert!(statuses.len() < 5, "some guesses had to wait: {statuses:?}");
    for _ in 0..10 {
        app.state.clock.advance(Duration::minutes(20));
        let res = b
            .post_form(
                "/accesso-utente-estero/nuova-password",
                &[("token", &token), ("password", new), ("password_confirm", new), ("code", "000000")],
                false,
            )
            .await;
        if res.status == StatusCode::BAD_REQUEST {
            assert!(res.body.contains("troppe volte"), "the page says why");
            // …and after five wrong codes the link is dead, even with a right one.
            assert_eq!(b.get(&link).await.status, StatusCode::BAD_REQUEST);
            return;
        }
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    panic!("the link never burnt");
}

#[tokio::test]
async fn after_sign_in_only_paths_of_this_site_are_followed() {
    let app = TestApp::new();
    for next in ["/\t/evil.example", "/\n", "//evil.example", "/\\evil.example", "https://evil.example/"] {
        let mut b = Browser::new(&app);
        let idp = urlenc(&demo(&app, "spid").entity_id);
        let res = b.get(&format!("/saml/login?idp={idp}&level=1&next={}", urlenc(next))).await;
        if next.chars().any(|c| c.is_control() && c != '\t') {
            // No query holds a control character: refused before the sign-in starts.
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{next:?}");
            continue;
        }
        assert_eq!(res.status, StatusCode::FOUND);
        let location = res.header(header::LOCATION).to_string();
        let query = location.split_once('?').expect("query").1;
        let key = app.state.saml.sp.keys.cert.public_key().expect("key");
        let msg = servizi_lavoro::saml::codec::verify_redirect(query, "SAMLRequest", &[key]).expect("signed");
        let doc = roxmltree::Document::parse(&msg.xml).expect("xml");
        let id = doc.root_element().attribute("ID").expect("ID").to_string();
        let xml = spec(&app, &id, Level::L1).signed(&demo(&app, "spid").keys).expect("sign");
        let back = post(&mut b, &xml, &msg.relay_state.expect("relay")).await;
        assert_eq!(back.status, StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(back.header(header::LOCATION), "/area-personale", "{next:?}");
    }
}

#[tokio::test]
async fn a_sign_in_answer_must_come_back_through_the_browser_that_started_it() {
    let app = TestApp::new();
    // The attacker starts a sign-in in their own browser and gets a valid answer…
    let mut attacker = Browser::new(&app);
    let s = start(&mut attacker, "spid", 1).await;
    let xml = spec(&app, &s.request_id, Level::L1).signed(&demo(&app, "spid").keys).expect("sign");
    // …and makes the victim's browser post it: refused, with a page that says why.
    let mut victim = Browser::new(&app);
    let res = post(&mut victim, &xml, &s.relay_state).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.body.contains("stesso browser"), "{}", res.body);
    assert!(victim.get("/area-personale").await.status.is_redirection(), "the victim is not signed in");
    // The login cookie is HttpOnly and lasts as long as the request.
    let mut b = Browser::new(&app);
    let idp = urlenc(&demo(&app, "spid").entity_id);
    let res = b.get(&format!("/saml/login?idp={idp}")).await;
    let cookie = res.cookies().into_iter().find(|c| c.starts_with("sl_login=")).expect("login cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("Max-Age=900"), "{cookie}");
}

#[tokio::test]
async fn a_step_up_by_another_person_ends_the_session() {
    let app = TestApp::new();
    let mut b = crate::common::saml::signed_in(&app, "spid", Level::L1, None).await;
    let s = start(&mut b, "spid", 2).await;
    let mut other = spec(&app, &s.request_id, Level::L2);
    other.attributes = crate::common::saml::giulia_attributes();
    let res = post(&mut b, &other.signed(&demo(&app, "spid").keys).expect("sign"), &s.relay_state).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(b.get("/area-personale").await.status.is_redirection(), "nobody is signed in any more");
}

#[tokio::test]
async fn the_helpdesk_asks_for_level_two_and_records_every_document_view() {
    let app = TestApp::new();
    servizi_lavoro::db::with_conn(&app.state.pool, |c| {
        servizi_lavoro::identity::roles::add(c, "RSSMRA80A01H501U", servizi_lavoro::kernel::Clock::system().now())
    })
    .await
    .expect("operator");
    let mut low = crate::common::saml::signed_in(&app, "spid", Level::L1, None).await;
    let res = low.get("/assistenza").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "a new authentication at level 2");
    assert!(
        res.header(header::LOCATION).starts_with("/saml/login?") && res.header(header::LOCATION).contains("level=2")
    );
    let mut ops = operator(&app).await;
    let id = registered_and_confirmed(&app, &mut ops).await;
    let doc = ops.get(&format!("/assistenza/richieste/{id}/documento")).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(doc.header(header::CONTENT_DISPOSITION).starts_with("attachment"));
    assert!(doc.header(header::CONTENT_SECURITY_POLICY).contains("sandbox"));
    let events =
        servizi_lavoro::db::with_conn(&app.state.pool, |c| servizi_lavoro::access::recent(c, 5)).await.expect("audit");
    let view = events.iter().find(|e| e.resource == format!("foreign-document:{id}")).expect("document view audited");
    assert_eq!(view.outcome.code(), "allowed");
    assert!(view.actor_account_id.is_some());
}

#[tokio::test]
async fn two_operators_deciding_at_once_make_one_decision_and_one_mail() {
    let app = TestApp::new();
    let mut a = operator(&app).await;
    let id = registered_and_confirmed(&app, &mut a).await;
    let mut b = operator(&app).await;
    let path = format!("/assistenza/richieste/{id}/decisione");
    let (ra, rb) = tokio::join!(
        a.post_form(&path, &[("decision", "approve")], false),
        b.post_form(&path, &[("decision", "reject"), ("reason", "documento illeggibile")], false),
    );
    let ok = [ra.status, rb.status].iter().filter(|s| **s == StatusCode::SEE_OTHER).count();
    assert_eq!(ok, 1, "{} {}", ra.status, rb.status);
    use diesel::prelude::*;
    use servizi_lavoro::db::schema::helpdesk_decisions as d;
    let n: i64 =
        servizi_lavoro::db::with_conn(&app.state.pool, |c| d::table.count().get_result(c)).await.expect("count");
    assert_eq!(n, 1);
}

#[tokio::test]
async fn language_links_are_built_from_the_path_only() {
    let app = TestApp::new();
    let res = app.get("//evil.example").await;
    assert!(!res.body.contains("href=\"//evil.example"), "no protocol-relative link");
}

/// SPID's aggregated registry as AgID publishes it: the demo IdP inside an
/// EntitiesDescriptor signed by `signer`.
async fn registry(app: &TestApp, signer: &servizi_lavoro::saml::keys::KeyPair) -> String {
    let metadata = app.get("/demo-idp/spid/metadata").await.body;
    // Without the XML declaration, to sit inside the registry.
    let entity = metadata.split_once("?>").map_or(metadata.as_str(), |(_, e)| e).to_string();
    let template = servizi_lavoro::saml::xmldsig::template("_registry", &signer.cert_b64);
    let xml = format!(
        r#"<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" ID="_registry">{template}{entity}</md:EntitiesDescriptor>"#
    );
    servizi_lavoro::saml::xmldsig::sign(&xml, &signer.key_der).expect("sign the registry")
}

#[tokio::test]
async fn the_aggregated_registry_is_read_only_with_agids_signature() {
    use servizi_lavoro::kernel::Credential;
    use servizi_lavoro::saml::idp::{IdpError, IdpRegistry, MetadataPolicy};
    let app = TestApp::new();
    let agid = crate::common::saml::demo_keys(&app);
    let dir = tempfile::tempdir().expect("dir");
    let signed = dir.path().join("registry.xml");
    std::fs::write(&signed, registry(&app, &agid).await).expect("write");
    let source = signed.to_str().expect("path");
    let agid_cert = agid.cert.to_der().expect("der");
    let production =
        |cert: Option<Vec<u8>>| MetadataPolicy { production: true, registry_cert_der: cert, test_idps_allowed: false };

    assert_eq!(
        IdpRegistry::default()
            .load_source(source, Credential::Spid, &production(Some(agid_cert.clone())))
            .expect("trusted"),
        1
    );
    let other = app.state.saml.sp.keys.cert.to_der().expect("der");
    assert!(matches!(
        IdpRegistry::default().load_source(source, Credential::Spid, &production(Some(other))),
        Err(IdpError::Unsigned { .. })
    ));
    assert!(matches!(
        IdpRegistry::default().load_source(source, Credential::Spid, &production(None)),
        Err(IdpError::Unsigned { .. })
    ));
    // Changed after signing: refused.
    let tampered = dir.path().join("tampered.xml");
    let text = std::fs::read_to_string(&signed).expect("read").replace("/demo-idp/spid/sso", "/evil/sso");
    std::fs::write(&tampered, text).expect("write");
    let t = tampered.to_str().expect("path");
    assert!(IdpRegistry::default().load_source(t, Credential::Spid, &production(Some(agid_cert))).is_err());
    assert!(matches!(
        IdpRegistry::default().load_source("http://registry.example/idps.xml", Credential::Spid, &production(None)),
        Err(IdpError::Insecure { .. })
    ));
}

#[tokio::test]
async fn known_test_identity_providers_are_refused_unless_allowed() {
    use servizi_lavoro::kernel::Credential;
    use servizi_lavoro::saml::idp::{IdpRegistry, MetadataPolicy};
    let app = TestApp::new();
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("validator.xml");
    let entity = app.get("/demo-idp/spid/metadata").await.body;
    let own = demo(&app, "spid").entity_id.clone();
    std::fs::write(&file, entity.replace(&format!("entityID=\"{own}\""), "entityID=\"https://validator.spid.gov.it\""))
        .expect("write");
    let f = file.to_str().expect("path");
    let refused = MetadataPolicy { production: true, registry_cert_der: None, test_idps_allowed: false };
    assert!(
        IdpRegistry::default().load_source(f, Credential::Spid, &refused).is_err(),
        "left out, so nothing is trusted"
    );
    let allowed = MetadataPolicy { test_idps_allowed: true, ..refused };
    let mut idps = IdpRegistry::default();
    assert_eq!(idps.load_source(f, Credential::Spid, &allowed).expect("allowed"), 1);
    assert!(idps.get("https://validator.spid.gov.it").expect("idp").test, "shown as a test IdP");
}

#[tokio::test]
async fn a_password_change_mails_the_person_and_ends_pending_sign_ins_and_reset_links() {
    let app = TestApp::new();
    let (mut ana, _, _) = enrolled(&app).await;
    // Someone who knows the old password is half-way through signing in…
    let (mut other, res) = sign_in_password(&app, "ana.perez@example.com", PASSWORD).await;
    assert_eq!(res.header(header::LOCATION), "/accesso-utente-estero/codice");
    // …and a reset link is outstanding.
    let (mut b, link, _) = reset_form(&app).await;
    let new = "alba sulle Ande 2031";
    let ok = change_password(&mut ana, new).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(
        other.get("/accesso-utente-estero/codice").await.status,
        StatusCode::BAD_REQUEST,
        "pending sign-in over"
    );
    assert_eq!(b.get(&link).await.status, StatusCode::BAD_REQUEST, "reset link void");
    mail_containing(&app, "password del tuo accesso").await;
    assert_eq!(sign_in_password(&app, "ana.perez@example.com", new).await.1.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_one_time_code_is_spent_once_even_when_sent_twice_at_once() {
    use servizi_lavoro::foreign::model;
    let app = TestApp::new();
    let _ = enrolled(&app).await;
    let user = with_user(&app).await;
    let step = user.totp_last_step.unwrap_or(0) + 1;
    let (id, pool) = (user.id, app.state.pool.clone());
    let (a, b) = tokio::join!(
        servizi_lavoro::db::with_conn(&pool, move |c| model::used_step(c, id, step)),
        servizi_lavoro::db::with_conn(&app.state.pool, move |c| model::used_step(c, id, step)),
    );
    assert_eq!([a.expect("a"), b.expect("b")].iter().filter(|ok| **ok).count(), 1, "one of the two spends it");
}

async fn with_user(app: &TestApp) -> servizi_lavoro::foreign::model::ForeignUser {
    servizi_lavoro::db::with_conn(&app.state.pool, |c| {
        servizi_lavoro::foreign::model::by_email(c, "ana.perez@example.com")
    })
    .await
    .expect("query")
    .expect("Ana")
}

#[cfg(unix)]
#[test]
fn the_data_directory_and_the_database_file_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let db = data.join("servizi-lavoro.db");
    servizi_lavoro::db::connect(db.to_str().expect("path"), 1).expect("connect");
    let mode = |p: &std::path::Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&db), 0o600);
}

#[tokio::test]
async fn a_session_ended_during_a_request_is_not_written_back() {
    let app = TestApp::new();
    let (mut ana, _, _) = enrolled(&app).await;
    // Long enough for the request to renew the session (a write at its end).
    app.state.clock.advance(Duration::minutes(2));
    let new = "alba sulle Ande 2031";
    let ok = change_password(&mut ana, new).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert!(ana.get("/area-personale").await.status.is_redirection(), "the session ended with the change stays ended");
}

#[tokio::test]
async fn a_cross_site_step_up_by_another_person_ends_the_first_persons_sessions() {
    let app = TestApp::new();
    let mut mario = crate::common::saml::signed_in(&app, "spid", Level::L1, None).await;
    let s = start(&mut mario, "spid", 2).await;
    // The IdP's POST is cross-site: it arrives with the login cookie but not the session cookie.
    let mut post_only = Browser::new(&app);
    post_only.cookies.insert("sl_login".into(), mario.cookies["sl_login"].clone());
    let mut other = spec(&app, &s.request_id, Level::L2);
    other.attributes = crate::common::saml::giulia_attributes();
    let res = post(&mut post_only, &other.signed(&demo(&app, "spid").keys).expect("sign"), &s.relay_state).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(post_only.get("/area-personale").await.status.is_redirection(), "Giulia is not signed in");
    assert!(mario.get("/area-personale").await.status.is_redirection(), "Mario's session is over too");
}

#[tokio::test]
async fn reset_links_for_one_address_are_limited() {
    let app = TestApp::new();
    let _ = enrolled(&app).await;
    let mut b = Browser::new(&app);
    for _ in 0..5 {
        let res = b
            .post_form("/accesso-utente-estero/password-dimenticata", &[("email", "ana.perez@example.com")], false)
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "the same answer every time");
    }
    let count = || crate::foreign_user::outbox(&app).iter().filter(|m| m.contains("nuova-password?token=")).count();
    for _ in 0..100 {
        if count() >= 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(count(), 3);
}

/// Changes the signed-in Utente Estero's password from PASSWORD to `new`.
async fn change_password(b: &mut Browser<'_>, new: &str) -> crate::common::TestResponse {
    b.post_form(
        "/area-personale/password",
        &[("current", PASSWORD), ("password", new), ("password_confirm", new)],
        false,
    )
    .await
}
