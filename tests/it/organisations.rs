//! Organisations beyond the registry match: inviting colleagues, managing
//! members (never leaving nobody in charge), the organisation's activity,
//! organisations and soggetti abilitati validated by the helpdesk, profiles
//! brought over from the old portal, the one-click switch a service offers,
//! and other people's ids giving nothing.
use crate::common::people::{cf_of, giulia, id_after, luca, mario, MARIO};
use crate::common::saml::{post, spec, start};
use crate::common::{Browser, TestApp, TestResponse};
use axum::http::{header, StatusCode};
use servizi_lavoro::db::with_conn;
use servizi_lavoro::kernel::Level;

const COMPANY: &str = "01234567897";
const PDF: &[u8] = b"%PDF-1.7 a registry extract";

pub async fn with_registry() -> TestApp {
    with_registry_and(|_| {}).await
}

/// [`with_registry`], with its configuration adjusted.
async fn with_registry_and(adjust: impl FnOnce(&mut servizi_lavoro::config::Config)) -> TestApp {
    let app = TestApp::with_config(adjust);
    let (cf, now) = (cf_of("giulia"), chrono::Utc::now().naive_utc());
    with_conn(&app.state.pool, move |c| servizi_lavoro::registry::seed_demo(c, &cf, now)).await.expect("registry");
    app
}

/// Giulia associates her company; returns her browser and its id.
pub async fn giulia_with_company(app: &TestApp) -> (Browser<'_>, i64) {
    let mut g = giulia(app).await;
    g.post_form("/profili/associa", &[("codice_fiscale", COMPANY)], false).await;
    let org = id_after(&g.get("/profili").await.body, "/profili/organizzazioni/");
    (g, org)
}

/// The organisation's first membership (its legale rappresentante's): her row
/// offers no link with it while she is the only one in charge.
pub async fn first_member(app: &TestApp, org: i64) -> i64 {
    use diesel::prelude::*;
    use servizi_lavoro::db::schema::memberships as m;
    with_conn(&app.state.pool, move |c| {
        m::table.filter(m::organisation_id.eq(org)).order(m::id.asc()).select(m::id).first::<i64>(c)
    })
    .await
    .expect("membership")
}

pub fn org_path(org: i64, rest: &str) -> String {
    format!("/profili/organizzazioni/{org}{rest}")
}

/// Giulia invites Mario as `role`; Mario accepts. Returns Mario's browser.
pub async fn mario_joins<'a>(app: &'a TestApp, g: &mut Browser<'_>, org: i64, role: &str) -> Browser<'a> {
    let res = g
        .post_form(
            &org_path(org, "/inviti"),
            &[("codice_fiscale", MARIO), ("ruolo", role), ("passo", "conferma")],
            false,
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let mut m = mario(app).await;
    let list = m.get("/profili").await.body;
    let invitation = id_after(&list, "/profili/inviti/");
    let res = m.post_form(&format!("/profili/inviti/{invitation}"), &[("risposta", "accetta")], false).await;
    assert_eq!((res.status, res.header(header::LOCATION)), (StatusCode::SEE_OTHER, "/profili"));
    m
}

pub async fn switch_to_company(b: &mut Browser<'_>) {
    let list = b.get("/profili").await.body;
    let row = list.split_once("Bianchi Servizi srl").expect("company row").1;
    let id = crate::common::input_value(row, "profilo").expect("switch form");
    assert_eq!(b.post_form("/profili/attivo", &[("profilo", &id)], false).await.status, StatusCode::SEE_OTHER);
}

/// The access counter, as every instance reads it with the session.
async fn access_epoch(app: &TestApp) -> i64 {
    use diesel::prelude::*;
    use servizi_lavoro::db::schema::access_epoch as e;
    with_conn(&app.state.pool, |c| e::table.select(e::n).first::<i64>(c)).await.expect("counter")
}

/// What Mario's stored session holds of the last check of whom he acts for.
async fn marios_check(app: &TestApp) -> Option<serde_json::Value> {
    use diesel::prelude::*;
    use servizi_lavoro::db::schema::{accounts as a, sessions as s};
    let data: String = with_conn(&app.state.pool, |c| {
        let his: i64 = a::table.filter(a::identifier.eq(MARIO)).select(a::id).first(c)?;
        s::table.filter(s::account_id.eq(his)).filter(s::rotated.eq(false)).select(s::data).first(c)
    })
    .await
    .expect("Mario's session");
    let data: serde_json::Value = serde_json::from_str(&data).expect("json");
    assert!(data.get(servizi_lavoro::auth::session::EPOCH_KEY).is_none(), "the counter read is never stored");
    // Held as its text by a request, the principal is stored as the object it is.
    assert_eq!(data["principal"]["actor"]["identifier"], MARIO);
    data.get(servizi_lavoro::auth::session::CHECKED_KEY).cloned()
}

/// Whom a person acts for is checked again only when what it rests on
/// changed (a counter the database moves, whichever instance wrote) or the
/// Italian day did: a change written by another instance (here straight to
/// the database, as it would arrive) applies at the next request all the same.
#[tokio::test]
async fn a_change_written_by_another_instance_applies_at_the_next_request() {
    use diesel::prelude::*;
    use servizi_lavoro::db::schema::{accounts as a, memberships as m};
    // Sessions long enough to see the next day.
    let app = with_registry_and(|c| {
        c.session_idle_minutes = 3 * 24 * 60;
        c.session_max_hours = 3 * 24;
    })
    .await;
    let (mut g, org) = giulia_with_company(&app).await;
    let mut mario_b = mario_joins(&app, &mut g, org, "operatore").await;
    switch_to_company(&mut mario_b).await;
    assert!(mario_b.get("/").await.body.contains("Bianchi Servizi srl (operatore)"));
    let before = access_epoch(&app).await;
    let today = servizi_lavoro::kernel::clock::italian_day(app.state.clock.now()).to_string();
    assert_eq!(marios_check(&app).await, Some(serde_json::json!([before, today])));

    // A sign-in writes to accounts but changes nobody's access: nothing to check again.
    let _luca = luca(&app).await;
    assert_eq!(access_epoch(&app).await, before);
    assert!(mario_b.get("/servizi").await.body.contains("Bianchi Servizi srl (operatore)"));

    let his = move || {
        m::table
            .filter(m::organisation_id.eq(org))
            .filter(m::account_id.eq_any(a::table.filter(a::identifier.eq(MARIO)).select(a::id)))
    };
    let promote = move |c: &mut servizi_lavoro::db::AnyConnection| {
        diesel::update(his()).set(m::role.eq("amministratore")).execute(c)
    };
    assert_eq!(with_conn(&app.state.pool, promote).await.expect("promote"), 1);
    let after = access_epoch(&app).await;
    assert!(after > before, "a membership's change moves the counter");
    assert!(mario_b.get("/").await.body.contains("Bianchi Servizi srl (amministratore)"));
    assert_eq!(marios_check(&app).await, Some(serde_json::json!([after, today])));

    // The next Italian day checks again, changed or not.
    app.state.clock.advance(chrono::Duration::days(1));
    let tomorrow = servizi_lavoro::kernel::clock::italian_day(app.state.clock.now()).to_string();
    assert!(mario_b.get("/").await.body.contains("Bianchi Servizi srl (amministratore)"));
    assert_eq!(marios_check(&app).await, Some(serde_json::json!([after, tomorrow])));

    let now = app.state.clock.now();
    let remove =
        move |c: &mut servizi_lavoro::db::AnyConnection| diesel::update(his()).set(m::until.eq(now)).execute(c);
    assert_eq!(with_conn(&app.state.pool, remove).await.expect("remove"), 1);
    assert!(mario_b.get("/").await.body.contains("Stai operando come: Cittadino"));
    assert_eq!(mario_b.get(&org_path(org, "")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_manager_invites_a_colleague_who_accepts_and_acts_for_the_company() {
    let app = with_registry().await;
    let (mut g, org) = giulia_with_company(&app).await;
    let page = g.get(&org_path(org, "")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Giulia Bianchi") && page.body.contains("Invita un collega"));

    // Bad input: 422, the value kept, the reason given.
    let bad = g
        .post_form(
            &org_path(org, "/inviti"),
            &[("codice_fiscale", "RSSMRA80A01H501X"), ("ruolo", "operatore"), ("passo", "conferma")],
            false,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("codice fiscale di persona valido"));
    assert_eq!(crate::common::input_value(&bad.body, "codice_fiscale").as_deref(), Some("RSSMRA80A01H501X"));
    let bad_role = g
        .post_form(
            &org_path(org, "/inviti"),
            &[("codice_fiscale", MARIO), ("ruolo", "legale_rappresentante"), ("passo", "conferma")],
            false,
        )
        .await;
    assert_eq!(bad_role.status, StatusCode::UNPROCESSABLE_ENTITY, "only the registry makes a legale rappresentante");

    let res = g
        .post_form(
            &org_path(org, "/inviti"),
            &[("codice_fiscale", &MARIO.to_lowercase()), ("ruolo", "operatore"), ("passo", "conferma")],
            false,
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let sent = res.header(header::LOCATION).to_string();
    assert!(sent.starts_with(&format!("{}?invito=", org_path(org, ""))), "{sent}");
    let page = g.get(&sent).await.body;
    assert!(page.contains("In attesa di risposta"));
    assert!(page.contains("Invito inviato a RSSMRA80A01H501U come Operatore"), "the banner confirms it");
    let again = g
        .post_form(
            &org_path(org, "/inviti"),
            &[("codice_fiscale", MARIO), ("ruolo", "operatore"), ("passo", "conferma")],
            false,
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("già un invito in attesa"));

    // Nobody else can answer it; Mario can, once.
    let mut l = luca(&app).await;
    let mut m = mario(&app).await;
    assert!(m.get("/area-personale").await.body.contains("aspettano la tua risposta"));
    let list = m.get("/profili").await.body;
    assert!(list.contains("Giulia Bianchi ti invita a operare per Bianchi Servizi srl come Operatore"));
    let invitation = id_after(&list, "/profili/inviti/");
    let answer = format!("/profili/inviti/{invitation}");
    assert_eq!(l.post_form(&answer, &[("risposta", "accetta")], false).await.status, StatusCode::NOT_FOUND);
    assert_eq!(m.post_form(&answer, &[("risposta", "forse")], false).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(m.post_form(&answer, &[("risposta", "accetta")], false).await.status, StatusCode::SEE_OTHER);
    assert_eq!(m.post_form(&answer, &[("risposta", "rifiuta")], false).await.status, StatusCode::CONFLICT);
    let list = m.get("/profili").await.body;
    assert!(list.contains("Bianchi Servizi srl") && list.contains("Operatore"));
    assert!(!list.contains("Gestisci membri"), "an operatore does not manage");

    // Mario acts for the company, as operatore; the catalog follows.
    switch_to_company(&mut m).await;
    assert!(m.get("/").await.body.contains("Stai operando come: Bianchi Servizi srl (operatore)"));
    assert_eq!(m.get("/servizi/cigsonline/accedi").await.status, StatusCode::SEE_OTHER);
    // The members page is for those who manage it.
    assert_eq!(m.get(&org_path(org, "")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(m.get(&org_path(org, "/attivita")).await.status, StatusCode::FORBIDDEN);

    // The organisation's activity: who did what, as whom.
    let activity = g.get(&org_path(org, "/attivita")).await;
    assert_eq!(activity.status, StatusCode::OK);
    for expected in
        ["Invito di un collega", "Invito accettato", "Mario Rossi", "Giulia Bianchi", "Accesso a un servizio"]
    {
        assert!(activity.body.contains(expected), "{expected} in the organisation's activity");
    }
    let csv = g.get(&org_path(org, "/attivita.csv")).await;
    assert!(csv.header(header::CONTENT_TYPE).starts_with("text/csv"));
    assert!(csv.body.contains("Mario Rossi") && csv.body.contains("Invito accettato"));
}

#[tokio::test]
async fn members_are_managed_and_the_organisation_never_loses_its_last_manager() {
    let app = with_registry().await;
    let (mut g, org) = giulia_with_company(&app).await;
    let page = g.get(&org_path(org, "")).await.body;
    // A new colleague is offered the least power first.
    assert!(page.contains(r#"<option value="operatore" selected"#), "operatore preselected");
    // Alone in charge, her row says why it has no "Rimuovi" (no 409 dead end).
    assert!(!page.contains("/rimuovi"));
    assert!(page.contains("unica persona che gestisce l"));
    let giulia_member = first_member(&app, org).await;
    // Alone in charge: she cannot remove herself, nor change the registry's role.
    let confirm = g.get(&org_path(org, &format!("/membri/{giulia_member}/rimuovi"))).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("Non potrai più operare"));
    let res = g.post_form(&org_path(org, &format!("/membri/{giulia_member}/rimuovi")), &[], false).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains("senza chi la gestisce"));
    let res =
        g.post_form(&org_path(org, &format!("/membri/{giulia_member}/ruolo")), &[("ruolo", "operatore")], false).await;
    assert_eq!(res.status, StatusCode::CONFLICT);

    let mut m = mario_joins(&app, &mut g, org, "operatore").await;
    switch_to_company(&mut m).await;
    let page = g.get(&org_path(org, "")).await.body;
    let mario_member = id_after(page.split("Mario Rossi").nth(1).expect("Mario's row"), &org_path(org, "/membri/"));
    // Promoted: at his next request he manages it.
    let res = g
        .post_form(&org_path(org, &format!("/membri/{mario_member}/ruolo")), &[("ruolo", "amministratore")], false)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(m.get("/").await.body.contains("Bianchi Servizi srl (amministratore)"));
    let his_view = m.get(&org_path(org, "")).await;
    assert_eq!(his_view.status, StatusCode::OK);
    // An amministratore does not remove the legale rappresentante: her row says so.
    assert!(his_view.body.contains("Solo il legale rappresentante può lasciare"));
    assert!(!his_view.body.contains(&format!("/membri/{giulia_member}/rimuovi")));
    let res = m.post_form(&org_path(org, &format!("/membri/{giulia_member}/rimuovi")), &[], false).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains("registro delle imprese"));
    assert!(g.get(&org_path(org, "")).await.status.is_success(), "Giulia still manages it");
    let res = g.post_form(&org_path(org, &format!("/membri/{mario_member}/ruolo")), &[("ruolo", "capo")], false).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);

    // Removed: back to Cittadino on his next request, and the organisation is gone for him.
    let confirm = g.get(&org_path(org, &format!("/membri/{mario_member}/rimuovi"))).await;
    assert!(confirm.body.contains("Mario Rossi non potrà più operare per Bianchi Servizi srl"));
    let res = g.post_form(&org_path(org, &format!("/membri/{mario_member}/rimuovi")), &[], false).await;
    assert_eq!((res.status, res.header(header::LOCATION)), (StatusCode::SEE_OTHER, org_path(org, "").as_str()));
    assert!(m.get("/").await.body.contains("Stai operando come: Cittadino"));
    assert_eq!(m.get(&org_path(org, "")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(m.get("/servizi/cigsonline/accedi").await.status, StatusCode::FORBIDDEN);
    let page = g.get(&org_path(org, "")).await.body;
    let past = page.split("Membri precedenti").nth(1).expect("past members");
    assert!(past.contains("Mario Rossi"));
    let activity = g.get(&org_path(org, "/attivita")).await.body;
    assert!(activity.contains("Cambio di ruolo") && activity.contains("Rimozione di un membro"));
}

#[tokio::test]
async fn other_peoples_organisations_members_and_invitations_do_not_exist_for_you() {
    let app = with_registry().await;
    let (mut g, org) = giulia_with_company(&app).await;
    g.post_form(
        &org_path(org, "/inviti"),
        &[("codice_fiscale", MARIO), ("ruolo", "operatore"), ("passo", "conferma")],
        false,
    )
    .await;
    let page = g.get(&org_path(org, "")).await.body;
    let member = first_member(&app, org).await;
    let invitation = id_after(&page, "/inviti/");

    // Luca manages his own studio (validated consulente), not Giulia's company.
    let (cf, now) = (cf_of("luca"), chrono::Utc::now().naive_utc());
    with_conn(&app.state.pool, move |c| {
        let who = servizi_lavoro::profiles::demo::DemoPerson {
            codice_fiscale: &cf,
            given_name: "Luca",
            family_name: "Verdi",
            email: "luca.verdi@example.org",
        };
        servizi_lavoro::profiles::demo::seed(c, &who, now)
    })
    .await
    .expect("studio");
    let mut l = luca(&app).await;
    let profiles = l.get("/profili").await.body;
    assert!(profiles.contains("Consulente del lavoro") && profiles.contains("Studio Luca Verdi"));
    let studio = id_after(&profiles, "/profili/organizzazioni/");
    assert_eq!(l.get(&org_path(studio, "")).await.status, StatusCode::OK);
    switch_to_studio(&mut l, &profiles).await;
    assert!(l.get("/").await.body.contains("Studio Luca Verdi – consulente del lavoro (legale rappresentante)"));

    let gets = [
        org_path(org, ""),
        org_path(org, "/attivita"),
        org_path(org, "/attivita.csv"),
        org_path(org, &format!("/membri/{member}/rimuovi")),
    ];
    for path in &gets {
        assert_eq!(l.get(path).await.status, StatusCode::NOT_FOUND, "GET {path}");
    }
    let posts: [(String, Vec<(&str, &str)>); 4] = [
        (org_path(org, "/inviti"), vec![("codice_fiscale", MARIO), ("ruolo", "amministratore"), ("passo", "conferma")]),
        (org_path(org, &format!("/membri/{member}/ruolo")), vec![("ruolo", "operatore")]),
        (org_path(org, &format!("/membri/{member}/rimuovi")), vec![]),
        (org_path(org, &format!("/inviti/{invitation}/revoca")), vec![]),
    ];
    for (path, fields) in &posts {
        assert_eq!(l.post_form(path, fields, false).await.status, StatusCode::NOT_FOUND, "POST {path}");
    }
    // Through his own studio's address, Giulia's member and invitation are not there either.
    let through_studio = [
        org_path(studio, &format!("/membri/{member}/rimuovi")),
        org_path(studio, &format!("/inviti/{invitation}/revoca")),
    ];
    for path in &through_studio {
        assert_eq!(l.post_form(path, &[], false).await.status, StatusCode::NOT_FOUND, "POST {path}");
    }
    // Nothing changed for Giulia's company; she can still withdraw her invitation, once.
    let page = g.get(&org_path(org, "")).await.body;
    assert!(page.contains("Giulia Bianchi") && page.contains("In attesa di risposta"));
    let revoke = org_path(org, &format!("/inviti/{invitation}/revoca"));
    assert_eq!(g.post_form(&revoke, &[], false).await.status, StatusCode::SEE_OTHER);
    assert_eq!(g.post_form(&revoke, &[], false).await.status, StatusCode::CONFLICT);
    let mut m = mario(&app).await;
    assert!(!m.get("/profili").await.body.contains("ti invita"), "a withdrawn invitation is gone");
}

async fn switch_to_studio(l: &mut Browser<'_>, profiles: &str) {
    let row = profiles.split_once("Studio Luca Verdi").expect("studio row").1;
    let id = crate::common::input_value(row, "profilo").expect("switch form");
    assert_eq!(l.post_form("/profili/attivo", &[("profilo", &id)], false).await.status, StatusCode::SEE_OTHER);
}

async fn apply(b: &mut Browser<'_>, fields: &[(&str, &str)], file: Option<&[u8]>) -> TestResponse {
    b.post_multipart("/profili/registra", fields, file.map(|f| ("documento", "visura.pdf", f))).await
}

const FOREIGN: [(&str, &str); 6] = [
    ("tipo", "impresa_estera"),
    ("denominazione", "Müller Logistik GmbH"),
    ("paese", "de"),
    ("identificativo_estero", "DE 123456789"),
    ("pec", "mueller@pec.example.de"),
    ("sede", "Hafenstraße 1, 20457 Hamburg"),
];

#[tokio::test]
async fn an_organisation_the_registry_does_not_know_is_validated_by_the_helpdesk() {
    let app = TestApp::new();
    let mut ops = crate::foreign_user::operator(&app).await;
    let mut g = giulia(&app).await;
    assert_eq!(g.get("/profili/registra").await.status, StatusCode::OK);

    // Everything wrong at once: each said, what was typed kept.
    let bad = apply(
        &mut g,
        &[("tipo", "consulente_lavoro"), ("denominazione", "Studio Bianchi"), ("codice_fiscale", "123"), ("pec", "no")],
        None,
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for reason in [
        "codice fiscale o una partita IVA valida",
        "PEC valido",
        "Ordine provinciale a cui sei iscritto",
        "numero di iscrizione",
        "Allega la scansione",
    ] {
        assert!(bad.body.contains(reason), "{reason}");
    }
    assert_eq!(crate::common::input_value(&bad.body, "denominazione").as_deref(), Some("Studio Bianchi"));
    assert!(bad.body.contains(r#"<option value="consulente_lavoro" selected"#), "the kind kept");
    let not_a_document = apply(&mut g, &FOREIGN, Some(b"MZ not a scan")).await;
    assert_eq!(not_a_document.status, StatusCode::UNPROCESSABLE_ENTITY);

    let res = apply(&mut g, &FOREIGN, Some(PDF)).await;
    assert_eq!((res.status, res.header(header::LOCATION)), (StatusCode::SEE_OTHER, "/profili"), "{}", res.body);
    assert!(g.get("/profili").await.body.contains("In verifica dall'assistenza"));
    let twice = apply(&mut g, &FOREIGN, Some(PDF)).await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The helpdesk sees it with its document; others do not.
    let queue = ops.get("/assistenza").await.body;
    assert!(queue.contains("Müller Logistik GmbH"));
    let id = id_after(&queue, "/assistenza/organizzazioni/");
    let path = format!("/assistenza/organizzazioni/{id}");
    assert_eq!(g.get(&path).await.status, StatusCode::FORBIDDEN);
    assert_eq!(g.get(&format!("{path}/documento")).await.status, StatusCode::FORBIDDEN);
    let page = ops.get(&path).await;
    assert!(page.body.contains("DE:DE123456789") && page.body.contains("Giulia Bianchi"));
    let doc = ops.get(&format!("{path}/documento")).await;
    assert_eq!((doc.status, doc.header(header::CONTENT_TYPE)), (StatusCode::OK, "application/pdf"));
    let no_reason =
        ops.post_form(&format!("{path}/decisione"), &[("decision", "reject"), ("reason", " ")], false).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let long = "x".repeat(501);
    let too_long =
        ops.post_form(&format!("{path}/decisione"), &[("decision", "reject"), ("reason", &long)], false).await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = ops.post_form(&format!("{path}/decisione"), &[("decision", "approve")], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        ops.post_form(&format!("{path}/decisione"), &[("decision", "approve")], false).await.status,
        StatusCode::NOT_FOUND,
        "decided once"
    );

    // Giulia is its legale rappresentante, and was told.
    let profiles = g.get("/profili").await.body;
    assert!(profiles.contains("Müller Logistik GmbH") && profiles.contains("Impresa estera"));
    assert!(profiles.contains("Approvata"));
    let mail = crate::foreign_user::mail_containing(&app, "ha verificato i dati di").await;
    assert!(mail.contains("To: giulia@example.org"));
    // A second registration of the same company is refused: join it instead.
    let known = apply(&mut g, &FOREIGN, Some(PDF)).await;
    assert_eq!(known.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(known.body.contains("già registrata"));
}

#[tokio::test]
async fn a_rejected_application_says_why() {
    let app = TestApp::new();
    let mut ops = crate::foreign_user::operator(&app).await;
    let mut g = giulia(&app).await;
    let fields = [
        ("tipo", "consulente_lavoro"),
        ("denominazione", "Studio Bianchi"),
        ("codice_fiscale", &cf_of("giulia")),
        ("pec", "studio.bianchi@pec.example.it"),
        ("sede", "Via Dante 2, 20121 Milano"),
        ("ordine", "Milano"),
        ("numero_albo", "5678"),
    ];
    assert_eq!(apply(&mut g, &fields, Some(PDF)).await.status, StatusCode::SEE_OTHER);
    let id = id_after(&ops.get("/assistenza").await.body, "/assistenza/organizzazioni/");
    let path = format!("/assistenza/organizzazioni/{id}/decisione");
    let res =
        ops.post_form(&path, &[("decision", "reject"), ("reason", "Iscrizione all'Ordine non trovata")], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let profiles = g.get("/profili").await.body;
    assert!(profiles.contains("Respinta") && profiles.contains("Ordine non trovata"));
    assert!(!profiles.contains("Gestisci membri"), "no profile from a rejected application");
    let mail = crate::foreign_user::mail_containing(&app, "non ha potuto approvare").await;
    assert!(mail.contains("Iscrizione all'Ordine non trovata"));
}

const LEGACY: &str =
    "codice_fiscale;organizzazione_codice_fiscale;denominazione;tipo;ruolo;dal;attivita_data;attivita\n\
RSSMRA80A01H501U;01234567897;Bianchi Servizi srl;;operatore;2015-03-01;2019-05-02 10:30;Comunicazione UniLav inviata\n\
RSSMRA80A01H501U;;;;;;2018-01-15;Accesso al servizio Cliclavoro\n\
RSSMRA80A01H501X;01234567897;Bianchi Servizi srl;;operatore;2015-03-01;;\n\
RSSMRA80A01H501U;01234567897;Bianchi Servizi srl;;capo;2015-03-01;;\n";

#[tokio::test]
async fn the_old_portals_profiles_are_there_at_the_first_strong_sign_in() {
    use servizi_lavoro::identity::legacy;
    let app = TestApp::new();
    let report =
        with_conn(&app.state.pool, |c| Ok(legacy::import(c, LEGACY.as_bytes()).expect("import"))).await.expect("db");
    assert_eq!((report.profiles, report.activities), (1, 2));
    assert_eq!(report.rejected.iter().map(|(line, _)| *line).collect::<Vec<_>>(), vec![4, 5]);
    let again =
        with_conn(&app.state.pool, |c| Ok(legacy::import(c, LEGACY.as_bytes()).expect("import"))).await.expect("db");
    assert_eq!((again.profiles, again.activities), (0, 0), "importing again changes nothing");
    let wrong = with_conn(&app.state.pool, |c| Ok(legacy::import(c, &b"a;b\n1;2\n"[..]).is_err())).await.expect("db");
    assert!(wrong, "a file that is not an export is refused whole");

    let mut m = mario(&app).await;
    let area = m.get("/area-personale").await.body;
    assert!(area.contains("Abbiamo ritrovato i tuoi dati del vecchio portale"));
    assert!(!m.get("/area-personale").await.body.contains("Abbiamo ritrovato"), "said once");
    let profiles = m.get("/profili").await.body;
    assert!(profiles.contains("Bianchi Servizi srl") && profiles.contains("Operatore") && profiles.contains("2015"));
    let activity = m.get("/area-personale/attivita").await.body;
    assert!(activity.contains("Comunicazione UniLav inviata") && activity.contains("Accesso al servizio Cliclavoro"));
    // Signing in again claims nothing twice.
    let mut again = mario(&app).await;
    assert_eq!(
        again.get("/profili").await.body.matches("Bianchi Servizi srl").count(),
        profiles.matches("Bianchi Servizi srl").count()
    );
    assert!(!again.get("/area-personale").await.body.contains("Abbiamo ritrovato"));
}

#[tokio::test]
async fn a_registry_reimport_ends_what_it_no_longer_backs() {
    let app = with_registry().await;
    let (mut g, _) = giulia_with_company(&app).await;
    switch_to_company(&mut g).await;
    let csv = format!(
        "codice_fiscale;partita_iva;denominazione;pec;sede;legali_rappresentanti\n\
         {COMPANY};{COMPANY};Bianchi Servizi srl;bianchiservizi@pec.example.it;Via Roma 1, 20121 Milano (MI);{MARIO}\n"
    );
    let now = chrono::Utc::now().naive_utc();
    let report = with_conn(&app.state.pool, move |c| {
        Ok(servizi_lavoro::registry::import::registro_imprese(c, csv.as_bytes(), now).expect("import"))
    })
    .await
    .expect("db");
    assert_eq!(report.ended, 1);
    assert!(g.get("/").await.body.contains("Stai operando come: Cittadino"));
    assert!(!g.get("/profili").await.body.contains("Gestisci membri"));
}

#[tokio::test]
async fn a_service_for_another_profile_offers_the_switch_in_one_click() {
    let app = with_registry().await;
    let (mut g, _) = giulia_with_company(&app).await;
    let refused = g.get("/servizi/cigsonline/accedi").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("Opera come Bianchi Servizi srl"));
    let id = crate::common::input_value(&refused.body, "profilo").expect("switch form");
    let res = g.post_form("/profili/attivo", &[("profilo", &id), ("next", "/servizi/cigsonline")], false).await;
    assert_eq!((res.status, res.header(header::LOCATION)), (StatusCode::SEE_OTHER, "/servizi/cigsonline"));
    assert_eq!(g.get("/servizi/cigsonline/accedi").await.status, StatusCode::SEE_OTHER);
    // Only local addresses: anything else goes to the profiles.
    let res = g.post_form("/profili/attivo", &[("profilo", "cittadino"), ("next", "//evil.example/")], false).await;
    assert_eq!(res.header(header::LOCATION), "/profili");
    // Someone without a company profile is shown how to associate one.
    let mut m = mario(&app).await;
    let refused = m.get("/servizi/cigsonline/accedi").await;
    assert!(refused.body.contains(r#"href="/profili/associa""#) && !refused.body.contains("Opera come"));
}

#[tokio::test]
async fn the_activity_history_says_where_each_sign_in_came_from() {
    let app = TestApp::with_config(|c| c.trusted_proxies = vec!["127.0.0.1".parse().expect("cidr")]);
    let mut b = Browser::behind_proxy(&app, "203.0.113.9");
    let s = start(&mut b, "spid", 2).await;
    let xml = spec(&app, &s.request_id, Level::L2).signed(&crate::common::saml::demo_keys(&app)).expect("sign");
    assert_eq!(post(&mut b, &xml, &s.relay_state).await.status, StatusCode::SEE_OTHER);
    let activity = b.get("/area-personale/attivita").await.body;
    assert!(activity.contains("203.0.113.9"));
}

/// A valid personal codice fiscale for `n` (its check letter found by trying them).
fn nth_codice_fiscale(n: usize) -> String {
    let base = format!("BNCMRA80A01H{:03}", n % 1000);
    ('A'..='Z')
        .map(|c| format!("{base}{c}"))
        .find(|cf| servizi_lavoro::kernel::CodiceFiscale::personal(cf).is_some())
        .expect("a check letter")
}

#[tokio::test]
async fn at_most_fifty_invitations_wait_at_once_counted_in_the_database() {
    let app = with_registry().await;
    let (mut g, org) = giulia_with_company(&app).await;
    for n in 0..=50 {
        let cf = nth_codice_fiscale(n);
        let fields = [("codice_fiscale", cf.as_str()), ("ruolo", "operatore"), ("passo", "conferma")];
        let res = g.post_form(&org_path(org, "/inviti"), &fields, false).await;
        if n < 50 {
            assert_eq!(res.status, StatusCode::SEE_OTHER, "invitation {n}");
        } else {
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "the 51st");
            assert!(res.body.contains("ha già 50 inviti in attesa di risposta"));
        }
    }
}
