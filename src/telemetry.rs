//! Metrics in Prometheus text format on their own address (`SL_METRICS_ADDR`,
//! off by default: never on the public one): requests and their latency by
//! route, sign-ins by credential and outcome, ACS refusals by reason, the
//! Argon2 line, the database pool, the scheduled jobs' last success.
use crate::db::DbPool;
use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// Serves `/metrics` on `addr` (any path answers the scrape).
pub fn install(addr: SocketAddr) -> Result<(), String> {
    let seconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
    PrometheusBuilder::new()
        .with_http_listener(addr)
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &seconds)
        .map_err(|e| e.to_string())?
        .install()
        .map_err(|e| e.to_string())
}

/// Middleware: each request counted and timed by its route (the pattern, not
/// the address, so ids do not multiply the series).
pub async fn track(req: Request, next: Next) -> Response {
    let route =
        req.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let method = req.method().as_str().to_string();
    let started = Instant::now();
    let res = next.run(req).await;
    let status = format!("{}xx", res.status().as_u16() / 100);
    metrics::counter!("http_requests_total", "route" => route.clone(), "method" => method, "status" => status)
        .increment(1);
    metrics::histogram!("http_request_duration_seconds", "route" => route).record(started.elapsed().as_secs_f64());
    res
}

/// Samples the database pool every few seconds, for as long as the server runs.
pub fn sample_pool(pool: DbPool) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let state = pool.state();
            let idle = f64::from(state.idle_connections);
            let total = f64::from(state.connections);
            metrics::gauge!("db_pool_connections", "state" => "idle").set(idle);
            metrics::gauge!("db_pool_connections", "state" => "in_use").set(total - idle);
            metrics::gauge!("db_pool_max_connections").set(f64::from(pool.max_size()));
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
    })
}

/// A sign-in's outcome, by credential.
pub fn sign_in(credential: &str, outcome: &'static str) {
    metrics::counter!("sign_ins_total", "credential" => credential.to_string(), "outcome" => outcome).increment(1);
}
