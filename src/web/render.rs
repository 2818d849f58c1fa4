//! The HTML document around every page, and rendering a page outside the
//! router: error pages and forms re-shown with their errors (422).
use crate::app::{App, AppState};
use crate::i18n::use_lang;
use crate::web::assets;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{request::Parts, StatusCode};
use axum::response::Response;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Html, MetaTags, Title};

/// `<html>`…`</html>` with our stylesheet; `body` renders the page.
fn document(body: impl IntoView + 'static) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="stylesheet" href=assets::url("main.css")/>
                <link rel="icon" type="image/svg+xml" href=assets::url("favicon.svg")/>
                <MetaTags/>
            </head>
            <body>{body}</body>
        </html>
    }
}

/// Sets what every page shares in `<head>`: the language and the title suffix.
#[component]
pub fn Head() -> impl IntoView {
    provide_meta_context();
    let lang = use_lang();
    let site = lang.t("site-name");
    view! {
        <Html {..} lang=lang.code()/>
        <Title formatter=move |page: String| format!("{page} | {site}")/>
    }
}

/// The shell for routed pages.
pub fn shell() -> impl IntoView {
    document(view! { <Head/><App/> })
}

/// Answers the page being rendered with `303 See Other` to `path` (a local
/// path), whatever the request accepts; the page's body is then ignored.
pub fn redirect_to(path: &str) {
    if let (Some(res), Ok(location)) = (use_context::<leptos_axum::ResponseOptions>(), axum::http::HeaderValue::from_str(path)) {
        res.set_status(StatusCode::SEE_OTHER);
        res.insert_header(axum::http::header::LOCATION, location);
    }
}

/// The path of the request being rendered.
pub fn current_path() -> String {
    current_path_and_query().0
}

pub fn current_path_and_query() -> (String, String) {
    use_context::<Parts>()
        .map(|p| (p.uri.path().to_string(), p.uri.query().unwrap_or("").to_string()))
        .unwrap_or_else(|| ("/".into(), String::new()))
}

/// Renders `view` in the full document for the request `parts`, with `status`.
/// `context` runs first, so the view can read what it provides.
pub async fn render_view<V, F>(
    state: &AppState,
    parts: Parts,
    status: StatusCode,
    context: impl Fn() + Clone + Send + Sync + 'static,
    view: F,
) -> Response
where
    F: Fn() -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let st = state.clone();
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(st.clone());
            context();
        },
        move || {
            let view = view.clone();
            document(view! { <Head/>{view()} })
        },
    );
    let mut res = render(Request::from_parts(parts, Body::empty())).await;
    *res.status_mut() = status;
    res
}

/// Reads a urlencoded form, keeping the request's parts to re-render the
/// page (422) when what was sent is not valid. A malformed body is a 400.
pub async fn read_form<T: serde::de::DeserializeOwned>(
    state: &AppState,
    req: Request,
) -> Result<(Parts, T), crate::error::AppError> {
    let (parts, body) = req.into_parts();
    let axum::Form(form) = <axum::Form<T> as axum::extract::FromRequest<AppState>>::from_request(Request::from_parts(parts.clone(), body), state)
        .await
        .map_err(|e| crate::error::AppError::BadRequest(e.to_string()))?;
    Ok((parts, form))
}
