//! Profiles: associating a company the registry names you for, switching
//! between profiles without signing out, and the catalog following the
//! profile; other people's ids give nothing; a removed member is back to
//! Cittadino on the next request.
use crate::common::saml::signed_in;
use crate::common::{Browser, TestApp};
use axum::http::{header, StatusCode};
use servizi_lavoro::db::with_conn;
use servizi_lavoro::kernel::Level;
use servizi_lavoro::kernel::MembershipId;

const COMPANY: &str = "01234567897";

fn giulia_cf() -> String {
    servizi_lavoro::auth::demo_idp::people::find("giulia").and_then(|p| p.codice_fiscale()).expect("cf")
}

async fn giulia(app: &TestApp) -> Browser<'_> {
    let cf = format!("TINIT-{}", giulia_cf());
    let attributes = [("name", "Giulia"), ("familyName", "Bianchi"), ("fiscalNumber", cf.as_str())];
    signed_in(app, "spid", Level::L2, Some(&attributes)).await
}

async fn with_registry() -> TestApp {
    let app = TestApp::new();
    let (cf, now) = (giulia_cf(), chrono::Utc::now().naive_utc());
    with_conn(&app.state.pool, move |c| servizi_lavoro::registry::seed_demo(c, &cf, now)).await.expect("registry");
    app
}

/// The membership id in the first switch form of `/profili` for the company.
fn membership_id(html: &str) -> String {
    let row = html.split_once("Bianchi Servizi srl").expect("company row").1;
    crate::common::input_value(row, "profilo").expect("switch form")
}

#[tokio::test]
async fn a_legal_representative_associates_her_company_and_acts_for_it() {
    let app = with_registry().await;
    let mut b = giulia(&app).await;
    let before = b.get("/profili").await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(before.body.contains("Non hai ancora profili"));
    assert!(b.get("/").await.body.contains("Stai operando come: Cittadino"));
    let res = b.post_form("/profili/associa", &[("codice_fiscale", &format!(" IT{COMPANY} "))], false).await;
    assert_eq!((res.status, res.header(header::LOCATION)), (StatusCode::SEE_OTHER, "/profili"));
    let list = b.get("/profili").await;
    assert!(list.body.contains("Bianchi Servizi srl") && list.body.contains("Legale rappresentante"));
    // Associating again changes nothing.
    b.post_form("/profili/associa", &[("codice_fiscale", COMPANY)], false).await;
    assert_eq!(b.get("/profili").await.body.matches("Legale rappresentante").count(), 1, "one membership");

    // The catalog before and after switching: company services open up.
    let citizen_catalog = b.get("/servizi").await.body;
    let id = membership_id(&list.body);
    let session_before = b.cookies["sl_session"].clone();
    let res = b.post_form("/profili/attivo", &[("profilo", &id)], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_ne!(b.cookies["sl_session"], session_before, "a new session id");
    let home = b.get("/").await.body;
    assert!(home.contains("Stai operando come: Bianchi Servizi srl"));
    let company_catalog = b.get("/servizi").await.body;
    assert_ne!(citizen_catalog, company_catalog);
    assert!(company_catalog.contains("Azienda"));
    let entry = b.get("/servizi/cigsonline/accedi").await;
    assert_eq!(entry.status, StatusCode::SEE_OTHER, "a company service is open to the company profile");
    // The switch is in the audit trail, as the company.
    let events = with_conn(&app.state.pool, |c| servizi_lavoro::access::recent(c, 10)).await.expect("audit");
    assert!(events.iter().any(|e| e.action.code() == "switch" && e.subject.starts_with("org:")));
    assert!(events.iter().any(|e| e.action.code() == "enter" && e.subject.starts_with("org:")));
    // And back.
    b.post_form("/profili/attivo", &[("profilo", "cittadino")], false).await;
    assert!(b.get("/").await.body.contains("Stai operando come: Cittadino"));
}

#[tokio::test]
async fn bad_and_refused_associations_explain_themselves() {
    let app = with_registry().await;
    let mut b = giulia(&app).await;
    let bad = b.post_form("/profili/associa", &[("codice_fiscale", "01234567890")], false).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("codice fiscale di 11 cifre valido"));
    assert_eq!(crate::common::input_value(&bad.body, "codice_fiscale").as_deref(), Some("01234567890"), "value kept");
    let unknown = b.post_form("/profili/associa", &[("codice_fiscale", "06363391001")], false).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("non risulta nel Registro"));
    // Signed out: to the sign-in page, and back here after.
    let res = Browser::new(&app).get("/profili").await;
    assert_eq!((res.status, res.header(header::LOCATION)), (StatusCode::SEE_OTHER, "/accedi?next=%2Fprofili"));
}

#[tokio::test]
async fn another_persons_membership_cannot_be_used() {
    let app = with_registry().await;
    let mut g = giulia(&app).await;
    g.post_form("/profili/associa", &[("codice_fiscale", COMPANY)], false).await;
    let id = membership_id(&g.get("/profili").await.body);
    let mut mario = signed_in(&app, "spid", Level::L2, None).await;
    let res = mario.post_form("/profili/attivo", &[("profilo", &id)], false).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(mario.get("/").await.body.contains("Stai operando come: Cittadino"));
    assert_eq!(mario.post_form("/profili/attivo", &[("profilo", "x")], false).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_removed_member_is_back_to_cittadino_on_the_next_request() {
    let app = with_registry().await;
    let mut g = giulia(&app).await;
    g.post_form("/profili/associa", &[("codice_fiscale", COMPANY)], false).await;
    let id: i64 = membership_id(&g.get("/profili").await.body).parse().expect("id");
    g.post_form("/profili/attivo", &[("profilo", &id.to_string())], false).await;
    assert!(g.get("/").await.body.contains("Bianchi Servizi srl"));
    let now = chrono::Utc::now().naive_utc();
    with_conn(&app.state.pool, move |c| {
        servizi_lavoro::identity::organisations::end_membership(c, MembershipId::new(id), now)
    })
    .await
    .expect("end");
    let home = g.get("/").await.body;
    assert!(home.contains("Stai operando come: Cittadino"), "not at the next sign-in: now");
    assert_eq!(g.get("/servizi/cigsonline/accedi").await.status, StatusCode::FORBIDDEN);
}

/// Mario (not named by the registry) asks; returns his browser and the PEC link.
async fn mario_asks(app: &TestApp) -> (Browser<'_>, String) {
    let mut mario = signed_in(app, "spid", Level::L2, None).await;
    let res = mario.post_form("/profili/associa", &[("codice_fiscale", COMPANY)], false).await;
    assert_eq!((res.status, res.header(header::LOCATION)), (StatusCode::SEE_OTHER, "/profili"));
    let list = mario.get("/profili").await.body;
    assert!(list.contains("Richieste in attesa") && list.contains("Bianchi Servizi srl"));
    let mail = crate::foreign_user::mail_containing(app, "profili/conferma?token=").await;
    assert!(mail.contains("To: bianchiservizi@pec.example.it"), "to the company's PEC");
    let link = crate::foreign_user::link_in(&mail, "http://localhost:3000/profili/conferma?token=");
    (mario, link)
}

#[tokio::test]
async fn the_companys_pec_confirms_a_request_once() {
    let app = with_registry().await;
    let (mut mario, link) = mario_asks(&app).await;
    // Whoever reads the PEC decides, signed in or not.
    let mut pec = Browser::new(&app);
    let page = pec.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Mario Rossi") && page.body.contains("RSSMRA80A01H501U"));
    let token = crate::common::input_value(&page.body, "token").expect("token");
    let done = pec.post_form("/profili/conferma", &[("token", &token), ("decision", "confirm")], false).await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.body.contains("Richiesta confermata"));
    let list = mario.get("/profili").await.body;
    assert!(list.contains("Amministratore") && !list.contains("Richieste in attesa"));
    crate::foreign_user::mail_containing(&app, "ha confermato la tua richiesta").await;
    // The link works once.
    assert_eq!(pec.get(&link).await.status, StatusCode::BAD_REQUEST);
    let again = pec.post_form("/profili/conferma", &[("token", &token), ("decision", "refuse")], false).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_refused_or_expired_request_gives_nothing() {
    let app = with_registry().await;
    let (mut mario, link) = mario_asks(&app).await;
    let mut pec = Browser::new(&app);
    let token = crate::common::input_value(&pec.get(&link).await.body, "token").expect("token");
    let done = pec.post_form("/profili/conferma", &[("token", &token), ("decision", "refuse")], false).await;
    assert!(done.body.contains("Richiesta rifiutata"));
    assert!(mario.get("/profili").await.body.contains("Non hai ancora profili"));
    // A new request, left for more than 7 days: the link is dead.
    let (_, link) = mario_asks(&app).await;
    app.state.clock.advance(chrono::Duration::days(8));
    let res = pec.get(&link).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.body.contains("è scaduto"));
    assert_eq!(pec.get("/profili/conferma?token=nonsense").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_activity_history_shows_ones_own_sign_ins_and_actions_as_whom_also_as_csv() {
    let app = with_registry().await;
    let mut b = giulia(&app).await;
    b.post_form("/profili/associa", &[("codice_fiscale", COMPANY)], false).await;
    let id = membership_id(&b.get("/profili").await.body);
    b.post_form("/profili/attivo", &[("profilo", &id)], false).await;
    b.get("/servizi/cigsonline/accedi").await;
    let page = b.get("/area-personale/attivita").await;
    assert_eq!(page.status, StatusCode::OK);
    for needle in [
        "SPID",
        "Associazione di un profilo",
        "Cambio di profilo",
        "Accesso a un servizio",
        "<a href=\"/servizi/cigsonline\">CIGSonline</a>",
        "Il profilo con cui operare",
        "Bianchi Servizi srl",
    ] {
        assert!(page.body.contains(needle), "{needle} missing: {}", page.body);
    }
    // What an action was about is said in words, never as the audit trail's code.
    crate::common::assert_no_internal_codes(&page.body);
    let csv = b.get("/area-personale/attivita.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header(header::CONTENT_TYPE).starts_with("text/csv"));
    assert!(csv.body.starts_with("\"Quando\",\"Tipo\",\"Azione\""), "every cell quoted: {}", csv.body);
    assert!(csv.body.contains("\"CIGSonline\"") && csv.body.contains("Bianchi Servizi srl"));
    crate::common::assert_no_internal_codes(&csv.body);
    // Someone else sees only their own.
    let mut mario = signed_in(&app, "spid", Level::L2, None).await;
    let theirs = mario.get("/area-personale/attivita").await.body;
    assert!(!theirs.contains("cigsonline") && !theirs.contains("Bianchi Servizi srl"));
    let res = Browser::new(&app).get("/area-personale/attivita.csv").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "signed out: to the sign-in page");
}
