//! Finding FAQ answers by the words people use: each word is reduced to its
//! stem (Snowball, Italian and English: "licenziato" and "licenziamento"
//! meet), common words are left out ("non", "il", "my"), and a word also
//! stands for its synonyms ("licenziamento" for "dimissioni", "funziona" for
//! "accedere"). An answer is found when every remaining word, or one of its
//! synonyms, is in it, in either language.
use super::faq::{all, Answer};
use crate::i18n::Lang;
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashSet;
use std::sync::LazyLock;

/// Words that say nothing of the question.
const STOP_WORDS: &[&str] = &[
    "il", "lo", "la", "le", "gli", "un", "una", "uno", "di", "da", "del", "della", "dei", "delle", "che", "non", "mi",
    "ho", "per", "con", "come", "cosa", "e", "ed", "o", "in", "a", "al", "alla", "su", "si", "se", "mio", "mia", "the",
    "a", "an", "of", "to", "my", "i", "is", "it", "not", "does", "do", "doesn", "don", "can", "how", "what", "and",
    "or", "in", "on", "for", "with", "work", "works", "working", "ha", "hanno", "sono", "stato", "stata", "essere",
    "avere", "posso", "devo", "was", "were", "been", "have", "has", "am", "are", "be", "me", "cant",
];

/// Words that ask the same thing, one group per line, in both languages.
const SYNONYMS: &[&[&str]] = &[
    &[
        "licenziamento",
        "licenziato",
        "licenziata",
        "dimissioni",
        "dimettermi",
        "cessazione",
        "dismissal",
        "dismissed",
        "fired",
        "resign",
        "resignation",
        "quit",
    ],
    &[
        "funziona",
        "funzionare",
        "errore",
        "problema",
        "riesco",
        "accedere",
        "accesso",
        "entrare",
        "login",
        "access",
        "error",
        "problem",
        "sign",
    ],
    &[
        "disservizio",
        "interruzione",
        "interrotto",
        "manutenzione",
        "guasto",
        "bloccato",
        "outage",
        "maintenance",
        "down",
        "unavailable",
    ],
    &["password", "credenziali", "pin", "telefono", "smarrito", "perso", "lost", "phone", "credentials"],
    &["delega", "deleghe", "delegare", "procura", "proxy", "delegate"],
    &["azienda", "impresa", "ditta", "società", "datore", "company", "employer", "business"],
    &["consulente", "intermediario", "patronato", "sindacato", "abilitato", "consultant", "intermediary", "union"],
    &["revoca", "revocare", "annullare", "ripensamento", "ripensato", "revoke", "cancel", "withdraw"],
    &["cliclavoro", "vecchio", "precedente", "old", "former"],
    &["straniero", "estero", "stranieri", "foreign", "foreigner", "abroad"],
    &["collega", "colleghi", "ruolo", "ruoli", "invitare", "colleague", "role", "invite"],
];

struct Stemmers {
    it: Stemmer,
    en: Stemmer,
}

static STEMMERS: LazyLock<Stemmers> =
    LazyLock::new(|| Stemmers { it: Stemmer::create(Algorithm::Italian), en: Stemmer::create(Algorithm::English) });

/// Lower case without accents, split into words.
fn words(s: &str) -> impl Iterator<Item = String> + '_ {
    crate::catalog::model::fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 1)
        .map(str::to_string)
        .collect::<Vec<_>>()
        .into_iter()
}

/// A word's stems in both languages (an Italian word in an English question still counts).
fn stems(word: &str) -> [String; 2] {
    [STEMMERS.it.stem(word).into_owned(), STEMMERS.en.stem(word).into_owned()]
}

/// Every answer's stems, in each language, built once.
static INDEX: LazyLock<Vec<(&'static str, HashSet<String>)>> = LazyLock::new(|| {
    all(Lang::It)
        .iter()
        .map(|a| {
            let english = super::faq::find(Lang::En, a.slug);
            let text = format!(
                "{} {} {} {}",
                a.title,
                a.body,
                english.map(|e| e.title.as_str()).unwrap_or(""),
                english.map(|e| e.body.as_str()).unwrap_or("")
            );
            (a.slug, words(&text).flat_map(|w| stems(&w)).collect())
        })
        .collect()
});

/// One word of the question: its own stems, and those of its synonyms too.
struct Wanted {
    own: HashSet<String>,
    any: HashSet<String>,
}

/// For each word of `q` that says something, the stems that answer it.
fn wanted(q: &str) -> Vec<Wanted> {
    words(q)
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .map(|w| {
            let own: HashSet<String> = stems(&w).into_iter().collect();
            let mut any = own.clone();
            for line in SYNONYMS.iter().filter(|line| line.iter().any(|s| crate::catalog::model::fold(s) == w)) {
                any.extend(line.iter().flat_map(|s| stems(&crate::catalog::model::fold(s))));
            }
            Wanted { own, any }
        })
        .collect()
}

/// The answers to `q`, shown in `lang`: those with every word's stem (or a
/// synonym's); first those whose title has the words as typed, then those
/// whose title has a synonym, then those that have the words as typed, then
/// in the FAQ's order.
pub fn search(lang: Lang, q: &str) -> Vec<&'static Answer> {
    let groups = wanted(q);
    if groups.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<((usize, usize, usize), &'static Answer)> = INDEX
        .iter()
        .filter(|(_, stems)| groups.iter().all(|g| g.any.iter().any(|s| stems.contains(s))))
        .filter_map(|(slug, text)| Some((super::faq::find(lang, slug)?, text)))
        .map(|(a, text)| {
            let title: HashSet<String> = words(&a.title).flat_map(|w| stems(&w)).collect();
            let count = |set: &HashSet<String>, own: bool| {
                groups.iter().filter(|g| if own { &g.own } else { &g.any }.iter().any(|s| set.contains(s))).count()
            };
            ((count(&title, true), count(&title, false), count(text, true)), a)
        })
        .collect();
    found.sort_by_key(|(score, a)| (std::cmp::Reverse(*score), a.order));
    found.into_iter().map(|(_, a)| a).collect()
}

#[cfg(test)]
mod tests {
    use super::search;
    use crate::i18n::Lang;

    fn slugs(lang: Lang, q: &str) -> Vec<&'static str> {
        search(lang, q).into_iter().map(|a| a.slug).collect()
    }

    #[test]
    fn the_words_people_use_find_answers() {
        assert_eq!(slugs(Lang::It, "licenziamento").first(), Some(&"licenziamento"));
        assert!(slugs(Lang::It, "mi hanno licenziato").contains(&"licenziamento"));
        assert!(slugs(Lang::It, "spid non funziona").contains(&"accedere-con-spid"));
        assert!(slugs(Lang::En, "SPID doesn't work").contains(&"accedere-con-spid"));
        assert!(slugs(Lang::En, "I was fired").contains(&"licenziamento"));
        assert!(slugs(Lang::It, "vecchio account cliclavoro").contains(&"vecchio-account-cliclavoro"));
        assert!(slugs(Lang::It, "revocare dimissioni").contains(&"revocare-le-dimissioni"));
        assert!(slugs(Lang::En, "delega").contains(&"deleghe"), "an Italian word finds the English answer");
        assert!(slugs(Lang::It, "accessibilità").contains(&"accessibilita"));
        assert!(slugs(Lang::It, "servizio in manutenzione").contains(&"servizio-interrotto"));
        assert_eq!(slugs(Lang::It, "disservizio").first(), Some(&"servizio-interrotto"));
        assert!(slugs(Lang::En, "service down").contains(&"servizio-interrotto"));
        assert!(slugs(Lang::It, "zzzz").is_empty());
        assert!(slugs(Lang::It, "il non di").is_empty(), "only common words: nothing to look for");
    }
}
