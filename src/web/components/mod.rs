//! Small pieces that pages share.
mod breadcrumb;
pub mod form;
mod lang_switch;
mod table;

pub use breadcrumb::{Breadcrumb, Crumb};
pub use form::{CheckboxField, ErrorSummary, Field, FieldErrors, SelectField, TextareaField};
pub use lang_switch::LangSwitch;
pub use table::TableOrEmpty;
