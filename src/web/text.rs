//! One rule for text at the edge. No field, query or path segment holds NUL
//! or another control character (C0, DEL, C1), nor the marks that reverse or
//! isolate the direction of text (a worker named `\u{202e}oiraM` would show as
//! "Mario" on a legal document); newline, carriage return and tab only in the
//! fields that hold several lines. PostgreSQL refuses NUL outright, so
//! without this a name could be a 500 there and stored on SQLite.

/// The fields in which line breaks belong: text areas, and the SAML messages
/// an identity provider posts (base64 that some providers wrap in lines).
pub const MULTILINE_FIELDS: &[&str] =
    &["descrizione", "motivo", "reason", "testo", "clienti", "SAMLResponse", "SAMLRequest"];

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

/// A PIN or code as typed, without what people put between its signs when
/// they copy it from paper: spaces (also no-break), dashes of any kind, dots.
/// "2272 6511 28155" and "2272-6511-28155" are the PIN 2272651128155.
pub fn code_signs(typed: &str, most: usize) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '.' | '\u{2010}'..='\u{2015}' | '\u{2212}'))
        .take(most)
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_code_is_read_without_the_spaces_and_dashes_it_was_copied_with() {
        assert_eq!(super::code_signs("2272 6511 28155", 20), "2272651128155");
        assert_eq!(super::code_signs(" 2272\u{a0}6511\u{2013}28155 ", 20), "2272651128155");
        assert_eq!(super::code_signs("k7qm-2xzp", 4), "k7qm");
    }

    use super::*;

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
