//! The demo IdP's people, signed in with SPID level 2 as an IdP asserts them.
use super::saml::signed_in;
use super::{Browser, TestApp};
use servizi_lavoro::kernel::Level;

/// Mario Rossi's codice fiscale (the spec's default person).
pub const MARIO: &str = "RSSMRA80A01H501U";

pub fn cf_of(key: &str) -> String {
    servizi_lavoro::auth::demo_idp::people::find(key).and_then(|p| p.codice_fiscale()).expect("cf")
}

/// Giulia Bianchi, with an e-mail address.
pub async fn giulia(app: &TestApp) -> Browser<'_> {
    let cf = format!("TINIT-{}", cf_of("giulia"));
    let attributes =
        [("name", "Giulia"), ("familyName", "Bianchi"), ("fiscalNumber", cf.as_str()), ("email", "giulia@example.org")];
    signed_in(app, "spid", Level::L2, Some(&attributes)).await
}

pub async fn luca(app: &TestApp) -> Browser<'_> {
    let cf = format!("TINIT-{}", cf_of("luca"));
    let attributes = [("name", "Luca"), ("familyName", "Verdi"), ("fiscalNumber", cf.as_str())];
    signed_in(app, "spid", Level::L2, Some(&attributes)).await
}

pub async fn mario(app: &TestApp) -> Browser<'_> {
    signed_in(app, "spid", Level::L2, None).await
}

/// The first number after `prefix` in `html` (an id in a link).
pub fn id_after(html: &str, prefix: &str) -> i64 {
    let rest = &html[html.find(prefix).unwrap_or_else(|| panic!("{prefix} in page")) + prefix.len()..];
    rest.chars().take_while(char::is_ascii_digit).collect::<String>().parse().expect("id")
}
