//! Service design (issue 25): what reassures people at each step, and the
//! smaller things they hit. Each test failed before its change.
use crate::common::TestApp;
use crate::dimissioni::{luca_operator, luca_sends, with_relationship};
use axum::http::StatusCode;

#[tokio::test]
async fn the_operator_generates_the_pin_before_typing_it_to_revoke() {
    let app = with_relationship().await;
    let mut l = luca_operator(&app).await;
    let code = luca_sends(&app, &mut l).await;
    let page = l.get(&format!("/dimissioni-volontarie/{code}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let generate = page.body.find("Genera la delega con PIN").expect("the PIN's button");
    let field = page.body.find("name=\"pin\"").expect("the PIN's field");
    assert!(generate < field, "first the paper delega with its PIN, then the PIN typed");
}

#[tokio::test]
async fn the_helpdesk_consoles_title_covers_all_its_queues() {
    let app = TestApp::new();
    let mut ops = crate::foreign_user::operator(&app).await;
    let page = ops.get("/assistenza").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.title().starts_with("Assistenza – Richieste da esaminare"), "{}", page.title());
    assert!(!page.body.contains("Richieste Utente Estero</h1>"));
    let en = ops.get("/assistenza?lang=en").await;
    assert!(en.title().starts_with("Helpdesk – Requests to review"));
}
