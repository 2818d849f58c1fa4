//! Every message exists in Italian and in English, and every message the
//! code names literally exists.
use std::collections::BTreeSet;
use std::path::Path;

fn keys(lang: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
    let mut keys = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("locale dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "ftl") {
            let text = std::fs::read_to_string(&path).expect("ftl");
            for line in text.lines() {
                let starts_key = line.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
                if let (true, Some((key, _))) = (starts_key, line.split_once('=')) {
                    assert!(keys.insert(key.trim().to_string()), "{} defines {} twice", path.display(), key.trim());
                }
            }
        }
    }
    keys
}

#[test]
fn italian_and_english_have_the_same_messages() {
    let (it, en) = (keys("it"), keys("en"));
    let only_it: Vec<_> = it.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&it).collect();
    assert!(only_it.is_empty(), "only in Italian: {only_it:?}");
    assert!(only_en.is_empty(), "only in English: {only_en:?}");
    assert!(it.len() > 50, "suspiciously few messages: {}", it.len());
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_literal_message_key_in_the_code_exists() {
    let known = keys("it");
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let mut missing = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("source");
        for call in ["t(\"", "t_args(\""] {
            for (at, _) in text.match_indices(call) {
                // Only the function itself, not `get("…")` or `insert("…")`.
                let before = text[..at].chars().next_back().unwrap_or(' ');
                if before.is_alphanumeric() || before == '_' {
                    continue;
                }
                let key = text[at + call.len()..].split('"').next().unwrap_or("");
                if !known.contains(key) {
                    missing.push(format!("{}: {key}", file.display()));
                }
            }
        }
    }
    assert!(missing.is_empty(), "unknown message keys: {missing:?}");
}

/// German is only the Bolzano module's version: every German message is one
/// the Italian files have (a typo would silently fall back to Italian).
#[test]
fn german_has_only_messages_italian_has() {
    let (it, de) = (keys("it"), keys("de"));
    assert!(de.len() > 40, "the module's messages: {}", de.len());
    let stray: Vec<&String> = de.difference(&it).collect();
    assert!(stray.is_empty(), "German messages Italian does not have: {stray:?}");
}
