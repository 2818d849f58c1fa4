//! Issuing a SAML Response as a SPID IdP does: a signed Assertion inside a
//! signed Response. Used by the demo IdP, the tests and the benchmark.
use crate::kernel::Level;
use crate::saml::codec::{esc, instant, new_id};
use crate::saml::keys::KeyPair;
use crate::saml::response::{NS_SAML, NS_SAMLP};
use crate::saml::xmldsig::{self, SignatureError};
use chrono::{DateTime, Duration, Utc};

/// Everything a Response states.
#[derive(Clone, Debug)]
pub struct ResponseSpec {
    pub issuer: String,
    pub destination: String,
    pub in_response_to: String,
    pub audience: String,
    pub level: Level,
    pub name_id: String,
    pub session_index: Option<String>,
    pub attributes: Vec<(String, String)>,
    pub issue_instant: DateTime<Utc>,
    /// `None`: success. `Some(n)`: authentication failed with SPID anomaly `n`.
    pub anomaly: Option<u8>,
}

impl ResponseSpec {
    /// The Assertion, unsigned, with its signature template after the Issuer.
    pub fn unsigned_assertion(&self) -> String {
        let id = new_id();
        let now = instant(self.issue_instant);
        let until = instant(self.issue_instant + Duration::minutes(5));
        let attrs: String = self
            .attributes
            .iter()
            .map(|(n, v)| {
                format!(
                    r#"<saml:Attribute Name="{}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic"><saml:AttributeValue xsi:type="xs:string">{}</saml:AttributeValue></saml:Attribute>"#,
                    esc(n),
                    esc(v)
                )
            })
            .collect();
        let session_index =
            self.session_index.as_deref().map(|s| format!(r#" SessionIndex="{}""#, esc(s))).unwrap_or_default();
        format!(
            concat!(
                r#"<saml:Assertion xmlns:saml="{ns}" xmlns:xs="http://www.w3.org/2001/XMLSchema" "#,
                r#"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="{id}" Version="2.0" IssueInstant="{now}">"#,
                r#"<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">{issuer}</saml:Issuer>{sig}"#,
                r#"<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient" NameQualifier="{issuer}">{nid}</saml:NameID>"#,
                r#"<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">"#,
                r#"<saml:SubjectConfirmationData InResponseTo="{irt}" NotOnOrAfter="{until}" Recipient="{dest}"/>"#,
                r#"</saml:SubjectConfirmation></saml:Subject>"#,
                r#"<saml:Conditions NotBefore="{now}" NotOnOrAfter="{until}"><saml:AudienceRestriction>"#,
                r#"<saml:Audience>{aud}</saml:Audience></saml:AudienceRestriction></saml:Conditions>"#,
                r#"<saml:AuthnStatement AuthnInstant="{now}"{si}><saml:AuthnContext>"#,
                r#"<saml:AuthnContextClassRef>{acr}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"#,
                r#"<saml:AttributeStatement>{attrs}</saml:AttributeStatement></saml:Assertion>"#
            ),
            ns = NS_SAML,
            id = id,
            now = now,
            issuer = esc(&self.issuer),
            sig = "{SIGNATURE}",
            nid = esc(&self.name_id),
            irt = esc(&self.in_response_to),
            until = until,
            dest = esc(&self.destination),
            aud = esc(&self.audience),
            si = session_index,
            acr = self.level.uri(),
            attrs = attrs,
        )
        .replace("{SIGNATURE}", &xmldsig::template(&id, "{CERT}"))
    }

    /// The signed Response around `assertion` (from [`Self::unsigned_assertion`],
    /// possibly altered by a test): the assertion is signed (unless a test took
    /// its signature template out), then the whole.
    pub fn sign(&self, assertion: &str, keys: &KeyPair, sign_response: bool) -> Result<String, SignatureError> {
        let assertion = assertion.replace("{CERT}", &keys.cert_b64);
        let signed_assertion = if assertion.contains("<ds:Signature") {
            strip_declaration(&xmldsig::sign(&assertion, &keys.key_der)?)
        } else {
            assertion
        };
        let id = new_id();
        let sig = if sign_response { xmldsig::template(&id, &keys.cert_b64) } else { String::new() };
        let status = match self.anomaly {
            None => {
                r#"<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>"#
                    .to_string()
            }
            Some(n) => format!(
                concat!(
                    r#"<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder">"#,
                    r#"<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"/></samlp:StatusCode>"#,
                    r#"<samlp:StatusMessage>ErrorCode nr{n}</samlp:StatusMessage></samlp:Status>"#
                ),
                n = n
            ),
        };
        let body = if self.anomaly.is_none() { signed_assertion } else { String::new() };
        let response = format!(
            concat!(
                r#"<samlp:Response xmlns:samlp="{p}" xmlns:saml="{a}" ID="{id}" Version="2.0" IssueInstant="{now}" "#,
                r#"Destination="{dest}" InResponseTo="{irt}">"#,
                r#"<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">{issuer}</saml:Issuer>"#,
                "{sig}{status}{body}</samlp:Response>"
            ),
            p = NS_SAMLP,
            a = NS_SAML,
            id = id,
            now = instant(self.issue_instant),
            dest = esc(&self.destination),
            irt = esc(&self.in_response_to),
            issuer = esc(&self.issuer),
            sig = sig,
            status = status,
            body = body,
        );
        if sign_response {
            Ok(strip_declaration(&xmldsig::sign(&response, &keys.key_der)?))
        } else {
            Ok(response)
        }
    }

    /// The usual case: both signed, nothing altered.
    pub fn signed(&self, keys: &KeyPair) -> Result<String, SignatureError> {
        self.sign(&self.unsigned_assertion(), keys, true)
    }
}

fn strip_declaration(xml: &str) -> String {
    let t = xml.trim_start();
    match t.strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map(|(_, r)| r.trim_start().to_string()).unwrap_or_else(|| t.to_string()),
        None => t.trim_end().to_string(),
    }
    .trim_end()
    .to_string()
}
