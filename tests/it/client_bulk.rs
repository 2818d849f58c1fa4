//! Deleghe asked for from a file (issue 26): each good line becomes a
//! request with its mails, every bad line is reported by number and reason,
//! a file sent twice (one after the other or at the same instant) asks each
//! client once, a whole file is refused for its header, size or emptiness,
//! and a file's report is its sender's alone.
use crate::common::people::{cf_of, luca, mario, MARIO};
use crate::common::{Browser, TestApp, TestResponse};
use axum::http::{header, StatusCode};
use diesel::prelude::*;
use servizi_lavoro::db::schema::delega_requests as r;
use servizi_lavoro::db::with_conn;

const COMPANY: &str = "01234567897";
const HEADER: &str = "cliente;tipo;servizi;dal;al\n";

async fn upload<'a>(l: &mut Browser<'a>, file: &str) -> TestResponse {
    l.post_multipart("/clienti/richieste/elenco", &[], Some(("file", "richieste.csv", file.as_bytes()))).await
}

/// (client, services, batch) of every request Luca made.
async fn requests_of_luca(app: &TestApp) -> Vec<(String, Option<String>, Option<i64>)> {
    let cf = cf_of("luca");
    with_conn(&app.state.pool, move |c| {
        r::table
            .filter(r::delegate_codice_fiscale.eq(&cf))
            .order(r::id.asc())
            .select((r::client_codice_fiscale, r::services, r::batch_id))
            .load(c)
    })
    .await
    .expect("requests")
}

/// The dd/mm/yyyy a spreadsheet writes, `offset` Italian days from now.
fn sheet_day(app: &TestApp, offset: i64) -> String {
    let day = chrono::NaiveDate::parse_from_str(&crate::common::day(app, offset), "%Y-%m-%d").expect("day");
    day.format("%d/%m/%Y").to_string()
}

#[tokio::test]
async fn a_file_asks_each_good_lines_client_and_reports_every_bad_line() {
    let app = crate::organisations::with_registry().await;
    let (_g, _org) = crate::organisations::giulia_with_company(&app).await;
    let _m = mario(&app).await;
    let mut l = luca(&app).await;
    let form = l.get("/clienti/richieste/elenco").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("enctype=\"multipart/form-data\"") && form.body.contains("non_temporanea oppure temporanea")
    );
    let year = sheet_day(&app, 365);
    let file = format!(
        "\u{feff}{HEADER}\
         {MARIO};non_temporanea;tutti;;{year}\n\
         {COMPANY};temporanea;cigsonline smart-working;{};{year}\n\
         123;non_temporanea;tutti;;{year}\n\
         ;;;;\n\
         {MARIO};temporanea;tutti;;{year}\n\
         RSSGNN85M41F205Q;non_temporanea;dimissioni-volontarie;;{year}\n\
         RSSGNN85M41F205Q;per-sempre;tutti;01/01/2020;{year}\n",
        crate::common::day(&app, 1)
    );
    let res = upload(&mut l, &file).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let report = res.header(header::LOCATION).to_string();
    assert!(report.starts_with("/clienti/richieste/elenco/") && report.ends_with("?esito=inviato"), "{report}");
    let page = l.get(&report).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = page.body;
    assert!(body.contains("banner--success"));
    assert!(body.contains("6 righe: 2 richieste inviate, 4 righe scartate."), "the blank line is not a request");
    // Each bad line by its number in the file (the header is line 1), with every reason under its column.
    for (line, why) in [
        ("4", "cliente: Scrivi un codice fiscale di persona valido"),
        ("6", "cliente: Questo cliente compare già in una riga precedente"),
        ("7", "servizi: Hai scelto un servizio che questo cliente non può delegare"),
        ("8", "tipo: Scegli il tipo di delega"),
        ("8", "dal: La data di inizio non può essere passata"),
    ] {
        assert!(body.contains(&format!("<td data-label=\"Riga\">{line}<")), "line {line}");
        assert!(body.contains(why), "{why}");
    }
    let made = requests_of_luca(&app).await;
    assert_eq!(made.len(), 2);
    assert_eq!((made[0].0.as_str(), made[0].1.as_deref()), (MARIO, None));
    assert_eq!((made[1].0.as_str(), made[1].1.as_deref()), (COMPANY, Some("cigsonline smart-working")));
    let batch = made[0].2.expect("asked in a file");
    assert_eq!(made[1].2, Some(batch));
    assert_eq!(report, format!("/clienti/richieste/elenco/{batch}?esito=inviato"));
    // The clients are told, as for one request, and each request is linked from the report.
    crate::foreign_user::mail_containing(&app, "ti chiede una delega").await;
    assert_eq!(body.matches(">Vedi la richiesta<").count(), 2);
    assert!(body.contains("Bianchi Servizi srl"), "the company by name");

    // The same file again: both clients are still waiting, so nobody is asked twice.
    let again = upload(&mut l, &file).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let body = l.get(again.header(header::LOCATION)).await.body;
    assert!(body.contains("6 righe: 0 richieste inviate, 6 righe scartate."), "{body}");
    assert!(body.contains("attende ancora una risposta"));
    assert_eq!(requests_of_luca(&app).await.len(), 2);
    // As the form does, one at a time.
    let one = l
        .post_form(
            "/clienti/richiesta",
            &[
                ("cliente", MARIO),
                ("tipo", "temporanea"),
                ("ambito", "tutti"),
                ("dal", &crate::common::day(&app, 0)),
                ("al", &crate::common::day(&app, 30)),
            ],
            false,
        )
        .await;
    assert_eq!(one.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(one.body.contains("attende ancora una risposta") && one.body.contains(&format!("value=\"{MARIO}\"")));
}

#[tokio::test]
async fn a_whole_file_is_refused_for_what_it_is_and_nothing_is_asked() {
    let app = TestApp::new();
    let mut l = luca(&app).await;
    let none = l.post_multipart("/clienti/richieste/elenco", &[], None).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.body.contains("Scegli il file da caricare"));
    let mut big = String::from(HEADER);
    for _ in 0..1001 {
        big.push_str(&format!("{MARIO};temporanea;tutti;;{}\n", crate::common::day(&app, 30)));
    }
    for (file, why) in [
        ("nome;cognome\nMario;Rossi\n".to_string(), "La prima riga deve nominare le colonne"),
        (HEADER.to_string(), "Il file non contiene richieste"),
        (big, "più di 1.000 righe"),
    ] {
        let res = upload(&mut l, &file).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{why}");
        assert!(res.body.contains(why) && res.body.contains("error-summary"), "{why}");
    }
    let latin1 = l
        .post_multipart(
            "/clienti/richieste/elenco",
            &[],
            Some(("file", "richieste.csv", b"cliente;tipo;servizi;dal;al\nN\xe0;;;;\n")),
        )
        .await;
    assert_eq!(latin1.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(latin1.body.contains("UTF-8"));
    assert!(requests_of_luca(&app).await.is_empty());
    // The model to fill in reads back as a good file.
    let model = l.get("/clienti/richieste/modello.csv").await;
    assert_eq!(model.status, StatusCode::OK);
    assert!(model.header(header::CONTENT_TYPE).starts_with("text/csv"));
    let res = upload(&mut l, &model.body).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(requests_of_luca(&app).await.len(), 2, "both example lines are good requests");
}

#[tokio::test]
async fn a_files_report_is_its_senders_alone() {
    let app = TestApp::new();
    let mut l = luca(&app).await;
    let res = upload(&mut l, &format!("{HEADER}{MARIO};temporanea;tutti;;{}\n", crate::common::day(&app, 30))).await;
    let report = res.header(header::LOCATION).split('?').next().expect("path").to_string();
    let mut m = mario(&app).await;
    let seen = m.get(&report).await;
    assert_eq!(seen.status, StatusCode::NOT_FOUND, "even the client named in it");
    assert!(!seen.body.contains("Luca") && !seen.body.contains(MARIO), "a denial says nothing of the file");
    assert_eq!(m.get("/clienti/richieste/elenco/999999").await.status, StatusCode::NOT_FOUND);
    assert_eq!(m.get("/clienti/richieste/elenco/abc").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(l.get(&report).await.status, StatusCode::OK);
}

/// The same file sent twice at the same instant (a double click): each client asked once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_file_twice_at_once_asks_each_client_once() {
    let app = crate::organisations::with_registry().await;
    let (_g, _org) = crate::organisations::giulia_with_company(&app).await;
    let mut l1 = luca(&app).await;
    let mut l2 = luca(&app).await;
    let until = crate::common::day(&app, 90);
    let file = format!("{HEADER}{MARIO};temporanea;tutti;;{until}\n{COMPANY};temporanea;tutti;;{until}\n");
    let (a, b) = tokio::join!(upload(&mut l1, &file), upload(&mut l2, &file));
    assert_eq!((a.status, b.status), (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER), "{} / {}", a.body, b.body);
    let made = requests_of_luca(&app).await;
    let mut clients: Vec<&str> = made.iter().map(|m| m.0.as_str()).collect();
    clients.sort();
    assert_eq!(clients, [COMPANY, MARIO]);
}
