//! The protocol a sign-in came over: SPID and CIE speak SAML and OpenID
//! Connect; an Utente Estero signs in with the portal's own password.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Protocol {
    #[default]
    Saml,
    OpenIdConnect,
    Password,
}

impl Protocol {
    pub fn code(self) -> &'static str {
        match self {
            Protocol::Saml => "saml",
            Protocol::OpenIdConnect => "oidc",
            Protocol::Password => "password",
        }
    }

    pub fn parse(s: &str) -> Option<Protocol> {
        [Protocol::Saml, Protocol::OpenIdConnect, Protocol::Password].into_iter().find(|p| p.code() == s)
    }
}
