//! Deleghe: granting (and every refusal of bad input), both sides' actions
//! with the wrong person's session, acting through a delega within its scope,
//! dates and (temporanea) daily approval, revocation and the end of the
//! grantor's membership taking effect on the next request, concurrent answers,
//! and the scheduled job's expiries, reminders and monthly summaries.
use crate::common::people::{cf_of, giulia, id_after, luca, mario, MARIO};
use crate::common::{Browser, TestApp, TestResponse};
use axum::http::{header, StatusCode};
use chrono::{Duration, NaiveDateTime};
use servizi_lavoro::db::with_conn;
use servizi_lavoro::delegations::lifecycle::State;
use servizi_lavoro::delegations::{in_force, jobs, model};
use servizi_lavoro::kernel::Level;
use servizi_lavoro::kernel::{DelegaId, MembershipId};

const COMPANY: &str = "01234567897";

fn now(app: &TestApp) -> NaiveDateTime {
    app.state.clock.now()
}

/// Giulia, legale rappresentante of her company; returns her browser and its id.
async fn company(app: &TestApp) -> (Browser<'_>, i64) {
    let (cf, at) = (cf_of("giulia"), now(app));
    with_conn(&app.state.pool, move |c| servizi_lavoro::registry::seed_demo(c, &cf, at)).await.expect("registry");
    let mut g = giulia(app).await;
    g.post_form("/profili/associa", &[("codice_fiscale", COMPANY)], false).await;
    let org = id_after(&g.get("/profili").await.body, "/profili/organizzazioni/");
    (g, org)
}

/// Posts the form as its check page does, answers confirmed.
async fn grant(b: &mut Browser<'_>, fields: &[(&str, &str)]) -> TestResponse {
    let mut confirmed = fields.to_vec();
    confirmed.push(("passo", "conferma"));
    b.post_form("/deleghe/nuova", &confirmed, false).await
}

/// Giulia delegates `services` (none: all) for the company to Mario; returns the delega's id.
async fn company_delega(app: &TestApp, g: &mut Browser<'_>, org: i64, kind: &str, services: &[&str], from: i64) -> i64 {
    let (per, start, end) = (org.to_string(), crate::common::day(app, from), crate::common::day(app, 365));
    let mut fields =
        vec![("per", per.as_str()), ("codice_fiscale", MARIO), ("tipo", kind), ("dal", &start), ("al", &end)];
    if services.is_empty() {
        fields.push(("ambito", "tutti"));
    } else {
        fields.push(("ambito", "scelti"));
        fields.extend(services.iter().map(|s| ("servizio", *s)));
    }
    let res = grant(g, &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    id_after(res.header(header::LOCATION), "/deleghe/")
}

async fn act(b: &mut Browser<'_>, id: i64, action: &str) -> StatusCode {
    b.post_form(&format!("/deleghe/{id}/azione"), &[("azione", action), ("conferma", "si")], false).await.status
}

async fn switch_to_delega(b: &mut Browser<'_>, id: i64) -> StatusCode {
    b.post_form("/profili/attivo", &[("profilo", &format!("delega:{id}"))], false).await.status
}

async fn state_of(app: &TestApp, id: i64) -> State {
    let at = now(app);
    with_conn(&app.state.pool, move |c| model::state(c, DelegaId::new(id), at)).await.expect("db").expect("delega")
}

#[tokio::test]
async fn a_company_delegates_one_service_and_the_delegate_acts_within_it_until_revoked() {
    let app = TestApp::new();
    let (mut g, org) = company(&app).await;
    let form = g.get(&format!("/deleghe/nuova?per={org}")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Bianchi Servizi srl") && form.body.contains("value=\"cigsonline\""));
    let id = company_delega(&app, &mut g, org, "non_temporanea", &["cigsonline"], 0).await;
    let mail = crate::foreign_user::mail_containing(&app, "ha conferito una delega per Bianchi Servizi srl").await;
    assert!(mail.contains("RSSMRA80A01H501U"));

    // Mario sees it after signing in; only he may answer; strangers get nothing.
    let mut m = mario(&app).await;
    assert!(m.get("/area-personale").await.body.contains("deleghe conferite a te"));
    let list = m.get("/deleghe").await.body;
    assert!(list.contains("Bianchi Servizi srl") && list.contains("In attesa di risposta"));
    let mut l = luca(&app).await;
    assert_eq!(l.get(&format!("/deleghe/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(act(&mut l, id, "accetta").await, StatusCode::NOT_FOUND);
    assert_eq!(act(&mut l, id, "revoca").await, StatusCode::NOT_FOUND);
    assert_eq!(act(&mut g, id, "accetta").await, StatusCode::FORBIDDEN, "the grantor does not answer for the delegate");
    assert_eq!(act(&mut m, id, "revoca").await, StatusCode::FORBIDDEN, "the delegate does not revoke");
    assert_eq!(act(&mut m, id, "boh").await, StatusCode::BAD_REQUEST);
    assert_eq!(m.get("/deleghe/999999").await.status, StatusCode::NOT_FOUND);
    assert_eq!(act(&mut m, id, "accetta").await, StatusCode::SEE_OTHER);
    assert_eq!(state_of(&app, id).await, State::Active, "accepted on its start date: in force at once");
    assert_eq!(act(&mut m, id, "accetta").await, StatusCode::CONFLICT);

    // Acting through it: exactly that service.
    let profiles = m.get("/profili").await.body;
    assert!(profiles.contains("Bianchi Servizi srl (con delega, fino al") && profiles.contains("Servizi scelti: 1"));
    assert_eq!(switch_to_delega(&mut l, id).await, StatusCode::NOT_FOUND, "only the delegate");
    assert_eq!(switch_to_delega(&mut m, id).await, StatusCode::SEE_OTHER);
    assert!(m.get("/").await.body.contains("Stai operando come: Bianchi Servizi srl (con delega)"));
    assert_eq!(m.get("/servizi/cigsonline/accedi").await.status, StatusCode::SEE_OTHER);
    let other = m.get("/servizi/smart-working/accedi").await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    assert!(other.body.contains("non comprende questo servizio"));

    // The grantor sees what was done under it; revoking ends it at the next request.
    let page = g.get(&format!("/deleghe/{id}")).await.body;
    assert!(page.contains("Azioni del delegato") && page.contains("<a href=\"/servizi/cigsonline\">CIGSonline</a>"));
    crate::common::assert_no_internal_codes(&page);
    assert!(page.contains("Conferita") && page.contains("Accettata") && page.contains("Entrata in vigore"));
    assert_eq!(act(&mut g, id, "revoca").await, StatusCode::SEE_OTHER);
    assert!(m.get("/").await.body.contains("Stai operando come: Cittadino"));
    assert_eq!(m.get("/servizi/cigsonline/accedi").await.status, StatusCode::FORBIDDEN);
    assert_eq!(act(&mut g, id, "revoca").await, StatusCode::CONFLICT);
    assert_eq!(act(&mut m, id, "rinuncia").await, StatusCode::CONFLICT);
    assert_eq!(switch_to_delega(&mut m, id).await, StatusCode::NOT_FOUND);
    crate::foreign_user::mail_containing(&app, "è stata revocata").await;
    // The company's activity shows the delegate's use, by delega.
    let activity = g.get(&format!("/profili/organizzazioni/{org}/attivita")).await.body;
    assert!(activity.contains("con la delega n. "));
    crate::common::assert_no_internal_codes(&activity);
    // The grantor's own history names the delega by its delegate, with its page.
    let own = g.get("/area-personale/attivita").await.body;
    assert!(own.contains(&format!("<a href=\"/deleghe/{id}\">Delega a Mario Rossi</a>")), "{own}");
    crate::common::assert_no_internal_codes(&own);
    // Whoever tried another's delega sees what they asked for, not whose it was.
    let mut l = luca(&app).await;
    assert_eq!(l.get(&format!("/deleghe/{id}")).await.status, StatusCode::NOT_FOUND);
    let theirs = l.get("/area-personale/attivita").await.body;
    assert!(theirs.contains(&format!("Delega n. {id}")) && !theirs.contains("Mario Rossi"), "{theirs}");
}

#[tokio::test]
async fn bad_grants_are_refused_with_the_values_kept() {
    let app = TestApp::new();
    let (mut g, org) = company(&app).await;
    let per = org.to_string();
    let (today, next_year, yesterday, too_far) = (
        crate::common::day(&app, 0),
        crate::common::day(&app, 365),
        crate::common::day(&app, -1),
        crate::common::day(&app, 5 * 366),
    );
    let giulia_cf = cf_of("giulia");
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![("codice_fiscale", "RSSMRA80A01H501X")], "codice fiscale di persona valido"),
        (vec![("codice_fiscale", &giulia_cf)], "a te stesso"),
        (vec![("dal", &yesterday)], "non può essere passata"),
        (vec![("al", &yesterday)], "viene prima di quella di inizio"),
        (vec![("al", &too_far)], "durata massima"),
        (vec![("al", "")], "è obbligatoria"),
        (vec![("tipo", "")], "Scegli il tipo"),
        (vec![("ambito", "scelti")], "almeno un servizio"),
        (vec![("ambito", "scelti"), ("servizio", "non-esiste")], "non puoi delegare"),
    ];
    for (changes, message) in cases {
        let mut fields: Vec<(&str, &str)> = vec![
            ("per", &per),
            ("codice_fiscale", MARIO),
            ("tipo", "non_temporanea"),
            ("ambito", "tutti"),
            ("dal", &today),
            ("al", &next_year),
        ];
        for (k, v) in &changes {
            fields.retain(|(f, _)| f != k);
            fields.push((k, v));
        }
        let res = grant(&mut g, &fields).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{changes:?}");
        assert!(res.body.contains(message), "{changes:?}: {message}");
        let kept = crate::common::input_value(&res.body, "codice_fiscale").unwrap_or_default();
        assert_eq!(kept, changes.iter().find(|(k, _)| *k == "codice_fiscale").map_or(MARIO, |(_, v)| v));
    }
    // The same scope twice is a duplicate; another organisation is not one's to grant for.
    company_delega(&app, &mut g, org, "non_temporanea", &[], 0).await;
    let fields = [
        ("per", per.as_str()),
        ("codice_fiscale", MARIO),
        ("tipo", "temporanea"),
        ("ambito", "tutti"),
        ("dal", &today),
        ("al", &next_year),
    ];
    let twice = grant(&mut g, &fields).await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.body.contains("ha già una delega"));
    let mut m = mario(&app).await;
    assert_eq!(m.get(&format!("/deleghe/nuova?per={org}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(grant(&mut m, &[("per", &per)]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_citizen_cannot_delegate_what_the_law_reserves_to_them() {
    let app = TestApp::new();
    let mut m = mario(&app).await;
    let form = m.get("/deleghe/nuova").await.body;
    assert!(form.contains("Non delegabili") && form.contains("Dimissioni volontarie"));
    assert!(!form.contains("value=\"dimissioni-volontarie\""), "not offered");
    let (today, end, luca_cf) = (crate::common::day(&app, 0), crate::common::day(&app, 30), cf_of("luca"));
    let res = grant(
        &mut m,
        &[
            ("per", "me"),
            ("codice_fiscale", &luca_cf),
            ("tipo", "non_temporanea"),
            ("ambito", "scelti"),
            ("servizio", "dimissioni-volontarie"),
            ("dal", &today),
            ("al", &end),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    // With all services, Luca acting for Mario still cannot resign for him.
    let res = grant(
        &mut m,
        &[
            ("per", "me"),
            ("codice_fiscale", &luca_cf),
            ("tipo", "non_temporanea"),
            ("ambito", "tutti"),
            ("dal", &today),
            ("al", &end),
        ],
    )
    .await;
    let id = id_after(res.header(header::LOCATION), "/deleghe/");
    let mut l = luca(&app).await;
    // Accepting with the code Mario passed on.
    let page = m.get(&format!("/deleghe/{id}")).await.body;
    let code: String = page.split("<code>").nth(1).expect("code").chars().take(8).collect();
    let wrong = l.post_form("/deleghe/codice", &[("codice", "ZZZZZZZZ")], false).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(crate::common::input_value(&wrong.body, "codice").as_deref(), Some("ZZZZZZZZ"));
    // Any case, with the spaces or dash it was written down with.
    let typed = format!("{} {}", &code[..4].to_lowercase(), &code[4..]);
    let res = l.post_form("/deleghe/codice", &[("codice", &typed)], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(switch_to_delega(&mut l, id).await, StatusCode::SEE_OTHER);
    assert!(l.get("/").await.body.contains("Mario Rossi (con delega)"));
    let refused = l.get("/servizi/dimissioni-volontarie/accedi").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("riserva questo servizio alla persona"));
    // The delegate renounces; the next request is as Cittadino.
    assert_eq!(act(&mut l, id, "rinuncia").await, StatusCode::SEE_OTHER);
    assert!(l.get("/").await.body.contains("Stai operando come: Cittadino"));
}

#[tokio::test]
async fn a_temporanea_is_used_only_on_days_the_grantor_approves() {
    let app = TestApp::new();
    let (mut g, org) = company(&app).await;
    let id = company_delega(&app, &mut g, org, "temporanea", &[], 0).await;
    let mut m = mario(&app).await;
    assert_eq!(act(&mut m, id, "accetta").await, StatusCode::SEE_OTHER);
    assert_eq!(switch_to_delega(&mut m, id).await, StatusCode::SEE_OTHER);
    let refused = m.get("/servizi/cigsonline/accedi").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains(&format!("href=\"/deleghe/{id}\"")));
    assert_eq!(act(&mut g, id, "approva").await, StatusCode::CONFLICT, "nothing asked yet");
    assert_eq!(act(&mut g, id, "chiedi").await, StatusCode::FORBIDDEN, "the delegate asks");
    assert_eq!(act(&mut m, id, "chiedi").await, StatusCode::SEE_OTHER);
    crate::foreign_user::mail_containing(&app, "chiede di usare oggi la delega temporanea").await;
    assert_eq!(act(&mut m, id, "approva").await, StatusCode::FORBIDDEN, "the grantor approves");
    assert_eq!(act(&mut g, id, "approva").await, StatusCode::SEE_OTHER);
    assert_eq!(m.get("/servizi/cigsonline/accedi").await.status, StatusCode::SEE_OTHER);
    // Tomorrow the approval no longer holds.
    let (account, tomorrow) = (account_of(&app, MARIO).await, now(&app) + Duration::days(1));
    let acting =
        with_conn(&app.state.pool, move |c| in_force::acting_through(c, DelegaId::new(id), account, MARIO, tomorrow))
            .await
            .expect("db")
            .expect("in force");
    let who = principal_with(acting);
    let cigs = servizi_lavoro::catalog::model::find("cigsonline").expect("service");
    let decision = servizi_lavoro::access::authorize(
        Some(&who),
        servizi_lavoro::access::Action::Enter,
        &servizi_lavoro::access::Resource::Service(cigs.requirements()),
    );
    assert!(matches!(
        decision,
        Err(servizi_lavoro::access::Denial::Delega(servizi_lavoro::access::DelegaLimit::Approval { .. }))
    ));
}

async fn account_of(app: &TestApp, codice_fiscale: &'static str) -> servizi_lavoro::kernel::AccountId {
    use diesel::prelude::*;
    use servizi_lavoro::db::schema::accounts as a;
    with_conn(&app.state.pool, move |c| a::table.filter(a::identifier.eq(codice_fiscale)).select(a::id).first(c))
        .await
        .expect("account")
}

fn principal_with(acting: servizi_lavoro::kernel::Acting) -> servizi_lavoro::kernel::Principal {
    let mut actor = crate::common::person(servizi_lavoro::kernel::Credential::Spid, Level::L2);
    actor.identifier = MARIO.into();
    servizi_lavoro::kernel::Principal { actor, acting, roles: vec![], session_until: None }
}

#[tokio::test]
async fn dates_are_checked_on_every_request_and_the_clock_expires_reminds_and_summarises() {
    let app = TestApp::new();
    let (mut g, org) = company(&app).await;
    // Starting tomorrow: accepted, not in force yet.
    let id = company_delega(&app, &mut g, org, "non_temporanea", &["cigsonline"], 1).await;
    let mut m = mario(&app).await;
    assert_eq!(act(&mut m, id, "accetta").await, StatusCode::SEE_OTHER);
    assert_eq!(state_of(&app, id).await, State::Accepted);
    assert_eq!(switch_to_delega(&mut m, id).await, StatusCode::NOT_FOUND, "not in force before its start");
    let account = account_of(&app, MARIO).await;
    let at = |days: i64| now(&app) + Duration::days(days);
    let through = |when: NaiveDateTime| {
        let pool = app.state.pool.clone();
        async move {
            with_conn(&pool, move |c| in_force::acting_through(c, DelegaId::new(id), account, MARIO, when))
                .await
                .expect("db")
        }
    };
    assert!(through(at(0)).await.is_none(), "the day before it starts");
    assert!(through(at(1)).await.is_some(), "its first day");
    assert!(through(at(365)).await.is_some(), "its last day");
    assert!(through(at(366)).await.is_none(), "the day after it ends");

    // The job: 30 days before the end a reminder, once; after the end, expired and mailed.
    let report = jobs::run(&app.state, at(340)).await.expect("job");
    assert!(report.changed >= 1, "started");
    assert_eq!(state_of_at(&app, id, at(340)).await, State::Active);
    // (Delivered before the next run: a worker's claim on a message lasts
    // minutes of its own clock, and these runs are days apart.)
    let reminders = crate::foreign_user::mails_containing(&app, "scade il", 2).await.len();
    jobs::run(&app.state, at(341)).await.expect("job");
    jobs::run(&app.state, at(342)).await.expect("job");
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let again = crate::foreign_user::outbox(&app).iter().filter(|m| m.contains("scade il")).count();
    assert_eq!((reminders, again), (2, 2), "one to each side, once");
    jobs::run(&app.state, at(367)).await.expect("job");
    assert_eq!(state_of_at(&app, id, at(367)).await, State::Expired);
    crate::foreign_user::mail_containing(&app, "non è più valida").await;
    // A delega nobody answers lapses.
    let other = company_delega(&app, &mut g, org, "non_temporanea", &["smart-working"], 0).await;
    jobs::run(&app.state, at(15)).await.expect("job");
    assert_eq!(state_of_at(&app, other, at(15)).await, State::Expired);
}

async fn state_of_at(app: &TestApp, id: i64, at: NaiveDateTime) -> State {
    with_conn(&app.state.pool, move |c| model::state(c, DelegaId::new(id), at)).await.expect("db").expect("delega")
}

#[tokio::test]
async fn the_monthly_summary_goes_once_to_each_grantor() {
    let app = TestApp::new();
    let (mut g, org) = company(&app).await;
    let id = company_delega(&app, &mut g, org, "non_temporanea", &[], 0).await;
    let mut m = mario(&app).await;
    act(&mut m, id, "accetta").await;
    let first = jobs::run(&app.state, now(&app)).await.expect("job");
    let again = jobs::run(&app.state, now(&app)).await.expect("job");
    assert_eq!((first.mails, again.mails), (1, 0));
    crate::foreign_user::mail_containing(&app, "Queste sono le deleghe in vigore").await;
}

#[tokio::test]
async fn the_end_of_the_grantors_membership_ends_the_delega_at_the_next_request() {
    let app = TestApp::new();
    let (mut g, org) = company(&app).await;
    let id = company_delega(&app, &mut g, org, "non_temporanea", &[], 0).await;
    let mut m = mario(&app).await;
    act(&mut m, id, "accetta").await;
    switch_to_delega(&mut m, id).await;
    assert!(m.get("/").await.body.contains("(con delega)"));
    // Giulia's own membership (her row has no link while she alone manages it).
    let membership = {
        use diesel::prelude::*;
        use servizi_lavoro::db::schema::memberships as ms;
        with_conn(&app.state.pool, move |c| {
            ms::table.filter(ms::organisation_id.eq(org)).order(ms::id.asc()).select(ms::id).first::<i64>(c)
        })
        .await
        .expect("membership")
    };
    let at = now(&app);
    with_conn(&app.state.pool, move |c| {
        servizi_lavoro::identity::organisations::end_membership(c, MembershipId::new(membership), at)
    })
    .await
    .expect("end");
    assert!(m.get("/").await.body.contains("Stai operando come: Cittadino"));
}

#[tokio::test]
async fn an_answer_and_a_revocation_at_once_end_in_one_state() {
    let app = TestApp::new();
    let (mut g, org) = company(&app).await;
    let id = company_delega(&app, &mut g, org, "non_temporanea", &[], 0).await;
    let mut m = mario(&app).await;
    let (accepted, revoked) = tokio::join!(act(&mut m, id, "accetta"), act(&mut g, id, "revoca"));
    assert_eq!(revoked, StatusCode::SEE_OTHER, "revoking is possible in either order");
    assert!(matches!(accepted, StatusCode::SEE_OTHER | StatusCode::CONFLICT));
    assert_eq!(state_of(&app, id).await, State::Revoked);
    let history = with_conn(&app.state.pool, move |c| model::history(c, DelegaId::new(id))).await.expect("history");
    assert_eq!(history.iter().filter(|h| h.event == "revoke").count(), 1);
    assert_eq!(history.iter().filter(|h| h.event == "accept").count(), usize::from(accepted == StatusCode::SEE_OTHER));
}

#[tokio::test]
async fn a_delegates_catalog_is_never_shown_to_someone_else() {
    let app = TestApp::new();
    let (mut g, org) = company(&app).await;
    let id = company_delega(&app, &mut g, org, "non_temporanea", &["cigsonline"], 0).await;
    let mut m = mario(&app).await;
    assert_eq!(act(&mut m, id, "accetta").await, StatusCode::SEE_OTHER);
    assert_eq!(switch_to_delega(&mut m, id).await, StatusCode::SEE_OTHER);
    assert!(m.get("/servizi").await.body.contains("non comprende questo servizio"), "the delega's own limits");
    // Giulia, acting for the company herself (same credential, level and profile), sees her own catalog.
    let profiles = g.get("/profili").await.body;
    let row = profiles.split_once("Bianchi Servizi srl").expect("the company").1;
    let profile = crate::common::input_value(row, "profilo").expect("switch");
    g.post_form("/profili/attivo", &[("profilo", &profile)], false).await;
    let hers = g.get("/servizi").await.body;
    assert!(hers.contains("come Azienda"), "acting for the company");
    assert!(!hers.contains("non comprende questo servizio"), "not the delegate's rendering");
}

/// Every legal day is an Italian day: at 00:30 in Italy (23:30 UTC) "today" is
/// already the Italian date, so a delega from the UTC date is one from yesterday.
#[tokio::test]
async fn a_delegas_days_are_italian_days() {
    let app = TestApp::new();
    let now = now(&app);
    let mut target = now.date().and_hms_opt(23, 30, 0).expect("time");
    if target < now {
        target += Duration::days(1);
    }
    app.state.clock.advance(target - now);
    let utc_day = now_date(&app);
    let italian = servizi_lavoro::kernel::clock::italian_day(now_at(&app));
    assert_eq!(italian, utc_day + Duration::days(1), "23:30 UTC is tomorrow in Italy, winter or summer");
    let (mut g, _) = company(&app).await;
    let until = (italian + Duration::days(100)).format("%Y-%m-%d").to_string();
    let fields = |from: String| {
        vec![
            ("per".to_string(), "me".to_string()),
            ("codice_fiscale".to_string(), MARIO.to_string()),
            ("tipo".to_string(), "non_temporanea".to_string()),
            ("ambito".to_string(), "tutti".to_string()),
            ("dal".to_string(), from),
            ("al".to_string(), until.clone()),
        ]
    };
    let yesterday = fields(utc_day.format("%Y-%m-%d").to_string());
    let pairs: Vec<(&str, &str)> = yesterday.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = grant(&mut g, &pairs).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "the UTC date is yesterday in Italy");
    assert!(res.body.contains("non può essere passata"));
    let today = fields(italian.format("%Y-%m-%d").to_string());
    let pairs: Vec<(&str, &str)> = today.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(grant(&mut g, &pairs).await.status, StatusCode::SEE_OTHER, "the Italian today");
}

fn now_at(app: &TestApp) -> NaiveDateTime {
    app.state.clock.now()
}

fn now_date(app: &TestApp) -> chrono::NaiveDate {
    app.state.clock.now().date()
}

/// Every read of the company's data through a delega is on the delega's
/// page, for the grantor's side: the resignation list included.
#[tokio::test]
async fn reading_the_companys_resignations_through_a_delega_shows_on_the_delegas_page() {
    let app = TestApp::new();
    let (mut g, org) = company(&app).await;
    let id = company_delega(&app, &mut g, org, "non_temporanea", &[], 0).await;
    let mut m = mario(&app).await;
    assert_eq!(act(&mut m, id, "accetta").await, StatusCode::SEE_OTHER);
    assert_eq!(switch_to_delega(&mut m, id).await, StatusCode::SEE_OTHER);
    let list = m.get("/dimissioni-volontarie").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let page = g.get(&format!("/deleghe/{id}")).await.body;
    let under = page.split("id=\"under-heading\"").nth(1).expect("what the delegate did");
    assert!(under.contains("I moduli di dimissioni di Bianchi Servizi srl"), "the list read, in words: {under}");
}
