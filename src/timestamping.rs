//! RFC 3161 time-stamping: data certa from a third party. A time-stamping
//! authority (TSA; in production a qualified one, `SL_TSA_URL`) signs a hash
//! with the time it saw it; the token proves the data existed then, whatever
//! the portal's own clock and keys say. This module asks for tokens over HTTP
//! and checks them: the TSA's signature, its certificate up to a trusted root
//! (`SL_TSA_CA`) for time-stamping, and that the token is for this hash.
use chrono::NaiveDateTime;
use openssl::pkcs7::{Pkcs7, Pkcs7Flags};
use openssl::stack::Stack;
use openssl::x509::store::{X509Store, X509StoreBuilder};
use openssl::x509::{X509PurposeId, X509StoreContext, X509};

#[derive(Debug, thiserror::Error)]
pub enum TsaError {
    #[error("time-stamping authority unreachable: {0}")]
    Unreachable(String),
    #[error("time-stamping authority refused: status {0}")]
    Refused(i64),
    #[error("time-stamp token malformed: {0}")]
    Malformed(&'static str),
    #[error("time-stamp token not trusted: {0}")]
    Untrusted(String),
    #[error("time-stamp token is for other data")]
    OtherData,
}

/// The DER of SHA-256's AlgorithmIdentifier (OID 2.16.840.1.101.3.4.2.1, NULL).
const SHA256_ALGORITHM: [u8; 15] =
    [0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00];

/// A DER length.
fn length(n: usize) -> Vec<u8> {
    match n {
        0..=127 => vec![n as u8],
        128..=255 => vec![0x81, n as u8],
        _ => vec![0x82, (n >> 8) as u8, n as u8],
    }
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    out.extend(length(content.len()));
    out.extend_from_slice(content);
    out
}

/// A TimeStampReq (RFC 3161 §2.4.1) for a SHA-256 `digest`, with a nonce,
/// asking for the TSA's certificate in the token.
pub fn request(digest: &[u8; 32], nonce: u64) -> Vec<u8> {
    let mut imprint = SHA256_ALGORITHM.to_vec();
    imprint.extend(tlv(0x04, digest));
    // A positive INTEGER: a leading zero when the top bit is set.
    let mut n = vec![0u8];
    n.extend(nonce.to_be_bytes());
    let mut body = tlv(0x02, &[1]);
    body.extend(tlv(0x30, &imprint));
    body.extend(tlv(0x02, &n));
    body.extend(tlv(0x01, &[0xff]));
    tlv(0x30, &body)
}

/// One DER element: (tag, content, the whole element, what follows).
type Element<'a> = (u8, &'a [u8], &'a [u8], &'a [u8]);

fn element(input: &[u8]) -> Result<Element<'_>, TsaError> {
    let bad = TsaError::Malformed("DER");
    let (&tag, rest) = input.split_first().ok_or(TsaError::Malformed("DER: empty"))?;
    let (&first, rest) = rest.split_first().ok_or(TsaError::Malformed("DER: no length"))?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return Err(bad);
        }
        (rest[..n].iter().fold(0usize, |a, b| (a << 8) | *b as usize), &rest[n..])
    };
    if rest.len() < len {
        return Err(bad);
    }
    let header = input.len() - rest.len();
    Ok((tag, &rest[..len], &input[..header + len], &rest[len..]))
}

/// The token of a TimeStampResp (RFC 3161 §2.4.2), when the TSA granted it.
pub fn token_of(response: &[u8]) -> Result<Vec<u8>, TsaError> {
    let (tag, body, _, _) = element(response)?;
    if tag != 0x30 {
        return Err(TsaError::Malformed("not a TimeStampResp"));
    }
    let (_, status_info, _, rest) = element(body)?;
    let (tag, status, _, _) = element(status_info)?;
    if tag != 0x02 || status.is_empty() {
        return Err(TsaError::Malformed("no PKIStatus"));
    }
    let status = status.iter().fold(0i64, |a, b| (a << 8) | i64::from(*b));
    // granted (0) or grantedWithMods (1).
    if status > 1 {
        return Err(TsaError::Refused(status));
    }
    let (_, _, token, _) = element(rest)?;
    Ok(token.to_vec())
}

/// What a checked token says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    /// When the TSA saw the hash (UTC).
    pub time: NaiveDateTime,
    /// The TSA's name, from its certificate.
    pub authority: String,
}

/// A store of the roots a TSA's certificate must lead to, for time-stamping.
pub fn trust(roots_pem: &[u8]) -> Result<X509Store, TsaError> {
    let untrusted = |e: openssl::error::ErrorStack| TsaError::Untrusted(e.to_string());
    let mut b = X509StoreBuilder::new().map_err(untrusted)?;
    for cert in X509::stack_from_pem(roots_pem).map_err(untrusted)? {
        b.add_cert(cert).map_err(untrusted)?;
    }
    b.set_purpose(X509PurposeId::TIMESTAMP_SIGN).map_err(untrusted)?;
    Ok(b.build())
}

/// Checks `token` for `digest`: the TSA's signature over the TSTInfo, its
/// certificate up to a root of `roots` and fit for time-stamping, and that
/// the imprint is `digest` (SHA-256). Returns when, and who.
pub fn check(token: &[u8], roots: &X509Store, digest: &[u8; 32]) -> Result<Stamp, TsaError> {
    let untrusted = |e: openssl::error::ErrorStack| TsaError::Untrusted(e.to_string());
    let p7 = Pkcs7::from_der(token).map_err(|_| TsaError::Malformed("not a CMS SignedData"))?;
    let none = Stack::<X509>::new().map_err(untrusted)?;
    let empty = X509StoreBuilder::new().map_err(untrusted)?.build();
    // The signature and the content's digest; the certificate is checked below, for its purpose.
    let mut tst_info = Vec::new();
    p7.verify(&none, &empty, None, Some(&mut tst_info), Pkcs7Flags::NOVERIFY).map_err(untrusted)?;
    let signers = p7.signers(&none, Pkcs7Flags::empty()).map_err(untrusted)?;
    let signer = signers.iter().next().ok_or(TsaError::Untrusted("no signer certificate".into()))?.to_owned();
    let chain = match p7.signed().and_then(|s| s.certificates()) {
        Some(certs) => {
            let mut c = Stack::new().map_err(untrusted)?;
            for cert in certs {
                c.push(cert.to_owned()).map_err(untrusted)?;
            }
            c
        }
        None => Stack::new().map_err(untrusted)?,
    };
    let mut ctx = X509StoreContext::new().map_err(untrusted)?;
    let trusted = ctx
        .init(roots, &signer, &chain, |c| Ok((c.verify_cert()?, c.error().error_string().to_string())))
        .map_err(untrusted)?;
    if !trusted.0 {
        return Err(TsaError::Untrusted(trusted.1));
    }
    let authority = signer
        .subject_name()
        .entries_by_nid(openssl::nid::Nid::COMMONNAME)
        .next()
        .and_then(|e| e.data().to_string().ok())
        .unwrap_or_default();
    let (time, imprint) = tst_info_of(&tst_info)?;
    if imprint != digest {
        return Err(TsaError::OtherData);
    }
    Ok(Stamp { time, authority })
}

/// The genTime and the hashed message of a TSTInfo (RFC 3161 §2.4.2).
fn tst_info_of(der: &[u8]) -> Result<(NaiveDateTime, &[u8]), TsaError> {
    let (_, body, _, _) = element(der)?;
    let (_, _version, _, rest) = element(body)?;
    let (_, _policy, _, rest) = element(rest)?;
    let (_, message_imprint, _, rest) = element(rest)?;
    let (_, algorithm, _, hashed) = element(message_imprint)?;
    if algorithm != &SHA256_ALGORITHM[2..] && algorithm != &SHA256_ALGORITHM[2..13] {
        return Err(TsaError::Malformed("not SHA-256"));
    }
    let (_, imprint, _, _) = element(hashed)?;
    let (_, _serial, _, rest) = element(rest)?;
    let (tag, gen_time, _, _) = element(rest)?;
    if tag != 0x18 {
        return Err(TsaError::Malformed("no genTime"));
    }
    let text = std::str::from_utf8(gen_time).map_err(|_| TsaError::Malformed("genTime"))?;
    // YYYYMMDDhhmmss[.fff]Z
    let whole = text.trim_end_matches('Z').split('.').next().unwrap_or("");
    let time = NaiveDateTime::parse_from_str(whole, "%Y%m%d%H%M%S").map_err(|_| TsaError::Malformed("genTime"))?;
    Ok((time, imprint))
}

/// Asks the TSA at `url` for a token for `digest` (blocking: call it off the
/// async threads); checks the answer is a granted token, not yet whom it is from.
pub fn fetch(url: &str, digest: &[u8; 32]) -> Result<Vec<u8>, TsaError> {
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(15)))
        .http_status_as_error(true)
        .build()
        .new_agent();
    let query = request(digest, rand::random::<u64>());
    let mut answer = agent
        .post(url)
        .header("Content-Type", "application/timestamp-query")
        .send(&query[..])
        .map_err(|e| TsaError::Unreachable(e.to_string()))?;
    let body = answer
        .body_mut()
        .with_config()
        .limit(64 * 1024)
        .read_to_vec()
        .map_err(|e| TsaError::Unreachable(e.to_string()))?;
    token_of(&body)
}

#[cfg(test)]
mod tests {
    use super::{element, request, token_of, TsaError};

    #[test]
    fn a_request_is_well_formed_der() {
        let q = request(&[7u8; 32], u64::MAX);
        let (tag, body, whole, rest) = element(&q).expect("der");
        assert_eq!((tag, whole.len(), rest.len()), (0x30, q.len(), 0));
        let (tag, version, _, rest) = element(body).expect("version");
        assert_eq!((tag, version), (0x02, &[1u8][..]));
        let (tag, _, _, rest) = element(rest).expect("imprint");
        assert_eq!(tag, 0x30);
        let (tag, nonce, _, rest) = element(rest).expect("nonce");
        assert_eq!((tag, nonce.len(), nonce[0]), (0x02, 9, 0), "positive");
        assert_eq!(rest, &[0x01, 0x01, 0xff], "certReq");
    }

    #[test]
    fn a_refusal_or_garbage_is_not_a_token() {
        // TimeStampResp { status { rejection (2) } }
        assert!(matches!(token_of(&[0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x02]), Err(TsaError::Refused(2))));
        assert!(matches!(token_of(b"<html>"), Err(TsaError::Malformed(_))));
        assert!(matches!(token_of(&[0x30, 0x84, 0xff]), Err(TsaError::Malformed(_))));
    }
}
