//! Who a person is to the portal: one account per primary identifier (of a
//! known kind), the credential and level of the current session, and the
//! history of sign-ins. Pages and access rules ask "which credential, which
//! level" here and nowhere else.
pub mod account;
pub mod codice_fiscale;
pub mod current;

pub use account::{Account, IdKind};
pub use current::{load_identity, SignedIn};
