//! S/MIME signatures (RFC 8551) on messages others send the portal: a PEC
//! provider signs each receipt it issues, and a receipt counts only when
//! that signature verifies against a provider the portal trusts.
use openssl::hash::MessageDigest;
use openssl::pkcs7::{Pkcs7, Pkcs7Flags};
use openssl::stack::Stack;
use openssl::x509::store::{X509Store, X509StoreBuilder};
use openssl::x509::verify::X509VerifyFlags;
use openssl::x509::X509;

/// The certificates whose signatures count: the PEC providers' (AgID's
/// public list of providers), as a PEM bundle.
pub struct Trust {
    store: X509Store,
    /// The listed certificates' SHA-256: a signer must be one of them, not
    /// merely issued by one (a provider's authority also issues its
    /// customers' S/MIME certificates).
    listed: Vec<Vec<u8>>,
}

/// Why a message's signature does not count.
#[derive(Debug, thiserror::Error)]
pub enum Untrusted {
    #[error("not an S/MIME signed message")]
    NotSigned,
    #[error("the signature does not verify against a trusted certificate: {0}")]
    Invalid(String),
}

impl Trust {
    /// The certificates of a PEM bundle (at least one).
    pub fn from_pem(pem: &[u8]) -> Result<Trust, String> {
        let certs = X509::stack_from_pem(pem).map_err(|e| format!("not PEM certificates: {e}"))?;
        if certs.is_empty() {
            return Err("no certificate in the bundle".into());
        }
        let listed = certs
            .iter()
            .map(|c| c.digest(MessageDigest::sha256()).map(|d| d.to_vec()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        let build = || -> Result<X509Store, openssl::error::ErrorStack> {
            let mut store = X509StoreBuilder::new()?;
            for cert in certs {
                store.add_cert(cert)?;
            }
            // A listed provider's certificate is trusted as it is, whether or
            // not the authority that issued it is listed too.
            store.set_flags(X509VerifyFlags::PARTIAL_CHAIN)?;
            Ok(store.build())
        };
        build().map(|store| Trust { store, listed }).map_err(|e| e.to_string())
    }

    pub fn load(path: &std::path::Path) -> Result<Trust, String> {
        let pem = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Trust::from_pem(&pem)
    }

    /// The signed content of `message` (a MIME entity), if a listed
    /// certificate signed it and the signature holds today (the certificate
    /// valid, fit for S/MIME signing).
    pub fn verify(&self, message: &[u8]) -> Result<Vec<u8>, Untrusted> {
        let (signed, detached) = Pkcs7::from_smime(message).map_err(|_| Untrusted::NotSigned)?;
        let invalid = |e: openssl::error::ErrorStack| Untrusted::Invalid(e.to_string());
        let extra = Stack::new().map_err(invalid)?;
        let mut content = Vec::new();
        signed
            .verify(&extra, &self.store, detached.as_deref(), Some(&mut content), Pkcs7Flags::empty())
            .map_err(invalid)?;
        for signer in &signed.signers(&extra, Pkcs7Flags::empty()).map_err(invalid)? {
            let digest = signer.digest(MessageDigest::sha256()).map_err(invalid)?;
            if !self.listed.iter().any(|l| l[..] == digest[..]) {
                return Err(Untrusted::Invalid("signed with a certificate that is not on the list".into()));
            }
        }
        Ok(content)
    }
}
