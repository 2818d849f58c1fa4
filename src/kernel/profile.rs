//! The profiles a person can act in.
use serde::{Deserialize, Serialize};

/// Who acts: the person themself, a company, or an authorised intermediary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    Cittadino,
    Azienda,
    SoggettoAbilitato,
}

impl Profile {
    pub const ALL: [Profile; 3] = [Profile::Cittadino, Profile::Azienda, Profile::SoggettoAbilitato];

    pub fn code(self) -> &'static str {
        match self {
            Profile::Cittadino => "cittadino",
            Profile::Azienda => "azienda",
            Profile::SoggettoAbilitato => "soggetto_abilitato",
        }
    }

    pub fn parse(s: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.code() == s)
    }

    pub fn name_key(self) -> &'static str {
        match self {
            Profile::Cittadino => "profile-citizen",
            Profile::Azienda => "profile-company",
            Profile::SoggettoAbilitato => "profile-intermediary",
        }
    }
}
