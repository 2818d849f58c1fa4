//! Data certa from a third party: every module's seal is time-stamped by a
//! real RFC 3161 authority (OpenSSL's, over HTTP), shown on its page and
//! checked by `dimissioni verify`; a token moved to another module, or an
//! authority that is down, are caught without holding a module back.
use crate::common::people::mario;
use crate::common::smtp::free_port;
use crate::common::tsa::Tsa;
use crate::common::TestApp;
use crate::dimissioni::mario_resigns;
use diesel::prelude::*;
use servizi_lavoro::db::schema::dimissioni_timestamps as ts;
use servizi_lavoro::db::with_conn;
use servizi_lavoro::dimissioni::timestamp;

async fn app_with(tsa: &Tsa) -> TestApp {
    let (url, roots) = (tsa.url.clone(), tsa.roots.clone());
    let app = TestApp::with_config(move |c| {
        c.tsa_url = Some(url);
        c.tsa_ca = Some(roots);
    });
    crate::dimissioni::seed(&app).await;
    app
}

/// Stamps what is pending until module `code` has its token (the request's
/// own stamping may be running at the same time).
async fn stamped(app: &TestApp, code: &str) -> bool {
    for _ in 0..50 {
        timestamp::stamp_pending(&app.state).await.expect("stamping");
        let c2 = code.to_string();
        if with_conn(&app.state.pool, move |c| timestamp::stamp_of(c, &c2)).await.expect("db").is_some() {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    false
}

fn verify(app: &TestApp) -> Result<timestamp::Report, servizi_lavoro::dimissioni::chain::Broken> {
    let roots = timestamp::roots(&app.state.config).expect("roots").expect("configured");
    let mut conn = app.state.pool.get().expect("conn");
    timestamp::verify(&mut conn, &roots).expect("db")
}

#[tokio::test]
async fn each_module_is_time_stamped_and_a_token_moved_to_another_module_is_caught() {
    let dir = tempfile::tempdir().expect("dir");
    let tsa = Tsa::start(dir.path(), 0);
    let app = app_with(&tsa).await;
    let mut b = mario(&app).await;
    let first = mario_resigns(&app, &mut b).await;
    assert!(stamped(&app, &first).await, "stamped by the authority");
    let page = b.get(&format!("/dimissioni-volontarie/{first}")).await.body;
    assert!(page.contains("Marca temporale") && page.contains("Test TSA"), "{page}");
    assert_eq!(verify(&app).map(|r| (r.stamped, r.unstamped.len())), Ok((1, 0)));

    let second = mario_resigns(&app, &mut b).await;
    assert!(stamped(&app, &second).await);
    assert_eq!(verify(&app).map(|r| r.stamped), Ok(2));
    // The second module's token put on the first: it is for other data.
    let (f, s) = (first.clone(), second.clone());
    with_conn(&app.state.pool, move |c| {
        let token: Vec<u8> = ts::table.find(&s).select(ts::token).first(c)?;
        diesel::update(ts::table.find(&f)).set(ts::token.eq(token)).execute(c)
    })
    .await
    .expect("tamper");
    assert_eq!(verify(&app).map_err(|b| b.code), Err(first));
}

#[tokio::test]
async fn with_the_authority_down_a_module_is_sent_and_stamped_when_it_returns() {
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let mut tsa = Tsa::start(dir.path(), port);
    let app = app_with(&tsa).await;
    tsa.stop();
    let mut b = mario(&app).await;
    let code = mario_resigns(&app, &mut b).await;
    assert_eq!(timestamp::stamp_pending(&app.state).await.expect("a pass"), 0);
    let page = b.get(&format!("/dimissioni-volontarie/{code}")).await.body;
    assert!(page.contains("In attesa della marca temporale"));
    assert_eq!(verify(&app).map(|r| r.unstamped), Ok(vec![code.clone()]), "said, not hidden");
    // The same authority back on its address: the next pass stamps it.
    let _back = Tsa::start(dir.path(), port);
    assert!(stamped(&app, &code).await);
    assert_eq!(verify(&app).map(|r| (r.stamped, r.unstamped.len())), Ok((1, 0)));
}

#[tokio::test]
async fn a_token_from_an_authority_the_portal_does_not_trust_is_not_kept() {
    // The portal trusts one authority; another answers at the configured address.
    let (trusted_dir, other_dir) = (tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"));
    let trusted = Tsa::start(trusted_dir.path(), 0);
    let other = Tsa::start(other_dir.path(), 0);
    let (url, roots) = (other.url.clone(), trusted.roots.clone());
    let app = TestApp::with_config(move |c| {
        c.tsa_url = Some(url);
        c.tsa_ca = Some(roots);
    });
    crate::dimissioni::seed(&app).await;
    let mut b = mario(&app).await;
    let code = mario_resigns(&app, &mut b).await;
    assert_eq!(timestamp::stamp_pending(&app.state).await.expect("a pass"), 0);
    let c2 = code.clone();
    assert_eq!(with_conn(&app.state.pool, move |c| timestamp::stamp_of(c, &c2)).await.expect("db"), None);
}
