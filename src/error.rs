//! One error type for every handler, mapped to a response in one place.
//! The response carries only a status and an [`ErrorPage`] marker; the
//! `web::error_pages` middleware turns it into a localized HTML page.
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("cross-origin request refused")]
    CrossOrigin,
    #[error("forbidden")]
    Forbidden,
    /// Sign in first; the page asked for is `next`.
    #[error("sign-in required")]
    SignInRequired { next: String },
    /// Authenticate again at `idp` with SPID level `level`, then back to `next`.
    #[error("step-up to level {level} required")]
    StepUpRequired { idp: String, level: u8, next: String },
    /// Something to do first, on the page at this (local) address.
    #[error("first, {0}")]
    FirstGoTo(String),
    #[error("database")]
    Db(#[source] crate::db::DbError),
    #[error("session")]
    Session(#[from] tower_sessions::session::Error),
    /// Sign-in refused (a SAML check, an IdP error): a page that says why.
    #[error("sign-in refused ({status}): {log}")]
    SignIn { status: StatusCode, reason: &'static str, log: String },
    /// Any other refusal with its own explanation (message keys).
    #[error("refused ({status}): {log}")]
    Explained { status: StatusCode, title: &'static str, detail: &'static str, log: String },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// Too many requests from one client: come back after a while (429).
    #[error("rate limited, retry after {retry_after_secs}s")]
    RateLimited { retry_after_secs: u32 },
    /// Too much work waiting: come back in a moment.
    #[error("busy, retry after {retry_after_secs}s")]
    Busy { retry_after_secs: u32 },
    #[error("internal error: {0}")]
    Internal(String),
    /// An unexpected failure of another part, kept whole for the log.
    #[error("{context}")]
    Other {
        context: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl From<crate::db::DbError> for AppError {
    /// A row that is not there is someone asking for what does not exist.
    fn from(e: crate::db::DbError) -> Self {
        match e {
            crate::db::DbError::Query(diesel::result::Error::NotFound) => AppError::NotFound,
            e => AppError::Db(e),
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        crate::db::DbError::Query(e).into()
    }
}

impl AppError {
    /// Wraps any error with what was being done, keeping it as the source.
    pub fn other(context: &'static str, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        AppError::Other { context, source: Box::new(source) }
    }
}

/// The error and each of its causes, for the log.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cur = c.source();
    }
    out
}

pub type AppResult<T> = Result<T, AppError>;

/// Marks a response whose body the error-page middleware must render;
/// `title` and `detail` are message keys that replace the status's own.
#[derive(Clone, Copy, Debug, Default)]
pub struct ErrorPage {
    pub title: Option<&'static str>,
    pub detail: Option<&'static str>,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::CrossOrigin | AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Unavailable(_) | AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::SignIn { status, .. } | AppError::Explained { status, .. } => *status,
            AppError::SignInRequired { .. } | AppError::StepUpRequired { .. } | AppError::FirstGoTo(_) => {
                StatusCode::SEE_OTHER
            }
            AppError::Db(_) | AppError::Session(_) | AppError::Internal(_) | AppError::Other { .. } => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        match &self {
            AppError::SignInRequired { next } => {
                return axum::response::Redirect::to(&crate::paths::sign_in_then(next)).into_response();
            }
            AppError::FirstGoTo(to) => return axum::response::Redirect::to(to).into_response(),
            AppError::StepUpRequired { idp, level, next } => {
                let to = format!("{}?idp={}&level={level}&next={}", crate::paths::SAML_LOGIN, enc(idp), enc(next));
                return axum::response::Redirect::to(&to).into_response();
            }
            _ => {}
        }
        if status.is_server_error() {
            tracing::error!(error = %chain(&self), "request failed");
        } else {
            tracing::info!(error = %chain(&self), status = status.as_u16(), "request refused");
        }
        let page = match &self {
            AppError::SignIn { reason, .. } => ErrorPage { title: Some("signin-failed-title"), detail: Some(reason) },
            AppError::Explained { title, detail, .. } => ErrorPage { title: Some(title), detail: Some(detail) },
            _ => ErrorPage::default(),
        };
        let mut res = status.into_response();
        if let AppError::Busy { retry_after_secs } | AppError::RateLimited { retry_after_secs } = self {
            res.headers_mut().insert(axum::http::header::RETRY_AFTER, retry_after_secs.into());
        }
        res.extensions_mut().insert(page);
        res
    }
}
