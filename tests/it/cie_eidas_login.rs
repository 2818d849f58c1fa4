//! Signing in with CIE and with eIDAS, in-process: their AuthnRequests, one
//! account per person across SPID and CIE, eIDAS people never mistaken for
//! codice-fiscale holders, and CIE's local-only logout.

use crate::common::saml::{demo, post, spec, start};
use crate::common::{Browser, TestApp};
use axum::http::{header, StatusCode};
use diesel::prelude::*;
use servizi_lavoro::auth::demo_idp::issue::ResponseSpec;
use servizi_lavoro::db::schema::accounts;
use servizi_lavoro::kernel::Level;

/// A Response from the demo IdP of `kind` with the given attributes.
fn spec_from(app: &TestApp, kind: &str, request_id: &str, level: Level, attributes: &[(&str, &str)]) -> ResponseSpec {
    let mut s = spec(app, request_id, level);
    s.issuer = demo(app, kind).entity_id.clone();
    s.attributes = attributes.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    s
}

const MARIO_CIE: &[(&str, &str)] = &[
    ("name", "Mario"),
    ("familyName", "Rossi"),
    ("fiscalNumber", "TINIT-RSSMRA80A01H501U"),
    ("dateOfBirth", "1980-01-01"),
];

async fn accounts_of(app: &TestApp) -> Vec<(String, String)> {
    servizi_lavoro::db::with_conn(&app.state.pool, |c| {
        accounts::table.order(accounts::id).select((accounts::id_kind, accounts::identifier)).load(c)
    })
    .await
    .expect("accounts")
}

async fn sign_in<'a>(app: &'a TestApp, kind: &str, level: Level, attributes: &[(&str, &str)]) -> Browser<'a> {
    let mut b = Browser::new(app);
    let s = start(&mut b, kind, level.number()).await;
    let keys = demo(app, kind).keys.clone();
    let xml = spec_from(app, kind, &s.request_id, level, attributes).signed(&keys).expect("sign");
    let res = post(&mut b, &xml, &s.relay_state).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{kind}: {}", res.body);
    b
}

#[tokio::test]
async fn the_cie_authn_request_names_the_sso_location_as_destination() {
    let app = TestApp::new();
    let mut b = Browser::new(&app);
    let s = start(&mut b, "cie", 1).await;
    let doc = roxmltree::Document::parse(&s.xml).expect("xml");
    let root = doc.root_element();
    assert_eq!(root.attribute("Destination"), Some(demo(&app, "cie").sso_url.as_str()));
    let comparison = root
        .descendants()
        .find(|n| n.tag_name().name() == "RequestedAuthnContext")
        .and_then(|n| n.attribute("Comparison"));
    assert!(matches!(comparison, Some("minimum" | "exact")));
}

#[tokio::test]
async fn cie_and_spid_sign_ins_of_one_person_land_in_one_account() {
    let app = TestApp::new();
    let mut cie = sign_in(&app, "cie", Level::L3, MARIO_CIE).await;
    let page = cie.get("/area-personale").await;
    assert!(page.body.contains("Benvenuto, Mario Rossi"));
    assert!(
        page.body.contains("Carta d&#x27;Identità Elettronica") || page.body.contains("Carta d'Identità Elettronica"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Livello 3"));
    // Then Mario signs in with SPID (spec() carries his SPID attributes).
    let mut spid = Browser::new(&app);
    let s = start(&mut spid, "spid", 1).await;
    let xml = spec(&app, &s.request_id, Level::L1).signed(&demo(&app, "spid").keys).expect("sign");
    assert_eq!(post(&mut spid, &xml, &s.relay_state).await.status, StatusCode::SEE_OTHER);
    let page = spid.get("/area-personale").await;
    assert!(page.body.contains("con CIE"), "the previous access was the CIE one: {}", page.body);
    let all = accounts_of(&app).await;
    assert_eq!(all.iter().filter(|(k, id)| k == "cf" && id == "RSSMRA80A01H501U").count(), 1, "{all:?}");
}

#[tokio::test]
async fn cie_sign_out_is_local_only() {
    let app = TestApp::new();
    let mut b = sign_in(&app, "cie", Level::L3, MARIO_CIE).await;
    let res = b.post_form("/esci", &[], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.header(header::LOCATION), "/uscita", "no SAML logout towards CIE");
    assert!(b.get("/area-personale").await.status.is_redirection());
}

#[tokio::test]
async fn the_eidas_request_asks_the_minimum_set_at_level_two_or_more() {
    let app = TestApp::new();
    let mut b = Browser::new(&app);
    let s = start(&mut b, "eidas", 1).await;
    let doc = roxmltree::Document::parse(&s.xml).expect("xml");
    let root = doc.root_element();
    assert_eq!(root.attribute("AttributeConsumingServiceIndex"), Some("99"));
    assert_eq!(root.attribute("ForceAuthn"), Some("true"));
    let acr = root.descendants().find(|n| n.tag_name().name() == "AuthnContextClassRef").and_then(|n| n.text());
    assert_eq!(acr, Some("https://www.spid.gov.it/SpidL2"));
}

#[tokio::test]
async fn an_eidas_person_is_keyed_by_the_eidas_identifier_never_as_a_codice_fiscale() {
    let app = TestApp::new();
    // Mario, a codice-fiscale holder, first.
    let mut b = Browser::new(&app);
    let s = start(&mut b, "spid", 1).await;
    let xml = spec(&app, &s.request_id, Level::L1).signed(&demo(&app, "spid").keys).expect("sign");
    post(&mut b, &xml, &s.relay_state).await;
    // An EU citizen whose eIDAS identifier happens to look like Mario's codice fiscale.
    let mut eu = sign_in(
        &app,
        "eidas",
        Level::L2,
        &[
            ("spidCode", "RSSMRA80A01H501U"),
            ("name", "Sophie"),
            ("familyName", "Martin"),
            ("dateOfBirth", "1988-05-17"),
        ],
    )
    .await;
    let page = eu.get("/area-personale").await;
    assert!(page.body.contains("Benvenuto, Sophie Martin"));
    assert!(page.body.contains("Identificativo eIDAS"));
    let all = accounts_of(&app).await;
    assert_eq!(
        all,
        vec![("cf".to_string(), "RSSMRA80A01H501U".to_string()), ("eidas".to_string(), "RSSMRA80A01H501U".to_string())]
    );
    // With a TINIT fiscalNumber besides, the account is still the eIDAS one.
    sign_in(
        &app,
        "eidas",
        Level::L2,
        &[
            ("spidCode", "FR/IT/0A1B2C3D4E5F"),
            ("fiscalNumber", "TINIT-MRTSPH88E57Z110X"),
            ("name", "Sophie"),
            ("familyName", "Martin"),
        ],
    )
    .await;
    let all = accounts_of(&app).await;
    assert!(all.contains(&("eidas".to_string(), "FR/IT/0A1B2C3D4E5F".to_string())));
    assert_eq!(all.iter().filter(|(k, _)| k == "cf").count(), 1);
}

#[tokio::test]
async fn an_eidas_answer_without_identifier_is_refused() {
    let app = TestApp::new();
    let mut b = Browser::new(&app);
    let s = start(&mut b, "eidas", 2).await;
    let xml = spec_from(&app, "eidas", &s.request_id, Level::L2, &[("name", "Sophie"), ("familyName", "Martin")])
        .signed(&demo(&app, "eidas").keys)
        .expect("sign");
    let res = post(&mut b, &xml, &s.relay_state).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(accounts_of(&app).await.is_empty());
}

#[tokio::test]
async fn the_metadata_carries_the_eidas_sets_and_the_cie_profile() {
    let app = TestApp::new();
    let spid = app.get("/saml/metadata").await.body;
    assert!(spid.contains(r#"<md:AttributeConsumingService index="99">"#));
    assert!(spid.contains(r#"<md:AttributeConsumingService index="100">"#));
    assert!(spid.contains("eIDAS Natural Person Minimum Attribute Set"));
    let res = app.get("/saml/cie/metadata").await;
    assert_eq!(res.status, StatusCode::OK);
    let cie = res.body;
    assert!(cie.contains("xmlns:cie=\"https://www.cartaidentita.interno.gov.it/saml-extensions\""));
    assert!(cie.contains(r#"contactType="administrative""#) && !cie.contains(r#"contactType="other""#));
    assert!(
        cie.contains("<cie:Public/><cie:IPACode>m_lps</cie:IPACode>")
            && cie.contains("<cie:Municipality>H501</cie:Municipality>")
    );
    let requested: Vec<&str> =
        cie.split("RequestedAttribute Name=\"").skip(1).filter_map(|p| p.split('"').next()).collect();
    assert_eq!(requested, vec!["name", "familyName", "fiscalNumber", "dateOfBirth"]);
    let cert = app.state.saml.sp.keys.cert.to_der().expect("der");
    servizi_lavoro::saml::xmldsig::verify_and_reduce(&cie, &[cert]).expect("signed");
}

#[tokio::test]
async fn the_login_choice_offers_all_four_ways() {
    let app = TestApp::new();
    for (lang, texts) in [
        ("it", ["Entra con SPID", "Entra con CIE", "Login with eIDAS", "Registrati come Utente Estero"]),
        ("en", ["Sign in with SPID", "Entra con CIE", "Login with eIDAS", "Register as a foreign user"]),
    ] {
        let page = app.get(&format!("/accedi?lang={lang}")).await;
        for t in texts {
            assert!(page.body.contains(t), "{lang}: {t}");
        }
        for kind in ["cie", "eidas"] {
            let entity = crate::common::saml::urlenc(&demo(&app, kind).entity_id);
            assert!(page.body.contains(&format!("/saml/login?idp={entity}")), "{lang}: link to {kind}");
        }
        assert!(page.body.contains("href=\"/registrazione-utente-estero\""));
    }
}

#[tokio::test]
async fn the_spid_and_cie_buttons_are_the_official_ones_served_by_us() {
    let app = TestApp::new();
    for lang in ["it", "en"] {
        let page = app.get(&format!("/accedi?lang={lang}")).await.body;
        // AgID's button: the kit's icon, then the words, as the summary of the providers' list.
        let spid = page.find("<summary class=\"spid-button\">").expect("the SPID button");
        let icon = page[spid..].find("/assets/spid-ico-circle-bb.").expect("the SPID icon") + spid;
        assert!(icon < page[spid..].find("</summary>").expect("end") + spid, "{lang}: the icon is in the button");
        for link in ["https://www.spid.gov.it/", "https://www.spid.gov.it/serve-aiuto/"] {
            assert!(page.contains(&format!("href=\"{link}")), "{lang}: the kit's link {link}");
        }
        // The Poligrafico's button is its image, named by the words it shows.
        assert!(page.contains(r#"alt="Entra con CIE" lang="it""#), "{lang}: the CIE button's name");
        for asset in ["spid-ico-circle-bb.", "entra-con-cie."] {
            let at = page.find(&format!("/assets/{asset}")).expect("asset link");
            let url = &page[at..at + page[at..].find('"').expect("end of URL")];
            let served = app.get(url).await;
            assert_eq!(served.status, StatusCode::OK, "{url}");
            assert!(served.body.starts_with("<svg"), "{url} is the kit's SVG");
        }
    }
}

#[tokio::test]
async fn two_first_sign_ins_of_one_person_at_once_both_succeed_with_one_account() {
    let app = TestApp::new();
    for _ in 0..5 {
        let (mut a, mut b) = (Browser::new(&app), Browser::new(&app));
        let (sa, sb) = (start(&mut a, "cie", 3).await, start(&mut b, "spid", 1).await);
        let who: &[(&str, &str)] = &[
            ("name", "Nuova"),
            ("familyName", "Persona"),
            ("fiscalNumber", "TINIT-BNCGLI85M41F205B"),
            ("dateOfBirth", "1985-08-01"),
        ];
        let xa = spec_from(&app, "cie", &sa.request_id, Level::L3, who).signed(&demo(&app, "cie").keys).expect("sign");
        let xb =
            spec_from(&app, "spid", &sb.request_id, Level::L1, who).signed(&demo(&app, "spid").keys).expect("sign");
        let (ra, rb) = tokio::join!(post(&mut a, &xa, &sa.relay_state), post(&mut b, &xb, &sb.relay_state));
        assert_eq!((ra.status, rb.status), (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER), "{} {}", ra.body, rb.body);
    }
    let all = accounts_of(&app).await;
    assert_eq!(all.len(), 1, "{all:?}");
}
