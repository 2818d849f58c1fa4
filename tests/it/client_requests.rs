//! Deleghe asked for by the intermediary (issue 26): the client's side
//! accepts as asked, with fewer services or for less time, or refuses after
//! a question; requests lapse after 21 days; two answers at once make one
//! delega; nobody else sees or answers a request.
use crate::common::people::{cf_of, id_after, luca, mario, MARIO};
use crate::common::{Browser, TestApp};
use axum::http::{header, StatusCode};
use chrono::Duration;
use diesel::prelude::*;
use servizi_lavoro::db::schema::deleghe as d;
use servizi_lavoro::db::with_conn;

const COMPANY: &str = "01234567897";

/// Luca asks `client` for a delega on `services` (none: all) for a year; returns the request's id.
async fn ask(app: &TestApp, l: &mut Browser<'_>, client: &str, services: &[&str]) -> i64 {
    let (from, until) = (crate::common::day(app, 0), crate::common::day(app, 365));
    let mut fields = vec![("cliente", client), ("tipo", "non_temporanea"), ("dal", &from), ("al", &until)];
    if services.is_empty() {
        fields.push(("ambito", "tutti"));
    } else {
        fields.push(("ambito", "scelti"));
        fields.extend(services.iter().map(|s| ("servizio", *s)));
    }
    let res = l.post_form("/clienti/richiesta", &fields, false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let to = res.header(header::LOCATION).to_string();
    assert!(to.ends_with("?esito=inviata"), "{to}");
    id_after(&to, "/clienti/richieste/")
}

async fn deleghe_of_luca(app: &TestApp) -> Vec<(i64, Option<String>, String)> {
    let cf = cf_of("luca");
    with_conn(&app.state.pool, move |c| {
        d::table.filter(d::delegate_codice_fiscale.eq(&cf)).select((d::id, d::services, d::state)).load(c)
    })
    .await
    .expect("deleghe")
}

#[tokio::test]
async fn a_company_accepts_an_intermediarys_request_for_fewer_services_and_less_time() {
    let app = crate::organisations::with_registry().await;
    let (mut g, _org) = crate::organisations::giulia_with_company(&app).await;
    let mut l = luca(&app).await;
    assert_eq!(l.get("/clienti/richiesta").await.status, StatusCode::OK);
    let id = ask(&app, &mut l, COMPANY, &["cigsonline", "smart-working", "formazione-a-distanza"]).await;
    let sent = l.get(&format!("/clienti/richieste/{id}?esito=inviata")).await.body;
    assert!(sent.contains("banner--success") && sent.contains("In attesa di risposta"));
    assert!(l.get("/clienti").await.body.contains(&format!("/clienti/richieste/{id}")), "the requester follows it");
    // The company's managers are told by mail and find it among their deleghe.
    crate::foreign_user::mail_containing(&app, "ti chiede una delega").await;
    let deleghe = g.get("/deleghe").await.body;
    assert!(
        deleghe.contains("Richieste di delega da esaminare") && deleghe.contains(&format!("/clienti/richieste/{id}"))
    );
    // Accepting two services of three, until an earlier day.
    let until = crate::common::day(&app, 200);
    let path = format!("/clienti/richieste/{id}");
    let res = g
        .post_form(
            &path,
            &[("azione", "accetta"), ("servizio", "cigsonline"), ("servizio", "smart-working"), ("al", &until)],
            false,
        )
        .await;
    assert_eq!(
        (res.status, res.header(header::LOCATION)),
        (StatusCode::SEE_OTHER, format!("{path}?esito=accettata").as_str())
    );
    let deleghe = deleghe_of_luca(&app).await;
    assert_eq!(deleghe.len(), 1);
    assert_eq!(deleghe[0].1.as_deref(), Some("cigsonline smart-working"), "fewer services than asked");
    assert_eq!(deleghe[0].2, "active", "asked for by its delegate: accepted at once");
    let page = l.get(&path).await.body;
    assert!(page.contains("Accettata") && page.contains(&format!("/deleghe/{}", deleghe[0].0)));
    // In Luca's client list, to act for at once.
    let clients = l.get("/clienti").await.body;
    assert!(clients.contains("Bianchi Servizi srl") && clients.contains(&format!("value=\"delega:{}\"", deleghe[0].0)));
    // Answered once: again is a 409, and nothing more is granted.
    let again = g.post_form(&path, &[("azione", "accetta"), ("servizio", "cigsonline"), ("al", &until)], false).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(deleghe_of_luca(&app).await.len(), 1);
}

#[tokio::test]
async fn a_client_answers_within_what_was_asked_and_the_requester_cannot_answer() {
    let app = crate::organisations::with_registry().await;
    let (mut g, _org) = crate::organisations::giulia_with_company(&app).await;
    let mut l = luca(&app).await;
    let id = ask(&app, &mut l, COMPANY, &["cigsonline"]).await;
    let path = format!("/clienti/richieste/{id}");
    let longer = crate::common::day(&app, 400);
    let res = g.post_form(&path, &[("azione", "accetta"), ("servizio", "cigsonline"), ("al", &longer)], false).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("non può durare più di quanto è stato chiesto"));
    let none = g.post_form(&path, &[("azione", "accetta"), ("al", &crate::common::day(&app, 100))], false).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.body.contains("Scegli almeno uno dei servizi chiesti"));
    // The one who asked does not answer for the client.
    let own = l
        .post_form(
            &path,
            &[("azione", "accetta"), ("servizio", "cigsonline"), ("al", &crate::common::day(&app, 100))],
            false,
        )
        .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    assert!(deleghe_of_luca(&app).await.is_empty());
}

#[tokio::test]
async fn a_person_refuses_after_a_question_and_an_unanswered_request_lapses_after_21_days() {
    let app = TestApp::new();
    let mut m = mario(&app).await;
    let mut l = luca(&app).await;
    let id = ask(&app, &mut l, MARIO, &[]).await;
    let path = format!("/clienti/richieste/{id}");
    assert!(m.get("/deleghe").await.body.contains(&path), "Mario sees it");
    let ask_first = m.post_form(&path, &[("azione", "rifiuta")], false).await;
    assert_eq!(ask_first.status, StatusCode::OK);
    assert!(ask_first.title().starts_with("Rifiutare la richiesta?"));
    assert!(m.get(&path).await.body.contains("In attesa di risposta"), "nothing done yet");
    let refused = m.post_form(&path, &[("azione", "rifiuta"), ("conferma", "si")], false).await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert!(l.get(&path).await.body.contains("Rifiutata"));

    let second = ask(&app, &mut l, MARIO, &[]).await;
    app.state.clock.advance(Duration::days(22));
    // Three weeks on, both sign in again.
    let (mut l, mut m) = (luca(&app).await, mario(&app).await);
    let later = format!("/clienti/richieste/{second}");
    assert!(l.get(&later).await.body.contains("Scaduta senza risposta"));
    let late = m.post_form(&later, &[("azione", "accetta"), ("al", &crate::common::day(&app, 100))], false).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(deleghe_of_luca(&app).await.is_empty());
}

#[tokio::test]
async fn nobody_else_sees_or_answers_a_request_and_bad_input_is_explained() {
    let app = TestApp::new();
    let _m = mario(&app).await;
    let mut l = luca(&app).await;
    let id = ask(&app, &mut l, MARIO, &[]).await;
    let path = format!("/clienti/richieste/{id}");
    // Giulia is neither side: for her the request does not exist.
    let mut g = crate::common::people::giulia(&app).await;
    let seen = g.get(&path).await;
    assert_eq!(seen.status, StatusCode::NOT_FOUND);
    assert!(!seen.body.contains(MARIO) && !seen.body.contains("Luca"), "a denial says nothing about the parties");
    assert_eq!(
        g.post_form(&path, &[("azione", "rifiuta"), ("conferma", "si")], false).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(g.get("/clienti/richieste/999999").await.status, StatusCode::NOT_FOUND);
    assert_eq!(g.get("/clienti/richieste/abc").await.status, StatusCode::BAD_REQUEST);
    // Bad input: a 422 with what was typed, each error said.
    let luca_cf = cf_of("luca");
    for (client, error) in [("123", "codice fiscale di persona valido"), (luca_cf.as_str(), "a te stesso")] {
        let res = l
            .post_form(
                "/clienti/richiesta",
                &[
                    ("cliente", client),
                    ("tipo", "non_temporanea"),
                    ("ambito", "tutti"),
                    ("dal", &crate::common::day(&app, 0)),
                    ("al", &crate::common::day(&app, 10)),
                ],
                false,
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains(error) && res.body.contains(&format!("value=\"{client}\"")), "{error}");
    }
    let reserved = l
        .post_form(
            "/clienti/richiesta",
            &[
                ("cliente", MARIO),
                ("tipo", "non_temporanea"),
                ("ambito", "scelti"),
                ("servizio", "dimissioni-volontarie"),
                ("dal", &crate::common::day(&app, 0)),
                ("al", &crate::common::day(&app, 10)),
            ],
            false,
        )
        .await;
    assert_eq!(reserved.status, StatusCode::UNPROCESSABLE_ENTITY, "the law reserves resigning to the worker");
}

/// Two managers accept the same request at the same instant: one delega.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_answers_at_once_make_one_delega() {
    let app = crate::organisations::with_registry().await;
    let (mut g1, _org) = crate::organisations::giulia_with_company(&app).await;
    let mut g2 = crate::common::people::giulia(&app).await;
    let mut l = luca(&app).await;
    let id = ask(&app, &mut l, COMPANY, &["cigsonline"]).await;
    let path = format!("/clienti/richieste/{id}");
    let until = crate::common::day(&app, 100);
    let fields = [("azione", "accetta"), ("servizio", "cigsonline"), ("al", until.as_str())];
    let (a, b) = tokio::join!(g1.post_form(&path, &fields, false), g2.post_form(&path, &fields, false));
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT], "{} / {}", a.body, b.body);
    assert_eq!(deleghe_of_luca(&app).await.len(), 1);
}
