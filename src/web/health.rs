//! `GET /healthz` (liveness: the process and its database answer) and
//! `GET /readyz` (readiness: also not shutting down), for load balancers.
use crate::db::with_conn;
use crate::kernel::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use diesel::RunQueryDsl;

pub async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    let probe = with_conn(&state.pool, |c| diesel::sql_query("SELECT 1").execute(c)).await;
    match probe {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// `GET /readyz`: 200 while the instance takes traffic; 503 once it is
/// shutting down (a proxy then stops sending it requests) or without a database.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if !state.ready.load(std::sync::atomic::Ordering::Relaxed) {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down");
    }
    healthz(State(state)).await
}
