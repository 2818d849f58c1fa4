//! SPID authentication levels and the credentials people sign in with.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    L1 = 1,
    L2 = 2,
    L3 = 3,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::L1, Level::L2, Level::L3];

    pub fn uri(self) -> &'static str {
        match self {
            Level::L1 => "https://www.spid.gov.it/SpidL1",
            Level::L2 => "https://www.spid.gov.it/SpidL2",
            Level::L3 => "https://www.spid.gov.it/SpidL3",
        }
    }

    pub fn from_uri(uri: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.uri() == uri.trim())
    }

    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn from_number(n: i64) -> Option<Level> {
        Level::ALL.into_iter().find(|l| i64::from(l.number()) == n)
    }
}

/// How a level requirement is compared with what the IdP asserts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Comparison {
    Exact,
    Minimum,
}

impl Comparison {
    pub fn as_str(self) -> &'static str {
        match self {
            Comparison::Exact => "exact",
            Comparison::Minimum => "minimum",
        }
    }

    /// SPID: a higher level than asked is always acceptable, a lower one never.
    pub fn accepts(self, asked: Level, got: Level) -> bool {
        got >= asked
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_round_trip_and_order() {
        for l in Level::ALL {
            assert_eq!(Level::from_uri(l.uri()), Some(l));
        }
        assert_eq!(Level::from_uri("urn:oasis:names:tc:SAML:2.0:ac:classes:SpidL1"), None);
        assert!(Comparison::Minimum.accepts(Level::L1, Level::L3));
        assert!(!Comparison::Minimum.accepts(Level::L2, Level::L1));
    }
}
