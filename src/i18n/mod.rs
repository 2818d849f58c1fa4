//! Every user-facing string lives in `locales/{it,en}/*.ftl`. Italian is the
//! default; English is complete. `t` is the one lookup for pages, handlers
//! and (later) e-mails.
pub mod countries;
mod negotiate;

pub use negotiate::{negotiate, LANG_COOKIE};

use fluent_templates::{fluent_bundle::FluentValue, static_loader, LanguageIdentifier, Loader};
use std::sync::{LazyLock, RwLock};
use std::{borrow::Cow, collections::HashMap};

static_loader! {
    pub static LOCALES = {
        locales: "./locales",
        fallback_language: "it",
        // No Unicode isolation marks around placeables: they would end up in HTML and attributes.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// Shown instead of a message that does not exist, so tests can find it.
pub const MISSING_MARKER: &str = "⟦missing:";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    It,
    En,
    /// Only for documents: the German version of a Dimissioni module whose
    /// workplace is in the Provincia autonoma di Bolzano (`locales/de`). The
    /// pages are not offered in German.
    De,
}

impl Lang {
    /// The languages of the pages.
    pub const ALL: [Lang; 2] = [Lang::It, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::It => "it",
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    /// The language's name in itself, for the language switch.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::It => "Italiano",
            Lang::En => "English",
            Lang::De => "Deutsch",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "it" => Some(Lang::It),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn langid(self) -> LanguageIdentifier {
        match self {
            Lang::It => fluent_templates::langid!("it"),
            Lang::En => fluent_templates::langid!("en"),
            Lang::De => fluent_templates::langid!("de"),
        }
    }

    /// A message without arguments. Formatted once per language and kept:
    /// a page shows dozens, and they never change while the server runs.
    pub fn t(self, key: &str) -> String {
        static CACHE: LazyLock<[RwLock<HashMap<String, String>>; 3]> = LazyLock::new(Default::default);
        let cache = &CACHE[self as usize];
        if let Some(found) = cache.read().ok().and_then(|c| c.get(key).cloned()) {
            return found;
        }
        let text = self.lookup(key, None);
        if !text.starts_with(MISSING_MARKER) {
            if let Ok(mut c) = cache.write() {
                c.insert(key.to_string(), text.clone());
            }
        }
        text
    }

    /// A message with arguments; `count` is passed as a number, so that
    /// plural selectors (`{ $count -> [one] … *[other] … }`) choose.
    pub fn t_args(self, key: &str, args: &[(&'static str, String)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| {
                let value = match (*k, v.parse::<i64>()) {
                    ("count", Ok(n)) => FluentValue::from(n),
                    _ => FluentValue::from(v.clone()),
                };
                (Cow::Borrowed(*k), value)
            })
            .collect();
        self.lookup(key, Some(&map))
    }

    fn lookup(self, key: &str, args: Option<&HashMap<Cow<'static, str>, FluentValue>>) -> String {
        let id = self.langid();
        let found = match args {
            Some(a) => LOCALES.try_lookup_with_args(&id, key, a),
            None => LOCALES.try_lookup(&id, key),
        };
        found.unwrap_or_else(|| {
            tracing::warn!(key, lang = self.code(), "missing message");
            format!("{MISSING_MARKER}{key}⟧")
        })
    }
}

/// The language of the page being rendered (chosen by [`negotiate`]).
pub fn use_lang() -> Lang {
    leptos::prelude::use_context::<Lang>().unwrap_or_default()
}

/// A message in the current request's language.
pub fn t(key: &str) -> String {
    use_lang().t(key)
}

pub fn t_args(key: &str, args: &[(&'static str, String)]) -> String {
    use_lang().t_args(key, args)
}
