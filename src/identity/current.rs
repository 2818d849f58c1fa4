//! The signed-in person of the current request, kept in the server-side
//! session and put into the request by one middleware, so handlers and
//! pages read it without touching the session themselves.
use super::account::PastSignIn;
use crate::auth::saml::level::{Credential, Level};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

pub const SESSION_KEY: &str = "signed_in";

/// The SAML session at the IdP, needed to log out there too.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct IdpSession {
    pub name_id: String,
    pub name_qualifier: String,
    pub session_index: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SignedIn {
    pub account_id: i64,
    pub given_name: String,
    pub family_name: String,
    /// Codice fiscale, eIDAS identifier or Utente Estero id.
    pub identifier: String,
    pub credential: Credential,
    pub level: Level,
    pub idp_entity_id: String,
    pub idp_name: String,
    pub at: NaiveDateTime,
    pub previous: Option<PastSignIn>,
    pub idp_session: Option<IdpSession>,
}

impl SignedIn {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }

    /// Stores the person in the session, under a new session id.
    pub async fn start(self, session: &Session) -> Result<(), tower_sessions::session::Error> {
        crate::auth::session::rotate(session).await?;
        session.insert(SESSION_KEY, self).await
    }
}

/// Middleware: `Option<SignedIn>` into the request extensions.
pub async fn load_identity(mut req: Request, next: Next) -> Response {
    // Assets and health checks never need the person: no session read for them.
    let path = req.uri().path();
    if path.starts_with("/assets/") || path == "/healthz" {
        req.extensions_mut().insert(None::<SignedIn>);
        return next.run(req).await;
    }
    let who = match req.extensions().get::<Session>() {
        Some(s) => s.get::<SignedIn>(SESSION_KEY).await.ok().flatten(),
        None => None,
    };
    req.extensions_mut().insert(who);
    next.run(req).await
}

/// The signed-in person, in pages.
pub fn use_signed_in() -> Option<SignedIn> {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|p| p.extensions.get::<Option<SignedIn>>().cloned())
        .flatten()
}
