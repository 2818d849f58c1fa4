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

/// A person's role in an organisation they act for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    /// Named by the registry (or validated by the helpdesk); may manage members and deleghe.
    LegaleRappresentante,
    /// May manage members and deleghe.
    Amministratore,
    /// Acts for the organisation in its services.
    Operatore,
}

impl MemberRole {
    pub const ALL: [MemberRole; 3] =
        [MemberRole::LegaleRappresentante, MemberRole::Amministratore, MemberRole::Operatore];
    /// The roles someone can be invited to or given by an amministratore; only
    /// the registry or the helpdesk makes a legale rappresentante.
    pub const ASSIGNABLE: [MemberRole; 2] = [MemberRole::Amministratore, MemberRole::Operatore];

    pub fn code(self) -> &'static str {
        match self {
            MemberRole::LegaleRappresentante => "legale_rappresentante",
            MemberRole::Amministratore => "amministratore",
            MemberRole::Operatore => "operatore",
        }
    }

    pub fn parse(s: &str) -> Option<MemberRole> {
        MemberRole::ALL.into_iter().find(|r| r.code() == s)
    }

    /// The message key of the role's name.
    pub fn name_key(self) -> &'static str {
        match self {
            MemberRole::LegaleRappresentante => "role-legal-representative",
            MemberRole::Amministratore => "role-administrator",
            MemberRole::Operatore => "role-operator",
        }
    }

    /// May manage the organisation's members and deleghe.
    pub fn manages(self) -> bool {
        matches!(self, MemberRole::LegaleRappresentante | MemberRole::Amministratore)
    }
}
