//! The identifiers people type, checked once where they enter: a value of
//! these types is always normalised and valid, so code past the edge never
//! checks again. Stored as text; the rules are in the constructors.
use serde::{Deserialize, Serialize};
use std::fmt;

const ODD: [u32; 36] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, // 0-9
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23, // A-Z
];

fn index(c: char) -> Option<usize> {
    match c {
        '0'..='9' => Some(c as usize - '0' as usize),
        'A'..='Z' => Some(c as usize - 'A' as usize + 10),
        _ => None,
    }
}

/// The check letter of a codice fiscale's first 15 signs.
pub fn check_letter(first15: &str) -> Option<char> {
    let mut sum = 0u32;
    for (i, c) in first15.chars().enumerate() {
        let idx = index(c)?;
        sum += if i % 2 == 0 {
            ODD[idx]
        } else if idx < 10 {
            idx as u32
        } else {
            (idx - 10) as u32
        };
    }
    char::from_u32('A' as u32 + sum % 26)
}

/// A codice fiscale: a person's 16 signs with their check letter, or the 11
/// digits of an organisation (or of a person's provisional number).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CodiceFiscale(String);

impl CodiceFiscale {
    /// Normalises (upper case, no spaces) and checks; `None` when invalid.
    pub fn parse(input: &str) -> Option<Self> {
        let cf: String = input.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        if cf.len() == 11 && cf.chars().all(|c| c.is_ascii_digit()) {
            return Some(Self(cf));
        }
        if cf.len() != 16 || !cf.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        (check_letter(&cf[..15])? == cf.chars().nth(15)?).then_some(Self(cf))
    }

    /// A person's 16-sign codice fiscale (what SPID and CIE vouch for).
    pub fn personal(input: &str) -> Option<Self> {
        Self::parse(input).filter(Self::is_personal)
    }

    pub fn is_personal(&self) -> bool {
        self.0.len() == 16
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl TryFrom<String> for CodiceFiscale {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s).ok_or_else(|| format!("{s:?} is not a codice fiscale"))
    }
}

impl From<CodiceFiscale> for String {
    fn from(cf: CodiceFiscale) -> String {
        cf.0
    }
}

/// A partita IVA: 11 digits, the last checking the first ten.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PartitaIva(String);

impl PartitaIva {
    /// Normalises (no spaces, no `IT` prefix) and checks; `None` when invalid.
    pub fn parse(input: &str) -> Option<Self> {
        let s: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        let s = s.strip_prefix("IT").or_else(|| s.strip_prefix("it")).unwrap_or(&s).to_string();
        let digits: Vec<u32> = s.chars().map(|c| c.to_digit(10)).collect::<Option<_>>()?;
        (digits.len() == 11 && Self::check_digit(&digits[..10]) == digits[10]).then_some(Self(s))
    }

    fn check_digit(first10: &[u32]) -> u32 {
        let sum: u32 = first10
            .iter()
            .enumerate()
            .map(|(i, d)| match (i % 2, d * 2) {
                (0, _) => *d,
                (_, x) if x > 9 => x - 9,
                (_, x) => x,
            })
            .sum();
        (10 - sum % 10) % 10
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Most companies' codice fiscale is their partita IVA.
    pub fn codice_fiscale(&self) -> CodiceFiscale {
        CodiceFiscale(self.0.clone())
    }
}

/// An e-mail (or PEC) address the portal can send to: the one rule for
/// every field and import. `local@domain`, the local part a dot atom (RFC
/// 5322: letters, digits and ``!#$%&'*+/=?^_`{|}~-``, dots only between
/// them), the domain two or more DNS labels (letters, digits and hyphens
/// inside, IDNs in their `xn--` form) ending in a letter label; at most 64 +
/// 255 and 254 in all. Quoted local parts and address literals, legal but
/// unheard of at Italian providers, are refused. Surrounding spaces are
/// dropped; the case is kept (a local part may mean it).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Option<Self> {
        let s = input.trim();
        Self::valid(s).then(|| Self(s.to_string()))
    }

    fn valid(s: &str) -> bool {
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

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl TryFrom<String> for Email {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s).ok_or_else(|| format!("{s:?} is not an e-mail address"))
    }
}

impl From<PartitaIva> for String {
    fn from(p: PartitaIva) -> String {
        p.0
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

macro_rules! text_like {
    ($($t:ty),*) => {$(
        impl std::ops::Deref for $t {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $t {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $t {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    )*};
}
text_like!(CodiceFiscale, PartitaIva, Email);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_codice_fiscale_is_normalised_and_checked() {
        let cf = CodiceFiscale::parse(" rssmra80a01h501u ").expect("valid");
        assert_eq!(cf, "RSSMRA80A01H501U");
        assert!(cf.is_personal());
        assert!(CodiceFiscale::parse("RSSMRA80A01H501X").is_none(), "wrong check letter");
        let org = CodiceFiscale::parse("01234567897").expect("11 digits");
        assert!(!org.is_personal() && CodiceFiscale::personal("01234567897").is_none());
        assert!(serde_json::from_str::<CodiceFiscale>("\"RSSMRA80A01H501X\"").is_err());
    }

    #[test]
    fn a_partita_iva_is_checked() {
        // The Agenzia delle Entrate's own partita IVA, and a typo of it.
        assert_eq!(PartitaIva::parse("IT 06363391001").map(|p| p.to_string()).as_deref(), Some("06363391001"));
        assert!(PartitaIva::parse("06363391002").is_none());
        assert!(PartitaIva::parse("0636339100").is_none());
    }

    #[test]
    fn one_rule_for_addresses() {
        for good in ["mario.rossi@example.org", "a+b@pec.example.it", "x_y@sub.domain.co.uk", "o'neil@xn--mller-kva.de"]
        {
            assert!(Email::parse(good).is_some(), "{good}");
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
            assert!(Email::parse(bad).is_none(), "{bad:?}");
        }
        assert!(Email::parse(&format!("{}@example.org", "a".repeat(65))).is_none());
        assert_eq!(Email::parse("  a@example.org ").expect("trimmed"), "a@example.org");
    }
}
