//! Property-based fuzzing of what anyone on the internet can send us: SAML
//! Responses to the ACS and Redirect-binding messages to the SLO endpoint.
//! Nothing may panic, and nothing but the untouched signed Response may pass.
//! Runs `FUZZ_CASES` cases per property (256 by default; more on demand:
//! `FUZZ_CASES=100000 cargo test --test it fuzz`).
use proptest::prelude::*;
use servizi_lavoro::auth::demo_idp::issue::ResponseSpec;
use servizi_lavoro::kernel::{Credential, Level};
use servizi_lavoro::saml::codec::{b64, deflate, verify_redirect};
use servizi_lavoro::saml::comparison::Comparison;
use servizi_lavoro::saml::keys::{generate, CertSubject, KeyPair};
use servizi_lavoro::saml::response::{verify, Expected, ResponseRecord};
use std::sync::LazyLock;

fn cases() -> u32 {
    std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
}

const SP: &str = "https://sp.example";
const IDP: &str = "https://idp.example";

/// An IdP key and one Response it signed, valid for [`expected`].
static SIGNED: LazyLock<(KeyPair, String)> = LazyLock::new(|| {
    let keys = generate(&CertSubject {
        common_name: "Fuzz IdP".into(),
        organization: "Test".into(),
        entity_id: IDP.into(),
        organization_identifier: "VATIT-00000000000".into(),
        locality: "Roma".into(),
        public_sector: false,
        days: 30,
        key_bits: 2048,
    })
    .expect("keys");
    let spec = ResponseSpec {
        issuer: IDP.into(),
        destination: format!("{SP}/saml/acs"),
        in_response_to: "_request".into(),
        audience: SP.into(),
        level: Level::L2,
        name_id: "_name".into(),
        session_index: Some("_session".into()),
        attributes: vec![
            ("name".into(), "Mario".into()),
            ("familyName".into(), "Rossi".into()),
            ("fiscalNumber".into(), "TINIT-RSSMRA80A01H501U".into()),
        ],
        issue_instant: chrono::Utc::now(),
        anomaly: None,
    };
    let xml = spec.signed(&keys).expect("sign");
    (keys, xml)
});

fn expected() -> Expected {
    Expected {
        request_id: "_request".into(),
        request_instant: chrono::Utc::now() - chrono::Duration::seconds(5),
        sp_entity_id: SP.into(),
        acs_url: format!("{SP}/saml/acs"),
        idp_entity_id: IDP.into(),
        idp_certs_der: vec![SIGNED.0.cert.to_der().expect("der")],
        credential: Credential::Spid,
        level: Level::L2,
        comparison: Comparison::Minimum,
        now: chrono::Utc::now(),
    }
}

#[test]
fn the_untouched_response_passes() {
    assert!(verify(&SIGNED.1, &expected(), &mut ResponseRecord::default()).is_ok());
}

/// A random edit of `s`: bytes replaced, removed or inserted at `at`.
fn edit(s: &str, at: usize, op: u8, bytes: &[u8]) -> String {
    let mut v = s.as_bytes().to_vec();
    let at = at % (v.len() + 1);
    match op % 3 {
        0 => {
            for (i, b) in bytes.iter().enumerate() {
                if let Some(x) = v.get_mut(at + i) {
                    *x = *b;
                }
            }
        }
        1 => {
            let end = (at + bytes.len()).min(v.len());
            v.drain(at..end);
        }
        _ => {
            v.splice(at..at, bytes.iter().copied());
        }
    }
    String::from_utf8_lossy(&v).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn any_text_as_a_response_is_refused_without_panic(xml in ".{0,2000}") {
        prop_assert!(verify(&xml, &expected(), &mut ResponseRecord::default()).is_err());
    }

    #[test]
    fn an_edited_signed_response_never_passes_unless_the_edit_changed_nothing(
        at in 0usize..20_000, op in any::<u8>(), bytes in proptest::collection::vec(any::<u8>(), 1..16)
    ) {
        let (_, original) = &*SIGNED;
        let changed = edit(original, at, op, &bytes);
        let result = verify(&changed, &expected(), &mut ResponseRecord::default());
        if result.is_ok() {
            // Only edits the signature does not cover (insignificant whitespace in
            // the unsigned envelope) may pass, and then the identity is the same.
            let login = result.expect("ok");
            prop_assert_eq!(login.attributes.get("fiscalNumber").map(String::as_str), Some("TINIT-RSSMRA80A01H501U"));
        }
    }

    #[test]
    fn any_redirect_query_is_decoded_without_panic(query in "[A-Za-z0-9%=&+/._-]{0,600}") {
        let key = SIGNED.0.cert.public_key().expect("key");
        let _ = verify_redirect(&query, "SAMLRequest", &[key]);
    }

    #[test]
    fn any_deflated_payload_is_decoded_without_panic(
        payload in ".{0,3000}", sig in "[A-Za-z0-9+/=]{0,400}", alg in ".{0,80}"
    ) {
        let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let query = format!(
            "SAMLRequest={}&RelayState=x&SigAlg={}&Signature={}",
            enc(&b64(&deflate(&payload))), enc(&alg), enc(&sig)
        );
        let key = SIGNED.0.cert.public_key().expect("key");
        prop_assert!(verify_redirect(&query, "SAMLRequest", &[key]).is_err());
    }
}
