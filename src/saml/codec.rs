//! The encodings of SAML messages: XML escaping, UTC instants, base64, the
//! HTTP-Redirect binding (DEFLATE + a signature over the query string).
use base64::Engine;
use chrono::{DateTime, NaiveDateTime, Utc};
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private, Public};
use openssl::sign::{Signer, Verifier};
use std::io::{Read, Write};

pub const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
pub const RSA_SHA384: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384";
pub const RSA_SHA512: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";

/// Escapes text for XML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// `2026-11-22T10:00:00Z`: UTC, whole seconds, as SPID messages use.
pub fn instant(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Parses an `xs:dateTime` that must be in UTC (`Z`), with optional fractions.
pub fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    let body = s.strip_suffix('Z')?;
    let parsed = NaiveDateTime::parse_from_str(body, "%Y-%m-%dT%H:%M:%S%.f").ok()?;
    Some(parsed.and_utc())
}

/// A fresh message ID: starts with a letter (xs:ID), 128 random bits.
pub fn new_id() -> String {
    format!("_{}", uuid::Uuid::new_v4().simple())
}

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes base64, tolerating the line breaks some IdPs insert.
pub fn unb64(s: &str) -> Option<Vec<u8>> {
    let clean: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(clean).ok()
}

pub fn deflate(xml: &str) -> Vec<u8> {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    if enc.write_all(xml.as_bytes()).is_err() {
        return Vec::new();
    }
    enc.finish().unwrap_or_default()
}

/// Inflates at most `limit` bytes, refusing anything larger (zip bombs).
pub fn inflate(bytes: &[u8], limit: u64) -> Option<String> {
    let mut out = String::new();
    let mut dec = flate2::read::DeflateDecoder::new(bytes).take(limit + 1);
    dec.read_to_string(&mut out).ok()?;
    (out.len() as u64 <= limit).then_some(out)
}

fn urlenc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// `?SAMLRequest=…&RelayState=…&SigAlg=…&Signature=…` for the HTTP-Redirect
/// binding; the signature covers the query exactly as sent.
pub fn signed_redirect_query(
    param: &str,
    xml: &str,
    relay_state: Option<&str>,
    key: &PKey<Private>,
) -> Result<String, openssl::error::ErrorStack> {
    let mut query = format!("{param}={}", urlenc(&b64(&deflate(xml))));
    if let Some(rs) = relay_state {
        query.push_str(&format!("&RelayState={}", urlenc(rs)));
    }
    query.push_str(&format!("&SigAlg={}", urlenc(RSA_SHA256)));
    let mut signer = Signer::new(MessageDigest::sha256(), key)?;
    signer.update(query.as_bytes())?;
    let signature = signer.sign_to_vec()?;
    query.push_str(&format!("&Signature={}", urlenc(&b64(&signature))));
    Ok(query)
}

/// A message received by HTTP-Redirect, with its signature checked against
/// the raw query (parameters re-assembled in the order the binding fixes).
#[derive(Debug)]
pub struct RedirectMessage {
    pub xml: String,
    pub relay_state: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RedirectError {
    #[error("the message parameter is missing")]
    Missing,
    #[error("the message is not valid base64/DEFLATE")]
    Encoding,
    #[error("the signature is missing")]
    Unsigned,
    #[error("the signature algorithm is not accepted")]
    Algorithm,
    #[error("the signature does not verify")]
    BadSignature,
}

/// Reads `param` (SAMLRequest or SAMLResponse) from a raw query string and
/// verifies its signature with one of `keys`.
pub fn verify_redirect(raw_query: &str, param: &str, keys: &[PKey<Public>]) -> Result<RedirectMessage, RedirectError> {
    let raw = |name: &str| raw_query.split('&').find_map(|kv| kv.strip_prefix(name).and_then(|v| v.strip_prefix('=')));
    let decode = |v: &str| url::form_urlencoded::parse(format!("x={v}").as_bytes()).next().map(|(_, v)| v.into_owned());
    let msg = raw(param).ok_or(RedirectError::Missing)?;
    let sig_alg_raw = raw("SigAlg").ok_or(RedirectError::Unsigned)?;
    let sig_raw = raw("Signature").ok_or(RedirectError::Unsigned)?;
    let relay_raw = raw("RelayState");
    let digest = match decode(sig_alg_raw).as_deref() {
        Some(RSA_SHA256) => MessageDigest::sha256(),
        Some(RSA_SHA384) => MessageDigest::sha384(),
        Some(RSA_SHA512) => MessageDigest::sha512(),
        _ => return Err(RedirectError::Algorithm),
    };
    let mut signed = format!("{param}={msg}");
    if let Some(rs) = relay_raw {
        signed.push_str(&format!("&RelayState={rs}"));
    }
    signed.push_str(&format!("&SigAlg={sig_alg_raw}"));
    let signature = decode(sig_raw).and_then(|s| unb64(&s)).ok_or(RedirectError::BadSignature)?;
    let verified = keys.iter().any(|k| {
        Verifier::new(digest, k)
            .and_then(|mut v| {
                v.update(signed.as_bytes())?;
                v.verify(&signature)
            })
            .unwrap_or(false)
    });
    if !verified {
        return Err(RedirectError::BadSignature);
    }
    let xml =
        decode(msg).and_then(|m| unb64(&m)).and_then(|d| inflate(&d, 256 * 1024)).ok_or(RedirectError::Encoding)?;
    Ok(RedirectMessage { xml, relay_state: relay_raw.and_then(decode) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use openssl::rsa::Rsa;

    #[test]
    fn redirect_signature_round_trip_and_tamper() {
        let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
        let public = PKey::public_key_from_pem(&key.public_key_to_pem().unwrap()).unwrap();
        let q = signed_redirect_query("SAMLRequest", "<x a=\"1\"/>", Some("tok"), &key).unwrap();
        let m = verify_redirect(&q, "SAMLRequest", std::slice::from_ref(&public)).unwrap();
        assert_eq!(m.xml, "<x a=\"1\"/>");
        assert_eq!(m.relay_state.as_deref(), Some("tok"));
        let tampered = q.replace("RelayState=tok", "RelayState=tol");
        assert_eq!(verify_redirect(&tampered, "SAMLRequest", &[public]).unwrap_err(), RedirectError::BadSignature);
    }

    #[test]
    fn instants_must_be_utc() {
        assert!(parse_instant("2026-11-22T10:00:00Z").is_some());
        assert!(parse_instant("2026-11-22T10:00:00.123Z").is_some());
        assert!(parse_instant("2026-11-22T10:00:00+01:00").is_none());
        assert!(parse_instant("22/11/2026").is_none());
        assert!(parse_instant("").is_none());
    }

    #[test]
    fn inflate_refuses_bombs() {
        let big = "a".repeat(10_000);
        assert!(inflate(&deflate(&big), 1000).is_none());
        assert_eq!(inflate(&deflate("abc"), 1000).as_deref(), Some("abc"));
    }
}
