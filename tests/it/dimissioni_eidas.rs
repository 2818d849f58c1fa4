//! An EU citizen working in Italy resigns with eIDAS (a service at level 2
//! accepts notified eIDAS credentials): they declare their Italian codice
//! fiscale, which must fit the surname, name and date of birth eIDAS vouched
//! for, and it finds their relationship like SPID's does.
use crate::common::people::{cf_of, giulia, MARIO};
use crate::common::saml::signed_in;
use crate::common::{Browser, TestApp};
use crate::dimissioni::{mario_resigns, with_relationship};
use axum::http::{header, StatusCode};
use servizi_lavoro::identity::codice_fiscale::check_letter;
use servizi_lavoro::kernel::Level;

/// Mario Rossi, born on 1 January 1980, signed in through the eIDAS node.
async fn eidas_mario<'a>(app: &'a TestApp, eidas_id: &str) -> Browser<'a> {
    let attributes =
        [("spidCode", eidas_id), ("name", "Mario"), ("familyName", "Rossi"), ("dateOfBirth", "1980-01-01")];
    signed_in(app, "eidas", Level::L2, Some(&attributes)).await
}

#[tokio::test]
async fn an_eidas_worker_declares_a_codice_fiscale_that_fits_and_resigns() {
    let app = with_relationship().await;
    let mut b = eidas_mario(&app, "FR/IT/MARIO-1").await;
    // Nothing without a codice fiscale: first to declare it, and back.
    let list = b.get("/dimissioni-volontarie").await;
    assert_eq!(list.status, StatusCode::SEE_OTHER);
    assert!(list.header(header::LOCATION).starts_with("/dimissioni-volontarie/codice-fiscale?next="));
    let form = b.get(list.header(header::LOCATION)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Il tuo codice fiscale italiano") && form.body.contains("Mario Rossi"));
    let path = "/dimissioni-volontarie/codice-fiscale";

    // A malformed code, and valid codes of someone else, are refused and kept on the form.
    let bad = b.post_form(path, &[("codice_fiscale", "RSSMRA80")], false).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("16 caratteri") && bad.body.contains("value=\"RSSMRA80\""));
    let giulias = b.post_form(path, &[("codice_fiscale", &cf_of("giulia"))], false).await;
    assert_eq!(giulias.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(giulias.body.contains("non corrisponde al cognome"), "{}", giulias.body);
    // Mario's code but born a day later.
    let first15 = "RSSMRA80A02H501";
    let other = format!("{first15}{}", check_letter(first15).expect("letter"));
    let other_day = b.post_form(path, &[("codice_fiscale", &other)], false).await;
    assert_eq!(other_day.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(other_day.body.contains("data di nascita"), "{}", other_day.body);

    // His own: kept, and back to where he was going.
    let ok = b
        .post_form(path, &[("codice_fiscale", &MARIO.to_lowercase()), ("next", "/dimissioni-volontarie")], false)
        .await;
    assert_eq!((ok.status, ok.header(header::LOCATION)), (StatusCode::SEE_OTHER, "/dimissioni-volontarie"));
    assert_eq!(b.get("/dimissioni-volontarie").await.status, StatusCode::OK);
    // It finds his relationship from the Comunicazioni Obbligatorie, and he resigns.
    let code = mario_resigns(&app, &mut b).await;
    let page = b.get(&format!("/dimissioni-volontarie/{code}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(MARIO));
    // Kept for the next sign-in.
    let mut again = eidas_mario(&app, "FR/IT/MARIO-1").await;
    assert_eq!(again.get(&format!("/dimissioni-volontarie/{code}")).await.status, StatusCode::OK);
    // Another eIDAS identity cannot claim the same codice fiscale, nor see the module.
    let mut other = eidas_mario(&app, "DE/IT/SOMEONE-2").await;
    let taken = other.post_form(path, &[("codice_fiscale", MARIO)], false).await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.body.contains("già stato dichiarato"));
    assert_eq!(other.get(&format!("/dimissioni-volontarie/{code}")).await.status, StatusCode::NOT_FOUND, "not theirs");
    // Someone signed in with SPID has nothing to declare.
    let mut g = giulia(&app).await;
    assert_eq!(g.get(path).await.header(header::LOCATION), "/dimissioni-volontarie");
}
