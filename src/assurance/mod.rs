//! How sure we are of who someone is: the credential they signed in with and
//! the assurance level. At the very bottom, so that both the SAML protocol
//! code and the kernel (which holds the SAML state) can use it.
pub mod credential;
pub mod level;
pub mod protocol;

pub use credential::Credential;
pub use level::Level;
pub use protocol::Protocol;
