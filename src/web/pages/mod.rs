//! The error page, shared by every domain.
mod error;

pub use error::ErrorView;
