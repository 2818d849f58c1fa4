//! The FAQ: answers kept as Markdown files with front matter in
//! `content/faq/{it,en}/{slug}.md` (versioned with the code, built in),
//! rendered on the server with `pulldown-cmark` (raw HTML in them is shown as
//! text), grouped by topic, searchable by words in either language (`faq_search`), each at
//! its own address `/faq/{slug}`.
use crate::i18n::Lang;
use std::sync::LazyLock;

/// One answer in one language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub slug: &'static str,
    pub topic: String,
    pub order: u32,
    pub title: String,
    /// The answer as Markdown.
    pub body: String,
}

macro_rules! answers {
    ($($slug:literal),* $(,)?) => {
        &[$(($slug,
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/content/faq/it/", $slug, ".md")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/content/faq/en/", $slug, ".md")))),*]
    };
}

/// Every answer's slug and its two files (a test checks none is missing).
pub const FILES: &[(&str, &str, &str)] = answers![
    "accedere-con-spid",
    "accedere-con-cie",
    "accedere-con-eidas",
    "utente-estero",
    "password-o-telefono-persi",
    "livelli-di-sicurezza",
    "servizio-non-disponibile",
    "servizio-interrotto",
    "associare-un-azienda",
    "registrare-un-organizzazione",
    "colleghi-e-ruoli",
    "deleghe",
    "dimissioni-online",
    "revocare-le-dimissioni",
    "dimissioni-con-intermediario",
    "sessione-scaduta",
    "esci-ovunque",
    "vecchio-account-cliclavoro",
    "licenziamento",
    "chiedere-supporto",
    "accessibilita",
];

/// The topics, in the order the page shows them.
pub const TOPICS: [&str; 6] = ["accesso", "profili", "deleghe", "dimissioni", "account", "supporto"];

fn parse(slug: &'static str, text: &str) -> Option<Answer> {
    let rest = text.strip_prefix("---\n")?;
    let (front, body) = rest.split_once("\n---\n")?;
    let field = |name: &str| front.lines().find_map(|l| l.strip_prefix(&format!("{name}: "))).map(str::trim);
    Some(Answer {
        slug,
        topic: field("topic")?.to_string(),
        order: field("order")?.parse().ok()?,
        title: field("title")?.to_string(),
        body: body.trim().to_string(),
    })
}

static ANSWERS: LazyLock<[Vec<Answer>; 2]> = LazyLock::new(|| {
    let load = |pick: fn(&(&'static str, &'static str, &'static str)) -> &'static str| {
        let mut all: Vec<Answer> = FILES.iter().filter_map(|f| parse(f.0, pick(f))).collect();
        all.sort_by_key(|a| a.order);
        all
    };
    [load(|f| f.1), load(|f| f.2)]
});

pub fn all(lang: Lang) -> &'static [Answer] {
    &ANSWERS[lang as usize]
}

pub fn find(lang: Lang, slug: &str) -> Option<&'static Answer> {
    all(lang).iter().find(|a| a.slug == slug)
}

/// The answer's Markdown as HTML; raw HTML in the source is shown as text.
pub fn html(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let events = Parser::new(markdown).map(|e| match e {
        Event::Html(t) | Event::InlineHtml(t) => Event::Text(t),
        e => e,
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_is_listed_and_parses_in_both_languages() {
        for lang in ["it", "en"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/faq").join(lang);
            let files = std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0);
            assert_eq!(files, FILES.len(), "{lang}: every answer file is in FILES");
        }
        assert_eq!(all(Lang::It).len(), FILES.len());
        assert_eq!(all(Lang::En).len(), FILES.len());
        assert!(all(Lang::It).iter().all(|a| TOPICS.contains(&a.topic.as_str())));
    }

    #[test]
    fn html_in_an_answer_is_text() {
        assert_eq!(html("**a** <b>x</b>"), "<p><strong>a</strong> &lt;b&gt;x&lt;/b&gt;</p>\n");
        assert_eq!(html("<script>x</script>"), "&lt;script&gt;x&lt;/script&gt;");
    }
}
