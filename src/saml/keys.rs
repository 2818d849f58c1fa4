//! Signing keys and certificates. The service provider's certificate follows
//! Avviso SPID n.29 v3 (subject with entity ID and organisation identifier,
//! AgID certificate policies, critical key usage).
use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::x509::extension::{BasicConstraints, KeyUsage, SubjectKeyIdentifier};
use openssl::x509::{X509Extension, X509NameBuilder, X509};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{0}")]
    Crypto(#[from] openssl::error::ErrorStack),
    #[error("{path}: the certificate does not match the private key")]
    Mismatch { path: String },
}

/// A private key with its certificate.
#[derive(Clone)]
pub struct KeyPair {
    pub key: PKey<Private>,
    pub cert: X509,
    /// The certificate as base64 DER, as it appears in `<ds:X509Certificate>`.
    pub cert_b64: String,
    pub key_der: Vec<u8>,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPair").field("subject", &self.cert.subject_name()).finish_non_exhaustive()
    }
}

impl KeyPair {
    pub fn from_pem(key_pem: &[u8], cert_pem: &[u8], origin: &str) -> Result<KeyPair, KeyError> {
        let key = PKey::private_key_from_pem(key_pem)?;
        let cert = X509::from_pem(cert_pem)?;
        if !cert.public_key()?.public_eq(&key) {
            return Err(KeyError::Mismatch { path: origin.to_string() });
        }
        Self::from_parts(key, cert)
    }

    fn from_parts(key: PKey<Private>, cert: X509) -> Result<KeyPair, KeyError> {
        use base64::Engine;
        let cert_b64 = base64::engine::general_purpose::STANDARD.encode(cert.to_der()?);
        let key_der = key.private_key_to_der()?;
        Ok(KeyPair { key, cert, cert_b64, key_der })
    }

    pub fn load(key_path: &Path, cert_path: &Path) -> Result<KeyPair, KeyError> {
        let read = |p: &Path| std::fs::read(p).map_err(|source| KeyError::Io { path: p.display().to_string(), source });
        Self::from_pem(&read(key_path)?, &read(cert_path)?, &cert_path.display().to_string())
    }

    /// Loads the pair, or (development only) creates it first.
    pub fn load_or_generate(key_path: &Path, cert_path: &Path, subject: &CertSubject) -> Result<KeyPair, KeyError> {
        if key_path.is_file() && cert_path.is_file() {
            return Self::load(key_path, cert_path);
        }
        let pair = generate(subject)?;
        pair.write(key_path, cert_path)?;
        tracing::info!(cert = %cert_path.display(), "generated a development key and certificate");
        Ok(pair)
    }

    pub fn write(&self, key_path: &Path, cert_path: &Path) -> Result<(), KeyError> {
        fn io(p: &Path) -> impl FnOnce(std::io::Error) -> KeyError + '_ {
            move |source| KeyError::Io { path: p.display().to_string(), source }
        }
        if let Some(dir) = key_path.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        if let Some(dir) = cert_path.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        crate::kernel::files::write_private(key_path, &self.key.private_key_to_pem_pkcs8()?).map_err(io(key_path))?;
        std::fs::write(cert_path, self.cert.to_pem()?).map_err(io(cert_path))?;
        Ok(())
    }

    /// Days until the certificate expires (negative when expired).
    pub fn days_left(&self) -> i32 {
        Asn1Time::days_from_now(0)
            .ok()
            .and_then(|now| now.diff(self.cert.not_after()).ok())
            .map(|d| d.days)
            .unwrap_or(0)
    }
}

/// What the certificate says about its holder.
#[derive(Clone, Debug)]
pub struct CertSubject {
    pub common_name: String,
    pub organization: String,
    pub entity_id: String,
    /// `PA:IT-<IPA code>` for public bodies, `VATIT-…` for private ones.
    pub organization_identifier: String,
    pub locality: String,
    pub public_sector: bool,
    pub days: u32,
    pub key_bits: u32,
}

/// A self-signed certificate with the Avviso SPID n.29 v3 fields.
pub fn generate(subject: &CertSubject) -> Result<KeyPair, KeyError> {
    let key = PKey::from_rsa(Rsa::generate(subject.key_bits)?)?;
    let mut name = X509NameBuilder::new()?;
    name.append_entry_by_nid(Nid::COMMONNAME, &subject.common_name)?;
    name.append_entry_by_nid(Nid::ORGANIZATIONNAME, &subject.organization)?;
    name.append_entry_by_text("2.5.4.83", &subject.entity_id)?; // uri
    name.append_entry_by_text("2.5.4.97", &subject.organization_identifier)?; // organizationIdentifier
    name.append_entry_by_nid(Nid::COUNTRYNAME, "IT")?;
    name.append_entry_by_nid(Nid::LOCALITYNAME, &subject.locality)?;
    let name = name.build();

    let mut b = X509::builder()?;
    b.set_version(2)?;
    let mut serial = BigNum::new()?;
    serial.rand(127, MsbOption::MAYBE_ZERO, false)?;
    let serial = serial.to_asn1_integer()?;
    b.set_serial_number(&serial)?;
    b.set_subject_name(&name)?;
    b.set_issuer_name(&name)?;
    b.set_pubkey(&key)?;
    let (from, until) = (Asn1Time::days_from_now(0)?, Asn1Time::days_from_now(subject.days)?);
    b.set_not_before(&from)?;
    b.set_not_after(&until)?;
    b.append_extension(BasicConstraints::new().build()?)?;
    b.append_extension(KeyUsage::new().critical().digital_signature().non_repudiation().build()?)?;
    let ski = SubjectKeyIdentifier::new().build(&b.x509v3_context(None, None))?;
    b.append_extension(ski)?;
    let policies = openssl::asn1::Asn1OctetString::new_from_bytes(&certificate_policies(subject.public_sector))?;
    let oid = openssl::asn1::Asn1Object::from_str("2.5.29.32")?; // certificatePolicies
    b.append_extension(X509Extension::new_from_der(&oid, false, &policies)?)?;
    b.sign(&key, MessageDigest::sha256())?;
    KeyPair::from_parts(key, b.build())
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    // Every value here is far below 128 bytes: short-form lengths suffice.
    let mut out = vec![tag, content.len() as u8];
    out.extend_from_slice(content);
    out
}

/// DER of the certificatePolicies extension Avviso SPID n.29 v3 asks for:
/// agIDcert (1.3.76.16.6) and the sector's SP policy, each with its user
/// notice (openssl has no builder for it, and its text form needs a config).
fn certificate_policies(public_sector: bool) -> Vec<u8> {
    const UNOTICE: [u8; 8] = [0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x02, 0x02]; // 1.3.6.1.5.5.7.2.2
    let policy = |oid: &[u8], text: &str| {
        let notice = tlv(0x30, &tlv(0x0C, text.as_bytes()));
        let qualifier = tlv(0x30, &[tlv(0x06, &UNOTICE), notice].concat());
        tlv(0x30, &[tlv(0x06, oid), tlv(0x30, &qualifier)].concat())
    };
    let agid = policy(&[0x2B, 0x4C, 0x10, 0x06], "agIDcert");
    let sector = if public_sector {
        policy(&[0x2B, 0x4C, 0x10, 0x04, 0x02, 0x01], "cert_SP_Pub")
    } else {
        policy(&[0x2B, 0x4C, 0x10, 0x04, 0x03, 0x01], "cert_SP_Priv")
    };
    tlv(0x30, &[agid, sector].concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_certificate_has_the_spid_fields() {
        let pair = generate(&CertSubject {
            common_name: "Servizi Lavoro".into(),
            organization: "Ministero del Lavoro".into(),
            entity_id: "https://servizi.example.it".into(),
            organization_identifier: "PA:IT-m_lps".into(),
            locality: "Roma".into(),
            public_sector: true,
            days: 30,
            key_bits: 2048,
        })
        .unwrap();
        let text = String::from_utf8(pair.cert.to_text().unwrap()).unwrap();
        assert!(text.contains("1.3.76.16.6") && text.contains("1.3.76.16.4.2.1"), "{text}");
        assert!(text.contains("Digital Signature, Non Repudiation"), "{text}");
        assert!(text.contains("servizi.example.it"), "{text}");
        assert!(pair.days_left() >= 29);
        let again = KeyPair::from_pem(&pair.key.private_key_to_pem_pkcs8().unwrap(), &pair.cert.to_pem().unwrap(), "t")
            .unwrap();
        assert_eq!(again.cert_b64, pair.cert_b64);
    }
}
