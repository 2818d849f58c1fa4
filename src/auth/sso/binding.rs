//! Against login CSRF: a sign-in answered at the ACS must come back through
//! the browser that started it. `/saml/login` gives the browser a random
//! value in a short-lived cookie (kept if it already has one, so several
//! sign-ins in one browser can run at once) and stores its hash with the
//! request; the ACS compares them. The IdP's POST is cross-site, so over
//! HTTPS the cookie is `SameSite=None; Secure` (and `__Host-` prefixed).
use crate::config::Config;
use axum::http::{HeaderMap, HeaderValue};

/// Long enough for a person at the IdP, like the request state.
const MAX_AGE_SECS: i64 = super::request_state::LIFETIME_MINUTES * 60;

pub fn cookie_name(config: &Config) -> &'static str {
    if config.secure_cookies() {
        "__Host-sl_login"
    } else {
        "sl_login"
    }
}

/// The browser's login value, if it sent one.
pub fn read(config: &Config, headers: &HeaderMap) -> Option<String> {
    crate::cookies::read(headers, cookie_name(config)).filter(|v| v.len() == 64).map(str::to_string)
}

/// The value to bind to: the browser's own, or a new one.
pub fn current_or_new(config: &Config, headers: &HeaderMap) -> String {
    read(config, headers).unwrap_or_else(|| {
        let bytes: [u8; 32] = rand::random();
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    })
}

/// How the value is stored with the request.
pub fn hash(value: &str) -> String {
    crate::kernel::token::sha256_hex(value)
}

/// The `Set-Cookie` that gives (or renews) the value.
pub fn set_cookie(config: &Config, value: &str) -> Option<HeaderValue> {
    let attributes = if config.secure_cookies() { "; Secure; SameSite=None" } else { "; SameSite=Lax" };
    let c = format!("{}={value}; Path=/; HttpOnly; Max-Age={MAX_AGE_SECS}{attributes}", cookie_name(config));
    HeaderValue::from_str(&c).ok()
}

/// A 302 to the provider at `url`, giving the browser its login value: the
/// end of every sign-in request, whatever the protocol.
pub fn to_provider(config: &Config, url: String, value: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut res = (axum::http::StatusCode::FOUND, [(axum::http::header::LOCATION, url)]).into_response();
    if let Some(cookie) = set_cookie(config, value) {
        res.headers_mut().append(axum::http::header::SET_COOKIE, cookie);
    }
    res
}
