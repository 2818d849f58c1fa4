//! Security headers on every response. Our pages need no script at all, so
//! the policy forbids every script (Leptos's inert resource stub included).
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The response headers every page gets, computed once at start.
#[derive(Clone, Debug)]
pub struct SecurityPolicy {
    csp: HeaderValue,
    /// Only when served over HTTPS (production).
    hsts: bool,
}

impl SecurityPolicy {
    /// `form_targets`: origins a form's redirect chain may end at (browsers
    /// apply form-action to redirects): the identity providers' logout pages,
    /// the Ministry's services.
    pub fn new(form_targets: &[String], hsts: bool) -> Self {
        let mut targets: Vec<&str> =
            form_targets.iter().map(String::as_str).filter(|o| o.starts_with("http")).collect();
        targets.sort_unstable();
        targets.dedup();
        let csp = format!(
            "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
             form-action 'self'{}{}; frame-ancestors 'none'; base-uri 'none'",
            if targets.is_empty() { "" } else { " " },
            targets.join(" ")
        );
        let csp = HeaderValue::from_str(&csp).unwrap_or_else(|_| {
            HeaderValue::from_static("default-src 'none'; form-action 'self'; frame-ancestors 'none'")
        });
        SecurityPolicy { csp, hsts }
    }
}

pub async fn security_headers(
    State(policy): State<std::sync::Arc<SecurityPolicy>>,
    req: Request,
    next: Next,
) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, policy.csp.clone());
    }
    let hsts = policy.hsts;
    let defaults = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            header::HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        ),
        (header::HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
        (header::HeaderName::from_static("cross-origin-resource-policy"), "same-origin"),
        // Pages may show personal data: nothing is stored by browsers or proxies
        // unless a handler (static assets) says otherwise.
        (header::CACHE_CONTROL, "no-store"),
    ];
    for (name, value) in defaults {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    }
    if hsts {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=63072000; includeSubDomains"));
    }
    res
}
