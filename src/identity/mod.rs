//! Who a person is to the portal: one account per primary identifier (of a
//! known kind) and the history of sign-ins.
pub mod account;
pub mod codice_fiscale;
pub mod declared;
pub mod invitations;
pub mod legacy;
pub mod organisations;
pub mod roles;
pub mod waiting;

pub use account::{Account, IdKind};

/// Identity's clean-up: invitations past their time.
pub fn sweep(
    c: &mut crate::db::AnyConnection,
    now: chrono::NaiveDateTime,
) -> diesel::QueryResult<crate::kernel::sweep::Swept> {
    Ok(crate::kernel::sweep::Swept::rows(invitations::expire_due(c, now)?))
}
