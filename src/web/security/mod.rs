//! Protections every response and every unsafe request goes through.
mod headers;
mod same_origin;
mod text_guard;

pub use headers::{security_headers, SecurityPolicy};
pub use same_origin::{same_origin_guard, SAME_ORIGIN_EXEMPT};
pub use text_guard::{invalid_text, text_guard};
