//! Session lifetime, with the state's adjustable clock instead of sleeping:
//! inactivity expiry slides with each request; an absolute limit ends even
//! a busy session; the principal is read from the session typed.
use crate::common::saml::signed_in;
use crate::common::TestApp;
use axum::http::{header, StatusCode};
use chrono::Duration;
use servizi_lavoro::kernel::Level;

#[tokio::test]
async fn inactivity_expiry_slides_with_each_request() {
    let app = TestApp::new();
    let mut b = signed_in(&app, "spid", Level::L2, None).await;
    assert_eq!(b.get("/area-personale").await.status, StatusCode::OK);
    // Active every 20 minutes for an hour: more than the 30-minute idle limit in all.
    for _ in 0..3 {
        app.state.clock.advance(Duration::minutes(20));
        assert_eq!(b.get("/area-personale").await.status, StatusCode::OK, "each request renews the session");
    }
    // Then 31 minutes without a request: the session is over.
    app.state.clock.advance(Duration::minutes(31));
    let res = b.get("/area-personale").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.header(header::LOCATION), "/accedi?next=%2Farea-personale");
}

#[tokio::test]
async fn a_busy_session_still_ends_at_the_absolute_limit() {
    let app = TestApp::with_config(|c| c.session_max_hours = 2);
    let mut b = signed_in(&app, "spid", Level::L2, None).await;
    for _ in 0..4 {
        app.state.clock.advance(Duration::minutes(25));
        assert_eq!(b.get("/area-personale").await.status, StatusCode::OK);
    }
    // 1 h 40 min so far; 25 more pass the 2-hour cap although the session is active.
    app.state.clock.advance(Duration::minutes(25));
    assert_eq!(b.get("/area-personale").await.status, StatusCode::SEE_OTHER);
    assert!(!b.get("/").await.body.contains("action=\"/esci\""), "the page no longer offers to sign out");
}

#[tokio::test]
async fn idle_limit_is_configurable() {
    let app = TestApp::with_config(|c| c.session_idle_minutes = 5);
    let mut b = signed_in(&app, "spid", Level::L2, None).await;
    app.state.clock.advance(Duration::minutes(4));
    assert_eq!(b.get("/area-personale").await.status, StatusCode::OK);
    app.state.clock.advance(Duration::minutes(6));
    assert_eq!(b.get("/area-personale").await.status, StatusCode::SEE_OTHER);
}

mod saved_together {
    //! Two requests of one session (two tabs, a page and a form sent at the
    //! same instant) read it together and save it one after the other: the
    //! later save merges its changes into the earlier one instead of
    //! overwriting it.
    use crate::common::TestApp;
    use serde_json::{json, Value};
    use servizi_lavoro::auth::session::{DieselStore, Lifetime, CHECKED_KEY};
    use std::collections::HashMap;
    use tower_sessions::session::{Id, Record};
    use tower_sessions::SessionStore;

    fn store_of(app: &TestApp) -> DieselStore {
        let lifetime = Lifetime { idle: chrono::Duration::minutes(30), max: chrono::Duration::hours(8) };
        DieselStore::new(app.state.pool.clone(), app.state.clock.clone(), lifetime)
    }

    async fn created(store: &DieselStore, data: Value) -> Id {
        let Value::Object(data) = data else { panic!("an object") };
        let expiry_date =
            tower_sessions::cookie::time::OffsetDateTime::now_utc() + tower_sessions::cookie::time::Duration::hours(1);
        let mut record = Record { id: Id::default(), data: data.into_iter().collect::<HashMap<_, _>>(), expiry_date };
        store.create(&mut record).await.expect("created");
        record.id
    }

    async fn read(store: &DieselStore, id: &Id) -> Record {
        store.load(id).await.expect("loaded").expect("there")
    }

    #[tokio::test]
    async fn changes_to_different_values_are_both_kept() {
        let app = TestApp::new();
        let store = store_of(&app);
        let id = created(&store, json!({"a": 1, "b": 1, CHECKED_KEY: [1, "2026-12-04"]})).await;
        let (mut first, mut second) = (read(&store, &id).await, read(&store, &id).await);
        first.data.insert("a".into(), json!(2));
        second.data.insert("b".into(), json!(2));
        store.save(&first).await.expect("saved");
        store.save(&second).await.expect("saved");
        let now = read(&store, &id).await;
        assert_eq!((&now.data["a"], &now.data["b"]), (&json!(2), &json!(2)), "neither change is lost");
        assert!(!now.data.contains_key(CHECKED_KEY), "after a merge, whom the person acts for is checked afresh");

        // Both changed the same value: the later save's stands.
        let (mut first, mut second) = (read(&store, &id).await, read(&store, &id).await);
        first.data.insert("a".into(), json!(3));
        second.data.insert("a".into(), json!(4));
        store.save(&first).await.expect("saved");
        store.save(&second).await.expect("saved");
        assert_eq!(read(&store, &id).await.data["a"], json!(4));

        // Without a save in between, nothing is merged and nothing dropped.
        let mut only = read(&store, &id).await;
        only.data.insert(CHECKED_KEY.into(), json!([2, "2026-12-04"]));
        store.save(&only).await.expect("saved");
        assert_eq!(read(&store, &id).await.data[CHECKED_KEY], json!([2, "2026-12-04"]));
    }

    #[tokio::test]
    async fn a_session_ended_meanwhile_stays_ended() {
        let app = TestApp::new();
        let store = store_of(&app);
        let id = created(&store, json!({"a": 1})).await;
        let (mut first, mut second) = (read(&store, &id).await, read(&store, &id).await);
        first.data.insert("a".into(), json!(2));
        store.save(&first).await.expect("saved");
        store.delete(&id).await.expect("ended");
        second.data.insert("b".into(), json!(2));
        store.save(&second).await.expect("saved");
        assert!(store.load(&id).await.expect("loaded").is_none(), "a save does not bring an ended session back");
    }

    /// As many saves at the same instant as a browser sends requests to one
    /// host (six): each finds the row moved by the others and merges.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn saves_at_the_same_instant_lose_nothing() {
        let app = TestApp::new();
        let store = store_of(&app);
        for round in 0..5 {
            let id = created(&store, json!({"round": round})).await;
            let mut saves = Vec::new();
            for i in 0..6 {
                let mut record = read(&store, &id).await;
                record.data.insert(format!("k{i}"), json!(i));
                let store = store.clone();
                saves.push(tokio::spawn(async move { store.save(&record).await }));
            }
            for save in saves {
                save.await.expect("ran").expect("saved");
            }
            let now = read(&store, &id).await;
            for i in 0..6 {
                assert_eq!(now.data.get(&format!("k{i}")), Some(&json!(i)), "round {round}: save {i} was lost");
            }
        }
    }
}
