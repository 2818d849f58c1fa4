//! The worker's retrieval code (nota INL 3575/2020): printed on the worker's
//! copy and receipt, it lets any soggetto abilitato find that one module and
//! revoke it with the worker's new PIN; every lookup is recorded, a wrong or
//! foreign pair finds nothing and says nothing.
use crate::common::people::{cf_of, giulia, mario, MARIO};
use crate::common::TestApp;
use crate::dimissioni::{luca_operator, mario_resigns, module_of, pdf_text, pin_in, with_relationship};
use axum::http::{header, StatusCode};
use diesel::prelude::*;
use servizi_lavoro::db::schema::dimissioni_retrievals as r;
use servizi_lavoro::db::with_conn;

/// The retrieval code shown on a page (`XXXX-XXXX-XXXX` after its label).
fn retrieval_code_in(html: &str) -> Option<String> {
    let after = html.split("Codice di recupero").nth(1)?;
    let re = regex::Regex::new(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}").expect("regex");
    re.find(after).map(|m| m.as_str().to_string())
}

async fn lookups(app: &TestApp) -> Vec<(Option<String>, bool)> {
    with_conn(&app.state.pool, |c| r::table.order(r::id).select((r::module_code, r::found)).load(c)).await.expect("db")
}

#[tokio::test]
async fn a_worker_revokes_through_another_soggetto_abilitato_with_the_retrieval_code() {
    let app = with_relationship().await;
    let mut b = mario(&app).await;
    let code = mario_resigns(&app, &mut b).await;
    let page = b.get(&format!("/dimissioni-volontarie/{code}")).await.body;
    let retrieval = retrieval_code_in(&page).expect("the worker's page shows the retrieval code");
    let pdf = b.get(&format!("/dimissioni-volontarie/{code}.pdf")).await;
    assert!(pdf_text(&pdf.bytes).contains(&retrieval), "the worker's copy carries it");
    let receipt = crate::foreign_user::mail_containing(&app, &retrieval).await;
    assert!(receipt.contains("mario.rossi@example.org"), "in the worker's receipt only");
    // The worker cannot use the lookup: it is for soggetti abilitati.
    assert_eq!(b.get("/dimissioni-volontarie/ritrova").await.status, StatusCode::FORBIDDEN);

    // Luca's studio did not send it: the module does not exist for him…
    let mut l = luca_operator(&app).await;
    assert_eq!(l.get(&format!("/dimissioni-volontarie/{code}")).await.status, StatusCode::NOT_FOUND);
    assert!(l.get("/dimissioni-volontarie").await.body.contains("href=\"/dimissioni-volontarie/ritrova\""));
    // …a malformed code is a 422 with what was typed kept, a wrong pair finds nothing and names no one.
    let bad = l
        .post_form("/dimissioni-volontarie/ritrova", &[("cf_lavoratore", MARIO), ("codice_recupero", "ABC")], false)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("dodici lettere e cifre") && bad.body.contains("value=\"ABC\""));
    let giulia_cf = cf_of("giulia");
    let other = l
        .post_form(
            "/dimissioni-volontarie/ritrova",
            &[("cf_lavoratore", &giulia_cf), ("codice_recupero", &retrieval)],
            false,
        )
        .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(other.body.contains("Nessun modulo corrisponde") && !other.body.contains(&code));
    // The right pair, typed loosely, leads to the module.
    let typed = retrieval.to_lowercase().replace('-', " ");
    let found = l
        .post_form("/dimissioni-volontarie/ritrova", &[("cf_lavoratore", MARIO), ("codice_recupero", &typed)], false)
        .await;
    assert_eq!(found.status, StatusCode::SEE_OTHER, "{}", found.body);
    assert_eq!(found.header(header::LOCATION), format!("/dimissioni-volontarie/{code}"));
    let seen = l.get(&format!("/dimissioni-volontarie/{code}")).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(seen.body.contains("name=\"pin\""), "revoked with the worker's PIN");
    let pdf = l.get(&format!("/dimissioni-volontarie/{code}.pdf")).await;
    assert!(!pdf_text(&pdf.bytes).contains(&retrieval), "only the worker's copy carries the code");
    assert_eq!(
        lookups(&app).await,
        vec![(None, false), (Some(code.clone()), true)],
        "every lookup recorded, found or not (the malformed one never reached the records)"
    );

    // Without the PIN, nothing; with a new PIN on the worker's delega, the revoca.
    let path = format!("/dimissioni-volontarie/{code}/revoca");
    let no_pin = l.post_form(&path, &[("pin", "0000000000000"), ("conferma", "si")], false).await;
    assert_eq!(no_pin.status, StatusCode::UNPROCESSABLE_ENTITY);
    let issued = l.post_form(&path, &[("nuovo_pin", "si")], false).await;
    assert_eq!(issued.status, StatusCode::OK);
    let pin = pin_in(&issued.body);
    let revoked = l.post_form(&path, &[("pin", &pin), ("conferma", "si")], false).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.body);
    let revoca = revoked
        .header(header::LOCATION)
        .trim_start_matches("/dimissioni-volontarie/")
        .trim_end_matches("?esito=trasmesso")
        .to_string();
    assert_eq!(module_of(&app, &code).await.revoked_by_code.as_deref(), Some(revoca.as_str()));
    let r = module_of(&app, &revoca).await;
    assert_eq!(
        (r.contents.abilitato_kind.as_deref(), r.retrieval_code.as_deref()),
        (Some("consulente_lavoro"), None),
        "section 5 names the studio that sent the revoca; a revoca has no retrieval code"
    );
    // The worker sees the revoca too.
    assert_eq!(b.get(&format!("/dimissioni-volontarie/{revoca}")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_worker_revoking_a_module_an_operator_sent_is_named_as_its_sender() {
    let app = with_relationship().await;
    let mut l = luca_operator(&app).await;
    let code = crate::dimissioni::luca_sends(&app, &mut l).await;
    // Luca hands the code over: he sees it on the module he sent.
    let page = l.get(&format!("/dimissioni-volontarie/{code}")).await.body;
    assert!(retrieval_code_in(&page).is_some(), "the sender sees the worker's retrieval code");
    let mut b = mario(&app).await;
    let revoked = b.post_form(&format!("/dimissioni-volontarie/{code}/revoca"), &[("conferma", "si")], false).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.body);
    let revoca = revoked
        .header(header::LOCATION)
        .trim_start_matches("/dimissioni-volontarie/")
        .trim_end_matches("?esito=trasmesso")
        .to_string();
    let r = module_of(&app, &revoca).await;
    assert_eq!(r.contents.abilitato_kind, None, "the worker revoked it, not the studio");
    // Giulia, no soggetto abilitato, cannot look anything up.
    let mut g = giulia(&app).await;
    let res = g
        .post_form(
            "/dimissioni-volontarie/ritrova",
            &[("cf_lavoratore", MARIO), ("codice_recupero", "K7QM-2XZP-9RTA")],
            false,
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}
