//! One rule for text at the edge. No field, query or path segment holds NUL
//! or another control character (C0, DEL, C1), nor the marks that reverse or
//! isolate the direction of text (a worker named `\u{202e}oiraM` would show as
//! "Mario" on a legal document); newline, carriage return and tab only in the
//! fields that hold several lines. PostgreSQL refuses NUL outright, so
//! without this a name could be a 500 there and stored on SQLite.

/// The fields in which line breaks belong: text areas, and the SAML messages
/// an identity provider posts (base64 that some providers wrap in lines).
pub const MULTILINE_FIELDS: &[&str] = &["descrizione", "motivo", "reason", "testo", "SAMLResponse", "SAMLRequest"];

/// Whether `c` is refused; `lines` allows the line breaks of a text area. A
/// tab is allowed anywhere (pasted from a spreadsheet, a handler trims it),
/// and so are the direction marks right-to-left scripts use (U+200E, U+200F,
/// U+061C); the embeddings, overrides and isolates that reorder what is
/// shown are not.
pub fn refused(c: char, lines: bool) -> bool {
    match c {
        '\n' | '\r' => !lines,
        '\t' | '\u{200E}' | '\u{200F}' | '\u{061C}' => false,
        c if c.is_control() => true,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// Whether every character of `s` is accepted.
pub fn clean(s: &str, lines: bool) -> bool {
    !s.chars().any(|c| refused(c, lines))
}

/// Whether the value of form field `name` is accepted.
pub fn clean_field(name: &str, value: &str) -> bool {
    clean(name, false) && clean(value, MULTILINE_FIELDS.contains(&name))
}

/// Whether every pair of an `application/x-www-form-urlencoded` text (a
/// query string or a form body) is accepted.
pub fn clean_form(encoded: &[u8]) -> bool {
    url::form_urlencoded::parse(encoded).all(|(k, v)| clean_field(&k, &v))
}

/// Whether `s` is an e-mail (or PEC) address the portal can send to: the
/// one rule for every field and import. `local@domain`, the local part a dot
/// atom (RFC 5322: letters, digits and ``!#$%&'*+/=?^_`{|}~-``, dots only
/// between them), the domain two or more DNS labels (letters, digits and
/// hyphens inside, IDNs in their `xn--` form) ending in a letter label; at most
/// 64 + 255 and 254 in all. Quoted local parts and address literals, legal but
/// unheard of at Italian providers, are refused.
pub fn email_address(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else { return false };
    let atom = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local.split('.').all(|part| !part.is_empty() && part.chars().all(atom));
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let domain_ok = labels.len() >= 2
        && labels.iter().all(label_ok)
        && labels.last().is_some_and(|tld| {
            tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()) || tld.starts_with("xn--")
        });
    local_ok && domain_ok && s.len() <= 254
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rule_for_addresses() {
        for good in ["mario.rossi@example.org", "a+b@pec.example.it", "x_y@sub.domain.co.uk", "o'neil@xn--mller-kva.de"]
        {
            assert!(email_address(good), "{good}");
        }
        for bad in [
            "",
            "no",
            "@example.org",
            "a@b",
            "a@.example.org",
            "a@example.org.",
            "a..b@example.org",
            ".a@example.org",
            "a b@example.org",
            "a@exa mple.org",
            "a@-example.org",
            "a@example.123",
            "a@@example.org",
            "\"q\"@example.org",
            "a@[127.0.0.1]",
            "a,b@example.org",
            "a@exam_ple.org",
        ] {
            assert!(!email_address(bad), "{bad:?}");
        }
        assert!(!email_address(&format!("{}@example.org", "a".repeat(65))));
    }

    #[test]
    fn controls_and_direction_marks_are_refused_line_breaks_only_in_text_areas() {
        for bad in ["a\0b", "\u{7}", "\u{1b}[31m", "\u{85}", "\u{202e}oiraM", "x\u{2066}y"] {
            assert!(!clean(bad, true), "{bad:?}");
        }
        assert!(clean("Niccolò D'Angelo – Müller 北京", false));
        assert!(clean("RSSMRA80A01H501U\t", false), "a tab pasted from a spreadsheet");
        assert!(clean("\u{627}\u{644}\u{200f}\u{61c}", false), "marks right-to-left scripts use");
        assert!(!clean("riga\nriga", false));
        assert!(
            clean_form(b"SAMLResponse=PD94bWwg%0D%0AdmVyc2lvbj0&RelayState=x"),
            "base64 in lines, as some IdPs post it"
        );
        assert!(clean("riga\r\nriga\tcolonna", true));
        assert!(clean_form(b"descrizione=riga%0D%0Ariga&nome=Mario"));
        assert!(!clean_form(b"nome=Ma%0Ario"));
        assert!(!clean_form(b"nome=%00"));
        assert!(!clean_form(b"nome=%E2%80%AEoiraM"));
    }
}
