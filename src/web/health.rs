//! `GET /healthz` for load balancers: 200 only when the database answers.
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
