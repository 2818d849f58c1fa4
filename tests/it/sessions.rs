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
    use servizi_lavoro::auth::session::{DieselStore, Lifetime, CHECKED_KEY, SESSION_KEY};
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
        assert_eq!(now.data[CHECKED_KEY], json!([1, "2026-12-04"]), "no principal changed: the check stands");

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

    /// A signed-in session: one request changes the principal (as a declared
    /// codice fiscale does), the other notes a check of whom the person acts
    /// for against the principal it read. The principal's change is kept; the
    /// check, made against the principal before it, is not; and what is
    /// stored holds nothing the store put in for the request.
    #[tokio::test]
    async fn the_principal_changed_by_one_request_is_kept_and_a_stale_check_is_not() {
        let app = TestApp::new();
        let b = crate::common::saml::signed_in(&app, "spid", servizi_lavoro::kernel::Level::L2, None).await;
        let store = store_of(&app);
        let cookie = b.cookies.get("sl_session").expect("the session cookie");
        let id: Id = cookie.parse().expect("an id");
        let (mut first, mut second) = (read(&store, &id).await, read(&store, &id).await);
        let Value::String(text) = &first.data[SESSION_KEY] else { panic!("the principal as its text") };
        let mut principal: Value = serde_json::from_str(text).expect("json");
        principal["actor"]["given_name"] = json!("Maria");
        first.data.insert(SESSION_KEY.into(), Value::String(principal.to_string()));
        second.data.insert(CHECKED_KEY.into(), json!([7, "2026-12-04"]));
        store.save(&first).await.expect("saved");
        store.save(&second).await.expect("saved");
        let now = read(&store, &id).await;
        let held = servizi_lavoro::auth::session::principal_of(&now.data).expect("the principal still reads");
        assert_eq!(held.actor.given_name, "Maria");
        assert_ne!(now.data.get(CHECKED_KEY), Some(&json!([7, "2026-12-04"])), "a check of the old principal");
        let sid = id.to_string();
        let stored: String = servizi_lavoro::db::with_conn(&app.state.pool, move |c| {
            use diesel::prelude::*;
            use servizi_lavoro::db::schema::sessions;
            sessions::table.find(&sid).select(sessions::data).first(c)
        })
        .await
        .expect("the row");
        assert!(!stored.contains("\"~"), "nothing the store puts in is stored: {stored}");
        assert!(stored.contains("\"principal\":{"), "the principal stored as the object it is");
    }

    /// `cycle_id` as a request that changes profile runs it: the old id set
    /// aside, the record created under a new one.
    async fn carried_on(store: &DieselStore, mut record: Record) -> Id {
        store.delete(&record.id).await.expect("set aside");
        record.id = Id::default();
        store.create(&mut record).await.expect("created");
        record.id
    }

    /// A signed-in session's record as stored (to create more sessions of
    /// the person from: one sign-in, more would be throttled).
    async fn signed_in_data(app: &TestApp, store: &DieselStore) -> Record {
        let b = crate::common::saml::signed_in(app, "spid", servizi_lavoro::kernel::Level::L2, None).await;
        let mut record = read(store, &b.cookies["sl_session"].parse().expect("an id")).await;
        record.data.retain(|k, _| !k.starts_with('~'));
        record
    }

    /// The same session's data as authenticated `at` (one sign-in: more
    /// would be throttled).
    fn authenticated_at(record: &Record, at: chrono::NaiveDateTime) -> Record {
        let mut r = record.clone();
        let Some(Value::String(text)) = r.data.get(SESSION_KEY) else { panic!("the principal as its text") };
        let mut principal: Value = serde_json::from_str(text).expect("json");
        principal["actor"]["at"] = serde_json::to_value(at).expect("a time");
        r.data.insert(SESSION_KEY.into(), Value::String(principal.to_string()));
        r.id = Id::default();
        r
    }

    /// A sign-in authenticated before all the account's sessions were ended
    /// (a password changed while it checked the old one, a role removed
    /// while it read the roles) creates no session; one authenticated
    /// after does.
    #[tokio::test]
    async fn a_sign_in_authenticated_before_the_sessions_were_ended_creates_none() {
        let (app, store, template, account) = signed_in_app().await;
        let before = app.state.clock.now();
        app.state.clock.advance(chrono::Duration::seconds(5));
        end_all(&app, account).await;
        let mut late = authenticated_at(&template, before);
        store.create(&mut late).await.expect("answered");
        assert!(store.load(&late.id).await.expect("loaded").is_none(), "authenticated before the ending");
        app.state.clock.advance(chrono::Duration::seconds(1));
        let mut fresh = authenticated_at(&template, app.state.clock.now());
        store.create(&mut fresh).await.expect("created");
        assert!(store.load(&fresh.id).await.expect("loaded").is_some(), "authenticated after it");
    }

    /// An app with a person signed in: its store, the session's data, the account.
    async fn signed_in_app() -> (TestApp, DieselStore, Record, servizi_lavoro::kernel::AccountId) {
        let app = TestApp::new();
        let store = store_of(&app);
        let template = signed_in_data(&app, &store).await;
        let account = account_of(&template).await;
        (app, store, template, account)
    }

    /// Ends every session of `account` now (as a password change does).
    async fn end_all(app: &TestApp, account: servizi_lavoro::kernel::AccountId) {
        let now = app.state.clock.now();
        servizi_lavoro::db::with_conn(&app.state.pool, move |c| {
            servizi_lavoro::auth::session::end_account_sessions(c, account, now)
        })
        .await
        .expect("ended");
    }

    async fn account_of(record: &Record) -> servizi_lavoro::kernel::AccountId {
        servizi_lavoro::auth::session::principal_of(&record.data).expect("signed in").actor.account_id
    }

    async fn sessions_of(app: &TestApp, account: servizi_lavoro::kernel::AccountId) -> i64 {
        servizi_lavoro::db::with_conn(&app.state.pool, move |c| {
            use diesel::prelude::*;
            use servizi_lavoro::db::schema::sessions;
            sessions::table.filter(sessions::account_id.eq(account)).count().get_result(c)
        })
        .await
        .expect("count")
    }

    /// A request changing profile read the session; meanwhile the person
    /// ended their sessions everywhere (or changed their password): the
    /// session is not carried on under a new id.
    #[tokio::test]
    async fn a_session_ended_while_it_changes_id_is_not_carried_on() {
        let app = TestApp::new();
        let store = store_of(&app);
        let b = crate::common::saml::signed_in(&app, "spid", servizi_lavoro::kernel::Level::L2, None).await;
        let id: Id = b.cookies["sl_session"].parse().expect("an id");
        let rotating = read(&store, &id).await;
        let account = account_of(&rotating).await;
        end_all(&app, account).await;
        let new = carried_on(&store, rotating).await;
        assert!(store.load(&new).await.expect("loaded").is_none(), "an ended session stays ended");
        assert_eq!(sessions_of(&app, account).await, 0);

        // Not ended: carried on, and the old id no longer reads.
        app.state.clock.advance(chrono::Duration::seconds(1));
        let b = crate::common::saml::signed_in(&app, "spid", servizi_lavoro::kernel::Level::L2, None).await;
        let id: Id = b.cookies["sl_session"].parse().expect("an id");
        let new = carried_on(&store, read(&store, &id).await).await;
        assert!(store.load(&new).await.expect("loaded").is_some());
        assert!(store.load(&id).await.expect("loaded").is_none());
    }

    /// A session that changed id just before it was ended through its old
    /// id (a sign-out, "end this session" from the list, "end the others"
    /// from a page read before): the ending follows it to its new id.
    #[tokio::test]
    async fn an_ending_through_the_old_id_follows_the_session_to_its_new_one() {
        use servizi_lavoro::auth::session as s;
        let (app, store, template, account) = signed_in_app().await;
        let session = |store: DieselStore, template: Record| async move {
            let mut r = template;
            store.create(&mut r).await.expect("created");
            let old = r.id;
            (old, carried_on(&store, read(&store, &old).await).await)
        };
        let pool = app.state.pool.clone();
        let live = |id: Id| {
            let store = store.clone();
            async move { store.load(&id).await.expect("loaded").is_some() }
        };

        // "End the other sessions" sent from a page read before this one changed id: it stays.
        let (old, new) = session(store.clone(), template.clone()).await;
        let (_, other) = session(store.clone(), template.clone()).await;
        let keep = old.to_string();
        let (ended, _) = servizi_lavoro::db::with_conn(&pool, move |c| s::end_other_sessions(c, account, &keep))
            .await
            .expect("ended");
        assert!(live(new).await && !live(other).await);
        assert!(ended >= 1, "the other session was ended");

        // A sign-out with the old id.
        let (old, new) = session(store.clone(), template.clone()).await;
        let id = old.to_string();
        servizi_lavoro::db::with_conn(&pool, move |c| s::end_by_id(c, &id)).await.expect("ended");
        assert!(!live(new).await, "signed out, under its new id too");

        // "End this session" from the list read before it changed id.
        let (old, new) = session(store.clone(), template.clone()).await;
        let reference = s::reference(&old.to_string());
        let found =
            servizi_lavoro::db::with_conn(&pool, move |c| s::end_session(c, account, &reference)).await.expect("ended");
        assert!(found.is_some() && !live(new).await);
    }

    /// Ending an account's sessions and carrying one of them on at the same
    /// instant, again and again: whichever comes first, none is left.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn ending_and_changing_id_at_the_same_instant_leave_no_session() {
        let app = TestApp::new();
        let store = store_of(&app);
        let signed_in = signed_in_data(&app, &store).await;
        for _ in 0..40 {
            // Another session of the person, authenticated after the last ending.
            app.state.clock.advance(chrono::Duration::seconds(1));
            let mut another = authenticated_at(&signed_in, app.state.clock.now());
            store.create(&mut another).await.expect("created");
            let rotating = read(&store, &another.id).await;
            let account = account_of(&rotating).await;
            let (pool, now) = (app.state.pool.clone(), app.state.clock.now());
            let end = tokio::spawn(async move {
                servizi_lavoro::db::with_conn(&pool, move |c| {
                    servizi_lavoro::auth::session::end_account_sessions(c, account, now)
                })
                .await
                .expect("ended")
            });
            let (s2, r2) = (store.clone(), rotating);
            let rotate = tokio::spawn(async move { carried_on(&s2, r2).await });
            let (_, _) = (end.await.expect("ran"), rotate.await.expect("ran"));
            assert_eq!(sessions_of(&app, account).await, 0, "a session outlived the ending");
        }
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
