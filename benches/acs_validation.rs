//! How long the ACS takes to check one signed SPID Response: both XML
//! signatures (xmlsec) and every SPID rule, as `POST /saml/acs` does before
//! touching the database. (pysaml2, behind djangosaml2-spid, takes 75–90 ms
//! per Response on the project's 2-core machine.)
use criterion::{criterion_group, criterion_main, Criterion};
use servizi_lavoro::auth::demo_idp::issue::ResponseSpec;
use servizi_lavoro::kernel::{Credential, Level};
use servizi_lavoro::saml::comparison::Comparison;
use servizi_lavoro::saml::keys::{generate, CertSubject};
use servizi_lavoro::saml::response::ResponseRecord;
use servizi_lavoro::saml::response::{verify, Expected};
use std::hint::black_box;

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

criterion_group!(benches, bench);
criterion_main!(benches);
