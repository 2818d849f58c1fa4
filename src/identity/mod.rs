//! Who a person is to the portal: one account per primary identifier (of a
//! known kind) and the history of sign-ins.
pub mod account;
pub mod codice_fiscale;
pub mod invitations;
pub mod legacy;
pub mod organisations;
pub mod partita_iva;
pub mod roles;
pub mod waiting;

pub use account::{Account, IdKind};
