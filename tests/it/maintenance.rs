//! The scheduled clean-ups, on a moved clock: what they remove and what they
//! keep; and several instances starting together on one empty PostgreSQL.
use crate::common::TestApp;
use crate::foreign_user::{fields, operator, register, registered_and_confirmed, PNG};
use axum::http::StatusCode;
use chrono::Duration;
use diesel::prelude::*;
use servizi_lavoro::db::schema::{foreign_users as u, helpdesk_decisions as d};
use servizi_lavoro::db::with_conn;
use servizi_lavoro::maintenance;

fn uploads(app: &TestApp) -> usize {
    std::fs::read_dir(app.state.config.data_dir.join("uploads")).map(|d| d.count()).unwrap_or(0)
}

#[tokio::test]
async fn unconfirmed_registrations_and_their_documents_go_after_48_hours() {
    let app = TestApp::new();
    let mut b = crate::common::Browser::new(&app);
    let res = register(&mut b, &fields("late@example.com", "2035-01-01"), Some(("p.png", PNG))).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(uploads(&app), 1);
    let report = maintenance::run_once(&app.state, servizi_lavoro::app::SWEEPS).await.expect("clean-ups");
    assert!(report.ran);
    assert_eq!(uploads(&app), 1, "still within its 48 hours");
    app.state.clock.advance(Duration::hours(49));
    maintenance::run_once(&app.state, servizi_lavoro::app::SWEEPS).await.expect("clean-ups");
    assert_eq!(uploads(&app), 0, "the document is deleted with the registration");
    let left: i64 = with_conn(&app.state.pool, |c| u::table.count().get_result(c)).await.expect("count");
    assert_eq!(left, 0, "the registration is gone too");
}

#[tokio::test]
async fn a_decision_keeps_its_record_but_not_the_identity_document() {
    let app = TestApp::new();
    let mut ops = operator(&app).await;
    let id = registered_and_confirmed(&app, &mut ops).await;
    assert_eq!(uploads(&app), 1);
    let res = ops.post_form(&format!("/assistenza/richieste/{id}/decisione"), &[("decision", "approve")], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(uploads(&app), 0, "the scan is gone once decided");
    let decisions: i64 = with_conn(&app.state.pool, |c| d::table.count().get_result(c)).await.expect("count");
    assert_eq!(decisions, 1, "the decision record stays");
    assert_eq!(ops.get(&format!("/assistenza/richieste/{id}/documento")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn expired_sessions_and_idle_counters_are_removed() {
    use servizi_lavoro::db::schema::{auth_throttle as t, sessions as s};
    let app = TestApp::new();
    let mut b = crate::common::saml::signed_in(&app, "spid", servizi_lavoro::kernel::Level::L2, None).await;
    let mut anon = crate::common::Browser::new(&app);
    anon.post_form("/accesso-utente-estero", &[("email", "x@example.com"), ("password", "wrong wrong")], false).await;
    let count = |t: &'static str| {
        let pool = app.state.pool.clone();
        async move {
            with_conn(&pool, move |c| match t {
                "sessions" => s::table.count().get_result::<i64>(c),
                _ => t::table.count().get_result::<i64>(c),
            })
            .await
            .expect("count")
        }
    };
    assert!(count("sessions").await >= 1 && count("throttle").await >= 1);
    app.state.clock.advance(Duration::days(2));
    let report = maintenance::run_once(&app.state, servizi_lavoro::app::SWEEPS).await.expect("clean-ups");
    assert!(report.rows >= 2, "{report:?}");
    assert_eq!(count("sessions").await, 0);
    assert_eq!(count("throttle").await, 0);
    assert!(b.get("/area-personale").await.status.is_redirection());
}

#[tokio::test]
async fn anonymous_work_has_a_ceiling_per_address() {
    let app = TestApp::with_config(|c| c.anonymous_per_minute = 5);
    let idp = crate::common::saml::urlenc(&crate::common::saml::demo(&app, "spid").entity_id);
    let mut b = crate::common::Browser::new(&app);
    for _ in 0..5 {
        assert_eq!(b.get(&format!("/saml/login?idp={idp}")).await.status, StatusCode::FOUND);
    }
    let refused = b.get(&format!("/saml/login?idp={idp}")).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers.contains_key("retry-after"));
    app.state.clock.advance(Duration::seconds(13));
    assert_eq!(b.get(&format!("/saml/login?idp={idp}")).await.status, StatusCode::FOUND, "given back with time");
}

#[test]
fn four_instances_start_together_on_one_empty_postgresql() {
    if !crate::common::is_postgres() {
        return; // The SQLite run has nothing to race.
    }
    let dir = tempfile::tempdir().expect("dir");
    let url = crate::common::fresh_database(dir.path());
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || servizi_lavoro::db::connect(&url, 1).map(|_| ()).map_err(|e| e.to_string()))
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().expect("thread"), Ok(()), "every instance migrates and starts");
    }
}

#[tokio::test]
async fn on_postgresql_only_one_instance_runs_the_clean_ups_at_a_time() {
    if !crate::common::is_postgres() {
        return;
    }
    let app = TestApp::new();
    // Another instance is in the middle of its clean-ups (it holds the lock)…
    let url = app.state.config.database_url.clone();
    let (held_tx, held_rx) = std::sync::mpsc::channel();
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let other = std::thread::spawn(move || {
        let mut c = diesel::PgConnection::establish(&url).expect("connect");
        c.transaction::<_, diesel::result::Error, _>(|c| {
            diesel::sql_query(format!("SELECT pg_advisory_xact_lock({})", maintenance::LOCK_KEY)).execute(c)?;
            held_tx.send(()).expect("signal");
            done_rx.recv().expect("wait");
            Ok(())
        })
        .expect("transaction");
    });
    held_rx.recv().expect("lock held");
    // …so this one skips them.
    let report = maintenance::run_once(&app.state, servizi_lavoro::app::SWEEPS).await.expect("clean-ups");
    assert!(!report.ran);
    done_tx.send(()).expect("release");
    other.join().expect("thread");
    assert!(
        maintenance::run_once(&app.state, servizi_lavoro::app::SWEEPS).await.expect("clean-ups").ran,
        "and runs them once free"
    );
}
