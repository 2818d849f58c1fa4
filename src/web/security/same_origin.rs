//! Cross-site request forgery defence for every unsafe method, after Go
//! 1.25's CrossOriginProtection: browsers say where a request comes from in
//! `Sec-Fetch-Site` (or, older ones, `Origin`); a cross-site POST is refused.
use crate::error::AppError;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Endpoints that identity providers post to from their own origin. They are
/// protected by the signed SAML messages and the one-time request state.
pub const SAME_ORIGIN_EXEMPT: &[&str] = &["/saml/acs", "/saml/slo"];

fn same_origin(headers: &HeaderMap, own_origin: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin" || site == "none";
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        // No browser signal at all: not a browser request, so no ambient cookies to abuse.
        return true;
    };
    if origin == own_origin {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin.split_once("://").map(|(_, rest)| rest);
    matches!((origin_host, host), (Some(o), Some(h)) if o == h)
}

pub async fn same_origin_guard(State(own_origin): State<std::sync::Arc<str>>, req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE);
    let exempt = SAME_ORIGIN_EXEMPT.contains(&req.uri().path());
    if !safe && !exempt && !same_origin(req.headers(), &own_origin) {
        return AppError::CrossOrigin.into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        let own = "http://localhost:3000";
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")]), own));
        assert!(same_origin(&headers(&[("sec-fetch-site", "none")]), own));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")]), own));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "same-site")]), own));
    }

    #[test]
    fn origin_is_compared_with_ours_or_the_host() {
        let own = "http://localhost:3000";
        assert!(same_origin(&headers(&[("origin", "http://localhost:3000")]), own));
        assert!(same_origin(&headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")]), own));
        assert!(!same_origin(&headers(&[("origin", "https://evil.example"), ("host", "localhost:3000")]), own));
        assert!(same_origin(&headers(&[]), own));
    }
}
