//! How long the ACS takes to check one signed SPID Response: both XML
//! signatures (xmlsec) and every SPID rule, as `POST /saml/acs` does before
//! touching the database. (pysaml2, behind djangosaml2-spid, takes 75–90 ms
//! per Response on the project's 2-core machine.) Beside it, the same work
//! over OpenID Connect: one ID Token and one UserInfo answer (decrypted with
//! RSA-OAEP, then its signature) checked as `/oidc/callback` does.
use criterion::{criterion_group, criterion_main, Criterion};
use servizi_lavoro::auth::demo_idp::issue::ResponseSpec;
use servizi_lavoro::kernel::{Credential, Level};
use servizi_lavoro::saml::comparison::Comparison;
use servizi_lavoro::saml::keys::{generate, CertSubject};
use servizi_lavoro::saml::response::ResponseRecord;
use servizi_lavoro::saml::response::{verify, Expected};
use std::hint::black_box;

/// The server's allocator (`src/main.rs`), so the figures are the server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench(c: &mut Criterion) {
    let idp = "https://idp.example.it";
    let keys = generate(&CertSubject {
        common_name: "Bench IdP".into(),
        organization: "Bench".into(),
        entity_id: idp.into(),
        organization_identifier: "VATIT-00000000000".into(),
        locality: "Roma".into(),
        public_sector: false,
        days: 30,
        key_bits: 2048,
    })
    .expect("keys");
    let now = chrono::Utc::now();
    let spec = ResponseSpec {
        issuer: idp.into(),
        destination: "https://servizi.example.it/saml/acs".into(),
        in_response_to: "_request".into(),
        audience: "https://servizi.example.it".into(),
        level: Level::L2,
        name_id: "_nameid".into(),
        session_index: Some("_session".into()),
        attributes: vec![
            ("spidCode".into(), "ABCD1234567890".into()),
            ("name".into(), "Mario".into()),
            ("familyName".into(), "Rossi".into()),
            ("fiscalNumber".into(), "TINIT-RSSMRA80A01H501U".into()),
            ("dateOfBirth".into(), "1980-01-01".into()),
            ("email".into(), "mario.rossi@example.org".into()),
        ],
        issue_instant: now,
        anomaly: None,
    };
    let xml = spec.signed(&keys).expect("signed response");
    let expected = Expected {
        request_id: "_request".into(),
        request_instant: now,
        sp_entity_id: "https://servizi.example.it".into(),
        acs_url: "https://servizi.example.it/saml/acs".into(),
        idp_entity_id: idp.into(),
        idp_certs_der: vec![keys.cert.to_der().expect("der")],
        credential: Credential::Spid,
        level: Level::L2,
        comparison: Comparison::Minimum,
        now,
    };
    let mut record = ResponseRecord::default();
    verify(&xml, &expected, &mut record).expect("the benchmark Response is valid");
    c.bench_function("acs: verify one signed SPID Response", |b| {
        b.iter(|| {
            let mut record = ResponseRecord::default();
            black_box(verify(black_box(&xml), &expected, &mut record).is_ok())
        })
    });
}

fn bench_oidc(c: &mut Criterion) {
    use josekit::jwe::{JweHeader, RSA_OAEP};
    use josekit::jwk::alg::rsa::RsaKeyPair;
    use josekit::jwk::{JwkSet, KeyPair as _};
    use josekit::jws::{JwsHeader, RS256};
    use josekit::jwt::JwtPayload;
    use servizi_lavoro::oidc::id_token::{check_id_token, check_userinfo, Expected};
    use servizi_lavoro::oidc::keys::{KeyJob, OidcKey};

    let (op, rp) = ("https://op.example.it", "https://servizi.example.it");
    let op_key = RsaKeyPair::generate(2048).expect("key");
    let mut public = op_key.to_jwk_public_key();
    public.set_key_id("op");
    let mut op_keys = JwkSet::new();
    op_keys.push_key(public);
    let portal =
        OidcKey::from_pem(&RsaKeyPair::generate(3072).expect("key").to_pem_private_key(), KeyJob::Encryption, "bench")
            .expect("key");
    let signer = RS256.signer_from_jwk(&op_key.to_jwk_private_key()).expect("signer");
    let sign = |claims: serde_json::Value| {
        let mut header = JwsHeader::new();
        header.set_key_id("op");
        let map = claims.as_object().expect("object").clone();
        josekit::jwt::encode_with_signer(&JwtPayload::from_map(map).expect("payload"), &header, &signer).expect("jwt")
    };
    let now = chrono::Utc::now().timestamp();
    let at_hash = servizi_lavoro::oidc::id_token::left_hash("access");
    let id_token = sign(serde_json::json!({
        "iss": op, "sub": "pairwise", "aud": [rp], "iat": now, "exp": now + 600,
        "nonce": "n-0123456789abcdef0123456789abcdef", "acr": "https://www.spid.gov.it/SpidL2",
        "at_hash": at_hash,
    }));
    let userinfo = sign(serde_json::json!({
        "sub": "pairwise", "iss": op, "aud": rp, "given_name": "Mario", "family_name": "Rossi",
        "https://attributes.eid.gov.it/fiscal_number": "TINIT-RSSMRA80A01H501U",
    }));
    let enc = servizi_lavoro::oidc::entity::USERINFO_ENC;
    let mut header = JweHeader::new();
    header.set_content_encryption(enc);
    header.set_key_id(&portal.kid);
    let encrypter = RSA_OAEP.encrypter_from_jwk(&portal.public).expect("encrypter");
    let jwe = josekit::jwe::serialize_compact(userinfo.as_bytes(), &header, &encrypter).expect("jwe");
    let expected = Expected {
        issuer: op,
        client_id: rp,
        nonce: "n-0123456789abcdef0123456789abcdef",
        level: Level::L2,
        keys: &op_keys,
        now,
    };
    let check = || {
        let id = check_id_token(&id_token, "access", &expected).expect("the ID Token holds");
        check_userinfo(&jwe, &portal, enc, &expected, &id.subject).expect("UserInfo holds")
    };
    check();
    c.bench_function("oidc: check one ID Token and one encrypted UserInfo", |b| b.iter(|| black_box(check())));
}

criterion_group!(benches, bench, bench_oidc);
criterion_main!(benches);
