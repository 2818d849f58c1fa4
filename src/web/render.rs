//! The one way pages are made: an axum handler takes a [`PageRequest`] and
//! calls [`PageRequest::render`], which renders the view to a string on the
//! spot (no router, no async runtime hand-off) inside the HTML document.
//! What pages read while rendering (language, principal, path, state) comes
//! from the request, through contexts this function provides.
use crate::i18n::Lang;
use crate::kernel::{AppState, Principal};
use crate::web::assets;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos::prelude::*;
use std::sync::{Arc, Mutex};

/// The path and query of the request being rendered.
#[derive(Clone, Debug, Default)]
pub struct RequestPath {
    pub path: String,
    pub query: String,
}

/// What a page needs of its request; an extractor, so handlers get it typed.
#[derive(Clone)]
pub struct PageRequest {
    pub state: AppState,
    pub lang: Lang,
    pub principal: Option<Principal>,
    pub at: RequestPath,
    /// The client's address, when the server knows it.
    pub client: Option<std::net::IpAddr>,
    /// The request id (`x-request-id`), for the audit trail.
    pub request_id: String,
}

impl<S> FromRequestParts<S> for PageRequest
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ok(PageRequest::from_parts(parts, AppState::from_ref(state)))
    }
}

impl PageRequest {
    pub fn from_parts(parts: &Parts, state: AppState) -> Self {
        PageRequest {
            lang: parts.extensions.get::<Lang>().copied().unwrap_or_default(),
            principal: parts.extensions.get::<Option<Principal>>().cloned().flatten(),
            at: RequestPath { path: parts.uri.path().to_string(), query: parts.uri.query().unwrap_or("").to_string() },
            client: super::client::client_ip(
                parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip()),
                &parts.headers,
                &state.config.trusted_proxies,
                state.config.forwarded_header,
            ),
            request_id: parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-").to_string(),
            state,
        }
    }

    /// Renders `page` in the document, answered with `status`. Contexts the
    /// page needs may be provided inside `page` before its view is built.
    pub fn render(&self, status: StatusCode, page: impl FnOnce() -> AnyView) -> Response {
        render_page(self, status, Box::new(page))
    }
}

/// The `<title>` a page sets while it renders ([`set_title`]).
#[derive(Clone, Default)]
struct PageTitle(Arc<Mutex<String>>);

/// Sets the page's title (the site name is added after it).
pub fn set_title(title: &str) {
    if let Some(PageTitle(t)) = use_context::<PageTitle>() {
        if let Ok(mut t) = t.lock() {
            *t = title.to_string();
        }
    }
}

/// Set when the page shows a form's errors ([`mark_errors`]).
#[derive(Clone, Default)]
struct ShowsErrors(Arc<std::sync::atomic::AtomicBool>);

/// The page shows a form's errors: its title says so first ("Errore: …"),
/// which is what a screen reader announces when the page loads.
pub fn mark_errors() {
    if let Some(ShowsErrors(flag)) = use_context::<ShowsErrors>() {
        flag.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// A page rendered once for everyone it looks the same to, with the one
/// part that is each person's own (the header's name, profile, session end
/// and sign-out: [`account_slot`]) left as a slot that [`PageRequest::respond`]
/// fills for whoever asks. Cheap to clone: the document is shared.
#[derive(Clone)]
pub struct SharedPage {
    status: StatusCode,
    document: Arc<str>,
}

/// Marks a render made for [`SharedPage`]: the layout leaves the slot.
#[derive(Clone, Copy)]
struct Shared;

/// What stands in a [`SharedPage`] where the person's own header goes. A
/// comment no text can fake: what people type is escaped (`&lt;!--`).
const ACCOUNT_SLOT: &str = "<!--sl:account-->";

/// In a render for a [`SharedPage`], the slot the layout leaves in place of
/// the person's own part of the header; `None` in a page made for one request.
pub fn account_slot() -> Option<&'static str> {
    use_context::<Shared>().map(|_| ACCOUNT_SLOT)
}

impl PageRequest {
    /// Renders `page` as a [`SharedPage`]. The caller caches it under a key
    /// holding everything the page reads (language, path and query, and what
    /// it reads of the principal): leave one out and one person is shown
    /// another's page.
    pub fn render_shared(&self, status: StatusCode, page: impl FnOnce() -> AnyView) -> SharedPage {
        let (status, document) = render_document(self, status, Some(Shared), Box::new(page));
        SharedPage { status, document: document.into() }
    }

    /// `shared` for this request, its slot filled with `account` (the
    /// person's own header, HTML made by [`PageRequest::render_fragment`]).
    pub fn respond(&self, shared: &SharedPage, account: &str) -> Response {
        // The slot is in the header, before anything of the request's own.
        let document = match shared.document.split_once(ACCOUNT_SLOT) {
            Some((before, after)) => {
                let mut html = String::with_capacity(shared.document.len() + account.len());
                html.push_str(before);
                html.push_str(account);
                html.push_str(after);
                html
            }
            None => shared.document.to_string(),
        };
        html_response(shared.status, document)
    }

    /// A part of a page, rendered with this request's contexts, as HTML.
    pub fn render_fragment(&self, view: impl FnOnce() -> AnyView) -> String {
        let html = with_contexts(self, None, &PageTitle::default(), &ShowsErrors::default(), || view().to_html());
        let mut out = String::with_capacity(html.len());
        push_without_markers(&mut out, &html);
        out
    }
}

/// Not generic, so the document and its rendering are compiled once.
fn render_page(req: &PageRequest, status: StatusCode, page: Box<dyn FnOnce() -> AnyView + '_>) -> Response {
    let (status, document) = render_document(req, status, None, page);
    html_response(status, document)
}

fn html_response(status: StatusCode, document: String) -> Response {
    let mut res = (status, document).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    res
}

/// Runs `render` with the contexts pages read: the request's language,
/// principal, path and state, the title and error flag, and whether the
/// render is for a [`SharedPage`].
fn with_contexts<T>(
    req: &PageRequest,
    shared: Option<Shared>,
    title: &PageTitle,
    errors: &ShowsErrors,
    render: impl FnOnce() -> T,
) -> T {
    let owner = Owner::new();
    owner.with(|| {
        provide_context(req.lang);
        provide_context(req.principal.clone());
        provide_context(req.at.clone());
        provide_context(req.state.clone());
        provide_context(title.clone());
        provide_context(errors.clone());
        if let Some(shared) = shared {
            provide_context(shared);
        }
        render()
    })
}

/// The whole document of `page`, with the status it goes out with.
fn render_document(
    req: &PageRequest,
    status: StatusCode,
    shared: Option<Shared>,
    page: Box<dyn FnOnce() -> AnyView + '_>,
) -> (StatusCode, String) {
    let title = PageTitle::default();
    let errors = ShowsErrors::default();
    let body = with_contexts(req, shared, &title, &errors, || page().to_html());
    let mut title = title.0.lock().map(|t| t.clone()).unwrap_or_default();
    // A re-shown form (422) or any page with an error summary.
    if status == StatusCode::UNPROCESSABLE_ENTITY || errors.0.load(std::sync::atomic::Ordering::Relaxed) {
        title = req.lang.t_args("title-with-errors", &[("title", title)]);
    }
    (status, document(req.lang, &title, &body))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `<html>`…`</html>` around a rendered body, with our stylesheet.
fn document(lang: Lang, title: &str, body: &str) -> String {
    let site = lang.t("site-name");
    let full = if title.is_empty() { site } else { format!("{title} | {site}") };
    let mut doc = String::with_capacity(body.len() + 512);
    doc.push_str("<!DOCTYPE html><html lang=\"");
    doc.push_str(lang.code());
    doc.push_str("\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"color-scheme\" content=\"light\"><title>");
    doc.push_str(&escape(&full));
    doc.push_str("</title><link rel=\"stylesheet\" href=\"");
    doc.push_str(&assets::url("main.css"));
    doc.push_str("\"><link rel=\"icon\" type=\"image/svg+xml\" href=\"");
    doc.push_str(&assets::url("favicon.svg"));
    doc.push_str("\"></head><body>");
    push_without_markers(&mut doc, body);
    doc.push_str("</body></html>");
    doc
}

/// The hydration marker Leptos writes between adjacent text nodes, after
/// lists and for empty views (`<!>`, an empty comment): it tells a client
/// that hydrates where one node ends. Nothing hydrates here, so the page
/// goes out without them (7–10 % of its bytes). Text a person typed can
/// never hold one: it is escaped (`&lt;!&gt;`) before it gets here.
const MARKER: &str = "<!>";

/// Appends `html` to `out` without hydration markers (memchr's SIMD search:
/// `str::split` took 2 % of a signed-in page's time).
fn push_without_markers(out: &mut String, html: &str) {
    let mut from = 0;
    for at in memchr::memmem::find_iter(html.as_bytes(), MARKER) {
        // `<` is ASCII, so `at` is a character boundary.
        out.push_str(&html[from..at]);
        from = at + MARKER.len();
    }
    out.push_str(&html[from..]);
}

/// A part of a page that depends on the language only (navigation, footer,
/// the home page's fixed sections), rendered once per language and reused:
/// every page shows them and they never change while the server runs.
pub fn fragment(name: &'static str, render: impl FnOnce() -> AnyView) -> String {
    static KEPT: super::memo::Memo<(&'static str, Lang), String> = super::memo::Memo::new(256);
    KEPT.get_or((name, crate::i18n::use_lang()), || render().to_html())
}

/// The path of the request being rendered.
pub fn current_path() -> String {
    use_context::<RequestPath>().map(|p| p.path).unwrap_or_else(|| "/".into())
}

pub fn current_path_and_query() -> (String, String) {
    use_context::<RequestPath>().map(|p| (p.path, p.query)).unwrap_or_else(|| ("/".into(), String::new()))
}

/// Who is acting, in pages.
pub fn use_principal() -> Option<Principal> {
    use_context::<Option<Principal>>().flatten()
}

/// The application state, in pages.
pub fn use_state() -> Option<AppState> {
    use_context::<AppState>()
}

/// A urlencoded form, read into its type (a repeated field, as checkboxes
/// send, into a `Vec`): the one way handlers read a posted form (multipart
/// ones through `web::upload`). Another content type is a 415, a body that
/// does not fit the type a 400, both through [`crate::error::AppError`].
pub struct FormData<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for FormData<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = crate::error::AppError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        use crate::error::AppError;
        let urlencoded = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !urlencoded {
            return Err(AppError::BadRequest("not a urlencoded form".into()));
        }
        let body =
            axum::body::Bytes::from_request(req, state).await.map_err(|e| AppError::BadRequest(e.to_string()))?;
        serde_html_form::from_bytes(&body).map(FormData).map_err(|e| AppError::BadRequest(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn markers_go_and_everything_else_stays() {
        let mut out = String::new();
        super::push_without_markers(&mut out, "<p>a<!>b</p><!><ul><!--x--></ul>&lt;!&gt;<!>");
        assert_eq!(out, "<p>ab</p><ul><!--x--></ul>&lt;!&gt;");
    }
}
