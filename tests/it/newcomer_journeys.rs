//! What tripped newcomers up, round three (issue 24): Giulia running her
//! company, Luca working as a consulente, Mario resigning. Each failed before
//! its fix.
use crate::common::people::mario;
use crate::common::{Browser, TestApp};
use axum::http::{header, StatusCode};
use diesel::prelude::*;
use servizi_lavoro::db::schema::{outbox as o, support_cases as s};
use servizi_lavoro::db::with_conn;

const ASK: [(&str, &str); 4] = [
    ("nome", "Ana Pérez"),
    ("email", "ana.perez@example.com"),
    ("categoria", "accesso"),
    ("descrizione", "Non riesco ad accedere con SPID dal telefono."),
];

async fn cases_and_mails(app: &TestApp) -> (i64, i64) {
    with_conn(&app.state.pool, |c| {
        let cases = s::table.count().get_result::<i64>(c)?;
        let mails = o::table.filter(o::idempotency_key.like("support:%")).count().get_result::<i64>(c)?;
        Ok((cases, mails))
    })
    .await
    .expect("counts")
}

#[tokio::test]
async fn a_support_form_sent_twice_opens_one_case_and_sends_one_mail() {
    let app = TestApp::new();
    let mut ana = Browser::new(&app);
    let form = ana.get("/supporto").await.body;
    let key = crate::common::input_value(&form, "chiave").expect("the form's key");
    assert!(key.len() >= 16);
    let mut fields = ASK.to_vec();
    fields.push(("chiave", &key));
    // A double click: one after the other…
    for _ in 0..2 {
        let res = ana.post_multipart("/supporto", &fields, None).await;
        assert_eq!((res.status, res.header(header::LOCATION)), (StatusCode::SEE_OTHER, "/supporto/inviata"));
    }
    assert_eq!(cases_and_mails(&app).await, (1, 1));
    // …and two at the same instant, from another form.
    let key = crate::common::input_value(&ana.get("/supporto").await.body, "chiave").expect("key");
    let mut fields = ASK.to_vec();
    fields.push(("chiave", &key));
    let (mut b1, mut b2) = (Browser::new(&app), Browser::new(&app));
    let (r1, r2) =
        tokio::join!(b1.post_multipart("/supporto", &fields, None), b2.post_multipart("/supporto", &fields, None));
    assert_eq!((r1.status, r2.status), (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER));
    assert_eq!(cases_and_mails(&app).await, (2, 2));
    // A new form is a new request.
    let form = ana.get("/supporto").await.body;
    assert_ne!(crate::common::input_value(&form, "chiave").as_deref(), Some(key.as_str()));
}

#[tokio::test]
async fn a_form_shown_again_with_errors_says_so_in_its_title_in_both_languages() {
    let app = TestApp::new();
    let mut ana = Browser::new(&app);
    let page = ana.get("/supporto").await.body;
    assert!(!page.contains("<title>Errore"), "{page}");
    let bad = ana.post_multipart("/supporto", &[("nome", "Ana")], None).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("<title>Errore: "), "{}", bad.body);
    ana.get("/supporto?lang=en").await;
    let bad = ana.post_multipart("/supporto", &[("nome", "Ana")], None).await;
    assert!(bad.body.contains("<title>Error: "), "{}", bad.body);
}

#[tokio::test]
async fn a_table_that_scrolls_on_a_small_screen_is_a_named_region_a_keyboard_reaches() {
    let app = TestApp::new();
    let mut m = mario(&app).await;
    let page = m.get("/area-personale/attivita").await.body;
    let at = page.find("class=\"table-wrap\"").expect("a table");
    let start = page[..at].rfind('<').expect("its tag");
    let wrap = page[start..].split('>').next().expect("tag").to_string();
    assert!(wrap.contains("role=\"region\"") && wrap.contains("tabindex=\"0\""), "{wrap}");
    let id = wrap.split("aria-labelledby=\"").nth(1).and_then(|s| s.split('"').next()).expect("labelled");
    assert!(page.contains(&format!("<caption id=\"{id}\">")), "the region is named by its caption");
}

#[tokio::test]
async fn the_workers_mail_says_until_when_and_how_the_resignation_can_be_revoked() {
    let app = TestApp::new();
    crate::dimissioni::seed(&app).await;
    let mut m = mario(&app).await;
    let code = crate::dimissioni::mario_resigns(&app, &mut m).await;
    let mail = crate::foreign_user::mail_containing(&app, "puoi revocarlo fino al").await;
    let last_day = servizi_lavoro::dimissioni::deadline::last_day(app.state.clock.now());
    assert!(mail.contains(&last_day.format("%d/%m/%Y").to_string()), "{mail}");
    assert!(mail.contains(&format!("/dimissioni-volontarie/{code}")) && mail.contains("SPID o CIE"), "{mail}");
}

#[tokio::test]
async fn a_service_used_before_is_entered_again_from_the_personal_area() {
    let app = TestApp::new();
    let mut m = mario(&app).await;
    assert_eq!(m.get("/servizi/dimissioni-volontarie/accedi").await.status, StatusCode::SEE_OTHER);
    let area = m.get("/area-personale").await.body;
    assert!(area.contains("href=\"/servizi/dimissioni-volontarie/accedi\""), "{area}");
}

#[tokio::test]
async fn the_catalog_states_the_facts_of_its_services() {
    let app = TestApp::new();
    let quater = app.get("/servizi/comunicazione-art-39-quater").await.body;
    assert!(quater.contains("D.Lgs. 165/2001") && quater.contains("L. 68/1999") && !quater.contains("incarichi"));
    let silen = app.get("/servizi/silen").await.body;
    assert!(silen.contains("decreti flussi") && silen.contains("Non è un servizio per i datori di lavoro"));
    let conciliazione = app.get("/servizi/unilav-conciliazione").await.body;
    assert!(conciliazione.contains("entro 65 giorni") && conciliazione.contains("art. 6 D.Lgs. 23/2015"));
    for (slug, name) in
        [("lavoro-autonomo-occasionale", "Lavoro autonomo occasionale"), ("uni-piattaforme", "UNI-Piattaforme")]
    {
        let page = app.get(&format!("/servizi/{slug}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(name));
    }
}

#[tokio::test]
async fn the_faq_finds_answers_for_the_words_people_use_and_support_starts_from_them() {
    let app = TestApp::new();
    let fired = app.get("/faq?q=licenziamento").await.body;
    assert!(fired.contains("href=\"/faq/licenziamento\""), "{fired}");
    let spid = app.get("/faq?q=spid+non+funziona").await.body;
    assert!(spid.contains("href=\"/faq/accedere-con-spid\""), "{spid}");
    assert!(spid.contains("href=\"/supporto?descrizione=spid+non+funziona\""), "{spid}");
    let en = app.get("/faq?q=I+was+fired&lang=en").await.body;
    assert!(en.contains("I was dismissed: do I have to do anything on this portal?"), "{en}");
    let old = app.get("/faq?q=cliclavoro").await.body;
    assert!(old.contains("href=\"/faq/vecchio-account-cliclavoro\""));
    // The support form opens with the words already typed.
    let form = app.get("/supporto?descrizione=spid+non+funziona").await.body;
    assert!(form.contains(">spid non funziona</textarea>"), "{form}");
}
