//! Checking a SAML Response against every SPID rule. samael checks too
//! little (Issuer, Status and Conditions only when present; never Version,
//! formats, future instants, the level or the assertion's own signature), so
//! the checks are here, on the content the signatures really cover.
use super::codec::parse_instant;
use super::comparison::Comparison;
use super::xmldsig::{self, ENVELOPED, EXC_C14N, NS_DS};
use crate::assurance::{Credential, Level};
use chrono::{DateTime, Duration, Utc};
use roxmltree::{Document, Node};
use std::collections::BTreeMap;

/// What we learnt from a Response, as much as could be read of it.
#[derive(Clone, Debug, Default)]
pub struct ResponseRecord {
    pub response_id: Option<String>,
    pub issue_instant: Option<String>,
    pub issuer: Option<String>,
    pub assertion_id: Option<String>,
    pub subject: Option<String>,
    pub name_qualifier: Option<String>,
    pub xml: String,
    pub outcome: String,
}

pub const NS_SAMLP: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
pub const NS_SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
const ENTITY: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
const TRANSIENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
const BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
const SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";
const TOP_STATUS: &[&str] = &[
    SUCCESS,
    "urn:oasis:names:tc:SAML:2.0:status:Requester",
    "urn:oasis:names:tc:SAML:2.0:status:Responder",
    "urn:oasis:names:tc:SAML:2.0:status:VersionMismatch",
];

/// Clock difference tolerated between us and the IdP (spid-cie-php uses the same).
pub const CLOCK_SKEW_SECS: i64 = 60;

/// What the Response must answer: our request, to us, from that IdP.
#[derive(Clone, Debug)]
pub struct Expected {
    pub request_id: String,
    pub request_instant: DateTime<Utc>,
    pub sp_entity_id: String,
    pub acs_url: String,
    pub idp_entity_id: String,
    pub idp_certs_der: Vec<Vec<u8>>,
    pub credential: Credential,
    pub level: Level,
    pub comparison: Comparison,
    pub now: DateTime<Utc>,
}

/// A successful, fully checked authentication.
#[derive(Clone, Debug)]
pub struct VerifiedLogin {
    pub name_id: String,
    pub name_qualifier: String,
    pub session_index: Option<String>,
    pub level: Level,
    pub assertion_id: String,
    pub not_on_or_after: DateTime<Utc>,
    /// Attribute name → first value, trimmed.
    pub attributes: BTreeMap<String, String>,
}

/// Why a Response was refused. `IdpError` is the person's own situation at
/// the IdP (SPID anomaly codes 19–25, 30): they get a specific explanation.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("malformed: {0}")]
    Malformed(&'static str),
    #[error("invalid: {0}")]
    Invalid(&'static str),
    #[error("signature: {0}")]
    Signature(String),
    #[error("expired or not yet valid: {0}")]
    Time(&'static str),
    #[error("authentication level below the one requested")]
    Level,
    #[error("the identity provider reported an error: {status} {message:?}")]
    IdpError { status: String, message: Option<String>, anomaly: Option<u8> },
    #[error("the assertion was already used")]
    Replay,
}

fn el<'a>(node: Node<'a, 'a>, ns: &str, name: &str) -> Vec<Node<'a, 'a>> {
    node.children()
        .filter(|n| n.is_element() && n.tag_name().namespace() == Some(ns) && n.tag_name().name() == name)
        .collect()
}

/// Exactly one child element `ns:name`, or the rejection `missing`.
fn one<'a>(node: Node<'a, 'a>, ns: &str, name: &str, missing: &'static str) -> Result<Node<'a, 'a>, Rejection> {
    let found = el(node, ns, name);
    match found.as_slice() {
        [only] => Ok(*only),
        [] => Err(Rejection::Invalid(missing)),
        _ => Err(Rejection::Invalid("an element appears more than once")),
    }
}

/// A required, non-blank attribute.
fn attr<'a>(node: Node<'a, 'a>, name: &str, missing: &'static str) -> Result<&'a str, Rejection> {
    match node.attribute(name) {
        Some(v) if !v.trim().is_empty() => Ok(v),
        _ => Err(Rejection::Invalid(missing)),
    }
}

fn text<'a>(node: Node<'a, 'a>) -> &'a str {
    node.text().map(str::trim).unwrap_or("")
}

fn instant_attr(node: Node<'_, '_>, name: &str, what: &'static str) -> Result<DateTime<Utc>, Rejection> {
    let v = attr(node, name, what)?;
    parse_instant(v).ok_or(Rejection::Invalid(what))
}

/// The anomaly number in `ErrorCode nrNN`.
fn anomaly_code(message: &str) -> Option<u8> {
    let rest = message.trim().strip_prefix("ErrorCode nr")?;
    rest.trim().parse().ok()
}

/// Refuses every transform but the two SAML signatures use (XSLT attacks).
fn check_transforms(doc: &Document) -> Result<(), Rejection> {
    for t in doc.descendants().filter(|n| n.tag_name().namespace() == Some(NS_DS) && n.tag_name().name() == "Transform")
    {
        match t.attribute("Algorithm") {
            Some(ENVELOPED) | Some(EXC_C14N) | Some("http://www.w3.org/2001/10/xml-exc-c14n#WithComments") => {}
            _ => return Err(Rejection::Signature("transform not allowed".into())),
        }
    }
    Ok(())
}

/// The element's own enveloped signature, referencing its ID.
fn has_own_signature(node: Node<'_, '_>, id: &str) -> bool {
    el(node, NS_DS, "Signature").iter().any(|sig| {
        sig.descendants()
            .find(|n| n.tag_name().namespace() == Some(NS_DS) && n.tag_name().name() == "Reference")
            .and_then(|r| r.attribute("URI"))
            == Some(&format!("#{id}"))
    })
}

fn check_issuer(node: Node<'_, '_>, exp: &Expected, format_optional: bool) -> Result<String, Rejection> {
    let issuer = one(node, NS_SAML, "Issuer", "Issuer missing")?;
    let value = text(issuer);
    if value.is_empty() {
        return Err(Rejection::Invalid("Issuer empty"));
    }
    if value != exp.idp_entity_id.as_str() {
        return Err(Rejection::Invalid("Issuer is not the identity provider asked"));
    }
    match issuer.attribute("Format") {
        Some(ENTITY) => {}
        None if format_optional => {}
        _ => return Err(Rejection::Invalid("Issuer Format is not entity")),
    }
    Ok(value.to_string())
}

fn not_before_request(t: DateTime<Utc>, exp: &Expected) -> bool {
    t >= exp.request_instant - Duration::seconds(CLOCK_SKEW_SECS)
}

fn not_future(t: DateTime<Utc>, exp: &Expected) -> bool {
    t <= exp.now + Duration::seconds(CLOCK_SKEW_SECS)
}

fn not_past(t: DateTime<Utc>, exp: &Expected) -> bool {
    t > exp.now - Duration::seconds(CLOCK_SKEW_SECS)
}

/// Checks `xml` (the decoded SAMLResponse). Whatever the outcome, `record`
/// receives what could be read, for the SAML register.
pub fn verify(xml: &str, exp: &Expected, record: &mut ResponseRecord) -> Result<VerifiedLogin, Rejection> {
    record.xml = xml.to_string();
    // roxmltree refuses DTDs, so entity expansion (XXE, "billion laughs") cannot happen.
    let doc = Document::parse(xml).map_err(|_| Rejection::Malformed("not well-formed XML, or a DTD"))?;
    let response = doc.root_element();
    if response.tag_name().namespace() != Some(NS_SAMLP) || response.tag_name().name() != "Response" {
        return Err(Rejection::Malformed("not a samlp:Response"));
    }
    record.response_id = response.attribute("ID").map(str::to_string);
    record.issue_instant = response.attribute("IssueInstant").map(str::to_string);
    record.issuer = el(response, NS_SAML, "Issuer").first().map(|i| text(*i).to_string());

    // The Response element.
    attr(response, "ID", "Response ID missing")?;
    if response.attribute("Version") != Some("2.0") {
        return Err(Rejection::Invalid("Response Version is not 2.0"));
    }
    let issued = instant_attr(response, "IssueInstant", "Response IssueInstant missing or not UTC")?;
    if !not_before_request(issued, exp) || !not_future(issued, exp) {
        return Err(Rejection::Time("Response IssueInstant outside the request's lifetime"));
    }
    if attr(response, "InResponseTo", "Response InResponseTo missing")? != exp.request_id.as_str() {
        return Err(Rejection::Invalid("Response InResponseTo does not match the request"));
    }
    if attr(response, "Destination", "Response Destination missing")? != exp.acs_url.as_str() {
        return Err(Rejection::Invalid("Response Destination is not our ACS"));
    }
    // SPID allows the Response Issuer without Format; CIE always omits it.
    check_issuer(response, exp, true)?;

    // Status: an error from the IdP ends here, with its reason.
    let status = one(response, NS_SAMLP, "Status", "Status missing")?;
    let code = one(status, NS_SAMLP, "StatusCode", "StatusCode missing")?;
    let value = attr(code, "Value", "StatusCode Value missing")?;
    if !TOP_STATUS.contains(&value) {
        return Err(Rejection::Invalid("StatusCode is not a SAML status"));
    }
    if value != SUCCESS {
        let message = el(status, NS_SAMLP, "StatusMessage").first().map(|m| text(*m).to_string());
        let anomaly = message.as_deref().and_then(anomaly_code);
        record.outcome = format!("idp-error {}", message.clone().unwrap_or_default());
        return Err(Rejection::IdpError { status: value.to_string(), message, anomaly });
    }

    // Exactly one assertion in the whole document: wrapped copies are refused.
    let assertions: Vec<Node> = doc
        .descendants()
        .filter(|n| {
            n.tag_name().namespace() == Some(NS_SAML)
                && matches!(n.tag_name().name(), "Assertion" | "EncryptedAssertion")
        })
        .collect();
    let assertion = match (assertions.as_slice(), el(response, NS_SAML, "Assertion").as_slice()) {
        ([a], [b]) if a == b => *a,
        ([], _) => return Err(Rejection::Invalid("no Assertion in a successful Response")),
        _ => return Err(Rejection::Signature("unexpected assertion structure".into())),
    };
    record.assertion_id = assertion.attribute("ID").map(str::to_string);
    let assertion_id = attr(assertion, "ID", "Assertion ID missing")?.to_string();
    check_transforms(&doc)?;
    if !has_own_signature(assertion, &assertion_id) {
        return Err(Rejection::Signature("the Assertion is not signed".into()));
    }
    if let Some(rid) = response.attribute("ID") {
        if !el(response, NS_DS, "Signature").is_empty() && !has_own_signature(response, rid) {
            return Err(Rejection::Signature("the Response signature does not cover the Response".into()));
        }
    }

    // Every signature must verify with the IdP's certificates; from here on
    // only the signed content is read.
    let signed =
        xmldsig::verify_and_reduce(xml, &exp.idp_certs_der).map_err(|e| Rejection::Signature(e.to_string()))?;
    let signed_doc = Document::parse(&signed).map_err(|_| Rejection::Signature("signed content unreadable".into()))?;
    let assertion = signed_doc
        .descendants()
        .find(|n| {
            n.tag_name().namespace() == Some(NS_SAML)
                && n.tag_name().name() == "Assertion"
                && n.attribute("ID") == Some(&assertion_id)
        })
        .ok_or_else(|| Rejection::Signature("the signed content holds no assertion".into()))?;
    let login = check_assertion(assertion, &assertion_id, exp, record)?;
    record.outcome = "success".into();
    Ok(login)
}

fn check_assertion(
    a: Node<'_, '_>,
    id: &str,
    exp: &Expected,
    record: &mut ResponseRecord,
) -> Result<VerifiedLogin, Rejection> {
    if a.attribute("Version") != Some("2.0") {
        return Err(Rejection::Invalid("Assertion Version is not 2.0"));
    }
    let issued = instant_attr(a, "IssueInstant", "Assertion IssueInstant missing or not UTC")?;
    if !not_before_request(issued, exp) || !not_future(issued, exp) {
        return Err(Rejection::Time("Assertion IssueInstant outside the request's lifetime"));
    }
    // CIE's assertions may omit the Issuer Format; SPID's must say entity.
    check_issuer(a, exp, exp.credential == Credential::Cie)?;

    // Subject: a transient NameID with its qualifier, confirmed for us.
    let subject = one(a, NS_SAML, "Subject", "Subject missing")?;
    let name_id = one(subject, NS_SAML, "NameID", "NameID missing")?;
    let name_id_value = text(name_id);
    if name_id_value.is_empty() {
        return Err(Rejection::Invalid("NameID empty"));
    }
    if attr(name_id, "Format", "NameID Format missing")? != TRANSIENT {
        return Err(Rejection::Invalid("NameID Format is not transient"));
    }
    let name_qualifier = attr(name_id, "NameQualifier", "NameID NameQualifier missing")?;
    record.subject = Some(name_id_value.to_string());
    record.name_qualifier = Some(name_qualifier.to_string());
    let confirmation = one(subject, NS_SAML, "SubjectConfirmation", "SubjectConfirmation missing")?;
    if attr(confirmation, "Method", "SubjectConfirmation Method missing")? != BEARER {
        return Err(Rejection::Invalid("SubjectConfirmation Method is not bearer"));
    }
    let data = one(confirmation, NS_SAML, "SubjectConfirmationData", "SubjectConfirmationData missing")?;
    if attr(data, "Recipient", "SubjectConfirmationData Recipient missing")? != exp.acs_url.as_str() {
        return Err(Rejection::Invalid("SubjectConfirmationData Recipient is not our ACS"));
    }
    if attr(data, "InResponseTo", "SubjectConfirmationData InResponseTo missing")? != exp.request_id.as_str() {
        return Err(Rejection::Invalid("SubjectConfirmationData InResponseTo does not match the request"));
    }
    let confirm_until = instant_attr(data, "NotOnOrAfter", "SubjectConfirmationData NotOnOrAfter missing or not UTC")?;
    if !not_past(confirm_until, exp) {
        return Err(Rejection::Time("SubjectConfirmationData has expired"));
    }

    // Conditions: valid now, and for us.
    let conditions = one(a, NS_SAML, "Conditions", "Conditions missing")?;
    let not_before = instant_attr(conditions, "NotBefore", "Conditions NotBefore missing or not UTC")?;
    let not_after = instant_attr(conditions, "NotOnOrAfter", "Conditions NotOnOrAfter missing or not UTC")?;
    if !not_future(not_before, exp) {
        return Err(Rejection::Time("the assertion is not valid yet"));
    }
    if !not_past(not_after, exp) {
        return Err(Rejection::Time("the assertion has expired"));
    }
    let restriction = one(conditions, NS_SAML, "AudienceRestriction", "AudienceRestriction missing")?;
    let audiences = el(restriction, NS_SAML, "Audience");
    if audiences.is_empty() {
        return Err(Rejection::Invalid("Audience missing"));
    }
    if !audiences.iter().any(|au| text(*au) == exp.sp_entity_id.as_str()) {
        return Err(Rejection::Invalid("Audience is not this service provider"));
    }

    // The level reached.
    let statement = one(a, NS_SAML, "AuthnStatement", "AuthnStatement missing")?;
    let context = one(statement, NS_SAML, "AuthnContext", "AuthnContext missing")?;
    let class_ref = one(context, NS_SAML, "AuthnContextClassRef", "AuthnContextClassRef missing")?;
    let level =
        Level::from_uri(text(class_ref)).ok_or(Rejection::Invalid("AuthnContextClassRef is not a SPID level"))?;
    if !exp.comparison.accepts(exp.level, level) {
        return Err(Rejection::Level);
    }
    let session_index = statement.attribute("SessionIndex").map(str::to_string);

    // Attributes: if the statement is there, every attribute has a value.
    let mut attributes = BTreeMap::new();
    for st in el(a, NS_SAML, "AttributeStatement") {
        let list = el(st, NS_SAML, "Attribute");
        if list.is_empty() {
            return Err(Rejection::Invalid("AttributeStatement without attributes"));
        }
        for at in list {
            let name = attr(at, "Name", "Attribute Name missing")?;
            let value = el(at, NS_SAML, "AttributeValue").first().map(|v| text(*v).to_string());
            match value {
                Some(v) => {
                    attributes.insert(name.to_string(), v);
                }
                None => return Err(Rejection::Invalid("Attribute without a value")),
            }
        }
    }
    Ok(VerifiedLogin {
        name_id: name_id_value.to_string(),
        name_qualifier: name_qualifier.to_string(),
        session_index,
        level,
        assertion_id: id.to_string(),
        not_on_or_after: not_after.min(confirm_until),
        attributes,
    })
}

#[cfg(test)]
mod tests {
    use super::anomaly_code;

    #[test]
    fn anomaly_codes_are_read_from_the_status_message() {
        assert_eq!(anomaly_code("ErrorCode nr19"), Some(19));
        assert_eq!(anomaly_code(" ErrorCode nr25 "), Some(25));
        assert_eq!(anomaly_code("something else"), None);
    }
}
