//! The catalog, read once from `services.toml` (versioned with the code).
use crate::i18n::Lang;
use crate::kernel::Profile;
use crate::kernel::{Credential, Level};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

#[derive(Clone, Debug, Deserialize)]
pub struct Text {
    pub it: String,
    pub en: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::It | Lang::De => &self.it,
            Lang::En => &self.en,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct Service {
    pub slug: String,
    pub category: String,
    pub audience: Vec<Profile>,
    #[serde(deserialize_with = "credentials")]
    pub credentials: Vec<Credential>,
    #[serde(deserialize_with = "level")]
    pub min_level: Level,
    pub path: String,
    pub name: Text,
    pub description: Text,
    pub profiles: BTreeMap<Profile, Text>,
    /// Profiles for which the law reserves the service to the person (or a
    /// soggetto abilitato): it cannot be delegated in them.
    #[serde(default)]
    pub reserved: Vec<Profile>,
    /// Built into the portal: `path` is one of ours.
    #[serde(default)]
    pub internal: bool,
}

fn credentials<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Credential>, D::Error> {
    let names: Vec<String> = Vec::deserialize(d)?;
    names
        .iter()
        .map(|n| Credential::parse(n).ok_or_else(|| serde::de::Error::custom(format!("unknown credential {n}"))))
        .collect()
}

fn level<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Level, D::Error> {
    let n = i64::deserialize(d)?;
    Level::from_number(n).ok_or_else(|| serde::de::Error::custom(format!("unknown level {n}")))
}

#[derive(Debug, Deserialize)]
struct CatalogFile {
    services: Vec<Service>,
}

/// The categories, in the order the filter lists them.
pub const CATEGORIES: &[&str] = &[
    "rapporti-di-lavoro",
    "adempimenti",
    "ammortizzatori",
    "contrattazione",
    "mobilita-internazionale",
    "professioni",
    "formazione",
    "politiche-sociali",
];

static CATALOG: LazyLock<Vec<Service>> =
    LazyLock::new(|| match toml::from_str::<CatalogFile>(include_str!("services.toml")) {
        Ok(f) => f.services,
        Err(e) => {
            // The file is part of the build and tested; this is unreachable in a tested binary.
            tracing::error!(error = %e, "services.toml is invalid");
            Vec::new()
        }
    });

impl Service {
    /// What the service asks of whoever enters it, for the access decision.
    pub fn requirements(&self) -> crate::access::Requirements<'_> {
        crate::access::Requirements {
            slug: &self.slug,
            audience: &self.audience,
            credentials: &self.credentials,
            min_level: self.min_level,
            reserved: &self.reserved,
        }
    }
}

pub fn all() -> &'static [Service] {
    &CATALOG
}

pub fn find(slug: &str) -> Option<&'static Service> {
    CATALOG.iter().find(|s| s.slug == slug)
}

/// A service's name in `lang`, if the catalog has it.
pub fn name_of(slug: &str, lang: Lang) -> Option<String> {
    find(slug).map(|s| s.name.get(lang).to_string())
}

/// Lower case without the accents of Italian and common Latin letters, for search.
pub fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'À' | 'Á' => 'a',
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'Ò' | 'Ó' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' => 'u',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

impl Service {
    /// Every word of `query` appears in the name or description, in either language.
    pub fn matches(&self, query: &str) -> bool {
        let haystack = fold(&format!(
            "{} {} {} {} {}",
            self.name.it, self.name.en, self.description.it, self.description.en, self.slug
        ));
        fold(query).split_whitespace().all(|w| haystack.contains(w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_has_the_22_services_of_the_guidelines_and_2_added_since() {
        assert_eq!(all().len(), 24);
        assert!(find("lavoro-autonomo-occasionale").is_some() && find("uni-piattaforme").is_some());
        // Silen is the Ispettorato's and the Ministry's system, not an employer service.
        assert_eq!(find("silen").map(|s| s.audience.clone()), Some(vec![Profile::SoggettoAbilitato]));
        let open_abroad: Vec<&str> =
            all().iter().filter(|s| s.credentials.contains(&Credential::Foreign)).map(|s| s.slug.as_str()).collect();
        assert_eq!(
            open_abroad,
            [
                "cabotaggio",
                "delocalizzazione-call-center",
                "distacco-transnazionale",
                "riconoscimento-qualifiche-professionali"
            ]
        );
        for s in all() {
            assert!(CATEGORIES.contains(&s.category.as_str()), "{}: category {}", s.slug, s.category);
            for p in &s.audience {
                assert!(s.profiles.contains_key(p), "{}: says nothing of what {p:?} can do", s.slug);
            }
            assert!(s.credentials.contains(&Credential::Spid) && s.credentials.contains(&Credential::Cie));
        }
    }

    #[test]
    fn search_ignores_case_accents_and_language() {
        let dimissioni = find("dimissioni-volontarie").unwrap();
        assert!(dimissioni.matches("DIMISSIONI revoca"));
        assert!(dimissioni.matches("resignation"));
        assert!(find("riconoscimento-qualifiche-professionali").unwrap().matches("qualifica"));
        assert!(!dimissioni.matches("cabotaggio"));
    }
}

/// The `{slug}` of a service address.
#[derive(Debug, Deserialize)]
pub struct ServiceSlug {
    pub slug: String,
}
