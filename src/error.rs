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
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
    #[error("session: {0}")]
    Session(#[from] tower_sessions::session::Error),
    /// Sign-in refused (a SAML check, an IdP error): a page that says why.
    #[error("sign-in refused ({status}): {log}")]
    SignIn { status: StatusCode, reason: &'static str, log: String },
    /// Any other refusal with its own explanation (message keys).
    #[error("refused ({status}): {log}")]
    Explained { status: StatusCode, title: &'static str, detail: &'static str, log: String },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
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
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::SignIn { status, .. } | AppError::Explained { status, .. } => *status,
            AppError::Db(_) | AppError::Session(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        } else {
            tracing::info!(error = %self, status = status.as_u16(), "request refused");
        }
        let page = match &self {
            AppError::SignIn { reason, .. } => ErrorPage { title: Some("signin-failed-title"), detail: Some(reason) },
            AppError::Explained { title, detail, .. } => ErrorPage { title: Some(title), detail: Some(detail) },
            _ => ErrorPage::default(),
        };
        let mut res = status.into_response();
        res.extensions_mut().insert(page);
        res
    }
}
