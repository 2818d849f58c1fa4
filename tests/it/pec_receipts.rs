//! Delivery with proof: the PEC receipts of a module's messages are read from
//! the Ministry's mailbox over IMAP (a real Dovecot), kept only when their
//! provider's S/MIME signature verifies, matched to each message
//! by its Message-ID, shown on the module's page; the worker is told when a
//! PEC message has no receipt of delivery after 24 hours, once.
use crate::common::pec::{Mailbox, Provider};
use crate::common::people::{giulia, mario};
use crate::common::smtp::{free_port, serve};
use crate::common::TestApp;
use crate::dimissioni::mario_resigns;
use axum::http::{header, StatusCode};
use chrono::Duration;
use servizi_lavoro::db::with_conn;
use servizi_lavoro::dimissioni::receipts;
use servizi_lavoro::mail::{outbox, pec, smime};

#[tokio::test]
async fn receipts_are_read_over_imap_shown_and_a_missing_delivery_is_told_to_the_worker_once() {
    let mailbox = Mailbox::start();
    // Modules go to PEC addresses from the Ministry's PEC mailbox (an SMTP server of its own).
    let port = free_port();
    let pec_server = serve(port, false).await;
    let (url, trust) = (mailbox.url.clone(), mailbox.trust.clone());
    let app = TestApp::with_config(move |c| {
        c.pec_imap_url = Some(url);
        c.pec_trust = Some(trust);
        c.pec_smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.pec_from = Some("ministero@pec.lavoro.example.it".into());
    });
    crate::dimissioni::seed(&app).await;
    let mut b = mario(&app).await;
    let code = mario_resigns(&app, &mut b).await;
    // Sent by the request's own pass of the worker, or by this one (a row the other holds waits for it).
    let prefix = format!("dimissioni:{code}:");
    let mut entries = Vec::new();
    for _ in 0..100 {
        outbox::deliver_due(&app.state.pool, &app.state.mailer, app.state.clock.now()).await.expect("a pass");
        let p2 = prefix.clone();
        entries = with_conn(&app.state.pool, move |c| outbox::with_prefix(c, &p2)).await.expect("db");
        if entries.iter().all(|e| e.state() == outbox::State::Sent) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let of = |role: &str| entries.iter().find(|e| e.key.ends_with(&format!(":{role}"))).expect(role).clone();
    let (employer, itl) = (of("employer-pec"), of("itl"));
    assert!(entries.iter().all(|e| e.state() == outbox::State::Sent));
    // The employer's PEC and the Ispettorato's by the PEC mailbox, from its address; the rest by mail.
    let by_pec = pec_server.messages();
    let mut pec_to: Vec<&str> = by_pec.iter().map(|(to, _)| to.as_str()).collect();
    pec_to.sort();
    let mut want = vec![employer.recipient.as_str(), itl.recipient.as_str()];
    want.sort();
    assert_eq!(pec_to, want);
    assert!(by_pec.iter().all(|(_, m)| m.contains("From: ministero@pec.lavoro.example.it")));

    // The employer's provider accepts and delivers; the Ispettorato's only accepts. And some spam.
    mailbox.receipt("accettazione", &employer.message_id, &employer.recipient, "02/12/2026", "10:15:03", "acc-1");
    mailbox.receipt("avvenuta-consegna", &employer.message_id, &employer.recipient, "02/12/2026", "10:15:09", "con-1");
    mailbox.receipt("accettazione", &itl.message_id, &itl.recipient, "02/12/2026", "10:15:04", "acc-2");
    mailbox.deliver("spam.eml", "From: x@example.org\r\nSubject: offerta\r\n\r\nnot a receipt\r\n");
    // And claims of the Ispettorato's delivery that prove nothing: one
    // signed by a provider the portal does not trust, one not signed, and
    // one inside ordinary PEC mail (the provider signed the envelope, not it).
    let forger = Provider::new("Gestore sconosciuto");
    mailbox.receipt_by(&forger, "avvenuta-consegna", &itl.message_id, &itl.recipient, "02/12/2026", "10:16:00", "f-1");
    mailbox.unsigned_receipt("avvenuta-consegna", &itl.message_id, &itl.recipient, "02/12/2026", "10:16:01", "f-2");
    mailbox.envelope_claiming("avvenuta-consegna", &itl.message_id, &itl.recipient, "02/12/2026", "10:16:02", "f-3");
    // Nor one signed by a customer of a listed provider's authority, nor by a listed certificate that expired.
    let (authority, expired) = (Provider::authority("Gestore con clienti"), Provider::expired("Gestore scaduto"));
    mailbox.trust_also(&authority);
    mailbox.trust_also(&expired);
    let customer = Provider::customer_of(&authority, "Cliente del gestore");
    mailbox.receipt_by(
        &customer,
        "avvenuta-consegna",
        &itl.message_id,
        &itl.recipient,
        "02/12/2026",
        "10:16:03",
        "f-4",
    );
    mailbox.receipt_by(&expired, "avvenuta-consegna", &itl.message_id, &itl.recipient, "02/12/2026", "10:16:04", "f-5");
    let mb = || std::sync::Arc::new(pec::ImapMailbox { url: mailbox.url.clone() });
    let trust = || std::sync::Arc::new(smime::Trust::load(&mailbox.trust).expect("the providers"));
    let now = app.state.clock.now();
    let read = pec::collect(&app.state.pool, mb(), trust(), now).await.expect("read");
    assert_eq!(read, 3, "three receipts; the spam and the five claims left");
    assert_eq!(pec::collect(&app.state.pool, mb(), trust(), now).await.expect("read"), 0, "each taken once");
    let page = b.get(&format!("/dimissioni-volontarie/{code}")).await.body;
    assert_eq!(page.matches("Consegnato nella casella PEC del destinatario il 02/12/2026 alle 10:15").count(), 1);
    assert_eq!(page.matches("Accettato dal gestore PEC").count(), 2);
    assert_eq!(page.matches("In attesa della ricevuta di avvenuta consegna").count(), 1, "the Ispettorato's");

    // Each receipt as its provider signed it, to keep or to show: still verifying, the facts the same.
    let links: Vec<String> = page
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with(&format!("/dimissioni-volontarie/{code}/ricevute/")))
        .map(str::to_string)
        .collect();
    assert_eq!(links.len(), 3, "{page}");
    let providers = smime::Trust::load(&mailbox.trust).expect("the providers");
    let mut kinds = Vec::new();
    for link in &links {
        let res = b.get(link).await;
        assert_eq!((res.status, res.header(header::CONTENT_TYPE)), (StatusCode::OK, "message/rfc822"));
        let signed = providers.verify(res.body.as_bytes()).expect("the provider's signature holds");
        let receipt = pec::parse(&signed).expect("a receipt");
        assert!(res.header(header::CONTENT_DISPOSITION).contains(receipt.kind.code()));
        kinds.push(receipt.kind);
    }
    kinds.sort_by_key(|k| k.code());
    assert_eq!(kinds, [pec::ReceiptKind::Acceptance, pec::ReceiptKind::Acceptance, pec::ReceiptKind::Delivery]);
    // Someone the module does not concern learns nothing; a reference not of this module is none.
    let mut other = giulia(&app).await;
    for link in &links {
        assert_eq!(other.get(link).await.status, StatusCode::NOT_FOUND);
    }
    mailbox.receipt("accettazione", "<altro@servizi-lavoro>", "x@pec.example.it", "02/12/2026", "10:17:00", "acc-x");
    assert_eq!(pec::collect(&app.state.pool, mb(), trust(), now).await.expect("read"), 1);
    let elsewhere = format!("/dimissioni-volontarie/{code}/ricevute/{}", pec::reference("acc-x"));
    assert_eq!(b.get(&elsewhere).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        b.get(&format!("/dimissioni-volontarie/{code}/ricevute/0123456789abcdef")).await.status,
        StatusCode::NOT_FOUND
    );

    // A day later the Ispettorato's delivery is still unproved: the worker is told, once.
    assert_eq!(receipts::alert_undelivered(&app.state).await.expect("alerts"), 0, "not yet 24 hours");
    app.state.clock.advance(Duration::hours(25));
    assert_eq!(receipts::alert_undelivered(&app.state).await.expect("alerts"), 1);
    assert_eq!(receipts::alert_undelivered(&app.state).await.expect("alerts"), 0, "once");
    let told = crate::foreign_user::mail_containing(&app, "manca la ricevuta di consegna PEC").await;
    assert!(told.contains("mario.rossi@example.org") && told.contains(&itl.recipient), "{told}");

    // A receipt no listed provider signed was left unread, not thrown away:
    // once its provider is on the list, the next pass keeps it.
    mailbox.trust_also(&forger);
    let now = app.state.clock.now();
    assert_eq!(pec::collect(&app.state.pool, mb(), trust(), now).await.expect("read"), 1);
    assert_eq!(pec::collect(&app.state.pool, mb(), trust(), now).await.expect("read"), 0, "and only once");
}
