//! The OpenID Providers people may sign in with (`SL_OIDC_PROVIDERS`): which
//! credential each one gives, its name on `/accedi`, and the SAML IdP it
//! stands for when the same provider speaks both.
use crate::assurance::Credential;
use serde::Deserialize;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    /// Its entity identifier, from which its trust chain is found.
    pub entity_id: String,
    pub credential: Credential,
    pub name: String,
    /// The SAML IdP this provider replaces on `/accedi`.
    pub instead_of: Option<String>,
    /// A provider for tests and demonstrations (marked so on `/accedi`).
    pub test: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    entity_id: String,
    credential: String,
    name: String,
    #[serde(default)]
    instead_of: Option<String>,
}

/// The list in the file, each entry checked: an http(s) entity id, SPID or
/// CIE (the two federations), a name, and no provider twice.
pub fn from_json(text: &[u8]) -> Result<Vec<Provider>, String> {
    let entries: Vec<Entry> = serde_json::from_slice(text).map_err(|e| e.to_string())?;
    let mut providers: Vec<Provider> = Vec::with_capacity(entries.len());
    for e in entries {
        let url = url::Url::parse(&e.entity_id).map_err(|_| format!("{:?} is not a URL", e.entity_id))?;
        if !matches!(url.scheme(), "https" | "http") {
            return Err(format!("{}: not an http(s) URL", e.entity_id));
        }
        let credential = match Credential::parse(&e.credential) {
            Some(c @ (Credential::Spid | Credential::Cie)) => c,
            _ => return Err(format!("{}: credential {:?}, not \"spid\" or \"cie\"", e.entity_id, e.credential)),
        };
        if e.name.trim().is_empty() {
            return Err(format!("{}: no name", e.entity_id));
        }
        if providers.iter().any(|p| p.entity_id == e.entity_id) {
            return Err(format!("{}: listed twice", e.entity_id));
        }
        providers.push(Provider {
            entity_id: e.entity_id,
            credential,
            name: e.name,
            instead_of: e.instead_of,
            test: false,
        });
    }
    Ok(providers)
}

#[cfg(test)]
mod tests {
    use super::from_json;
    use crate::assurance::Credential;

    #[test]
    fn providers_are_read_and_checked() {
        let ok = br#"[{"entity_id": "https://op.example/", "credential": "cie", "name": "CIE id",
                       "instead_of": "https://idserver.servizicie.interno.gov.it/idp/profile/SAML2/POST/SSO"}]"#;
        let list = from_json(ok).expect("a good list");
        assert_eq!(list[0].credential, Credential::Cie);
        assert!(list[0].instead_of.is_some());
        for bad in [
            &br#"[{"entity_id": "op", "credential": "spid", "name": "x"}]"#[..],
            br#"[{"entity_id": "https://op.example", "credential": "eidas", "name": "x"}]"#,
            br#"[{"entity_id": "https://op.example", "credential": "spid", "name": " "}]"#,
            br#"[{"entity_id": "https://op.example", "credential": "spid", "name": "x", "colour": 1}]"#,
            br#"[{"entity_id": "https://a.example", "credential": "spid", "name": "x"},
                 {"entity_id": "https://a.example", "credential": "cie", "name": "y"}]"#,
            br#"{"entity_id": "https://op.example"}"#,
        ] {
            assert!(from_json(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
    }
}
