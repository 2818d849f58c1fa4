//! Small pieces that pages share.
mod breadcrumb;
mod choices;
mod confirmation;
pub mod form;
mod lang_switch;
mod pager;
mod summary;
mod table;

pub use breadcrumb::{Breadcrumb, Crumb};
pub use choices::{Choice, Choices, Control};
pub use confirmation::{ConfirmationPanel, SuccessBanner, WhatNext};
pub use form::{CheckboxField, ErrorSummary, Field, FieldErrors, SelectField, TextareaField};
pub use lang_switch::LangSwitch;
pub use pager::{id_cursor, split_page, Pager};
pub use summary::{Answer, SummaryList};
pub use table::TableOrEmpty;
