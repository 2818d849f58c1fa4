//! What tripped newcomers up (issue 16): each of these failed before its fix.
use crate::common::{Browser, TestApp};
use crate::foreign_user::{enrolled, fields, operator, register, registered_and_confirmed, PNG};
use axum::http::StatusCode;

#[tokio::test]
async fn a_foreign_users_identifier_is_named_as_such_with_advice_they_can_follow() {
    let app = TestApp::new();
    let (mut ana, _, codes) = enrolled(&app).await;
    assert!(!codes.is_empty());
    let area = ana.get("/area-personale").await.body;
    assert!(area.contains("Identificativo Utente Estero") && !area.contains("<dt>Codice fiscale</dt>"));
    assert!(area.contains("cambia subito la password da qui") && !area.contains("presso il tuo gestore di identità"));
}

#[tokio::test]
async fn the_recovery_codes_page_knows_the_person_is_signed_in() {
    let app = TestApp::new();
    let mut ops = operator(&app).await;
    let id = registered_and_confirmed(&app, &mut ops).await;
    ops.post_form(&format!("/assistenza/richieste/{id}/decisione"), &[("decision", "approve")], false).await;
    let (mut ana, _) =
        crate::foreign_user::sign_in_password(&app, "ana.perez@example.com", crate::foreign_user::PASSWORD).await;
    let enrol = ana.get("/accesso-utente-estero/attiva-codice").await;
    let secret =
        enrol.body.split("class=\"secret\">").nth(1).and_then(|s| s.split('<').next()).expect("secret").to_string();
    let done = ana
        .post_form(
            "/accesso-utente-estero/attiva-codice",
            &[("code", &crate::foreign_user::current_code(&secret, 0))],
            false,
        )
        .await;
    assert!(done.body.contains("<li><code>"), "the recovery codes");
    assert!(done.body.contains(">Esci<") && !done.body.contains(">Accedi<"), "signed in: the way out, not the way in");
}

#[tokio::test]
async fn a_too_large_document_is_the_only_error_and_every_value_is_kept() {
    let app = TestApp::new();
    let mut b = Browser::new(&app);
    let big: Vec<u8> = PNG.iter().copied().chain(std::iter::repeat_n(0u8, 6 * 1024 * 1024)).collect();
    let res = register(&mut b, &fields("ana.perez@example.com", "2035-01-01"), Some(("passport.png", &big))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("5 MB"));
    assert!(!res.body.contains("password è troppo corta") && !res.body.contains("consenso"), "no false errors");
    assert!(res.body.contains(r#"name="consent" value="yes" checked"#) || res.body.contains("checked"), "consent kept");
    assert!(res.body.contains("va allegato di nuovo"));
}

#[tokio::test]
async fn a_too_long_name_says_what_the_limit_is() {
    let app = TestApp::new();
    let mut b = Browser::new(&app);
    let mut f = fields("ana.perez@example.com", "2035-01-01");
    f.retain(|(k, _)| *k != "given_name");
    f.push(("given_name", "A".repeat(300)));
    let res = register(&mut b, &f, Some(("passport.png", PNG))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Al massimo 100 caratteri") && !res.body.contains("Scrivi il tuo nome"));
}

#[tokio::test]
async fn a_rejection_reason_has_a_limit() {
    let app = TestApp::new();
    let mut ops = operator(&app).await;
    let id = registered_and_confirmed(&app, &mut ops).await;
    let long = "x".repeat(20_000);
    let res = ops
        .post_form(
            &format!("/assistenza/richieste/{id}/decisione"),
            &[("decision", "reject"), ("reason", &long)],
            false,
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("al massimo 500 caratteri"));
}

#[tokio::test]
async fn counts_agree_with_their_noun() {
    let app = TestApp::new();
    let one = app.get("/servizi?q=cabotaggio").await.body;
    assert!(one.contains("1 servizio trovato"), "singular");
    let en = app.get("/servizi?q=cabotaggio&lang=en").await.body;
    assert!(en.contains("1 service found"));
    assert!(app.get("/servizi").await.body.contains("24 servizi trovati"));
}

#[tokio::test]
async fn small_things_on_the_sign_in_pages() {
    let app = TestApp::new();
    let slo = app.get("/saml/slo").await;
    assert_eq!(slo.status, StatusCode::BAD_REQUEST);
    assert!(slo.title().starts_with("Uscita non riuscita"), "{}", slo.title());
    let choice = app.get("/accedi").await.body;
    let eidas = choice.find("Login with eIDAS").expect("the eIDAS button");
    assert!(choice[..eidas].ends_with(r#"<span lang="en">"#), "{}", &choice[eidas.saturating_sub(80)..eidas]);
    let cie = choice.find("Entra con CIE").expect("the CIE button");
    assert!(
        choice[cie..cie + 90].contains(" <span class=\"tag"),
        "a space before the provider's name: {}",
        &choice[cie..cie + 90]
    );
    assert!(!app.get("/pagina-che-non-esiste").await.title().starts_with("Errore"));
    let password = app.get("/area-personale/password").await;
    assert_eq!(password.status, StatusCode::SEE_OTHER, "like every protected page: to the sign-in");
}

#[tokio::test]
async fn a_signed_in_home_leads_on_and_the_console_confirms_decisions() {
    let app = TestApp::new();
    let mut ops = operator(&app).await;
    let home = ops.get("/").await.body;
    assert!(home.contains("Vai alla tua area personale") && !home.contains("Accedi ai servizi"));
    // The personal area: one's services and what one can do (an operator: the console).
    let area = ops.get("/area-personale").await.body;
    assert!(
        area.contains("I tuoi servizi") && area.contains("Cosa puoi fare") && area.contains(r#"href="/assistenza""#)
    );
    let id = registered_and_confirmed(&app, &mut ops).await;
    let res = ops.post_form(&format!("/assistenza/richieste/{id}/decisione"), &[("decision", "approve")], false).await;
    assert_eq!(res.header(axum::http::header::LOCATION), "/assistenza?esito=approvata");
    assert!(ops.get("/assistenza?esito=approvata").await.body.contains("Richiesta approvata"));
}

/// Every link of the error summary leads to an element of the page, and every
/// field's error is tied to the field (or its fieldset) by aria-describedby.
fn assert_errors_tied(page: &str, what: &str) {
    let summary = page.split("class=\"error-summary\"").nth(1).unwrap_or_else(|| panic!("{what}: no error summary"));
    let at = page.find("class=\"error-summary\"").unwrap_or(0);
    let opening = &page[page[..at].rfind('<').unwrap_or(0)..at];
    assert!(
        opening.contains("autofocus") && opening.contains("tabindex=\"-1\""),
        "{what}: the summary takes the focus"
    );
    let summary = summary.split("</div>").next().unwrap_or("");
    for target in summary.split("href=\"#").skip(1).filter_map(|r| r.split('"').next()) {
        assert!(
            page.contains(&format!("id=\"{target}\"")),
            "{what}: the summary links to #{target}, which is not there"
        );
    }
    for error in page.split("class=\"field-error\" id=\"").skip(1).filter_map(|r| r.split('"').next()) {
        let described = page
            .split("aria-describedby=\"")
            .skip(1)
            .filter_map(|r| r.split('"').next())
            .any(|ids| ids.split(' ').any(|i| i == error));
        assert!(described, "{what}: nothing is described by #{error}");
    }
}

#[tokio::test]
async fn form_errors_are_tied_to_their_fields() {
    let app = crate::dimissioni::with_relationship().await;
    let mut m = crate::common::people::mario(&app).await;
    let delega = m.post_form("/deleghe/nuova", &[("per", "me")], false).await;
    assert_eq!(delega.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_errors_tied(&delega.body, "delega");
    // Phones show the right keyboard: capitals for a codice fiscale, digits for a CAP.
    let cf = delega.body.split("id=\"codice_fiscale\"").nth(1).and_then(|r| r.split('>').next()).unwrap_or("");
    assert!(cf.contains(r#"autocapitalize="characters""#) && cf.contains(r#"spellcheck="false""#), "{cf}");
    let support = m.post_multipart("/supporto", &[("categoria", "altro")], None).await;
    assert_eq!(support.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", support.body);
    assert_errors_tied(&support.body, "support");
    let form = m.get("/dimissioni-volontarie/nuova/modulo?cf_datore=01234567897").await.body;
    let key = crate::common::input_value(&form, "chiave").expect("key");
    let cap = form.split("id=\"cap\"").nth(1).and_then(|r| r.split('>').next()).unwrap_or("");
    assert!(cap.contains(r#"inputmode="numeric""#), "{cap}");
    let module = m
        .post_form(
            "/dimissioni-volontarie/nuova/modulo",
            &[("chiave", key.as_str()), ("tipo", "giusta_causa"), ("cf_datore", "01234567897")],
            false,
        )
        .await;
    assert_eq!(module.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_errors_tied(&module.body, "dimissioni");
}
