//! Utente Estero: registration with an identity document, helpdesk
//! validation (see `crate::helpdesk`), and sign-in with a strong password and
//! a one-time code.
pub mod demo;
pub mod model;
pub mod password;
pub mod registration;
pub mod reset;
mod routes;
pub mod signin;
pub mod status;
pub mod totp;

pub use routes::routes;

use crate::kernel::sweep::Swept;

/// Utente Estero's clean-up: spent reset links, registrations unconfirmed
/// after 48 hours (and their documents), document scans once decided.
pub fn sweep(c: &mut crate::db::AnyConnection, now: chrono::NaiveDateTime) -> diesel::QueryResult<Swept> {
    let rows = reset::purge_spent(c, now)?;
    let mut files = model::expire_unconfirmed(c, now)?;
    let rows = rows + files.len();
    files.extend(model::forget_decided_documents(c)?);
    Ok(Swept { rows, files })
}
