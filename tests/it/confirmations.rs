//! Confirmation pages, check-your-answers and the question before an
//! irreversible act (issue 25): each one a step the person sees, and none
//! of them doing anything until the person confirms.
use crate::common::people::{giulia, id_after, mario, MARIO};
use crate::common::TestApp;
use crate::dimissioni::{mario_resigns, module_of, with_relationship};
use axum::http::{header, StatusCode};
use chrono::Duration;
use servizi_lavoro::dimissioni::deadline;

/// Anna Esposito: on the demo IdP, never signed in here.
const ANNA: &str = "SPSNNA90T64F839O";

#[tokio::test]
async fn a_resignation_ends_on_a_confirmation_page_that_says_until_when_it_can_be_revoked() {
    let app = with_relationship().await;
    let mut m = mario(&app).await;
    let code = mario_resigns(&app, &mut m).await;
    let last_day = deadline::last_day(module_of(&app, &code).await.transmitted_at);
    let last = last_day.format("%d/%m/%Y").to_string();
    let last_en = servizi_lavoro::web::format::format_date(last_day, servizi_lavoro::i18n::Lang::En);
    let page = m.get(&format!("/dimissioni-volontarie/{code}?esito=trasmesso")).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = page.body.clone();
    assert!(page.title().starts_with("Dimissioni trasmesse"), "{}", page.title());
    assert!(body.contains(&format!("<strong class=\"panel__reference\">{code}</strong>")), "the code, large");
    assert!(body.contains("Cosa succede ora"));
    assert!(body.contains(&format!("revocarle entro le 23:59 del {last}")), "the revoca's deadline");
    assert!(body.contains("mario.rossi@example.org"), "where the copy went");
    let en = m.get(&format!("/dimissioni-volontarie/{code}?esito=trasmesso&lang=en")).await;
    assert!(en.body.contains("Resignation sent") && en.body.contains(&format!("until 23:59 on {last_en}")));
    // The worker's mail speaks to them: what they did, until when and how to revoke.
    let mail = crate::foreign_user::mail_containing(&app, &format!("Hai trasmesso il modulo {code}")).await;
    assert!(mail.contains("puoi revocarlo fino al") && mail.contains("mario.rossi@example.org"), "{mail}");
    // The module's own page stays the module's page.
    let plain = m.get(&format!("/dimissioni-volontarie/{code}")).await;
    assert!(!plain.body.contains("panel__reference"));
}

#[tokio::test]
async fn a_delega_is_checked_in_words_before_it_is_granted_and_confirmed_after() {
    let app = TestApp::new();
    let mut m = mario(&app).await;
    let (from, until) = (crate::common::day(&app, 0), crate::common::day(&app, 30));
    let fields = [
        ("per", "me"),
        ("codice_fiscale", ANNA),
        ("tipo", "non_temporanea"),
        ("ambito", "scelti"),
        ("servizio", "formazione-a-distanza"),
        ("dal", from.as_str()),
        ("al", until.as_str()),
    ];
    let check = m.post_form("/deleghe/nuova", &fields, false).await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    assert!(check.title().starts_with("Controlla la delega"), "{}", check.title());
    assert!(check.body.contains(&format!("{ANNA} (non ancora registrato sul portale)")));
    assert!(check.body.contains("Formazione a distanza (e-learning)"), "services in words");
    let shown = (servizi_lavoro::kernel::clock::italian_day(app.state.clock.now()) + Duration::days(30))
        .format("%d/%m/%Y")
        .to_string();
    assert!(check.body.contains(&shown), "dates as people write them");
    assert!(check.body.contains("formaction=\"/deleghe/nuova#codice_fiscale\""), "a change button per answer");
    assert!(!m.get("/deleghe").await.body.contains(ANNA), "nothing granted yet");

    // "Modifica" brings the form back with every answer kept.
    let mut change = fields.to_vec();
    change.push(("passo", "modifica"));
    let form = m.post_form("/deleghe/nuova", &change, false).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains(&format!("value=\"{ANNA}\""))
            && form.body.contains("value=\"formazione-a-distanza\" checked")
    );

    let mut confirmed = fields.to_vec();
    confirmed.push(("passo", "conferma"));
    let granted = m.post_form("/deleghe/nuova", &confirmed, false).await;
    assert_eq!(granted.status, StatusCode::SEE_OTHER, "{}", granted.body);
    let to = granted.header(header::LOCATION).to_string();
    assert!(to.ends_with("?esito=conferita"), "{to}");
    let id = id_after(&to, "/deleghe/");
    let page = m.get(&to).await;
    assert!(page.title().starts_with("Delega conferita"));
    assert!(page.body.contains("panel__reference") && page.body.contains("Cosa succede ora"));
    assert!(page.body.contains(&format!("fino al {shown}")) || page.body.contains(&format!("al {shown}")));

    // Revoking asks first, and does nothing until answered.
    let ask = m.post_form(&format!("/deleghe/{id}/azione"), &[("azione", "revoca")], false).await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(ask.title().starts_with("Revocare la delega?"));
    assert!(ask.body.contains("name=\"conferma\" value=\"si\""));
    assert!(m.get(&format!("/deleghe/{id}")).await.body.contains("In attesa di risposta"), "still pending");
    let done = m.post_form(&format!("/deleghe/{id}/azione"), &[("azione", "revoca"), ("conferma", "si")], false).await;
    assert_eq!(done.header(header::LOCATION), format!("/deleghe/{id}?esito=revocata"));
    let banner = m.get(done.header(header::LOCATION)).await.body;
    assert!(banner.contains("banner--success") && banner.contains("Hai revocato la delega"));
}

#[tokio::test]
async fn the_delegate_is_asked_before_refusing_and_a_stranger_gets_no_question() {
    let app = TestApp::new();
    let mut g = giulia(&app).await;
    let (from, until) = (crate::common::day(&app, 0), crate::common::day(&app, 30));
    let res = g
        .post_form(
            "/deleghe/nuova",
            &[
                ("per", "me"),
                ("codice_fiscale", MARIO),
                ("tipo", "non_temporanea"),
                ("ambito", "tutti"),
                ("dal", &from),
                ("al", &until),
                ("passo", "conferma"),
            ],
            false,
        )
        .await;
    let id = id_after(res.header(header::LOCATION), "/deleghe/");
    let mut m = mario(&app).await;
    let ask = m.post_form(&format!("/deleghe/{id}/azione"), &[("azione", "rifiuta")], false).await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(ask.title().starts_with("Rifiutare la delega?"));
    assert!(ask.body.contains("Giulia Bianchi"), "whose delega it is");
    // The grantor's side cannot even be asked the delegate's question.
    let other = g.post_form(&format!("/deleghe/{id}/azione"), &[("azione", "rifiuta")], false).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    assert!(!other.body.contains("Rifiutare la delega?"));
}

#[tokio::test]
async fn an_invitation_is_checked_before_it_is_sent_and_confirmed_by_a_banner() {
    let app = crate::organisations::with_registry().await;
    let (mut g, org) = crate::organisations::giulia_with_company(&app).await;
    let path = format!("/profili/organizzazioni/{org}/inviti");
    let fields = [("codice_fiscale", MARIO), ("ruolo", "operatore")];
    let check = g.post_form(&path, &fields, false).await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    assert!(check.title().starts_with("Controlla l'invito"));
    assert!(check.body.contains("Può usare i servizi per l'organizzazione"), "the role in words");
    assert!(!g.get(&format!("/profili/organizzazioni/{org}")).await.body.contains("In attesa di risposta"));
    let mut confirmed = fields.to_vec();
    confirmed.push(("passo", "conferma"));
    let sent = g.post_form(&path, &confirmed, false).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let page = g.get(sent.header(header::LOCATION)).await.body;
    assert!(page.contains("banner--success") && page.contains(&format!("Invito inviato a {MARIO} come Operatore")));
}
