//! What the people who run it rely on: readiness that turns off while
//! shutting down, and a SQLite backup taken while serving that opens as a
//! working database (PostgreSQL is backed up with pg_dump).
use crate::common::people::mario;
use crate::common::TestApp;
use axum::http::StatusCode;
use servizi_lavoro::db::{self, with_conn};

#[tokio::test]
async fn readiness_says_no_while_shutting_down_and_liveness_still_yes() {
    let app = TestApp::new();
    assert_eq!(app.get("/readyz").await.status, StatusCode::OK);
    app.state.ready.store(false, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(app.get("/readyz").await.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_backup_taken_while_serving_restores_as_a_working_database() {
    let app = TestApp::new();
    mario(&app).await;
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("backup.db");
    let f2 = file.clone();
    let taken =
        with_conn(&app.state.pool, move |c| Ok(db::backup(c, &f2).map_err(|e| e.to_string()))).await.expect("db");
    if crate::common::is_postgres() {
        assert!(taken.is_err_and(|e| e.contains("pg_dump")));
        return;
    }
    taken.expect("backup");
    let f3 = file.clone();
    assert!(
        with_conn(&app.state.pool, move |c| Ok(db::backup(c, &f3).is_err())).await.expect("db"),
        "never over an existing file"
    );
    // The copy opens, migrated, with the data.
    let restored = db::connect(&file.display().to_string(), 1).expect("opens");
    let accounts = with_conn(&restored, |c| {
        use diesel::prelude::*;
        servizi_lavoro::db::schema::accounts::table.count().get_result::<i64>(c)
    })
    .await
    .expect("query");
    assert_eq!(accounts, 1);
}
