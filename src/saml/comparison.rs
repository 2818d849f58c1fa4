//! How a requested SPID level is compared with the asserted one.
use crate::assurance::Level;
use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assurance::Level;

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
