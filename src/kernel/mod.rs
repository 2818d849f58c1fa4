//! The small kernel every domain may import and that imports no domain: how
//! people sign in (credential, level), the profiles they act in, who is
//! acting for whom (the principal), the clock, and the application state.
pub mod clock;
pub mod credential;
pub mod level;
pub mod principal;
pub mod profile;
pub mod state;

pub use clock::Clock;
pub use credential::Credential;
pub use level::Level;
pub use principal::{Acting, Basis, IdpSession, PastSignIn, Principal, Role, SignedIn, Subject};
pub use profile::Profile;
pub use state::{AppState, SetupError};
