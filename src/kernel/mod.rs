//! The small kernel every domain may import and that imports no domain: how
//! people sign in (credential and level, from `assurance`), the profiles they
//! act in, who is acting for whom (the principal), the clock, the typed ids
//! and identifiers every layer speaks in, and the application state.
pub mod clock;
pub mod files;
pub mod ids;
pub mod principal;
pub mod profile;
pub mod state;
pub mod sweep;
pub mod token;
pub mod values;

pub use crate::assurance::{credential, level, Credential, Level, Protocol};
pub use clock::Clock;
pub use ids::{AccountId, ApplicationId, DelegaId, ForeignUserId, GroupId, InvitationId, MembershipId, OrganisationId};
pub use principal::{
    Acting, Basis, DelegaGrant, IdpSession, OidcGrant, PastSignIn, Principal, Role, SignedIn, Subject,
};
pub use profile::{MemberRole, Profile};
pub use state::{AppState, SetupError};
pub use values::{CodiceFiscale, Email, PartitaIva};
