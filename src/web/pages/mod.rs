//! Pages that belong to no domain: home, errors, and the legal and help pages.
mod error;
pub(crate) mod home;
mod info;

pub use error::{ErrorView, NotFoundPage};
pub use home::HomePage;
pub use info::{AccessibilityPage, CookiesPage, HelpPage, PrivacyPage};
