//! The credentials people sign in with.
use serde::{Deserialize, Serialize};

/// The credential a session was opened with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Credential {
    Spid,
    Cie,
    Eidas,
    Foreign,
}

impl Credential {
    pub fn code(self) -> &'static str {
        match self {
            Credential::Spid => "spid",
            Credential::Cie => "cie",
            Credential::Eidas => "eidas",
            Credential::Foreign => "foreign",
        }
    }

    pub fn parse(s: &str) -> Option<Credential> {
        [Credential::Spid, Credential::Cie, Credential::Eidas, Credential::Foreign].into_iter().find(|c| c.code() == s)
    }

    /// The message key of the credential's name.
    pub fn name_key(self) -> &'static str {
        match self {
            Credential::Spid => "credential-spid-name",
            Credential::Cie => "credential-cie-name",
            Credential::Eidas => "credential-eidas-name",
            Credential::Foreign => "credential-foreign-name",
        }
    }
}

/// The four credentials and whom each is for (Linee guida ai nuovi accessi, 2020).
pub const WAYS_IN: [(&str, &str); 4] = [
    ("spid", "credential-spid"),
    ("cie", "credential-cie"),
    ("eidas", "credential-eidas"),
    ("foreign", "credential-foreign"),
];
