//! Enveloped XML signatures (RSA-SHA256, exclusive c14n) through xmlsec.
use super::codec::esc;
use samael::crypto::{AllowedSignatureAlgorithm, CertificateDer, CryptoProvider, ReduceMode, XmlSec};

pub const NS_DS: &str = "http://www.w3.org/2000/09/xmldsig#";
pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
pub const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/// The `<ds:Signature>` to place as the signed element's child (after its
/// Issuer, where the schema asks); xmlsec fills in digest and value.
pub fn template(reference_id: &str, cert_b64: &str) -> String {
    format!(
        concat!(
            r#"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>"#,
            r#"<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>"#,
            r#"<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>"#,
            r##"<ds:Reference URI="#{id}"><ds:Transforms>"##,
            r#"<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>"#,
            r#"<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>"#,
            r#"</ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>"#,
            r#"<ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue></ds:SignatureValue>"#,
            r#"<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>"#,
            r#"</ds:Signature>"#
        ),
        id = esc(reference_id),
        cert = cert_b64
    )
}

#[derive(Debug, thiserror::Error)]
#[error("XML signature: {0}")]
pub struct SignatureError(String);

/// Signs the first signature template in document order (xmlsec's choice).
pub fn sign(xml: &str, key_der: &[u8]) -> Result<String, SignatureError> {
    XmlSec::sign_xml(xml, key_der).map_err(|e| SignatureError(e.to_string()))
}

/// Verifies every signature in `xml` against `certs_der` (any may match) and
/// returns the document reduced to what the signatures cover. Duplicate IDs,
/// unknown algorithms and signatures by other keys fail.
pub fn verify_and_reduce(xml: &str, certs_der: &[Vec<u8>]) -> Result<String, SignatureError> {
    let certs: Vec<CertificateDer> = certs_der.iter().cloned().map(CertificateDer::from).collect();
    let allowed = [
        AllowedSignatureAlgorithm::RsaSha256,
        AllowedSignatureAlgorithm::RsaSha384,
        AllowedSignatureAlgorithm::RsaSha512,
        AllowedSignatureAlgorithm::EcdsaSha256,
        AllowedSignatureAlgorithm::EcdsaSha384,
        AllowedSignatureAlgorithm::EcdsaSha512,
    ];
    XmlSec::reduce_xml_to_signed_with_allowed_algorithms(
        xml,
        &certs,
        ReduceMode::ValidateAndMarkNoAncestors,
        Some(&allowed),
    )
    .map_err(|e| SignatureError(e.to_string()))
}
