//! Applies [`crate::web::text`] to every request before any handler, any
//! kept form or any database sees it: a path segment that no id can be is a
//! 404; a query string or a form body with refused characters is a 422 that
//! says why. (Multipart forms are checked as they are read: `web::upload`.)
use crate::error::AppError;
use crate::web::text;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The refusal of a field, a query or a form body.
pub fn invalid_text(log: &str) -> AppError {
    AppError::Explained {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        title: "text-invalid-title",
        detail: "text-invalid",
        log: format!("refused characters in {log}"),
    }
}

fn is_form(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// `limit`: the body limit, so a buffered form is never larger than any extractor would read.
pub async fn text_guard(State(limit): State<usize>, req: Request, next: Next) -> Response {
    let path = percent_decoded(req.uri().path());
    if !text::clean(&path, false) {
        return AppError::NotFound.into_response();
    }
    if !req.uri().query().is_none_or(|q| text::clean_form(q.as_bytes())) {
        return invalid_text("the query").into_response();
    }
    if req.method() != Method::POST || !is_form(&req) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    if !text::clean_form(&bytes) {
        return invalid_text("a form").into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

fn percent_decoded(path: &str) -> String {
    url::form_urlencoded::parse(format!("p={}", path.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::percent_decoded;

    #[test]
    fn paths_are_read_as_the_router_reads_them() {
        assert_eq!(percent_decoded("/supporto/richieste/%00"), "/supporto/richieste/\0");
        assert_eq!(percent_decoded("/a+b/%E2%80%AE"), "/a+b/\u{202e}");
    }
}
