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
