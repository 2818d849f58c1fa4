//! Interruptions of a service (issue 24): an operator declares them, the
//! service's page announces them, entering answers 503 with `Retry-After`
//! and what to do meanwhile, and `/stato-servizi` keeps them on record.
use crate::common::people::mario;
use crate::common::{Browser, TestApp};
use axum::http::StatusCode;
use chrono::{Duration, NaiveDateTime};
use servizi_lavoro::cli::{outage_on, OutageCommand};

/// An Italian time as the operator types it, `by` after the app's now.
fn italian(app: &TestApp, by: Duration) -> String {
    servizi_lavoro::kernel::clock::rome(app.state.clock.now() + by).format("%Y-%m-%d %H:%M").to_string()
}

fn run(app: &TestApp, cmd: OutageCommand) -> Result<String, String> {
    let mut conn = app.state.pool.get().expect("conn");
    outage_on(&mut conn, cmd, app.state.clock.now()).map_err(|e| e.to_string())
}

fn start(service: &str, until: Option<String>, note_it: Option<&str>) -> OutageCommand {
    OutageCommand::Start { service: service.into(), until, note_it: note_it.map(Into::into), note_en: None }
}

#[tokio::test]
async fn an_interruption_in_force_closes_the_service_with_a_503_that_says_until_when_and_what_to_do() {
    let app = TestApp::new();
    let mut m = mario(&app).await;
    assert_eq!(m.get("/dimissioni-volontarie").await.status, StatusCode::OK);
    let until = italian(&app, Duration::hours(2));
    let said =
        run(&app, start("dimissioni-volontarie", Some(until.clone()), Some("Usa il modulo cartaceo presso l'ITL.")))
            .expect("declared");
    assert!(said.contains("dimissioni-volontarie"), "{said}");

    // Entering from the catalog, signed out too: said before any sign-in.
    let enter = Browser::new(&app).get("/servizi/dimissioni-volontarie/accedi").await;
    assert_eq!(enter.status, StatusCode::SERVICE_UNAVAILABLE);
    let retry: u32 = enter.header("retry-after").parse().expect("Retry-After in seconds");
    assert!((3600 - 60..=3600).contains(&retry), "an hour at most: {retry}");
    assert!(enter.title().starts_with("Dimissioni volontarie: servizio non disponibile"), "{}", enter.title());
    assert!(enter.body.contains("Disservizio in corso"));
    let (day, time) = until.split_once(' ').expect("day and time");
    let shown_day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("day").format("%d/%m/%Y").to_string();
    assert!(enter.body.contains(&format!("{shown_day} alle {time}")), "the announced end, in Italian time");
    assert!(
        enter.body.contains("Usa il modulo cartaceo presso l&#x27;ITL.")
            || enter.body.contains("Usa il modulo cartaceo presso l'ITL.")
    );
    assert!(enter.body.contains("7 giorni per revocare"), "the worker's deadline and how to prove the interruption");
    assert!(enter.body.contains("href=\"/stato-servizi\""));

    // Every address of the service, for the signed-in worker too; verification stays open.
    for path in ["/dimissioni-volontarie", "/dimissioni-volontarie/nuova", "/dimissioni-volontarie/ritrova"] {
        let res = m.get(path).await;
        assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert!(!res.header("retry-after").is_empty(), "{path}");
    }
    let post =
        m.post_form("/dimissioni-volontarie/nuova/rapporto", &[("codice_fiscale_datore", "01234567897")], false).await;
    assert_eq!(post.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(m.get("/verifica").await.status, StatusCode::OK);

    // The service's page and the status page say so, in English too.
    let page = m.get("/servizi/dimissioni-volontarie").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Disservizio in corso"));
    let status = Browser::new(&app).get("/stato-servizi?lang=en").await;
    assert_eq!(status.status, StatusCode::OK);
    assert!(status.body.contains("Service failure under way"));
    assert!(!status.body.contains("Every service is working."));

    // Past its announced end, the service is back and the interruption on record.
    app.state.clock.advance(Duration::hours(2) + Duration::minutes(1));
    // (His session has timed out meanwhile: he signs in again.)
    let mut m = mario(&app).await;
    assert_eq!(m.get("/dimissioni-volontarie").await.status, StatusCode::OK);
    let status = Browser::new(&app).get("/stato-servizi").await;
    assert!(status.body.contains("Tutti i servizi funzionano."));
    assert!(status.body.contains("Interruzioni degli ultimi 12 mesi, dalla più recente"), "the record keeps it");
    assert!(status.body.contains("<td>Disservizio"));
}

#[tokio::test]
async fn a_planned_interruption_is_announced_ahead_holds_in_its_hours_and_can_be_ended_early() {
    let app = TestApp::new();
    let (from, until) = (italian(&app, Duration::days(3)), italian(&app, Duration::days(3) + Duration::hours(4)));
    run(
        &app,
        OutageCommand::Plan {
            service: "smart-working".into(),
            from,
            until,
            note_it: None,
            note_en: Some("Maintenance of the national platform.".into()),
        },
    )
    .expect("planned");
    let mut b = Browser::new(&app);
    let page = b.get("/servizi/smart-working").await;
    assert!(page.body.contains("<h2>Interruzione programmata"), "announced ahead");
    let en = b.get("/servizi/smart-working?lang=en").await;
    assert!(en.body.contains("Planned interruption") && en.body.contains("Maintenance of the national platform."));
    // Not yet: the entry leads on (to sign in, for someone signed out).
    assert_eq!(b.get("/servizi/smart-working/accedi").await.status, StatusCode::SEE_OTHER);
    let status = b.get("/stato-servizi?lang=it").await;
    assert!(status.body.contains("Interruzioni programmate, per servizio") && status.body.contains("<td>Programmata"));

    app.state.clock.advance(Duration::days(3) + Duration::minutes(1));
    let closed = b.get("/servizi/smart-working/accedi").await;
    assert_eq!(closed.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(closed.body.contains("Interruzione programmata in corso"));
    assert!(!closed.body.contains("7 giorni per revocare"), "that advice is the resignation's only");
    // Other services are untouched.
    assert_eq!(b.get("/servizi/cigsonline/accedi").await.status, StatusCode::SEE_OTHER);

    let said = run(&app, OutageCommand::End { service: "smart-working".into() }).expect("ended");
    assert!(said.contains("1 interruptions"), "{said}");
    assert_eq!(b.get("/servizi/smart-working/accedi").await.status, StatusCode::SEE_OTHER);
    let listed = run(&app, OutageCommand::List).expect("list");
    assert!(listed.contains("smart-working (planned, over)"), "{listed}");
}

#[tokio::test]
async fn the_operator_is_told_what_cannot_hold_and_nothing_is_recorded() {
    let app = TestApp::new();
    let later = italian(&app, Duration::hours(1));
    let earlier = italian(&app, Duration::hours(-1));
    let refused = [
        (start("servizio-inesistente", None, None), "not a service"),
        (start("dimissioni-volontarie", Some("domani alle 18".into()), None), "YYYY-MM-DD HH:MM"),
        (start("dimissioni-volontarie", Some(earlier.clone()), None), "already past"),
        (
            OutageCommand::Plan {
                service: "dimissioni-volontarie".into(),
                from: earlier,
                until: later.clone(),
                note_it: None,
                note_en: None,
            },
            "in the future",
        ),
        (
            OutageCommand::Plan {
                service: "dimissioni-volontarie".into(),
                from: italian(&app, Duration::hours(3)),
                until: later,
                note_it: None,
                note_en: None,
            },
            "after the start",
        ),
    ];
    for (cmd, why) in refused {
        let err = run(&app, cmd).expect_err(why);
        assert!(err.contains(why), "{err} should say {why}");
    }
    assert_eq!(run(&app, OutageCommand::List).expect("list"), "no interruptions in the past year");
    assert_eq!(Browser::new(&app).get("/servizi/dimissioni-volontarie/accedi").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_interruption_declared_across_the_change_to_winter_time_ends_at_the_italian_hour_typed() {
    let app = TestApp::new();
    // 30 October 2027, 12:00 UTC: Italy is on summer time until the 31st.
    let now = NaiveDateTime::parse_from_str("2027-10-30 12:00", "%Y-%m-%d %H:%M").expect("time");
    app.state.clock.advance(now - app.state.clock.now());
    run(&app, start("dimissioni-volontarie", Some("2027-10-31 09:00".into()), None)).expect("declared");
    let mut b = Browser::new(&app);
    // 09:00 in Italy on the 31st is 08:00 UTC (winter time again).
    app.state.clock.advance(NaiveDateTime::parse_from_str("2027-10-31 07:59", "%Y-%m-%d %H:%M").expect("t") - now);
    let res = b.get("/servizi/dimissioni-volontarie/accedi").await;
    assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(res.body.contains("31/10/2027 alle 09:00"));
    // (The adjustable clock moves in whole seconds: two minutes on is surely past.)
    app.state.clock.advance(Duration::minutes(2));
    assert_eq!(b.get("/servizi/dimissioni-volontarie/accedi").await.status, StatusCode::SEE_OTHER);
}
