//! Every error answer becomes a localized HTML page with the right status:
//! our own [`AppError`]s, axum's rejections (malformed forms), the body-size
//! limit, the timeout and caught panics alike.
use crate::error::ErrorPage;
use crate::kernel::AppState;
use crate::web::pages::ErrorView;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

fn needs_page(res: &Response) -> bool {
    if res.extensions().get::<ErrorPage>().is_some() {
        return true;
    }
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    (res.status().is_client_error() || res.status().is_server_error()) && !is_html
}

pub async fn render_error_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // Only what an error page needs is kept (not the whole request head).
    let mut kept = Request::new(());
    *kept.uri_mut() = req.uri().clone();
    if let Some(lang) = req.extensions().get::<crate::i18n::Lang>() {
        kept.extensions_mut().insert(*lang);
    }
    let res = next.run(req).await;
    if !needs_page(&res) {
        return res;
    }
    let status = res.status();
    let marker = res.extensions().get::<ErrorPage>().copied().unwrap_or_default();
    let (kept, ()) = kept.into_parts();
    let req = crate::web::render::PageRequest::from_parts(&kept, state);
    let mut page = req.render(status, move || {
        use leptos::prelude::IntoAny;
        leptos::prelude::view! { <ErrorView status title=marker.title detail=marker.detail/> }.into_any()
    });
    // Keep what the original answer told the client (Allow, Retry-After, …).
    for name in [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE] {
        if let Some(v) = res.headers().get(&name) {
            page.headers_mut().insert(name, v.clone());
        }
    }
    page
}

/// For `CatchPanicLayer`: a panic becomes an ordinary 500 page.
pub fn panic_to_response(_err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    let mut res = Response::new(axum::body::Body::empty());
    *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    res.extensions_mut().insert(ErrorPage::default());
    res
}
