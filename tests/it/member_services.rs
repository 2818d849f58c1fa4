//! A company gives an operatore only some services (issue 26): from the
//! operatore's next request, a service outside them answers 403 with what to
//! do and /servizi says so (its cached body is not another person's); the
//! change is in the organisation's activity; only those who manage it set
//! it, only for an operatore; a role change to manager clears it.
use crate::common::people::luca;
use crate::common::{Browser, TestApp};
use crate::organisations::{
    first_member, giulia_with_company, mario_joins, org_path, switch_to_company, with_registry,
};
use axum::http::{header, StatusCode};
use diesel::prelude::*;
use servizi_lavoro::db::schema::memberships as m;
use servizi_lavoro::db::with_conn;

/// Mario's membership in the organisation.
async fn mario_member(app: &TestApp, org: i64) -> i64 {
    let first = first_member(app, org).await;
    with_conn(&app.state.pool, move |c| {
        m::table.filter(m::organisation_id.eq(org)).filter(m::id.ne(first)).select(m::id).first(c)
    })
    .await
    .expect("member")
}

async fn enters(b: &mut Browser<'_>, slug: &str) -> StatusCode {
    b.get(&format!("/servizi/{slug}/accedi")).await.status
}

#[tokio::test]
async fn an_operatore_given_some_services_uses_only_those_from_the_next_request() {
    let app = with_registry().await;
    let (mut g, org) = giulia_with_company(&app).await;
    let mut mario = mario_joins(&app, &mut g, org, "operatore").await;
    switch_to_company(&mut mario).await;
    assert_eq!(enters(&mut mario, "smart-working").await, StatusCode::SEE_OTHER, "every service at first");
    let member = mario_member(&app, org).await;
    let form = format!("{}/membri/{member}/servizi", org_path(org, ""));
    let page = g.get(&org_path(org, "")).await.body;
    assert!(
        page.contains("Servizi: Tutti i servizi dell&#x27;organizzazione")
            || page.contains("Servizi: Tutti i servizi dell'organizzazione")
    );
    assert!(page.contains(&format!("href=\"{form}\"")));
    assert_eq!(g.get(&form).await.status, StatusCode::OK);
    let res = g.post_form(&form, &[("ambito", "scelti"), ("servizio", "cigsonline")], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let back = res.header(header::LOCATION).to_string();
    assert_eq!(back, format!("{}?servizi-cambiati={member}", org_path(org, "")));
    assert!(g.get(&back).await.body.contains("Servizi di Mario Rossi aggiornati: CIGSonline."));

    // Mario, without signing in again: CIGSonline yes, the rest no, explained.
    assert_eq!(enters(&mut mario, "cigsonline").await, StatusCode::SEE_OTHER);
    let refused = mario.get("/servizi/smart-working/accedi").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("ti ha assegnato altri servizi"));
    assert!(mario.get("/servizi").await.body.contains("ti ha assegnato altri servizi"), "the catalog says so");
    // Giulia, acting for the same company, is shown her own catalog, not Mario's.
    switch_to_company(&mut g).await;
    assert!(!g.get("/servizi").await.body.contains("ti ha assegnato altri servizi"));
    assert_eq!(enters(&mut g, "smart-working").await, StatusCode::SEE_OTHER, "a manager has them all");

    // In the organisation's activity, with the services before and after.
    let activity = g.get(&org_path(org, "/attivita")).await.body;
    assert!(activity.contains("Servizi di un operatore") && activity.contains("(da tutti i servizi a CIGSonline)"));

    // All of them again.
    let res = g.post_form(&form, &[("ambito", "tutti")], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(enters(&mut mario, "smart-working").await, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn only_a_manager_sets_them_only_for_an_operatore_and_bad_choices_are_explained() {
    let app = with_registry().await;
    let (mut g, org) = giulia_with_company(&app).await;
    let mut mario = mario_joins(&app, &mut g, org, "operatore").await;
    let member = mario_member(&app, org).await;
    let form = format!("{}/membri/{member}/servizi", org_path(org, ""));
    let none = g.post_form(&form, &[("ambito", "scelti")], false).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.body.contains("Scegli almeno un servizio"));
    let foreign = g.post_form(&form, &[("ambito", "scelti"), ("servizio", "nessun-servizio")], false).await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        foreign.body.contains("un servizio che l&#x27;organizzazione non usa")
            || foreign.body.contains("un servizio che l'organizzazione non usa")
    );
    // A manager has every service: there is nothing to choose for her.
    let own = format!("{}/membri/{}/servizi", org_path(org, ""), first_member(&app, org).await);
    let res = g.get(&own).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains("Solo per gli operatori"));
    // The operatore does not choose their own; a stranger finds nothing.
    assert_eq!(mario.get(&form).await.status, StatusCode::FORBIDDEN);
    assert_eq!(mario.post_form(&form, &[("ambito", "tutti")], false).await.status, StatusCode::FORBIDDEN);
    let mut l = luca(&app).await;
    let stranger = l.get(&form).await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND);
    assert!(!stranger.body.contains("Mario") && !stranger.body.contains("Bianchi"));
    assert_eq!(g.get(&format!("{}/membri/999999/servizi", org_path(org, ""))).await.status, StatusCode::NOT_FOUND);
    assert_eq!(g.get(&format!("{}/membri/abc/servizi", org_path(org, ""))).await.status, StatusCode::BAD_REQUEST);

    // Made amministratore, then operatore again: the old limit does not come back.
    assert_eq!(
        g.post_form(&form, &[("ambito", "scelti"), ("servizio", "cigsonline")], false).await.status,
        StatusCode::SEE_OTHER
    );
    let role = format!("{}/membri/{member}/ruolo", org_path(org, ""));
    assert_eq!(g.post_form(&role, &[("ruolo", "amministratore")], false).await.status, StatusCode::SEE_OTHER);
    assert_eq!(g.post_form(&role, &[("ruolo", "operatore")], false).await.status, StatusCode::SEE_OTHER);
    let services: Option<String> =
        with_conn(&app.state.pool, move |c| m::table.find(member).select(m::services).first(c)).await.expect("row");
    assert_eq!(services, None);
}
