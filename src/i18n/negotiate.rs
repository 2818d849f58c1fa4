//! Per-request language: `?lang=` (then remembered in a cookie) > cookie >
//! `Accept-Language` > Italian.
use super::Lang;
use axum::{extract::Request, http::header, http::HeaderValue, middleware::Next, response::Response};
use fluent_templates::LanguageIdentifier;

pub const LANG_COOKIE: &str = "lang";

fn from_query(query: Option<&str>) -> Option<Lang> {
    query?.split('&').find_map(|kv| kv.strip_prefix("lang=")).and_then(Lang::parse)
}

fn from_accept_language(v: &str) -> Option<Lang> {
    let requested = fluent_langneg::parse_accepted_languages(v);
    let available: Vec<LanguageIdentifier> = Lang::ALL.iter().map(|l| l.langid()).collect();
    let best =
        fluent_langneg::negotiate_languages(&requested, &available, None, fluent_langneg::NegotiationStrategy::Lookup);
    best.first().and_then(|l| Lang::parse(l.language.as_str()))
}

/// Middleware: puts the chosen [`Lang`] into the request extensions, where
/// handlers (`Extension<Lang>`) and pages ([`super::use_lang`]) find it.
pub async fn negotiate(secure: bool, mut req: Request, next: Next) -> Response {
    let chosen = from_query(req.uri().query());
    let lang = chosen
        .or_else(|| crate::cookies::read(req.headers(), LANG_COOKIE).and_then(Lang::parse))
        .or_else(|| {
            req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(from_accept_language)
        })
        .unwrap_or_default();
    req.extensions_mut().insert(lang);
    let mut res = next.run(req).await;
    if let Some(l) = chosen {
        let secure = if secure { "; Secure" } else { "" };
        let c = format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}", l.code());
        if let Ok(v) = HeaderValue::from_str(&c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(from_accept_language("en-GB,en;q=0.9,it;q=0.5"), Some(Lang::En));
        assert_eq!(from_accept_language("de-DE,it;q=0.5"), Some(Lang::It));
        assert_eq!(from_accept_language("de-DE,fr"), None);
    }

    #[test]
    fn query_is_read_among_other_parameters() {
        assert_eq!(from_query(Some("q=x&lang=en")), Some(Lang::En));
        assert_eq!(from_query(Some("lang=xx")), None);
        assert_eq!(from_query(None), None);
    }
}
