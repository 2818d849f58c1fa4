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

/// Every address on a page: links and form actions (where a codice fiscale must never be).
fn addresses(html: &str) -> Vec<String> {
    ["href=\"", "action=\""]
        .iter()
        .flat_map(|attr| html.split(attr).skip(1).filter_map(|rest| rest.split('"').next()).map(String::from))
        .collect()
}

#[tokio::test]
async fn the_worker_starts_from_his_own_relationships_step_by_step_and_no_codice_fiscale_is_ever_in_an_address() {
    let app = with_relationship().await;
    let mut m = crate::common::people::mario(&app).await;
    let mario = crate::common::people::MARIO;
    let first = m.get("/dimissioni-volontarie/nuova").await;
    assert!(first.body.contains("Passo 1 di 4") && first.body.contains("class=\"back-link\""));
    let step = m.get("/dimissioni-volontarie/nuova/rapporto?idoneo=si").await;
    assert_eq!(step.status, StatusCode::OK);
    assert!(step.body.contains("Passo 2 di 4"));
    // His own relationships from the CO, before any search by the employer's code.
    let own = step.body.find("I tuoi rapporti di lavoro attivi").expect("his relationships first");
    let search = step.body.find("name=\"cf_datore\"").expect("the search after them");
    assert!(own < search);
    assert!(step.body.contains("Bianchi Servizi srl, dal 01/04/2019"));
    let id = crate::common::input_value(&step.body, "rapporto").expect("a relationship to choose");
    let form = m.post_form("/dimissioni-volontarie/nuova/modulo", &[("avvio", "si"), ("rapporto", &id)], false).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Passo 3 di 4") && form.body.contains("Bianchi Servizi srl"));
    // Before 2008: the module at once, posted (it was a redirect with both codes in its address).
    let before = m
        .post_form(
            "/dimissioni-volontarie/nuova/rapporto",
            &[("cf_datore", "01234567897"), ("inizio", "prima2008")],
            false,
        )
        .await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(before.body.contains("Passo 3 di 4"));
    let found = m
        .post_form(
            "/dimissioni-volontarie/nuova/rapporto",
            &[("cf_datore", "01234567897"), ("inizio", "dal2008")],
            false,
        )
        .await;
    for page in [&first.body, &step.body, &form.body, &before.body, &found.body] {
        for address in addresses(page) {
            assert!(!address.contains(mario) && !address.contains("cf_"), "a code in an address: {address}");
        }
    }
    let review = crate::dimissioni::post(
        &mut m,
        "/dimissioni-volontarie/nuova/modulo",
        &crate::dimissioni::fields_of(
            &form.body,
            &[
                ("email_lavoratore", "mario.rossi@example.org"),
                ("tipo", "dimissioni"),
                ("decorrenza", &crate::dimissioni::decorrenza(&app)),
            ],
        ),
    )
    .await;
    assert_eq!(review.status, StatusCode::OK);
    assert!(review.body.contains("Passo 4 di 4"));
}

#[tokio::test]
async fn an_operator_searches_by_the_workers_and_the_employers_codes_and_is_offered_nobody_elses_relationships() {
    let app = with_relationship().await;
    let mut l = luca_operator(&app).await;
    let step = l.get("/dimissioni-volontarie/nuova/rapporto?idoneo=si").await;
    assert_eq!(step.status, StatusCode::OK);
    assert!(!step.body.contains("I tuoi rapporti di lavoro attivi") && !step.body.contains("Bianchi Servizi srl"));
    assert!(step.body.contains("name=\"cf_lavoratore\""));
}

#[tokio::test]
async fn english_uses_one_word_for_the_codice_fiscale_and_explains_the_italian_words_once() {
    let app = TestApp::new();
    let mut b = crate::common::Browser::new(&app);
    let en = b.get("/?lang=en").await.body;
    assert!(en.contains("Italian words you will meet here") && en.contains("Ufficio Relazioni con il Pubblico"));
    let it = b.get("/?lang=it").await.body;
    assert!(!it.contains("Parole italiane che incontrerai"), "Italian readers need no glossary");
    for file in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/locales/en")).expect("locales") {
        let text = std::fs::read_to_string(file.expect("file").path()).expect("read").to_lowercase();
        assert!(!text.contains("tax code") && !text.contains("fiscal code"), "one term: codice fiscale");
    }
}

#[tokio::test]
async fn the_activity_reads_one_row_per_act_and_names_the_identity_provider() {
    let app = TestApp::new();
    let mut m = crate::common::people::mario(&app).await;
    for _ in 0..3 {
        assert_eq!(m.get("/deleghe/nuova").await.status, StatusCode::OK);
    }
    let page = m.get("/area-personale/attivita").await.body;
    assert!(page.contains("(3 volte di seguito)"), "three views of one page are one row: {page}");
    let idp = page
        .split("data-label=\"Gestore dell&#x27;identità\">")
        .nth(1)
        .or_else(|| page.split("data-label=\"Gestore dell'identità\">").nth(1));
    let idp = idp.expect("the sign-in's identity provider cell");
    assert!(!idp.starts_with("http"), "a name, not an entity id: {}", &idp[..idp.len().min(80)]);
}
