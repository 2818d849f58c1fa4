//! What every page shares: the document shell, layout, components, static
//! assets, the generic pages and the HTTP layers around the router.
pub mod assets;
pub mod components;
pub mod error_pages;
pub mod health;
pub mod layout;
pub mod pages;
pub mod render;
pub mod security;
