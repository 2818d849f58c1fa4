//! Account care: the sessions page (close one, sign out everywhere), the
//! session's end shown on every page and a longer limit on request (with a
//! controllable clock), a form posted after the session ended kept and
//! offered back, and sign-in alerts with their "this wasn't me" path.
use crate::common::people::mario;
use crate::common::saml::{post, spec, start};
use crate::common::{Browser, TestApp};
use axum::http::{header, StatusCode};
use chrono::Duration;
use servizi_lavoro::kernel::Level;

/// Signs Mario in within `b` (keeping its cookies).
async fn sign_in(app: &TestApp, b: &mut Browser<'_>) {
    let s = start(b, "spid", 2).await;
    let xml = spec(app, &s.request_id, Level::L2).signed(&crate::common::saml::demo_keys(app)).expect("sign");
    assert_eq!(post(b, &xml, &s.relay_state).await.status, StatusCode::SEE_OTHER);
}

/// Mario signed in, then 31 minutes without activity: the session has ended.
async fn signed_in_then_idle(app: &TestApp) -> Browser<'_> {
    let mut m = Browser::new(app);
    sign_in(app, &mut m).await;
    app.state.clock.advance(Duration::minutes(31));
    m
}

fn signed_in(html: &str) -> bool {
    html.contains("Stai operando come")
}

#[tokio::test]
async fn sessions_are_listed_closed_one_by_one_or_everywhere() {
    let app = TestApp::new();
    let mut a = mario(&app).await;
    let mut b = mario(&app).await;
    let page = a.get("/area-personale/sessioni").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body.matches("Chiudi la sessione").count(), 1, "the other one");
    let button = page.body.split("Chiudi la sessione").nth(1).and_then(|r| r.split("</button>").next()).unwrap_or("");
    assert!(button.contains(r#"class="visually-hidden""#), "the button names the session it closes: {button}");
    assert!(page.body.contains("Questa sessione"));
    let other = crate::common::input_value(&page.body, "sessione").expect("reference");
    assert_eq!(
        a.post_form("/area-personale/sessioni/chiudi", &[("sessione", "0000000000000000")], false).await.status,
        StatusCode::NOT_FOUND
    );
    // Someone else cannot close Mario's session by its reference.
    let mut l = crate::common::people::luca(&app).await;
    assert_eq!(
        l.post_form("/area-personale/sessioni/chiudi", &[("sessione", &other)], false).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(signed_in(&b.get("/").await.body));
    let ended = a.post_form("/area-personale/sessioni/chiudi", &[("sessione", &other)], false).await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER);
    // A banner confirms it.
    let confirmed = a.get(ended.header(header::LOCATION)).await.body;
    assert!(confirmed.contains("banner--success") && confirmed.contains("Sessione chiusa"), "{confirmed}");
    assert!(!signed_in(&b.get("/").await.body), "closed from the other browser");
    // Everywhere: the others at once, this one through the sign-out.
    let mut c = mario(&app).await;
    let res = a.post_form("/area-personale/sessioni/chiudi", &[("tutte", "si")], false).await;
    assert_eq!((res.status, res.header(header::LOCATION)), (StatusCode::TEMPORARY_REDIRECT, "/esci"));
    assert!(!signed_in(&c.get("/").await.body));
}

#[tokio::test]
async fn every_page_says_when_the_session_ends_and_a_longer_limit_can_be_chosen() {
    let app = TestApp::new();
    let mut m = mario(&app).await;
    assert!(m.get("/").await.body.contains("Sessione attiva fino alle"));
    // The default: 30 minutes without activity end it.
    app.state.clock.advance(Duration::minutes(31));
    assert!(!signed_in(&m.get("/").await.body));
    // Ten times longer, on request.
    let mut m = mario(&app).await;
    let res = m.post_form("/area-personale/sessioni/preferenze", &[("durata", "lunga")], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    // Saved, and said so.
    let saved = m.get(res.header(header::LOCATION)).await.body;
    assert!(saved.contains("Scelte salvate") && saved.contains(r#"role="status""#));
    assert!(!m.get("/area-personale/sessioni").await.body.contains("Scelte salvate"));
    assert!(m.get("/area-personale/sessioni").await.body.contains(r#"value="lunga" checked"#));
    app.state.clock.advance(Duration::minutes(120));
    assert!(signed_in(&m.get("/").await.body), "still in after two hours without activity");
    assert_eq!(
        m.post_form("/area-personale/sessioni/preferenze", &[("durata", "per-sempre")], false).await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn a_form_posted_after_the_session_ended_is_kept_and_offered_back() {
    let app = TestApp::new();
    let mut m = signed_in_then_idle(&app).await;
    let res = m.post_form("/area-personale/sessioni/preferenze", &[("durata", "lunga")], false).await;
    assert_eq!(
        (res.status, res.header(header::LOCATION)),
        (StatusCode::SEE_OTHER, "/accedi?next=%2Fmoduli-conservati")
    );
    assert!(res.cookies().iter().any(|c| c.starts_with("sl_kept=")));
    // The sign-in page says why, and that the form was kept.
    let why = m.get("/accedi?next=%2Fmoduli-conservati").await.body;
    assert!(why.contains("La sessione era scaduta") && why.contains("non è andato perso"), "{why}");
    let kept_form = r#"action="/area-personale/sessioni/preferenze""#;
    // Someone else signing in on that browser is not shown Mario's form.
    let s = start(&mut m, "spid", 2).await;
    let mut luca = spec(&app, &s.request_id, Level::L2);
    let luca_cf = format!("TINIT-{}", crate::common::people::cf_of("luca"));
    luca.attributes = [("name", "Luca"), ("familyName", "Verdi"), ("fiscalNumber", luca_cf.as_str())]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let xml = luca.signed(&crate::common::saml::demo_keys(&app)).expect("sign");
    assert_eq!(post(&mut m, &xml, &s.relay_state).await.status, StatusCode::SEE_OTHER);
    let page = m.get("/moduli-conservati").await.body;
    assert!(!page.contains(kept_form), "not Luca's to see: {page}");
    m.post_form("/esci", &[], false).await;
    // Mario, signing in again, is.
    sign_in(&app, &mut m).await;
    let kept = m.get("/moduli-conservati").await.body;
    assert!(kept.contains(kept_form) && kept.contains(r#"value="lunga""#), "{kept}");
    // Named, with its fields' labels and values in words; no field name shown.
    assert!(kept.contains("<h2>Scelte sulle sessioni</h2>"), "{kept}");
    assert!(kept.contains("<dt>Dopo quanto tempo senza attività finisce la sessione</dt>"), "{kept}");
    assert!(kept.contains("Più tempo per leggere e compilare") && !kept.contains("<dt>durata</dt>"), "{kept}");
    // Sent again, it is done and not offered a second time.
    let again = m.post_form("/area-personale/sessioni/preferenze", &[("durata", "lunga")], false).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert!(!m.get("/moduli-conservati").await.body.contains(kept_form));
    // Another browser has nothing kept.
    let mut other = mario(&app).await;
    assert!(!other.get("/moduli-conservati").await.body.contains(kept_form));
}

#[tokio::test]
async fn without_a_session_whose_owner_is_known_nothing_is_kept() {
    let app = TestApp::new();
    let mut m = signed_in_then_idle(&app).await;
    // Any page after the expiry: the session's cookie is gone from the browser.
    m.get("/").await;
    let res = m.post_form("/area-personale/sessioni/preferenze", &[("durata", "lunga")], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(!res.cookies().iter().any(|c| c.starts_with("sl_kept=")), "nothing kept for nobody in particular");
    // The next person on that browser finds nothing.
    let mut other = Browser::new(&app);
    other.post_form("/area-personale/sessioni/preferenze", &[("durata", "lunga")], false).await;
    sign_in(&app, &mut other).await;
    assert!(!other.get("/moduli-conservati").await.body.contains("preferenze"));
}

#[tokio::test]
async fn a_sign_in_from_a_new_browser_is_mailed_and_this_wasnt_me_ends_every_session() {
    let app = TestApp::new();
    let mut first = mario(&app).await;
    first.get("/").await;
    assert!(
        !crate::foreign_user::outbox(&app).iter().any(|m| m.contains("Nuovo accesso")),
        "the first browser is not news"
    );
    let mut second = mario(&app).await;
    second.get("/").await;
    let mail = crate::foreign_user::mail_containing(&app, "che non avevi usato prima").await;
    assert!(mail.contains("To: mario.rossi@example.org"));
    let link = crate::foreign_user::link_in(&mail, "http://localhost:3000/area-personale/non-ero-io?token=");
    let mut anyone = Browser::new(&app);
    let page = anyone.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    let token = crate::common::input_value(&page.body, "token").expect("token");
    let res = anyone.post_form("/area-personale/non-ero-io", &[("token", &token)], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let case = res.header(header::LOCATION).to_string();
    assert!(case.starts_with("/supporto/richieste/URP-"));
    assert!(anyone.get(&case).await.body.contains("accesso non riconosciuto"));
    assert!(!signed_in(&first.get("/").await.body) && !signed_in(&second.get("/").await.body), "every session ended");
    assert_eq!(
        anyone.post_form("/area-personale/non-ero-io", &[("token", &token)], false).await.status,
        StatusCode::NOT_FOUND
    );
    // Asking for every sign-in: the same browser is reported too.
    let mut again = Browser::new(&app);
    sign_in(&app, &mut again).await;
    again
        .post_form("/area-personale/sessioni/preferenze", &[("durata", "predefinita"), ("avvisi", "ogni")], false)
        .await;
    let before = crate::foreign_user::outbox(&app).iter().filter(|m| m.contains("Nuovo accesso")).count();
    sign_in(&app, &mut again).await;
    again.get("/").await;
    let after = crate::foreign_user::mail_containing(&app, "Nuovo accesso").await;
    assert!(!after.is_empty());
    for _ in 0..50 {
        if crate::foreign_user::outbox(&app).iter().filter(|m| m.contains("Nuovo accesso")).count() > before {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no alert for a sign-in from a known browser with alerts for every sign-in");
}
