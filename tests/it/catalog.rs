//! The services catalog and the access decision: every service × credential
//! × level × profile, the pages, search and filters, and step-up.

use crate::common::saml::{demo, post, signed_in, spec, urlenc};
use crate::common::TestApp;
use axum::http::{header, StatusCode};
use servizi_lavoro::access::{authorize, Action, Denial, Resource};
use servizi_lavoro::catalog::model::{self, Service};
use servizi_lavoro::kernel::{Credential, Level, Profile, SignedIn};

/// The entry decision for `who` acting in `profile`.
fn decide(who: Option<&SignedIn>, profile: Profile, service: &Service) -> Result<(), Denial> {
    let principal = who.map(|w| crate::common::principal_of(w.clone(), profile, Vec::new()));
    authorize(principal.as_ref(), Action::Enter, &Resource::Service(service.requirements())).map(|_| ())
}

const CREDENTIALS: [Credential; 4] = [Credential::Spid, Credential::Cie, Credential::Eidas, Credential::Foreign];

#[test]
fn every_service_credential_level_and_profile_is_decided_by_the_catalog_rules() {
    let mut checked = 0;
    for service in model::all() {
        assert_eq!(decide(None, Profile::Cittadino, service), Err(Denial::SignIn), "{}", service.slug);
        for credential in CREDENTIALS {
            for level in Level::ALL {
                for profile in Profile::ALL {
                    let got = decide(Some(&crate::common::person(credential, level)), profile, service);
                    let expected = if !service.credentials.contains(&credential) {
                        Err(Denial::Credential { allowed: service.credentials.clone() })
                    } else if !service.audience.contains(&profile) {
                        Err(Denial::Profile { needed: service.audience.clone() })
                    } else if level < service.min_level {
                        // Password + code stops at level 2; the others can authenticate again higher.
                        Err(Denial::Level {
                            needed: service.min_level,
                            step_up: credential != Credential::Foreign || service.min_level <= Level::L2,
                        })
                    } else {
                        Ok(())
                    };
                    assert_eq!(got, expected, "{} {credential:?} {level:?} {profile:?}", service.slug);
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 24 * 4 * 3 * 3);
}

#[test]
fn spot_checks_written_by_hand() {
    let find = |s: &str| model::find(s).expect(s);
    // A citizen with SPID level 1 must step up for the resignation service.
    assert_eq!(
        decide(
            Some(&crate::common::person(Credential::Spid, Level::L1)),
            Profile::Cittadino,
            find("dimissioni-volontarie")
        ),
        Err(Denial::Level { needed: Level::L2, step_up: true })
    );
    // CIE is level 3: nothing to step up.
    assert_eq!(
        decide(
            Some(&crate::common::person(Credential::Cie, Level::L3)),
            Profile::Cittadino,
            find("dimissioni-volontarie")
        ),
        Ok(())
    );
    // A foreign company posting workers.
    assert_eq!(
        decide(
            Some(&crate::common::person(Credential::Foreign, Level::L2)),
            Profile::Azienda,
            find("distacco-transnazionale")
        ),
        Ok(())
    );
    // Usuranti: SPID and CIE only.
    assert!(matches!(
        decide(Some(&crate::common::person(Credential::Eidas, Level::L2)), Profile::Azienda, find("usuranti")),
        Err(Denial::Credential { .. })
    ));
    // CIGSonline is not for citizens.
    assert!(matches!(
        decide(Some(&crate::common::person(Credential::Spid, Level::L2)), Profile::Cittadino, find("cigsonline")),
        Err(Denial::Profile { .. })
    ));
}

#[tokio::test]
async fn an_eidas_session_is_offered_exactly_the_services_open_abroad() {
    let app = TestApp::new();
    let mut b = signed_in(
        &app,
        "eidas",
        Level::L2,
        Some(&[("spidCode", "FR/IT/1"), ("name", "Sophie"), ("familyName", "Martin")]),
    )
    .await;
    let page = b.get("/servizi").await;
    assert_eq!(page.status, StatusCode::OK);
    // As a citizen, one of the four is usable now, and Dimissioni volontarie (a level 2 service,
    // open to notified eIDAS credentials); the other three need a company or intermediary profile.
    assert!(page.body.contains("Puoi usarli ora (2)"), "{}", page.body);
    let later = page.body.split("id=\"later-heading\"").nth(1).expect("later section");
    let now = page.body.split("id=\"later-heading\"").next().expect("now section");
    assert!(
        now.contains("/servizi/riconoscimento-qualifiche-professionali")
            && now.contains("/servizi/dimissioni-volontarie\"")
    );
    // Grouped by reason, each reason said once.
    let groups: Vec<&str> = later.split("class=\"later-group\"").skip(1).collect();
    for slug in ["cabotaggio", "delocalizzazione-call-center", "distacco-transnazionale"] {
        let group = groups.iter().find(|g| g.contains(&format!("/servizi/{slug}\""))).expect(slug);
        assert!(group.contains("Questi servizi sono per"), "{slug}: a profile remedy, not a credential one");
    }
    // An eIDAS user cannot get SPID or CIE: told so once, not "sign in with SPID" on every card.
    assert_eq!(later.matches("richiedono SPID o CIE").count(), 1);
    assert!(!later.contains("Esci e accedi con"));
    let credential_group = groups.iter().find(|g| g.contains("richiedono SPID o CIE")).expect("credential group");
    assert_eq!(credential_group.matches("<li>").count(), 19, "the other 19 services are for SPID and CIE");
    // One service's own page speaks of that one service.
    let one = b.get("/servizi/silen").await.body;
    assert!(one.contains("Questo servizio richiede SPID o CIE") && !one.contains("Questi servizi"), "{one}");
}

#[tokio::test]
async fn a_citizen_at_level_one_finds_dimissioni_among_what_they_can_use_now() {
    let app = TestApp::new();
    let mut b = signed_in(&app, "spid", Level::L1, None).await;
    for (lang, note) in [("it", "Chiede il livello 2"), ("en", "Asks for level 2")] {
        let page = b.get(&format!("/servizi?lang={lang}")).await.body;
        let now = page.split("id=\"later-heading\"").next().expect("now section");
        let card = now.split("<li class=\"card service\">").find(|c| c.contains("/servizi/dimissioni-volontarie\""));
        let card = card.unwrap_or_else(|| panic!("{lang}: Dimissioni volontarie is usable now: {now}"));
        assert!(card.contains(note), "{lang}: the card says the service asks for level 2");
        assert!(!page.split("id=\"later-heading\"").nth(1).unwrap_or("").contains("/servizi/dimissioni-volontarie\""));
    }
}

#[tokio::test]
async fn a_level_one_session_steps_up_to_level_two_and_lands_in_the_service() {
    let app = TestApp::new();
    let mut b = signed_in(&app, "spid", Level::L1, None).await;
    let res = b.get("/servizi/dimissioni-volontarie/accedi").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let login = res.header(header::LOCATION).to_string();
    let idp = demo(&app, "spid").entity_id.clone();
    assert_eq!(
        login,
        format!("/saml/login?idp={}&level=2&next=%2Fservizi%2Fdimissioni-volontarie%2Faccedi", urlenc(&idp))
    );
    // The new AuthnRequest asks level 2 and forces a new authentication.
    let to_idp = b.get(&login).await;
    let query = to_idp.header(header::LOCATION).split_once('?').expect("query").1.to_string();
    let sp_key = app.state.saml.sp.keys.cert.public_key().expect("key");
    let msg = servizi_lavoro::saml::codec::verify_redirect(&query, "SAMLRequest", &[sp_key]).expect("signed");
    assert!(msg.xml.contains("ForceAuthn=\"true\"") && msg.xml.contains("https://www.spid.gov.it/SpidL2"));
    let doc = roxmltree::Document::parse(&msg.xml).expect("xml");
    let request_id = doc.root_element().attribute("ID").expect("id").to_string();
    let xml = spec(&app, &request_id, Level::L2).signed(&demo(&app, "spid").keys).expect("sign");
    let back = post(&mut b, &xml, &msg.relay_state.expect("relay")).await;
    assert_eq!(back.header(header::LOCATION), "/servizi/dimissioni-volontarie/accedi");
    let enter = b.get("/servizi/dimissioni-volontarie/accedi").await;
    assert_eq!(enter.status, StatusCode::SEE_OTHER);
    // Built into the portal: the service is one of our pages, open at level 2.
    assert_eq!(enter.header(header::LOCATION), "/dimissioni-volontarie");
    assert_eq!(b.get("/dimissioni-volontarie").await.status, StatusCode::OK);
    let home = b.get("/").await;
    let recent = home.body.split("id=\"recent-heading\"").nth(1).expect("recently used");
    assert!(recent.contains("/servizi/dimissioni-volontarie"));
}

#[tokio::test]
async fn refusals_explain_the_remedy_and_anonymous_people_are_sent_to_sign_in() {
    let app = TestApp::new();
    let anon = app.get("/servizi/smart-working/accedi").await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
    assert_eq!(anon.header(header::LOCATION), "/accedi?next=%2Fservizi%2Fsmart-working%2Faccedi");
    // A level-2 service: the sign-in asks for level 2 the first time, and says so.
    let l2 = app.get("/servizi/dimissioni-volontarie/accedi").await;
    assert_eq!(l2.header(header::LOCATION), "/accedi?next=%2Fservizi%2Fdimissioni-volontarie%2Faccedi&livello=2");
    let choice = app.get(l2.header(header::LOCATION)).await.body;
    assert!(choice.contains("richiede un accesso di livello 2") && choice.contains("level=2"));
    assert_eq!(app.get("/servizi/non-esiste/accedi").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/servizi/non-esiste").await.status, StatusCode::NOT_FOUND);
    let mut b =
        signed_in(&app, "eidas", Level::L2, Some(&[("spidCode", "FR/IT/2"), ("name", "S"), ("familyName", "M")])).await;
    let res = b.get("/servizi/usuranti/accedi?lang=en").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.body.contains("This service needs SPID or CIE, which cannot be used with your kind of sign-in"));
    let res = b.get("/servizi/cabotaggio/accedi?lang=it").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.body.contains("Associa il profilo"));
}

#[tokio::test]
async fn search_and_filters_are_plain_get_forms() {
    let app = TestApp::new();
    let count = |body: &str| body.matches("class=\"card service\"").count();
    let all = app.get("/servizi").await;
    assert_eq!(count(&all.body), 24);
    assert!(all.body.contains("24 servizi trovati"));
    let res = app.get("/servizi?q=dimissioni").await;
    assert_eq!(count(&res.body), 2);
    assert!(res.body.contains("value=\"dimissioni\""), "the query stays in the field");
    let res = app.get("/servizi?q=resignation&lang=en").await;
    assert_eq!(count(&res.body), 2);
    assert!(res.body.contains("Voluntary resignation"));
    let res = app.get("/servizi?categoria=mobilita-internazionale").await;
    assert_eq!(count(&res.body), 4);
    let res = app.get("/servizi?pubblico=cittadino").await;
    let citizens = model::all().iter().filter(|s| s.audience.contains(&Profile::Cittadino)).count();
    assert_eq!(count(&res.body), citizens);
    assert!(res.body.contains("<option value=\"cittadino\" selected"));
    let res = app.get("/servizi?q=zzzz").await;
    assert!(res.body.contains("0 servizi trovati"));
    let detail = app.get("/servizi/dimissioni-volontarie?lang=en").await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(
        detail.body.contains("File your own resignation")
            && detail.body.contains("href=\"/servizi/dimissioni-volontarie/accedi\"")
    );
}

/// Filters arrive typed (`Query<CatalogQuery>`): one that fits nothing is
/// ignored, a query the reader cannot read is a localized 400, never a 500.
#[tokio::test]
async fn the_catalog_reads_its_filters_from_the_query_and_ignores_what_fits_nothing() {
    let app = TestApp::new();
    let mut b = crate::common::Browser::new(&app);
    let found = b.get("/servizi?q=dimissioni").await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(found.body.contains("Dimissioni volontarie"));
    assert!(!found.body.contains("CIGSonline"), "the words filter the list");
    assert!(b.get("/servizi").await.body.contains("CIGSonline"), "without words, every service");
    let odd = b.get("/servizi?pubblico=marziani&categoria=nessuna&altro=1").await;
    assert_eq!(odd.status, StatusCode::OK, "a value that fits no filter is ignored");
    let twice = b.get("/servizi?q=a&q=b").await;
    assert_eq!(twice.status, StatusCode::BAD_REQUEST);
    assert!(twice.body.contains("<html"), "the portal's own error page: {}", twice.body);
}

/// Nothing hydrates, so pages go out without Leptos's hydration markers
/// (`<!>`), anonymous or signed in, cached fragment or not, in both languages.
#[tokio::test]
async fn pages_carry_no_hydration_markers() {
    let app = TestApp::new();
    let mut anonymous = crate::common::Browser::new(&app);
    let mut mario = signed_in(&app, "spid", Level::L2, None).await;
    for path in ["/", "/?lang=en", "/servizi", "/accedi", "/servizi/dimissioni-volontarie"] {
        let page = anonymous.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(!page.body.contains("<!>"), "{path}");
    }
    for path in ["/servizi", "/servizi?lang=en", "/area-personale", "/deleghe", "/clienti", "/profili"] {
        let page = mario.get(path).await;
        assert!(!page.body.contains("<!>"), "{path} ({})", page.status);
    }
}

/// `/servizi` is rendered once for everyone it looks the same to (same
/// credential, level, profile and query); the header stays each person's
/// own: their name, their profile, their session's end, the way out.
#[tokio::test]
async fn a_catalog_shared_by_people_alike_shows_each_their_own_header() {
    let app = TestApp::new();
    let mut mario = crate::common::people::mario(&app).await;
    let mut giulia = crate::common::people::giulia(&app).await;
    let header = |page: &str| page.split("</header>").next().unwrap_or_default().to_string();
    let (m1, g1, m2) =
        (mario.get("/servizi").await.body, giulia.get("/servizi").await.body, mario.get("/servizi").await.body);
    for (page, own, other) in [
        (&m1, "Mario Rossi", "Giulia Bianchi"),
        (&g1, "Giulia Bianchi", "Mario Rossi"),
        (&m2, "Mario Rossi", "Giulia Bianchi"),
    ] {
        let header = header(page);
        assert!(header.contains(own) && !page.contains(other), "{own}'s page: {header}");
        assert!(header.contains("Stai operando come: Cittadino") && header.contains(r#"action="/esci""#), "{header}");
        assert!(!page.contains("sl:account"), "the slot is filled");
        assert!(header.contains("Sessione attiva fino alle "), "{header}");
    }
    // The same body: one decision, shared.
    let body = |page: &str| page.split("</header>").nth(1).unwrap_or_default().to_string();
    assert_eq!(body(&m1), body(&g1));
}
