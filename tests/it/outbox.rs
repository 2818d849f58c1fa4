//! Nothing lost, nothing sent twice: every message goes through the outbox,
//! written with the change that causes it and delivered by a worker against a
//! real SMTP server (a sink on loopback): retried with backoff while the
//! server is down, given up after a refusal for good, never sent twice by two
//! workers, and a resignation sent three times at once is one module with
//! exactly one message per recipient.
use crate::common::people::mario;
use crate::common::smtp::{free_port, serve};
use crate::common::{Browser, TestApp};
use axum::http::{header, StatusCode};
use chrono::Duration;
use diesel::prelude::*;
use servizi_lavoro::db::schema::{dimissioni_modules, outbox as o};
use servizi_lavoro::db::with_conn;
use servizi_lavoro::i18n::Lang;
use servizi_lavoro::mail::outbox::{self, Pass, State, MAX_ATTEMPTS};

fn with_smtp(port: u16) -> TestApp {
    TestApp::with_config(|c| c.smtp_url = Some(format!("smtp://127.0.0.1:{port}")))
}

/// Queues one message under `key` directly (no pass of the worker is started).
async fn queued(app: &TestApp, key: &str, to: &str) -> String {
    let message = app
        .state
        .mailer
        .compose(
            to,
            Lang::It,
            "mail-support-confirm-subject",
            "mail-support-confirm-body",
            &[("link", "x".into())],
            None,
        )
        .expect("compose");
    let (id, key, now) = (message.message_id.clone(), key.to_string(), app.state.clock.now());
    assert!(with_conn(&app.state.pool, move |c| outbox::enqueue(c, &key, &message, now)).await.expect("enqueue"));
    id
}

async fn pass(app: &TestApp) -> Pass {
    outbox::deliver_due(&app.state.pool, &app.state.mailer, app.state.clock.now()).await.expect("pass")
}

/// Waits (a few seconds at most) until `n` messages have had an attempt
/// that failed, whichever pass made it: the one a request starts runs beside
/// the test's, and a message it has claimed but not yet tried is not due.
async fn tried_and_failed(app: &TestApp, n: i64) {
    for _ in 0..250 {
        pass(app).await;
        let failed = with_conn(&app.state.pool, |c| {
            o::table.filter(o::attempts.gt(0)).filter(o::last_error.is_not_null()).count().get_result::<i64>(c)
        })
        .await
        .expect("count");
        if failed >= n {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("{n} messages were not tried");
}

async fn entry(app: &TestApp, key: &str) -> outbox::Entry {
    let key = key.to_string();
    with_conn(&app.state.pool, move |c| outbox::with_prefix(c, &key)).await.expect("entries").remove(0)
}

#[tokio::test]
async fn with_smtp_down_a_message_waits_and_is_delivered_when_it_returns() {
    let port = free_port();
    let app = with_smtp(port);
    // The request that queues a message succeeds although nobody answers SMTP.
    let mut b = Browser::new(&app);
    let fields = [
        ("nome", "Ana Pérez"),
        ("email", "ana@example.org"),
        ("categoria", "accesso"),
        ("servizio", ""),
        ("descrizione", "Non riesco ad accedere al portale."),
    ];
    assert_eq!(b.post_multipart("/supporto", &fields, None).await.status, StatusCode::SEE_OTHER);
    // A pass of the worker (the request's, or the test's) found SMTP down: it waits for a retry.
    tried_and_failed(&app, 1).await;

    let id = queued(&app, "test:down", "mario@example.org").await;
    assert_eq!(pass(&app).await.retrying, 1);
    let e = entry(&app, "test:down").await;
    let now = app.state.clock.now();
    assert_eq!((e.state(), e.attempts), (State::Pending, 1));
    assert!(e.last_error.is_some(), "why it was not sent is kept");
    let wait = (e.next_attempt_at - now).num_seconds();
    // (Read a moment after the pass that set it: a second less at most.)
    assert!((23..=36).contains(&wait), "the first retry after 30 s ± 20 %: {wait}");

    // The server comes back: nothing is sent before the retry is due, everything after.
    let sink = serve(port, false).await;
    assert_eq!(pass(&app).await, Pass::default(), "not due yet");
    app.state.clock.advance(Duration::seconds(40));
    let done = pass(&app).await;
    assert!(done.sent >= 1 && done.retrying == 0, "{done:?}");
    let e = entry(&app, "test:down").await;
    assert_eq!((e.state(), e.attempts), (State::Sent, 2));
    let kept: Vec<u8> =
        with_conn(&app.state.pool, |c| o::table.filter(o::idempotency_key.eq("test:down")).select(o::message).first(c))
            .await
            .expect("row");
    assert!(kept.is_empty(), "once sent, the message (links with secrets) is not kept");
    let received = sink.messages();
    let ours: Vec<_> = received.iter().filter(|(to, _)| to == "mario@example.org").collect();
    assert_eq!(ours.len(), 1);
    assert!(ours[0].1.contains(&format!("Message-ID: {id}")), "the Message-ID chosen when it was queued");
    assert!(received.iter().any(|(to, _)| to == "ana@example.org"), "the support request's mail too");
}

#[tokio::test]
async fn a_message_the_server_refuses_for_good_fails_at_once_and_one_that_never_passes_after_the_ceiling() {
    let port = free_port();
    let app = with_smtp(port);
    // Nobody listens: a transient failure each time, until the ceiling.
    queued(&app, "test:ceiling", "mario@example.org").await;
    for attempt in 1..=MAX_ATTEMPTS {
        let p = pass(&app).await;
        let e = entry(&app, "test:ceiling").await;
        assert_eq!(e.attempts, attempt);
        if attempt < MAX_ATTEMPTS {
            assert_eq!((p.retrying, e.state()), (1, State::Pending), "attempt {attempt}");
            app.state.clock.advance(Duration::seconds(4400));
        } else {
            assert_eq!((p.failed, e.state()), (1, State::Failed), "given up after {MAX_ATTEMPTS}");
        }
    }
    app.state.clock.advance(Duration::days(1));
    assert_eq!(pass(&app).await, Pass::default(), "a failed message is not tried again");

    // A 550: failed at the first answer, with the server's words.
    let _sink = serve(port, true).await;
    queued(&app, "test:refused", "nobody@example.org").await;
    assert_eq!(pass(&app).await.failed, 1);
    let e = entry(&app, "test:refused").await;
    assert_eq!((e.state(), e.attempts), (State::Failed, 1));
    assert!(e.last_error.is_some_and(|err| err.contains("no such mailbox")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_draining_one_database_never_send_a_message_twice() {
    let port = free_port();
    let app = with_smtp(port);
    let sink = serve(port, false).await;
    let mut ids = Vec::new();
    for i in 0..40 {
        ids.push(queued(&app, &format!("test:many:{i}"), &format!("p{i}@example.org")).await);
    }
    let (a, b) = tokio::join!(pass(&app), pass(&app));
    assert_eq!(a.sent + b.sent, 40, "{a:?} {b:?}");
    let received = sink.messages();
    assert_eq!(received.len(), 40, "each once");
    for id in &ids {
        assert_eq!(received.iter().filter(|(_, m)| m.contains(id.as_str())).count(), 1, "{id}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_resignation_sent_three_times_at_once_is_one_module_and_four_messages() {
    let port = free_port();
    let app = with_smtp(port);
    let sink = serve(port, false).await;
    crate::dimissioni::seed(&app).await;
    let mut m = mario(&app).await;
    let form = crate::dimissioni::mario_form(&app, &mut m).await;
    let d = crate::dimissioni::decorrenza(&app);
    let fields = crate::dimissioni::fields_of(
        &form,
        &[("tipo", "dimissioni"), ("decorrenza", &d), ("email_lavoratore", "mario@example.org")],
    );
    let review = crate::dimissioni::post(&mut m, "/dimissioni-volontarie/nuova/modulo", &fields).await;
    let fields = crate::dimissioni::fields_of(&review.body, &[]);
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let browser = || {
        let mut b = Browser::new(&app);
        b.cookies = m.cookies.clone();
        b
    };
    let (mut b1, mut b2, mut b3) = (browser(), browser(), browser());
    let path = "/dimissioni-volontarie/nuova/trasmetti";
    let (r1, r2, r3) = tokio::join!(
        b1.post_form(path, &pairs, false),
        b2.post_form(path, &pairs, false),
        b3.post_form(path, &pairs, false)
    );
    let codes: Vec<&str> = [&r1, &r2, &r3].iter().map(|r| r.header(header::LOCATION)).collect();
    assert!(codes.iter().all(|c| *c == codes[0] && c.starts_with("/dimissioni-volontarie/")), "{codes:?}");
    let modules =
        with_conn(&app.state.pool, |c| dimissioni_modules::table.count().get_result::<i64>(c)).await.expect("count");
    assert_eq!(modules, 1);
    let code = codes[0].trim_start_matches("/dimissioni-volontarie/").trim_end_matches("?esito=trasmesso").to_string();
    let prefix = format!("dimissioni:{code}:");
    let queued: i64 = with_conn(&app.state.pool, move |c| {
        o::table.filter(o::idempotency_key.like(format!("{prefix}%"))).count().get_result(c)
    })
    .await
    .expect("count");
    assert_eq!(queued, 4, "employer PEC and e-mail, the Ispettorato, the worker: once each");
    // Delivered, once each; the module's page says so.
    for _ in 0..200 {
        if sink.messages().len() >= 4 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    pass(&app).await;
    assert_eq!(sink.messages().len(), 4, "four messages, not twelve");
    let page = m.get(codes[0].split('?').next().unwrap_or_default()).await.body;
    assert_eq!(page.matches("Inviato").count(), 4, "each delivery shown as sent");
}

/// The module's page says where each notice stands, in words: waiting for
/// its next attempt (when, and after how many), then refused for good.
#[tokio::test]
async fn a_modules_page_says_in_words_when_a_notice_is_retried_and_when_it_was_refused() {
    let port = free_port();
    let app = with_smtp(port);
    crate::dimissioni::seed(&app).await;
    let mut m = mario(&app).await;
    let code = crate::dimissioni::mario_resigns(&app, &mut m).await;
    // Nobody answers SMTP: each message's first attempt fails (the request's own pass, or the test's).
    tried_and_failed(&app, 4).await;
    let page = m.get(&format!("/dimissioni-volontarie/{code}")).await.body;
    assert_eq!(page.matches("Non ancora consegnato (un tentativo): nuovo tentativo il").count(), 4, "{page}");
    // The server is back but knows none of the addresses: a 550 for each, at once.
    let _sink = serve(port, true).await;
    app.state.clock.advance(Duration::seconds(40));
    assert_eq!(pass(&app).await.failed, 4);
    let page = m.get(&format!("/dimissioni-volontarie/{code}")).await.body;
    assert_eq!(page.matches("Non consegnato: indirizzo inesistente").count(), 4);
    assert!(!page.contains("no such mailbox"), "the server's own words stay in the log");
    let en = m.get(&format!("/dimissioni-volontarie/{code}?lang=en")).await.body;
    assert!(en.contains("Not delivered: the address does not exist"));
}

#[tokio::test]
async fn no_domain_sends_mail_but_through_the_outbox() {
    // Only the outbox's worker talks to the transport; everything else queues.
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut dirs = vec![src.clone()];
    let mut offenders = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let rel = path.strip_prefix(&src).expect("under src").to_string_lossy().into_owned();
            if rel.starts_with("mail/") || path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("source");
            for needle in ["mailer.send", ".send_raw(", "send_later(", "AsyncSmtpTransport", "AsyncFileTransport"] {
                if text.contains(needle) {
                    offenders.push(format!("{rel}: {needle}"));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "mail sent around the outbox: {offenders:?}");
}
