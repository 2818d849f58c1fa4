//! Small pieces that pages share.
mod breadcrumb;
mod choices;
pub mod form;
mod lang_switch;
mod table;

pub use breadcrumb::{Breadcrumb, Crumb};
pub use choices::{Choice, Choices, Control};
pub use form::{CheckboxField, ErrorSummary, Field, FieldErrors, SelectField, TextareaField};
pub use lang_switch::LangSwitch;
pub use table::TableOrEmpty;
