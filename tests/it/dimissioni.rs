//! Dimissioni volontarie: the CO import; the worker's flow from eligibility
//! to Trasmetti (validation, locked sections, one module per form), the
//! deliveries with PDF attachments, the PDF's text, the revoca and its 7-day
//! limit, the seal chain and its verification, codes under concurrent
//! submission, the soggetto abilitato's PIN, and who sees what (worker,
//! company, operator, Ispettorato; everyone else gets 404).
use crate::common::people::{cf_of, giulia, id_after, luca, mario, MARIO};
use crate::common::{Browser, TestApp, TestResponse};
use axum::http::{header, StatusCode};
use chrono::Duration;
use diesel::prelude::*;
use servizi_lavoro::db::schema::{dimissioni_modules as m, dimissioni_pins as p};
use servizi_lavoro::db::with_conn;
use servizi_lavoro::dimissioni::{chain, modulo, rapporti};

const COMPANY: &str = "01234567897";

/// A portal where Mario works for the demo company (from the CO).
pub async fn with_relationship() -> TestApp {
    let app = TestApp::new();
    seed(&app).await;
    app
}

/// Mario's relationship with the demo company (from the CO) and the example
/// Ispettorato offices (Milano's covers the workplace).
pub async fn seed(app: &TestApp) {
    let now = app.state.clock.now();
    with_conn(&app.state.pool, move |c| {
        rapporti::seed_demo(c, MARIO)?;
        servizi_lavoro::dimissioni::itl::seed_demo(c, now)
    })
    .await
    .expect("rapporti and offices");
}

fn hidden(html: &str, name: &str) -> String {
    crate::common::input_value(html, name).unwrap_or_else(|| panic!("{name} in the page"))
}

pub fn decorrenza(app: &TestApp) -> String {
    (app.state.clock.now().date() + Duration::days(20)).format("%Y-%m-%d").to_string()
}

/// Mario fills the form from his CO relationship; returns the form's page.
pub async fn mario_form(app: &TestApp, b: &mut Browser<'_>) -> String {
    let found = b
        .post_form("/dimissioni-volontarie/nuova/rapporto", &[("cf_datore", COMPANY), ("inizio", "dal2008")], false)
        .await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(found.body.contains("Bianchi Servizi srl, dal 01/04/2019"));
    let id = hidden(&found.body, "rapporto");
    // Posted: no codice fiscale in any address.
    let page = b.post_form("/dimissioni-volontarie/nuova/modulo", &[("avvio", "si"), ("rapporto", &id)], false).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let _ = app;
    page.body
}

/// The fields of a page's form, with `changes` applied.
pub fn fields_of(html: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = servizi_lavoro::dimissioni::form::Values::default()
        .fields()
        .iter()
        .map(|(f, _)| (f.to_string(), crate::common::input_value(html, f).unwrap_or_default()))
        .collect();
    for (k, v) in changes {
        out.retain(|(f, _)| f != k);
        out.push((k.to_string(), v.to_string()));
    }
    out
}

pub async fn post(b: &mut Browser<'_>, path: &str, fields: &[(String, String)]) -> TestResponse {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.post_form(path, &pairs, false).await
}

/// Mario sends a resignation; returns its code.
pub async fn mario_resigns(app: &TestApp, b: &mut Browser<'_>) -> String {
    let form = mario_form(app, b).await;
    let d = decorrenza(app);
    let fields = fields_of(
        &form,
        &[("tipo", "dimissioni"), ("decorrenza", &d), ("email_lavoratore", "mario.rossi@example.org")],
    );
    let review = post(b, "/dimissioni-volontarie/nuova/modulo", &fields).await;
    assert_eq!(review.status, StatusCode::OK, "{}", review.body);
    let shown = (app.state.clock.now().date() + Duration::days(20)).format("%d/%m/%Y").to_string();
    assert!(review.body.contains(&format!("<dd>{shown}")), "the review shows days as dd/mm/yyyy");
    let sent = post(b, "/dimissioni-volontarie/nuova/trasmetti", &fields_of(&review.body, &[])).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    sent.header(header::LOCATION)
        .trim_start_matches("/dimissioni-volontarie/")
        .trim_end_matches("?esito=trasmesso")
        .to_string()
}

pub fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("text")
}

#[tokio::test]
async fn the_co_import_checks_each_row_and_replaces_on_import_again() {
    let app = TestApp::new();
    let header = rapporti::HEADER.join(";");
    let csv = format!(
        "{header}\n\
         {MARIO};{COMPANY};Bianchi Servizi srl;Via Roma 1;Milano;20121;MI;2019-04-01;Tempo indeterminato;;;bianchi@pec.example.it\n\
         RSSMRA80A01H501X;{COMPANY};Bianchi;Via Roma 1;Milano;20121;MI;2019-04-01;T;;;\n\
         {MARIO};{COMPANY};Bianchi;Via Roma 1;Milano;2012;MI;2019-04-01;T;;;\n\
         {MARIO};{COMPANY};Bianchi;Via Roma 1;Milano;20121;XX;2019-04-01;T;;;\n\
         {MARIO};{COMPANY};Bianchi;Via Roma 1;Milano;20121;MI;2019-04-01;T;2018-01-01;;\n"
    );
    let c2 = csv.clone();
    let report =
        with_conn(&app.state.pool, move |c| Ok(rapporti::import(c, c2.as_bytes()).expect("import"))).await.expect("db");
    assert_eq!((report.added, report.updated), (1, 0));
    assert_eq!(report.rejected.iter().map(|(l, _)| *l).collect::<Vec<_>>(), vec![3, 4, 5, 6]);
    let again = with_conn(&app.state.pool, move |c| Ok(rapporti::import(c, csv.as_bytes()).expect("import")))
        .await
        .expect("db");
    assert_eq!((again.added, again.updated), (0, 1));
    let wrong = with_conn(&app.state.pool, |c| Ok(rapporti::import(c, &b"a;b\n"[..]).is_err())).await.expect("db");
    assert!(wrong);
    // The same relationship twice in one file: added, then updated by the later line.
    let twice = format!(
        "{header}\n\
         RSSGNN85M41F205Q;{COMPANY};Bianchi;Via Roma 1;Milano;20121;MI;2020-01-01;T;;;\n\
         RSSGNN85M41F205Q;{COMPANY};Bianchi;Via Roma 2;Milano;20121;MI;2020-01-01;T;;;\n"
    );
    let report = with_conn(&app.state.pool, move |c| Ok(rapporti::import(c, twice.as_bytes()).expect("import")))
        .await
        .expect("db");
    assert_eq!((report.added, report.updated), (1, 1));
    let address: Vec<String> = with_conn(&app.state.pool, |c| {
        use servizi_lavoro::db::schema::rapporti as r;
        r::table.filter(r::worker_codice_fiscale.eq("RSSGNN85M41F205Q")).select(r::workplace_address).load(c)
    })
    .await
    .expect("row");
    assert_eq!(address, ["Via Roma 2"]);
}

#[tokio::test]
async fn a_worker_resigns_from_the_co_relationship_with_a_certain_date_and_revokes() {
    let app = with_relationship().await;
    let mut b = mario(&app).await;
    assert!(b.get("/dimissioni-volontarie").await.body.contains("Nessun modulo"));
    assert!(b.get("/dimissioni-volontarie/nuova").await.body.contains("periodo di prova"));
    assert_eq!(b.get("/dimissioni-volontarie/nuova/rapporto").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b.get("/dimissioni-volontarie/nuova/rapporto?idoneo=si").await.status, StatusCode::OK);
    let bad = b.post_form("/dimissioni-volontarie/nuova/rapporto", &[("cf_datore", "0123")], false).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let form = mario_form(&app, &mut b).await;
    assert!(form.contains("Via Roma 1") && form.contains("Rossi"), "locked sections shown");

    // Everything wrong in section 4: 422, what was typed kept.
    let fields = fields_of(
        &form,
        &[("tipo", "giusta_causa"), ("decorrenza", "2019-01-01"), ("email_lavoratore", "mario@example.org")],
    );
    let bad = post(&mut b, "/dimissioni-volontarie/nuova/modulo", &fields).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("scrivi il motivo") && bad.body.contains("dopo l&#39;inizio del rapporto")
            || bad.body.contains("dopo l'inizio del rapporto")
    );
    assert_eq!(hidden(&bad.body, "email_lavoratore"), "mario@example.org");
    // Tampering with a locked section changes nothing: the CO's data are used.
    let d = decorrenza(&app);
    let fields = fields_of(
        &form,
        &[
            ("tipo", "dimissioni"),
            ("decorrenza", &d),
            ("email_lavoratore", "mario@example.org"),
            ("denominazione", "Altra srl"),
            ("cf_lavoratore", "VRDLCU75C15L219T"),
        ],
    );
    let review = post(&mut b, "/dimissioni-volontarie/nuova/modulo", &fields).await;
    assert_eq!(review.status, StatusCode::OK);
    assert!(
        review.body.contains("Bianchi Servizi srl")
            && !review.body.contains("Altra srl")
            && review.body.contains(MARIO)
    );
    let fields = fields_of(&review.body, &[]);
    let sent = post(&mut b, "/dimissioni-volontarie/nuova/trasmetti", &fields).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let code = sent
        .header(header::LOCATION)
        .trim_start_matches("/dimissioni-volontarie/")
        .trim_end_matches("?esito=trasmesso")
        .to_string();
    assert_eq!(code.len(), 17, "aaaammgghh24missms");
    // The same form again: the same module.
    let twice = post(&mut b, "/dimissioni-volontarie/nuova/trasmetti", &fields).await;
    assert_eq!(twice.header(header::LOCATION), sent.header(header::LOCATION));
    let count = with_conn(&app.state.pool, |c| m::table.count().get_result::<i64>(c)).await.expect("count");
    assert_eq!(count, 1);

    // Sent to the employer (PEC and e-mail), the Ispettorato of Milano and the worker, with the PDF.
    crate::foreign_user::mail_containing(&app, "ITL.Milano@pec.ispettorato.gov.it").await;
    crate::foreign_user::mail_containing(&app, "To: mario@example.org").await;
    // The worker's pass sends them one after the other: all four, in a moment.
    let mut mails: Vec<String> = Vec::new();
    for _ in 0..100 {
        mails = crate::foreign_user::outbox(&app)
            .into_iter()
            .filter(|m| m.contains(&format!("modulo-{code}.pdf")))
            .collect();
        if mails.len() >= 4 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(mails.len(), 4);
    for to in [
        "bianchiservizi@pec.example.it",
        "amministrazione@bianchiservizi.example.it",
        "ITL.Milano@pec.ispettorato.gov.it",
        "mario@example.org",
    ] {
        assert!(mails.iter().any(|m| m.contains(&format!("To: {to}"))), "{to}");
    }
    // (Each row says "sent" a moment after its message left.)
    let mut page = String::new();
    for _ in 0..100 {
        page = b.get(&format!("/dimissioni-volontarie/{code}")).await.body;
        if page.matches(">Inviato<").count() == 4 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(page.matches(">Inviato<").count(), 4);
    assert!(page.contains("Revoca il modulo"));

    // The PDF says what was sent.
    let pdf = b.get(&format!("/dimissioni-volontarie/{code}.pdf")).await;
    assert_eq!(pdf.header(header::CONTENT_TYPE), "application/pdf");
    let text = pdf_text(&pdf.bytes);
    let when = (app.state.clock.now().date() + Duration::days(20)).format("%d/%m/%Y").to_string();
    for expected in [code.as_str(), "Bianchi Servizi srl", "Rossi", MARIO, COMPANY, when.as_str(), "Dimissioni"] {
        assert!(text.contains(expected), "{expected} in the PDF: {text}");
    }

    // Nobody else sees it.
    let mut l = luca(&app).await;
    assert_eq!(l.get(&format!("/dimissioni-volontarie/{code}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(l.get(&format!("/dimissioni-volontarie/{code}.pdf")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        l.post_form(&format!("/dimissioni-volontarie/{code}/revoca"), &[("conferma", "si")], false).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(b.get("/dimissioni-volontarie/00000000000000000").await.status, StatusCode::NOT_FOUND);

    // A legal act is confirmed: without the box ticked, nothing is sent.
    let unconfirmed = b.post_form(&format!("/dimissioni-volontarie/{code}/revoca"), &[], false).await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unconfirmed.body.contains("Spunta la casella per confermare la revoca"));
    assert!(unconfirmed.body.contains(r##"href="#conferma""##) && unconfirmed.body.contains(r#"id="conferma""#));
    assert!(module_of(&app, &code).await.revoked_by_code.is_none());
    // Revoked in time; then nothing more to revoke.
    let revoca = b.post_form(&format!("/dimissioni-volontarie/{code}/revoca"), &[("conferma", "si")], false).await;
    assert_eq!(revoca.status, StatusCode::SEE_OTHER);
    let revoca_code = revoca
        .header(header::LOCATION)
        .trim_start_matches("/dimissioni-volontarie/")
        .trim_end_matches("?esito=trasmesso")
        .to_string();
    assert_ne!(revoca_code, code);
    assert!(b
        .get(&format!("/dimissioni-volontarie/{code}"))
        .await
        .body
        .contains(&format!("Revocato con il modulo {revoca_code}")));
    assert_eq!(
        b.post_form(&format!("/dimissioni-volontarie/{code}/revoca"), &[("conferma", "si")], false).await.status,
        StatusCode::CONFLICT
    );
    crate::foreign_user::mail_containing(&app, &format!("modulo-{revoca_code}.pdf")).await;
    // A revoked relationship can be resigned again later.
    let again = mario_resigns(&app, &mut b).await;
    assert_ne!(again, code);
    let list = b.get("/dimissioni-volontarie").await.body;
    assert!(list.contains(&code) && list.contains(&revoca_code) && list.contains(&again));
}

#[tokio::test]
async fn after_the_seventh_day_the_revoca_is_refused_and_explained() {
    let app = with_relationship().await;
    let mut b = mario(&app).await;
    let code = mario_resigns(&app, &mut b).await;
    // Sent eight days ago (Italian days).
    let (c2, at) = (code.clone(), app.state.clock.now() - Duration::days(8));
    with_conn(&app.state.pool, move |c| {
        diesel::update(m::table.filter(m::code.eq(&c2))).set(m::transmitted_at.eq(at)).execute(c)
    })
    .await
    .expect("update");
    let page = b.get(&format!("/dimissioni-volontarie/{code}")).await.body;
    assert!(page.contains("Il termine per la revoca è scaduto"));
    let res = b.post_form(&format!("/dimissioni-volontarie/{code}/revoca"), &[("conferma", "si")], false).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains("entro il settimo giorno"));
}

#[tokio::test]
async fn the_seal_chain_holds_and_breaks_when_a_stored_module_is_altered() {
    let app = with_relationship().await;
    let mut b = mario(&app).await;
    let first = mario_resigns(&app, &mut b).await;
    b.post_form(&format!("/dimissioni-volontarie/{first}/revoca"), &[("conferma", "si")], false).await;
    mario_resigns(&app, &mut b).await;
    let keys = app.state.seal.clone();
    let k2 = keys.clone();
    let checked = with_conn(&app.state.pool, move |c| chain::verify(c, &k2)).await.expect("verify");
    assert_eq!(checked, Ok(3));
    let f2 = first.clone();
    with_conn(&app.state.pool, move |c| {
        diesel::update(m::table.filter(m::code.eq(&f2)))
            .set(m::decorrenza.eq(chrono::NaiveDate::from_ymd_opt(2030, 1, 1)))
            .execute(c)
    })
    .await
    .expect("alter");
    let broken = with_conn(&app.state.pool, move |c| chain::verify(c, &keys)).await.expect("verify");
    assert_eq!(broken.map_err(|b| b.code), Err(first));
}

#[tokio::test]
async fn codes_stay_unique_and_the_chain_one_line_under_concurrent_submission() {
    let app = TestApp::new();
    let now = app.state.clock.now();
    // The sender's account (made by a sign-in).
    mario(&app).await;
    let account: servizi_lavoro::kernel::AccountId = with_conn(&app.state.pool, |c| {
        use servizi_lavoro::db::schema::accounts as a;
        a::table.select(a::id).first(c)
    })
    .await
    .expect("account");
    let contents = modulo::Contents {
        kind: "dimissioni".into(),
        worker_codice_fiscale: MARIO.into(),
        employer_codice_fiscale: COMPANY.into(),
        start_date: chrono::NaiveDate::from_ymd_opt(2019, 4, 1).expect("date"),
        ..Default::default()
    };
    let mut tasks = Vec::new();
    for i in 0..8 {
        let (pool, keys, contents) = (app.state.pool.clone(), app.state.seal.clone(), contents.clone());
        tasks.push(tokio::spawn(async move {
            with_conn(&pool, move |c| {
                let sender = modulo::Sender { account, worker_account: None };
                modulo::transmit(c, &contents, sender, &format!("key-{i}"), &keys, now)
            })
            .await
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        codes.push(t.await.expect("task").expect("db").expect("sent"));
    }
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 8, "one code each, even in the same millisecond");
    let keys = app.state.seal.clone();
    assert_eq!(with_conn(&app.state.pool, move |c| chain::verify(c, &keys)).await.expect("verify"), Ok(8));
}

/// Luca, a validated consulente del lavoro, acting for his studio.
pub async fn luca_operator(app: &TestApp) -> Browser<'_> {
    let (cf, now) = (cf_of("luca"), app.state.clock.now());
    with_conn(&app.state.pool, move |c| {
        let who = servizi_lavoro::profiles::demo::DemoPerson {
            codice_fiscale: &cf,
            given_name: "Luca",
            family_name: "Verdi",
            email: "luca@example.org",
        };
        servizi_lavoro::profiles::demo::seed(c, &who, now)
    })
    .await
    .expect("studio");
    let mut l = luca(app).await;
    let profiles = l.get("/profili").await.body;
    let row = profiles.split_once("Studio Luca Verdi").expect("studio").1;
    let id = crate::common::input_value(row, "profilo").expect("switch");
    l.post_form("/profili/attivo", &[("profilo", &id)], false).await;
    l
}

/// The operator looks up Mario's relationships with the demo company.
pub async fn operator_lookup(l: &mut Browser<'_>) -> TestResponse {
    l.post_form(
        "/dimissioni-volontarie/nuova/rapporto",
        &[("cf_lavoratore", MARIO), ("cf_datore", COMPANY), ("inizio", "dal2008")],
        false,
    )
    .await
}

/// The operator's review page for a resignation of Mario's.
async fn operator_review(app: &TestApp, l: &mut Browser<'_>) -> String {
    let found = operator_lookup(l).await;
    let id = hidden(&found.body, "rapporto");
    let employer = hidden(&found.body, "cf_datore");
    assert_eq!(employer, COMPANY, "the employer typed goes with the relationship chosen");
    let form = l
        .post_form(
            "/dimissioni-volontarie/nuova/modulo",
            &[("avvio", "si"), ("rapporto", &id), ("cf_datore", &employer), ("cf_lavoratore", MARIO)],
            false,
        )
        .await
        .body;
    let d = decorrenza(app);
    let fields = fields_of(
        &form,
        &[
            ("cognome", "Rossi"),
            ("nome", "Mario"),
            ("email_lavoratore", "mario.rossi@example.org"),
            ("tipo", "risoluzione_consensuale"),
            ("decorrenza", &d),
        ],
    );
    let review = post(l, "/dimissioni-volontarie/nuova/modulo", &fields).await;
    assert_eq!(review.status, StatusCode::OK, "{}", review.body);
    assert!(review.body.contains("Genera la delega con PIN"));
    review.body
}

pub fn pin_in(html: &str) -> String {
    html.split("class=\"secret\">").nth(1).expect("pin shown").chars().take(13).collect()
}

#[tokio::test]
async fn a_soggetto_abilitato_files_for_a_worker_only_with_todays_pin_for_that_module() {
    let app = with_relationship().await;
    let mut l = luca_operator(&app).await;
    assert_eq!(l.get("/dimissioni-volontarie/nuova").await.status, StatusCode::OK);
    let review = operator_review(&app, &mut l).await;
    let fields = fields_of(&review, &[]);
    // Without the PIN's page there is no sending.
    let no_pin = post(&mut l, "/dimissioni-volontarie/nuova/trasmetti", &fields).await;
    assert_eq!(no_pin.status, StatusCode::UNPROCESSABLE_ENTITY);
    let issued = post(&mut l, "/dimissioni-volontarie/nuova/delega", &fields).await;
    assert_eq!(issued.status, StatusCode::OK);
    let pin = pin_in(&issued.body);
    assert_eq!(pin.len(), 13);
    assert!(pin.chars().all(|c| c.is_ascii_digit()));
    // The paper delega carries the PIN, the worker and the module's type.
    let mut with_pin = fields.clone();
    with_pin.push(("pin".into(), pin.clone()));
    let pdf = post(&mut l, "/dimissioni-volontarie/nuova/delega.pdf", &with_pin).await;
    assert_eq!(pdf.header(header::CONTENT_TYPE), "application/pdf");
    let text = pdf_text(&pdf.bytes);
    assert!(text.contains(&pin) && text.contains(MARIO) && text.contains("Risoluzione consensuale"), "{text}");
    // A wrong PIN is refused; the right one sends the module.
    let mut wrong = fields.clone();
    wrong.push(("pin".into(), "0000000000000".into()));
    let res = post(&mut l, "/dimissioni-volontarie/nuova/trasmetti", &wrong).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("non è quello della delega"));
    // Typed as people copy it from the paper delega: in groups, with spaces.
    let mut spaced = fields.clone();
    spaced.push(("pin".into(), format!("{} {} {}", &pin[..4], &pin[4..8], &pin[8..])));
    let sent = post(&mut l, "/dimissioni-volontarie/nuova/trasmetti", &spaced).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let code = sent
        .header(header::LOCATION)
        .trim_start_matches("/dimissioni-volontarie/")
        .trim_end_matches("?esito=trasmesso")
        .to_string();
    let page = l.get(&format!("/dimissioni-volontarie/{code}")).await.body;
    assert!(page.contains("Risoluzione consensuale"));
    // The employer is told who sent it: the soggetto abilitato, for the worker.
    let mail = crate::foreign_user::mail_containing(&app, "per il lavoratore Mario Rossi").await;
    assert!(mail.contains("Studio Luca Verdi") && mail.contains(&code), "{mail}");
    // A new PIN for the form already sent: a page that says so, not a 500.
    let again = post(&mut l, "/dimissioni-volontarie/nuova/delega", &fields).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("già stato trasmesso"));
    // The same PIN for a second module is refused.
    let second = operator_review(&app, &mut l).await;
    let mut reused = fields_of(&second, &[]);
    reused.push(("pin".into(), pin.clone()));
    let res = post(&mut l, "/dimissioni-volontarie/nuova/trasmetti", &reused).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("già stato usato"));
    // Yesterday's PIN has expired.
    let issued = post(&mut l, "/dimissioni-volontarie/nuova/delega", &fields_of(&second, &[])).await;
    let old = pin_in(&issued.body);
    let key = hidden(&second, "chiave");
    let yesterday = app.state.clock.now().date() - Duration::days(1);
    with_conn(&app.state.pool, move |c| {
        diesel::update(p::table.filter(p::idempotency_key.eq(&key))).set(p::issued_on.eq(yesterday)).execute(c)
    })
    .await
    .expect("age");
    let mut expired = fields_of(&second, &[]);
    expired.push(("pin".into(), old));
    let res = post(&mut l, "/dimissioni-volontarie/nuova/trasmetti", &expired).await;
    assert!(res.body.contains("è scaduto"));

    // Who sees it: the operator, the worker, the company; not another person.
    assert!(l.get("/dimissioni-volontarie").await.body.contains(&code));
    let mut m2 = mario(&app).await;
    assert!(m2.get("/dimissioni-volontarie").await.body.contains(&code));
    let mut g = giulia(&app).await;
    let (gcf, now) = (cf_of("giulia"), app.state.clock.now());
    with_conn(&app.state.pool, move |c| servizi_lavoro::registry::seed_demo(c, &gcf, now)).await.expect("registry");
    assert_eq!(g.get(&format!("/dimissioni-volontarie/{code}")).await.status, StatusCode::NOT_FOUND, "as Cittadino");
    g.post_form("/profili/associa", &[("codice_fiscale", COMPANY)], false).await;
    let profiles = g.get("/profili").await.body;
    let row = profiles.split_once("Bianchi Servizi srl").expect("company").1;
    let id = crate::common::input_value(row, "profilo").expect("switch");
    g.post_form("/profili/attivo", &[("profilo", &id)], false).await;
    let list = g.get(&format!("/dimissioni-volontarie?lavoratore={MARIO}&tipo=risoluzione_consensuale")).await.body;
    assert!(list.contains(&code));
    assert!(!g.get("/dimissioni-volontarie?tipo=revoca").await.body.contains(&code), "filtered by type");
    assert_eq!(g.get(&format!("/dimissioni-volontarie/{code}")).await.status, StatusCode::OK);
    assert_eq!(
        g.post_form(&format!("/dimissioni-volontarie/{code}/revoca"), &[("conferma", "si")], false).await.status,
        StatusCode::NOT_FOUND,
        "the company only reads"
    );
    let csv = g.get("/dimissioni-volontarie.csv").await;
    assert!(csv.header(header::CONTENT_TYPE).starts_with("text/csv") && csv.body.contains(&code));
    assert_eq!(g.get("/dimissioni-volontarie/nuova").await.status, StatusCode::FORBIDDEN, "a company does not file");
    let _ = id_after;
}

#[tokio::test]
async fn the_ispettorato_consults_its_offices_provinces_only() {
    let app = with_relationship().await;
    let mut b = mario(&app).await;
    let code = mario_resigns(&app, &mut b).await;
    let anna = cf_of("anna");
    let a2 = anna.clone();
    with_conn(&app.state.pool, move |c| {
        servizi_lavoro::identity::roles::add_itl(c, &a2, "ITL-MILANO", servizi_lavoro::kernel::Clock::system().now())
    })
    .await
    .expect("officer");
    let attributes_cf = format!("TINIT-{anna}");
    let attributes = [("name", "Anna"), ("familyName", "Esposito"), ("fiscalNumber", attributes_cf.as_str())];
    let mut officer =
        crate::common::saml::signed_in(&app, "spid", servizi_lavoro::kernel::Level::L2, Some(&attributes)).await;
    let list = officer.get("/dimissioni-volontarie").await.body;
    assert!(list.contains("Milano-Lodi-Monza Brianza (province: LO, MB, MI)") && list.contains(&code), "{list}");
    assert_eq!(officer.get(&format!("/dimissioni-volontarie/{code}")).await.status, StatusCode::OK);
    assert_eq!(
        officer.post_form(&format!("/dimissioni-volontarie/{code}/revoca"), &[("conferma", "si")], false).await.status,
        StatusCode::NOT_FOUND
    );
    let a3 = anna.clone();
    with_conn(&app.state.pool, move |c| {
        servizi_lavoro::identity::roles::add_itl(c, &a3, "ITL-ROMA", servizi_lavoro::kernel::Clock::system().now())
    })
    .await
    .expect("moved");
    let mut moved =
        crate::common::saml::signed_in(&app, "spid", servizi_lavoro::kernel::Level::L2, Some(&attributes)).await;
    assert_eq!(moved.get(&format!("/dimissioni-volontarie/{code}")).await.status, StatusCode::NOT_FOUND);
}

/// Luca sends a module for Mario from the profile he acts in; returns its code.
pub async fn luca_sends(app: &TestApp, l: &mut Browser<'_>) -> String {
    let fields = fields_of(&operator_review(app, l).await, &[]);
    let issued = post(l, "/dimissioni-volontarie/nuova/delega", &fields).await;
    let mut with_pin = fields.clone();
    with_pin.push(("pin".into(), pin_in(&issued.body)));
    let sent = post(l, "/dimissioni-volontarie/nuova/trasmetti", &with_pin).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    sent.header(header::LOCATION)
        .trim_start_matches("/dimissioni-volontarie/")
        .trim_end_matches("?esito=trasmesso")
        .to_string()
}

#[tokio::test]
async fn what_an_operator_sent_for_one_soggetto_abilitato_is_not_seen_from_another() {
    use servizi_lavoro::db::schema::accounts as a;
    use servizi_lavoro::identity::organisations::{self, NewOrganisation, OrganisationKind, Role};
    let app = with_relationship().await;
    let mut l = luca_operator(&app).await;
    let code = luca_sends(&app, &mut l).await;
    assert_eq!(l.get(&format!("/dimissioni-volontarie/{code}")).await.status, StatusCode::OK);
    // Luca also works at a patronato, and now acts for it.
    let (cf, now) = (cf_of("luca"), app.state.clock.now());
    with_conn(&app.state.pool, move |c| {
        let account: servizi_lavoro::kernel::AccountId =
            a::table.filter(a::identifier.eq(&cf)).select(a::id).first(c)?;
        let patronato = NewOrganisation {
            kind: Some(OrganisationKind::Patronato),
            codice_fiscale: "97735020584".into(),
            name: "Patronato Esempio".into(),
            pec: "patronato@pec.example.it".into(),
            seat: "Via Roma 2, 00100 Roma (RM)".into(),
            ordine: None,
            albo_number: None,
        };
        let org = organisations::organisation_for(c, &patronato, now)?;
        organisations::join(c, org, account, Role::Operatore, now).map(|_| ())
    })
    .await
    .expect("patronato");
    let profiles = l.get("/profili").await.body;
    let row = profiles.split_once("Patronato Esempio").expect("the patronato").1;
    let id = crate::common::input_value(row, "profilo").expect("switch");
    l.post_form("/profili/attivo", &[("profilo", &id)], false).await;
    // The studio's module is not the patronato's: not listed, not shown, not revocable.
    assert!(!l.get("/dimissioni-volontarie").await.body.contains(&code));
    assert_eq!(l.get(&format!("/dimissioni-volontarie/{code}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(l.get(&format!("/dimissioni-volontarie/{code}.pdf")).await.status, StatusCode::NOT_FOUND);
    let res = l.post_form(&format!("/dimissioni-volontarie/{code}/revoca"), &[("nuovo_pin", "si")], false).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(module_of(&app, &code).await.revoked_by_code.is_none());
}

pub async fn module_of(app: &TestApp, code: &str) -> modulo::Modulo {
    let code = code.to_string();
    // Read as `dimissioni verify` reads them: no page may read a module without a permit.
    let all = with_conn(&app.state.pool, modulo::chain).await.expect("db");
    all.into_iter().find(|m| m.code == code).expect("module")
}

#[tokio::test]
async fn a_revoca_cannot_be_blocked_by_planting_its_key_in_another_module() {
    let app = with_relationship().await;
    let mut b = mario(&app).await;
    let code = mario_resigns(&app, &mut b).await;
    // Someone sends a module of their own with the key the revoca will use.
    let mut g = giulia(&app).await;
    let form = g.get(&format!("/dimissioni-volontarie/nuova/modulo?cf_datore={COMPANY}")).await.body;
    let d = decorrenza(&app);
    let revoca_key = format!("revoca:{code}");
    let planted = fields_of(
        &form,
        &[
            ("chiave", &revoca_key),
            ("tipo", "dimissioni"),
            ("decorrenza", &d),
            ("denominazione", "Bianchi Servizi srl"),
            ("indirizzo", "Via Roma 1"),
            ("comune", "Milano"),
            ("cap", "20121"),
            ("provincia", "MI"),
            ("pec_datore", "bianchiservizi@pec.example.it"),
            ("data_inizio", "2019-04-01"),
            ("tipologia", "Tempo indeterminato"),
            ("email_lavoratore", "giulia.bianchi@example.org"),
        ],
    );
    let res = post(&mut g, "/dimissioni-volontarie/nuova/trasmetti", &planted).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "only keys the server gave out: {}", res.body);
    // Mario's revoca goes through.
    let revoca = b.post_form(&format!("/dimissioni-volontarie/{code}/revoca"), &[("conferma", "si")], false).await;
    assert_eq!(revoca.status, StatusCode::SEE_OTHER);
    let by = module_of(&app, &code).await.revoked_by_code.expect("revoked");
    assert_eq!(module_of(&app, &by).await.contents.revokes_code.as_deref(), Some(code.as_str()));
}

#[tokio::test]
async fn a_date_beyond_four_digits_is_ignored_not_a_crash() {
    let app = with_relationship().await;
    let mut b = mario(&app).await;
    for q in ["al=%2B262142-12-31", "dal=%2B262142-12-31&al=%2B262142-12-31", "al=9999-12-31", "dal=20261-01-01"] {
        assert_eq!(b.get(&format!("/dimissioni-volontarie?{q}")).await.status, StatusCode::OK, "{q}");
    }
}

/// The codice identificativo attests the Italian time of transmission: the
/// same instant the page and the PDF show (not UTC).
#[tokio::test]
async fn the_code_is_the_italian_time_of_transmission() {
    let app = with_relationship().await;
    let mut m = mario(&app).await;
    let code = mario_resigns(&app, &mut m).await;
    let sent = module_of(&app, &code).await.transmitted_at;
    let italian = servizi_lavoro::kernel::clock::rome(sent);
    assert_eq!(code, italian.format("%Y%m%d%H%M%S%3f").to_string());
    assert!(m.get(&format!("/dimissioni-volontarie/{code}")).await.body.contains(&italian.format("%H:%M").to_string()));
}

/// Who this procedure is not for, as the law says (adoption and affidamento,
/// the marriage period, parents even in the trial period), and where they go.
#[tokio::test]
async fn the_first_page_names_every_exclusion_and_the_remote_convalida() {
    let app = with_relationship().await;
    let mut m = mario(&app).await;
    let page = m.get("/dimissioni-volontarie/nuova").await;
    assert_eq!(page.status, StatusCode::OK);
    for words in ["affidamento", "pubblicazioni di matrimonio", "anche in prova", "a distanza", "art. 55 c. 4"] {
        assert!(page.body.contains(words), "{words}");
    }
}

/// A second resignation for a relationship that already has one in force is
/// said on the review page (not refused: a new notice may be meant).
#[tokio::test]
async fn a_second_resignation_for_the_same_relationship_is_pointed_out() {
    let app = with_relationship().await;
    let mut m = mario(&app).await;
    let code = mario_resigns(&app, &mut m).await;
    let form = mario_form(&app, &mut m).await;
    let d = decorrenza(&app);
    let fields =
        fields_of(&form, &[("tipo", "dimissioni"), ("decorrenza", &d), ("email_lavoratore", "mario@example.org")]);
    let review = post(&mut m, "/dimissioni-volontarie/nuova/modulo", &fields).await;
    assert_eq!(review.status, StatusCode::OK);
    assert!(review.body.contains("già stato trasmesso il modulo") && review.body.contains(&code), "{}", review.body);
}

/// The PIN sends only the module the worker signed the paper delega for (its
/// relationship and section 4), and is read as people copy it: spaces allowed.
#[tokio::test]
async fn a_pin_sends_only_the_module_the_worker_signed() {
    let app = with_relationship().await;
    let mut l = luca_operator(&app).await;
    let review = operator_review(&app, &mut l).await;
    let fields = fields_of(&review, &[]);
    let issued = post(&mut l, "/dimissioni-volontarie/nuova/delega", &fields).await;
    let pin = pin_in(&issued.body);
    let later = (app.state.clock.now().date() + Duration::days(40)).format("%Y-%m-%d").to_string();
    let mut changed = fields_of(&review, &[("decorrenza", &later)]);
    changed.push(("pin".into(), pin.clone()));
    let res = post(&mut l, "/dimissioni-volontarie/nuova/trasmetti", &changed).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("dati diversi"), "another decorrenza than the one signed");
    let mut signed = fields.clone();
    signed.push(("pin".into(), format!("{} {} {}", &pin[..4], &pin[4..8], &pin[8..])));
    let sent = post(&mut l, "/dimissioni-volontarie/nuova/trasmetti", &signed).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "as signed, typed with spaces: {}", sent.body);
}

/// Public verification: with the module's code and the verification code
/// printed on it, anyone (signed in or not) learns that it is authentic, when
/// it was sent and whether it was revoked; nothing personal; a wrong pair is a 404.
#[tokio::test]
async fn anyone_with_the_code_and_the_verification_code_checks_a_module() {
    let app = with_relationship().await;
    let mut m = mario(&app).await;
    let code = mario_resigns(&app, &mut m).await;
    let hash = module_of(&app, &code).await.hash;
    let verification = servizi_lavoro::dimissioni::seal::verification_code(&hash);
    assert!(
        m.get(&format!("/dimissioni-volontarie/{code}")).await.body.contains(&verification),
        "on the module's page"
    );
    let pdf = m.get(&format!("/dimissioni-volontarie/{code}.pdf")).await;
    assert!(pdf_text(&pdf.bytes).contains(&verification), "and on its PDF");

    let mut anyone = Browser::new(&app);
    assert_eq!(anyone.get("/verifica").await.status, StatusCode::OK);
    let typed = verification.to_lowercase().replace('-', " ");
    let res = anyone.get(&format!("/verifica?codice={code}&verifica={}", typed.replace(' ', "+"))).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("Il modulo è autentico") && res.body.contains("Non revocato"));
    assert!(!res.body.contains(MARIO) && !res.body.contains("Rossi"), "nothing personal");
    let wrong = anyone.get(&format!("/verifica?codice={code}&verifica=AAAA-BBBB-CCCC")).await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert!(wrong.body.contains("Nessun modulo corrisponde") && !wrong.body.contains("Dimissioni</dd>"));
    let bad = anyone.get("/verifica?codice=123&verifica=x").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Revoked: said so, with the revoca's code.
    let res = m.post_form(&format!("/dimissioni-volontarie/{code}/revoca"), &[("conferma", "si")], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let revoca = res
        .header(header::LOCATION)
        .trim_start_matches("/dimissioni-volontarie/")
        .trim_end_matches("?esito=trasmesso")
        .to_string();
    let res = anyone.get(&format!("/verifica?codice={code}&verifica={verification}")).await;
    assert!(res.body.contains(&format!("Revocato con il modulo {revoca}")), "{}", res.body);
}

#[tokio::test]
async fn the_ispettoratos_offices_are_loaded_whole_or_not_at_all_and_decide_who_gets_a_copy() {
    use servizi_lavoro::dimissioni::itl;
    let app = with_relationship().await;
    let now = app.state.clock.now();
    // Every problem at once, and nothing changes.
    let bad = "codice;denominazione;province;pec;invio\n\
               ITL-A;Ufficio A;MI,XX;a@pec.example.it;pec\n\
               ITL-B;Ufficio B;MI;not-an-address;posta\n";
    let problems = with_conn(&app.state.pool, move |c| itl::import(c, bad, now)).await.expect("db").unwrap_err();
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].contains("\"XX\"") && problems[1].contains("not a PEC") && problems[2].contains("posta"));
    let milano = with_conn(&app.state.pool, |c| itl::for_province(c, "LO")).await.expect("db").expect("the example's");
    assert_eq!(milano.code, "ITL-MILANO", "one office for Milano, Lodi and Monza Brianza");
    let twice =
        "codice;denominazione;province;pec;invio\nITL-A;A;MI;a@pec.example.it;pec\nITL-B;B;mi;b@pec.example.it;pec\n";
    let problems = with_conn(&app.state.pool, move |c| itl::import(c, twice, now)).await.expect("db").unwrap_err();
    assert!(problems[0].contains("MI is already covered by line 2"), "{problems:?}");

    // Milano's office only consults the modules: no copy by PEC.
    let consult = "codice;denominazione;province;pec;invio\nITL-MILANO;ITL Milano;MI,LO,MB;itl.milano@pec.example.it;consultazione\n";
    assert_eq!(with_conn(&app.state.pool, move |c| itl::import(c, consult, now)).await.expect("db"), Ok(1));
    let mut b = mario(&app).await;
    let code = mario_resigns(&app, &mut b).await;
    let prefix = format!("dimissioni:{code}:");
    let keys: Vec<String> = with_conn(&app.state.pool, move |c| {
        Ok(servizi_lavoro::mail::outbox::with_prefix(c, &prefix)?.into_iter().map(|e| e.key).collect())
    })
    .await
    .expect("db");
    assert_eq!(keys.len(), 3, "employer (PEC and e-mail) and worker, no Ispettorato copy: {keys:?}");
    assert!(!keys.iter().any(|k| k.ends_with(":itl")));
}

#[tokio::test]
async fn the_employer_is_also_sent_the_module_at_its_domicilio_digitale_in_the_registry() {
    let app = with_relationship().await;
    let (gcf, now) = (cf_of("giulia"), app.state.clock.now());
    with_conn(&app.state.pool, move |c| servizi_lavoro::registry::seed_demo(c, &gcf, now)).await.expect("registry");
    let mut b = mario(&app).await;
    let form = mario_form(&app, &mut b).await;
    let d = decorrenza(&app);
    // Mario types an old PEC of the company: the one in the registry gets the module too.
    let fields = fields_of(
        &form,
        &[
            ("tipo", "dimissioni"),
            ("decorrenza", &d),
            ("email_lavoratore", "mario.rossi@example.org"),
            ("pec_datore", "vecchia@pec.example.it"),
        ],
    );
    let review = post(&mut b, "/dimissioni-volontarie/nuova/modulo", &fields).await;
    assert_eq!(review.status, StatusCode::OK, "{}", review.body);
    let sent = post(&mut b, "/dimissioni-volontarie/nuova/trasmetti", &fields_of(&review.body, &[])).await;
    let code = sent
        .header(header::LOCATION)
        .trim_start_matches("/dimissioni-volontarie/")
        .trim_end_matches("?esito=trasmesso")
        .to_string();
    let prefix = format!("dimissioni:{code}:");
    let to: Vec<(String, String)> = with_conn(&app.state.pool, move |c| {
        Ok(servizi_lavoro::mail::outbox::with_prefix(c, &prefix)?.into_iter().map(|e| (e.key, e.recipient)).collect())
    })
    .await
    .expect("db");
    assert!(to.iter().any(|(k, r)| k.ends_with(":employer-pec") && r == "vecchia@pec.example.it"), "{to:?}");
    assert!(
        to.iter().any(|(k, r)| k.ends_with(":employer-registry-pec") && r == "bianchiservizi@pec.example.it"),
        "{to:?}"
    );
    let page = b.get(&format!("/dimissioni-volontarie/{code}")).await.body;
    assert!(page.contains("Datore di lavoro (PEC del Registro delle imprese)"));
    // Where the module's PEC is the registry's, it is sent once.
    let again = mario_resigns(&app, &mut b).await;
    let prefix = format!("dimissioni:{again}:");
    let keys: Vec<String> = with_conn(&app.state.pool, move |c| {
        Ok(servizi_lavoro::mail::outbox::with_prefix(c, &prefix)?.into_iter().map(|e| e.key).collect())
    })
    .await
    .expect("db");
    assert!(!keys.iter().any(|k| k.ends_with(":employer-registry-pec")), "{keys:?}");
}
