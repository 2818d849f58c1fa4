//! Who is acting, for whom, in which capacity and on what basis: resolved once
//! per request from the session (`auth::session::resolve_principal`) and
//! handed to handlers and pages typed, never read from session keys.
use super::ids::{AccountId, DelegaId, MembershipId, OrganisationId};
use super::profile::{MemberRole, Profile};
use crate::assurance::{Credential, Level, Protocol};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// The SAML session at the IdP, needed to log out there too.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct IdpSession {
    pub name_id: String,
    pub name_qualifier: String,
    pub session_index: Option<String>,
}

/// An OpenID Connect sign-in's access token, revoked at the provider when
/// the person signs out.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
pub struct OidcGrant {
    pub revocation_endpoint: String,
    pub access_token: String,
}

/// Never the token itself: a logged principal must not hand it out.
impl std::fmt::Debug for OidcGrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcGrant").field("revocation_endpoint", &self.revocation_endpoint).finish_non_exhaustive()
    }
}

/// A previous sign-in, shown to the person as "your last access".
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PastSignIn {
    pub at: NaiveDateTime,
    pub credential: String,
    pub level: i32,
}

/// The signed-in person: how and when they authenticated.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SignedIn {
    pub account_id: AccountId,
    pub given_name: String,
    pub family_name: String,
    /// Codice fiscale, eIDAS identifier or Utente Estero id.
    pub identifier: String,
    pub credential: Credential,
    pub level: Level,
    pub idp_entity_id: String,
    pub idp_name: String,
    /// When this authentication happened.
    pub at: NaiveDateTime,
    pub previous: Option<PastSignIn>,
    pub idp_session: Option<IdpSession>,
    #[serde(default)]
    pub protocol: Protocol,
    #[serde(default)]
    pub oidc_grant: Option<OidcGrant>,
    /// The codice fiscale an eIDAS person declared (checked against their
    /// name and date of birth; `identity::declared`).
    #[serde(default)]
    pub declared_codice_fiscale: Option<String>,
}

impl SignedIn {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }

    /// The person's codice fiscale: SPID and CIE vouch for it; an eIDAS
    /// person declares it; an Utente Estero has none.
    pub fn codice_fiscale(&self) -> Option<&str> {
        match self.credential {
            Credential::Spid | Credential::Cie => Some(&self.identifier),
            Credential::Eidas => self.declared_codice_fiscale.as_deref(),
            Credential::Foreign => None,
        }
    }
}

/// On whose behalf the actor acts.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub enum Subject {
    /// The person themself.
    Themself,
    /// An organisation (company or soggetto abilitato), by its id.
    Organisation { id: OrganisationId, name: String },
    /// Another person, through a delega.
    Person { account_id: AccountId, name: String },
}

/// What entitles the actor to act for the subject.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub enum Basis {
    /// Acting for oneself needs no title.
    Own,
    /// A role in the organisation (re-read on every request: a changed role
    /// or an ended membership takes effect at once).
    Membership {
        id: MembershipId,
        role: MemberRole,
        /// An operatore given only some of the organisation's services (by
        /// slug; re-read on every request); none: all of them.
        #[serde(default)]
        services: Option<Vec<String>>,
    },
    /// A delega granted for the subject (its limits re-read on every request).
    Delega { id: DelegaId, grant: DelegaGrant },
}

/// What a delega allows, as checked for the request at hand.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, Hash)]
pub struct DelegaGrant {
    /// The services it covers, by slug; none: every service the subject may delegate.
    pub services: Option<Vec<String>>,
    pub from: NaiveDate,
    pub until: NaiveDate,
    /// Temporanea: each day's use needs the grantor's approval.
    pub temporary: bool,
    /// The day of the request, and whether the grantor approved use on that day.
    pub today: NaiveDate,
    pub approved_today: bool,
}

/// Whom the actor acts for, in which profile, on what basis.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Acting {
    pub subject: Subject,
    pub capacity: Profile,
    pub basis: Basis,
}

impl Acting {
    /// Everyone enters as Cittadino, acting for themself.
    pub fn themself() -> Self {
        Acting { subject: Subject::Themself, capacity: Profile::Cittadino, basis: Basis::Own }
    }
}

/// Portal roles that are not a profile, found at sign-in.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub enum Role {
    /// May work in the helpdesk console (`servizi-lavoro operators add`);
    /// removing the role ends the person's sessions.
    HelpdeskOperator,
    /// May consult the Dimissioni modules of one province
    /// (`servizi-lavoro itl add`); the province is read at each use.
    ItlOfficer,
}

/// The actor and whom they act for, as the session keeps them.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Principal {
    pub actor: SignedIn,
    pub acting: Acting,
    #[serde(default)]
    pub roles: Vec<Role>,
    /// When the session ends without activity (worked out on each request, not stored).
    #[serde(skip)]
    pub session_until: Option<NaiveDateTime>,
}

impl Principal {
    /// A fresh sign-in: the person, acting as Cittadino for themself.
    pub fn signed_in(actor: SignedIn, roles: Vec<Role>) -> Self {
        Principal { actor, acting: Acting::themself(), roles, session_until: None }
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn profile(&self) -> Profile {
        self.acting.capacity
    }

    /// The organisation acted for and the role in it, if any.
    pub fn organisation(&self) -> Option<(OrganisationId, MemberRole)> {
        match (&self.acting.subject, &self.acting.basis) {
            (Subject::Organisation { id, .. }, Basis::Membership { role, .. }) => Some((*id, *role)),
            _ => None,
        }
    }

    /// The services an operatore was limited to in the organisation acted
    /// for, if they were (managers always have them all).
    pub fn member_services(&self) -> Option<&[String]> {
        match &self.acting.basis {
            Basis::Membership { role: MemberRole::Operatore, services: Some(list), .. } => Some(list),
            _ => None,
        }
    }

    /// A short form for logs and the audit trail: `account:7`, `org:3`,
    /// and through a delega `org:3/delega:5` (so its grantor can see what
    /// was done under it).
    pub fn subject_ref(&self) -> String {
        let subject = match &self.acting.subject {
            Subject::Themself => format!("account:{}", self.actor.account_id),
            Subject::Organisation { id, .. } => format!("org:{id}"),
            Subject::Person { account_id, .. } => format!("account:{account_id}"),
        };
        match &self.acting.basis {
            Basis::Delega { id, .. } => format!("{subject}/delega:{id}"),
            _ => subject,
        }
    }

    /// The delega acted under, if any.
    pub fn delega(&self) -> Option<(DelegaId, &DelegaGrant)> {
        match &self.acting.basis {
            Basis::Delega { id, grant } => Some((*id, grant)),
            _ => None,
        }
    }
}

/// `Option<Principal>` in a handler: who is acting, if anyone.
impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for Principal {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<Option<Principal>>().cloned().flatten())
    }
}

/// `Principal` in a handler: someone must be signed in; others are sent to
/// sign in and brought back.
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Principal {
    type Rejection = crate::error::AppError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Option<Principal>>()
            .cloned()
            .flatten()
            .ok_or_else(|| crate::error::AppError::SignInRequired { next: parts.uri.path().to_string() })
    }
}
