//! Help: the FAQ (search in both languages, one address per answer), and
//! support requests — anonymous (address confirmed first) and signed in —
//! with their case number, the operator's replies, notes and states, the
//! requester's replies, and nobody else reaching them.
use crate::common::people::{luca, mario};
use crate::common::{Browser, TestApp, TestResponse};
use axum::http::{header, StatusCode};

async fn ask(b: &mut Browser<'_>, fields: &[(&str, &str)]) -> TestResponse {
    b.post_multipart("/supporto", fields, None).await
}

const GOOD: [(&str, &str); 4] = [
    ("nome", "Ana Pérez"),
    ("email", "ana.perez@example.com"),
    ("categoria", "accesso"),
    ("descrizione", "Non riesco ad accedere con SPID: <script>alert(1)</script>"),
];

#[tokio::test]
async fn the_faq_answers_by_topic_and_by_words_in_both_languages() {
    let app = TestApp::new();
    let page = app.get("/faq").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Dimissioni volontarie") && page.body.contains("href=\"/faq/deleghe\""));
    let found = app.get("/faq?q=revocare+dimissioni").await.body;
    // The answer whose title has the words comes first (synonyms may find more).
    let results = found.split("id=\"results-heading\"").nth(1).expect("results");
    assert!(results.split("href=\"/faq/").nth(1).is_some_and(|first| first.starts_with("revocare-le-dimissioni")));
    let en = app.get("/faq?q=revoke&lang=en").await.body;
    assert!(en.contains("I changed my mind: can I revoke my resignation?"));
    let none = app.get("/faq?q=zzzz").await.body;
    assert!(none.contains("Nessuna risposta") && none.contains("href=\"/supporto\""));
    let answer = app.get("/faq/livelli-di-sicurezza").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.body.contains("<strong>livello di sicurezza</strong>"));
    assert_eq!(app.get("/faq/non-esiste").await.status, StatusCode::NOT_FOUND);
    // The accessibility statement leads to the feedback path.
    assert!(app.get("/dichiarazione-accessibilita").await.body.contains("/supporto?categoria=accessibilita"));
    assert!(app
        .get("/supporto?categoria=accessibilita")
        .await
        .body
        .contains(r#"<option value="accessibilita" selected"#));
}

#[tokio::test]
async fn an_anonymous_request_is_confirmed_answered_and_followed_by_its_secret_link() {
    let app = TestApp::new();
    let mut ana = Browser::new(&app);
    let bad =
        ask(&mut ana, &[("nome", "Ana"), ("email", "not-an-address"), ("categoria", "boh"), ("descrizione", "corto")])
            .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for reason in ["indirizzo e-mail valido", "Scegli l&#39;argomento", "almeno 10 caratteri"] {
        assert!(bad.body.contains(reason) || bad.body.contains(&reason.replace("&#39;", "'")), "{reason}");
    }
    assert_eq!(crate::common::input_value(&bad.body, "nome").as_deref(), Some("Ana"));
    let sent = ask(&mut ana, &GOOD).await;
    assert_eq!((sent.status, sent.header(header::LOCATION)), (StatusCode::SEE_OTHER, "/supporto/inviata"));
    // Not in the queue until the address is confirmed.
    let mut ops = crate::foreign_user::operator(&app).await;
    assert!(!ops.get("/assistenza/supporto").await.body.contains("Ana Pérez"));
    let mail = crate::foreign_user::mail_containing(&app, "/supporto/conferma?token=").await;
    let link = crate::foreign_user::link_in(&mail, "http://localhost:3000/supporto/conferma?token=");
    let confirmed = ana.get(&link).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    let case_link = confirmed.header(header::LOCATION).to_string();
    assert!(case_link.starts_with("/supporto/richieste/URP-"));
    let again = ana.get(&link).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "a confirmation link works once");
    assert!(again.body.contains("href=\"/faq/chiedere-supporto\""), "the refusal links to its answer");
    let page = ana.get(&case_link).await.body;
    assert!(page.contains("Ricevuta") && page.contains("&lt;script&gt;"), "text shown as text");
    let number: String =
        case_link.trim_start_matches("/supporto/richieste/").split('?').next().unwrap_or("").to_string();
    assert_eq!(ana.get(&format!("/supporto/richieste/{number}?chiave=sbagliata")).await.status, StatusCode::NOT_FOUND);

    // The operator answers, asking something; a note stays internal.
    let queue = ops.get("/assistenza/supporto").await.body;
    assert!(queue.contains(&number) && queue.contains("Ana Pérez"));
    let action = format!("/assistenza/supporto/{number}/azione");
    assert_eq!(ops.post_form(&action, &[("azione", "assegna")], false).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        ops.post_form(&action, &[("azione", "nota"), ("testo", "Controllare il gestore SPID")], false).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        ops.post_form(&action, &[("azione", "rispondi"), ("testo", "")], false).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let res = ops
        .post_form(&action, &[("azione", "rispondi"), ("testo", "Quale gestore usi?"), ("attesa", "si")], false)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let update = crate::foreign_user::mail_containing(&app, "In attesa di una tua risposta").await;
    assert!(update.contains("To: ana.perez@example.com"));
    let fresh = crate::foreign_user::link_in(&update, "http://localhost:3000/supporto/richieste/");
    let page = ana.get(&fresh).await.body;
    assert!(page.contains("Quale gestore usi?") && !page.contains("Controllare il gestore"), "notes are internal");
    let secret = fresh.split("chiave=").nth(1).unwrap_or("").to_string();
    let reply = ana
        .post_form(
            &format!("/supporto/richieste/{number}/risposta"),
            &[("chiave", &secret), ("testo", "Poste Italiane")],
            false,
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let operator_view = ops.get(&format!("/assistenza/supporto/{number}")).await.body;
    assert!(
        operator_view.contains("Poste Italiane")
            && operator_view.contains("In lavorazione")
            && operator_view.contains("Controllare il gestore")
    );
    // Closing asks first (the requester can no longer reply), then closes.
    let ask = ops.post_form(&action, &[("azione", "chiudi")], false).await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(ask.title().starts_with("Chiudere la richiesta?") && ask.body.contains("name=\"conferma\" value=\"si\""));
    assert!(ops.get(&format!("/assistenza/supporto/{number}")).await.body.contains("In lavorazione"), "still open");
    let closing = ops.post_form(&action, &[("azione", "chiudi"), ("conferma", "si")], false).await;
    assert_eq!(closing.status, StatusCode::SEE_OTHER);
    // The closing mail carries the link that now works (it replaces the earlier ones).
    let closed = crate::foreign_user::mail_containing(&app, "Chiusa").await;
    let last = crate::foreign_user::link_in(&closed, "http://localhost:3000/supporto/richieste/");
    let secret = last.split("chiave=").nth(1).unwrap_or("").to_string();
    assert!(ana.get(&last).await.body.contains("Chiusa"));
    // An earlier link says a newer mail replaced it (not a bare 404); a wrong one stays 404.
    let old = ana.get(&fresh).await;
    assert_eq!(old.status, StatusCode::GONE);
    assert!(old.body.contains("Questo link è stato sostituito") && old.body.contains("ultima e-mail"));
    assert!(!old.body.contains("Quale gestore usi?"), "nothing of the case through an old link");
    let late = ana
        .post_form(
            &format!("/supporto/richieste/{number}/risposta"),
            &[("chiave", &secret), ("testo", "Ancora?")],
            false,
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(ops.post_form(&action, &[("azione", "chiudi")], false).await.status, StatusCode::CONFLICT);
    // Only operators reach the console's pages.
    let mut l = luca(&app).await;
    let refused = l.get(&format!("/assistenza/supporto/{number}")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("href=\"/faq/servizio-non-disponibile\""));
}

#[tokio::test]
async fn a_signed_in_request_is_queued_at_once_and_only_its_requester_sees_it() {
    let app = TestApp::new();
    let mut m = mario(&app).await;
    let form = m.get("/supporto").await.body;
    assert_eq!(crate::common::input_value(&form, "nome").as_deref(), Some("Mario Rossi"));
    assert_eq!(crate::common::input_value(&form, "email").as_deref(), Some("mario.rossi@example.org"));
    let res = m
        .post_multipart(
            "/supporto",
            &[
                ("nome", "Mario Rossi"),
                ("email", "mario.rossi@example.org"),
                ("categoria", "servizio"),
                ("servizio", "dimissioni-volontarie"),
                ("descrizione", "Il PDF del modulo non si apre sul telefono"),
            ],
            Some(("allegato", "schermata.png", crate::foreign_user::PNG)),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let path = res.header(header::LOCATION).to_string();
    assert!(m.get(&path).await.body.contains("Ricevuta"));
    crate::foreign_user::mail_containing(&app, "Abbiamo ricevuto la tua richiesta").await;
    let mut l = luca(&app).await;
    assert_eq!(l.get(&path).await.status, StatusCode::NOT_FOUND, "another person's case");
    let anonymous = Browser::new(&app).get(&path).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "signed out: to the sign-in");
    // The operator opens the attachment.
    let mut ops = crate::foreign_user::operator(&app).await;
    let number = path.trim_start_matches("/supporto/richieste/");
    let file = ops.get(&format!("/assistenza/supporto/{number}?allegato=1")).await;
    assert_eq!((file.status, file.header(header::CONTENT_TYPE)), (StatusCode::OK, "image/png"));
}

#[tokio::test]
async fn requests_are_limited_per_address() {
    let app = TestApp::new();
    let mut b = Browser::new(&app);
    for _ in 0..5 {
        assert_eq!(ask(&mut b, &GOOD).await.status, StatusCode::SEE_OTHER);
    }
    assert_eq!(ask(&mut b, &GOOD).await.status, StatusCode::TOO_MANY_REQUESTS);
}

/// The per-address ceiling protects addresses nobody confirmed from being
/// flooded; a signed-in person writing to their own address is not held by
/// it, while another address they type still is.
#[tokio::test]
async fn a_signed_in_person_writing_to_their_own_address_is_not_held_by_the_address_ceiling() {
    let app = TestApp::new();
    let mut m = mario(&app).await;
    let own = [
        ("nome", "Mario Rossi"),
        ("email", "mario.rossi@example.org"),
        ("categoria", "altro"),
        ("descrizione", "Una domanda sul mio profilo, di nuovo"),
    ];
    for _ in 0..7 {
        let res = m.post_multipart("/supporto", &own, None).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert!(res.header(header::LOCATION).starts_with("/supporto/richieste/URP-"));
    }
    let mut other = own;
    other[1] = ("email", "altra.casella@example.org");
    for _ in 0..5 {
        assert_eq!(m.post_multipart("/supporto", &other, None).await.header(header::LOCATION), "/supporto/inviata");
    }
    assert_eq!(m.post_multipart("/supporto", &other, None).await.status, StatusCode::TOO_MANY_REQUESTS);
}
