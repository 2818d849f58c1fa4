//! Reading a cookie from a request's headers: the one way every layer does it
//! (language, sign-in binding, kept forms, the browser mark of sign-in alerts).
use axum::http::{header, HeaderMap};

/// The value of cookie `name`, if the request carries it.
pub fn read<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

#[cfg(test)]
mod tests {
    use super::read;
    use axum::http::{header, HeaderMap, HeaderValue};

    #[test]
    fn a_cookie_is_found_among_others_and_in_any_header_line() {
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, HeaderValue::from_static("a=1; lang=en"));
        h.append(header::COOKIE, HeaderValue::from_static("sl_session=abc"));
        assert_eq!(read(&h, "lang"), Some("en"));
        assert_eq!(read(&h, "sl_session"), Some("abc"));
        assert_eq!(read(&h, "missing"), None);
    }
}
