//! The seal of Dimissioni modules: a key of its own (not the SAML key), kept
//! verifiable across rotation by retired certificates; a seal that covers
//! the sender, the worker's account and the retrieval code; a revoca that
//! must match the module it names; and signed checkpoints that catch the
//! newest modules deleted.
use crate::common::people::mario;

use crate::common::TestApp;
use crate::dimissioni::{mario_resigns, module_of, with_relationship};
use diesel::prelude::*;
use servizi_lavoro::db::schema::{dimissioni_checkpoints as cp, dimissioni_modules as m};
use servizi_lavoro::db::with_conn;
use servizi_lavoro::dimissioni::{chain, checkpoint, modulo, seal};
use servizi_lavoro::keyring::{key_id, Keyring};
use servizi_lavoro::saml::keys::{generate, CertSubject};

fn verify_with(app: &TestApp, keys: &Keyring) -> Result<usize, String> {
    let mut conn = app.state.pool.get().expect("conn");
    chain::verify(&mut conn, keys).expect("db").map_err(|b| format!("{}: {}", b.code, b.why))
}

fn verify(app: &TestApp) -> Result<usize, String> {
    verify_with(app, &app.state.seal)
}

fn new_key() -> servizi_lavoro::saml::keys::KeyPair {
    generate(&CertSubject {
        common_name: "Servizi Lavoro - sigillo 2028".into(),
        organization: "Ministero del Lavoro".into(),
        entity_id: "https://servizi.example.it".into(),
        organization_identifier: "PA:IT-m_lps".into(),
        locality: "Roma".into(),
        public_sector: true,
        days: 30,
        key_bits: 2048,
    })
    .expect("a key")
}

async fn set(app: &TestApp, code: &str, sql_column: &str, value: &str) {
    let q = format!("UPDATE dimissioni_modules SET {sql_column} = {value} WHERE code = '{code}'");
    with_conn(&app.state.pool, move |c| diesel::sql_query(q.clone()).execute(c)).await.expect("tamper");
}

#[tokio::test]
async fn modules_are_sealed_with_a_key_of_their_own_that_verifies_after_rotation() {
    let app = with_relationship().await;
    let mut b = mario(&app).await;
    let code = mario_resigns(&app, &mut b).await;
    let sealed = module_of(&app, &code).await;
    let seal_id = app.state.seal.current_id.clone();
    assert_eq!(sealed.seal_key.as_deref(), Some(seal_id.as_str()), "the seal names its key");
    assert_ne!(seal_id, key_id(&app.state.saml.sp.keys.cert), "not the SAML key");
    assert!(!seal::signed(&app.state.saml.sp.keys.cert, &sealed.hash, &sealed.signature));
    assert_eq!(verify(&app), Ok(1));

    // A new seal key; the old certificate retired, not forgotten.
    let legacy = app.state.saml.sp.keys.cert.clone();
    let rotated = Keyring::new(new_key(), vec![app.state.seal.current.cert.clone()], legacy.clone());
    assert_eq!(verify_with(&app, &rotated), Ok(1), "old modules verify with the retired certificate");
    let forgotten = Keyring::new(new_key(), Vec::new(), legacy);
    assert!(verify_with(&app, &forgotten).is_err_and(|e| e.contains("key the portal does not know")));
}

#[tokio::test]
async fn the_seal_covers_the_sender_the_workers_account_the_retrieval_code_and_the_revoca() {
    let app = with_relationship().await;
    let mut b = mario(&app).await;
    let first = mario_resigns(&app, &mut b).await;
    let second = mario_resigns(&app, &mut b).await;
    let revoked = b.post_form(&format!("/dimissioni-volontarie/{first}/revoca"), &[("conferma", "si")], false).await;
    assert_eq!(revoked.status, axum::http::StatusCode::SEE_OTHER);
    assert_eq!(verify(&app), Ok(3));
    let original = module_of(&app, &second).await;

    // Another person's account (Giulia's) as the sender.
    crate::common::people::giulia(&app).await;
    let other = format!("(SELECT min(id) FROM accounts WHERE id <> {})", original.filed_by_account_id);
    set(&app, &second, "filed_by_account_id", &other).await;
    assert!(verify(&app).is_err_and(|e| e.starts_with(&second)), "the sender is sealed");
    set(&app, &second, "filed_by_account_id", &original.filed_by_account_id.to_string()).await;
    set(&app, &second, "worker_account_id", "NULL").await;
    assert!(verify(&app).is_err_and(|e| e.starts_with(&second)), "the worker's account is sealed");
    let account = original.worker_account_id.map_or("NULL".into(), |a| a.to_string());
    set(&app, &second, "worker_account_id", &account).await;
    set(&app, &second, "retrieval_code", "'AAAA-BBBB-CCCC'").await;
    assert!(verify(&app).is_err_and(|e| e.starts_with(&second)), "the retrieval code is sealed");
    let retrieval = format!("'{}'", original.retrieval_code.clone().expect("a retrieval code"));
    set(&app, &second, "retrieval_code", &retrieval).await;
    assert_eq!(verify(&app), Ok(3), "restored");

    // The revoca recorded on a module is the one that names it, and only that.
    set(&app, &first, "revoked_by_code", "NULL").await;
    assert!(verify(&app).is_err_and(|e| e.starts_with(&first) && e.contains("revoca")));
    let revoca = revoked
        .header(axum::http::header::LOCATION)
        .trim_start_matches("/dimissioni-volontarie/")
        .trim_end_matches("?esito=trasmesso")
        .to_string();
    set(&app, &first, "revoked_by_code", &format!("'{revoca}'")).await;
    set(&app, &second, "revoked_by_code", &format!("'{revoca}'")).await;
    assert!(verify(&app).is_err_and(|e| e.starts_with(&second) && e.contains("revoca")));
}

#[tokio::test]
async fn deleting_the_newest_modules_is_caught_by_a_signed_checkpoint() {
    let app = with_relationship().await;
    let mut b = mario(&app).await;
    for _ in 0..3 {
        mario_resigns(&app, &mut b).await;
    }
    let (keys, now) = (app.state.seal.clone(), app.state.clock.now());
    let k2 = keys.clone();
    let point = with_conn(&app.state.pool, move |c| checkpoint::write_if_moved(c, &k2, now))
        .await
        .expect("db")
        .expect("the chain grew");
    assert_eq!(point.modules, 3);
    checkpoint::append(&app.state.config.data_dir, &point).expect("log");
    let k2 = keys.clone();
    assert_eq!(with_conn(&app.state.pool, move |c| checkpoint::write_if_moved(c, &k2, now)).await.expect("db"), None);
    let log = checkpoint::log_path(&app.state.config.data_dir);
    let check = |with_log: bool| {
        let mut conn = app.state.pool.get().expect("conn");
        let chain = modulo::chain(&mut conn).expect("chain");
        checkpoint::verify(&mut conn, &keys, &chain, with_log.then_some(log.as_path())).expect("db").map_err(|b| b.why)
    };
    assert_eq!(check(true), Ok(2), "the database's checkpoint and the log's");

    // The newest module deleted: still a chain, but shorter than the checkpoint says.
    let newest = point.head_code.clone();
    with_conn(&app.state.pool, move |c| diesel::delete(m::table.filter(m::code.eq(&newest))).execute(c))
        .await
        .expect("delete");
    assert_eq!(verify(&app), Ok(2), "the chain alone cannot tell");
    assert!(check(false).is_err_and(|why| why.contains("newest modules were deleted")));
    // The checkpoints deleted too: the log outside the database still tells.
    with_conn(&app.state.pool, |c| diesel::delete(cp::table).execute(c)).await.expect("delete");
    assert_eq!(check(false), Ok(0));
    assert!(check(true).is_err_and(|why| why.contains("newest modules were deleted")));
    // A forged line in the log is refused by its signature.
    let forged = std::fs::read_to_string(&log).expect("log").replace("|3|", "|2|");
    std::fs::write(&log, forged).expect("write");
    assert!(check(true).is_err_and(|why| why.contains("signature")));
}
