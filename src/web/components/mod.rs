//! Small pieces that pages share.
mod breadcrumb;
pub mod form;
mod lang_switch;

pub use breadcrumb::{Breadcrumb, Crumb};
pub use lang_switch::LangSwitch;
