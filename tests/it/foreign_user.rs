//! Utente Estero, in-process: register with a document, confirm the address
//! from the mail outbox, a helpdesk operator (signed in with SPID) approves or
//! rejects, then password + one-time code, recovery codes, throttling.

use crate::common::saml::{post, spec, start};
use crate::common::{Browser, TestApp, TestResponse};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use servizi_lavoro::foreign::totp;
use servizi_lavoro::kernel::Level;

pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR fake scan";
pub const PASSWORD: &str = "tramonto sul Nilo 88";

pub fn fields(email: &str, expiry: &str) -> Vec<(&'static str, String)> {
    vec![
        ("given_name", "Ana".into()),
        ("family_name", "Pérez".into()),
        ("birth_date", "1990-04-12".into()),
        ("birth_country", "AR".into()),
        ("citizenship", "AR".into()),
        ("email", email.into()),
        ("phone", "+54 11 5555 0100".into()),
        ("doc_type", "passport".into()),
        ("doc_number", "AAB123456".into()),
        ("doc_country", "AR".into()),
        ("doc_expiry", expiry.into()),
        ("password", PASSWORD.into()),
        ("password_confirm", PASSWORD.into()),
        ("consent", "yes".into()),
    ]
}

pub async fn register(b: &mut Browser<'_>, fields: &[(&str, String)], file: Option<(&str, &[u8])>) -> TestResponse {
    let boundary = "----servizi-lavoro-test";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"document\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let req = Request::post("/registrazione-utente-estero")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .expect("request");
    b.app.send(req).await
}

/// The mails in the outbox, oldest first, decoded.
pub fn outbox(app: &TestApp) -> Vec<String> {
    let dir = app.state.config.data_dir.join("outbox");
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect()).unwrap_or_default();
    files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    files
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .map(|p| decode(&std::fs::read_to_string(p).unwrap_or_default()))
        .collect()
}

/// Waits (a little) until the outbox's worker has sent `n` mails; all of them.
pub async fn outbox_with(app: &TestApp, n: usize) -> Vec<String> {
    for _ in 0..100 {
        let mails = outbox(app);
        if mails.len() >= n {
            return mails;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    outbox(app)
}

/// Waits (a little) until `n` mails contain `needle`; those mails.
pub async fn mails_containing(app: &TestApp, needle: &str, n: usize) -> Vec<String> {
    for _ in 0..100 {
        let found: Vec<String> = outbox(app).into_iter().filter(|m| m.contains(needle)).collect();
        if found.len() >= n {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    outbox(app).into_iter().filter(|m| m.contains(needle)).collect()
}

/// Waits (a little) for a mail sent off the request path that contains `needle`.
pub async fn mail_containing(app: &TestApp, needle: &str) -> String {
    for _ in 0..100 {
        if let Some(m) = outbox(app).into_iter().rev().find(|m| m.contains(needle)) {
            return m;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no mail containing {needle:?}");
}

/// Undoes quoted-printable and base64 bodies, enough to read links and text.
fn decode(eml: &str) -> String {
    let (head, body) = eml.split_once("\r\n\r\n").unwrap_or((eml, ""));
    if head.to_lowercase().contains("content-transfer-encoding: base64") {
        use base64::Engine;
        let clean: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        return format!(
            "{head}\n\n{}",
            String::from_utf8_lossy(&base64::engine::general_purpose::STANDARD.decode(clean).unwrap_or_default())
        );
    }
    let joined = body.replace("=\r\n", "");
    let mut out = Vec::new();
    let bytes = joined.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(v) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    format!("{head}\n\n{}", String::from_utf8_lossy(&out))
}

pub fn link_in(mail: &str, marker: &str) -> String {
    let start = mail.find(marker).expect("link in mail");
    mail[start..].split_whitespace().next().expect("link").to_string()
}

/// Mario (demo SPID person) signed in, and made an operator.
pub async fn operator(app: &TestApp) -> Browser<'_> {
    servizi_lavoro::db::with_conn(&app.state.pool, |c| {
        servizi_lavoro::identity::roles::add(c, "RSSMRA80A01H501U", servizi_lavoro::kernel::Clock::system().now())
    })
    .await
    .expect("operator");
    let mut b = Browser::new(app);
    let s = start(&mut b, "spid", 2).await;
    let xml = spec(app, &s.request_id, Level::L2).signed(&crate::common::saml::demo_keys(app)).expect("sign");
    assert_eq!(post(&mut b, &xml, &s.relay_state).await.status, StatusCode::SEE_OTHER);
    b
}

/// Registers and confirms Ana; returns her request id as the console links it.
pub async fn registered_and_confirmed(app: &TestApp, ops: &mut Browser<'_>) -> String {
    let mut ana = Browser::new(app);
    let res = register(&mut ana, &fields("ana.perez@example.com", "2035-01-01"), Some(("passport.png", PNG))).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.header(header::LOCATION), "/registrazione-utente-estero/inviata");
    // Not in the queue before the address is confirmed.
    assert!(!ops.get("/assistenza").await.body.contains("Ana Pérez"));
    let mail = mail_containing(app, "registrazione-utente-estero/conferma?token=").await;
    assert!(mail.contains("To: ana.perez@example.com"));
    let link = link_in(&mail, "http://localhost:3000/registrazione-utente-estero/conferma?token=");
    let confirmed = ana.get(&link).await;
    assert_eq!(confirmed.status, StatusCode::OK);
    assert!(confirmed.body.contains("Indirizzo confermato"));
    assert_eq!(ana.get(&link).await.status, StatusCode::BAD_REQUEST, "the link works once");
    let queue = ops.get("/assistenza").await;
    assert_eq!(queue.status, StatusCode::OK);
    let href = queue
        .body
        .split("href=\"/assistenza/richieste/")
        .nth(1)
        .expect("request link")
        .split('"')
        .next()
        .expect("id")
        .to_string();
    assert!(queue.body.contains("Ana Pérez"));
    href
}

pub async fn sign_in_password<'a>(app: &'a TestApp, email: &str, password: &str) -> (Browser<'a>, TestResponse) {
    let mut b = Browser::new(app);
    let res = b.post_form("/accesso-utente-estero", &[("email", email), ("password", password)], false).await;
    (b, res)
}

pub fn current_code(secret: &str, offset_steps: i64) -> String {
    let step = totp::step_of(chrono::Utc::now().timestamp()) + offset_steps;
    totp::code_at(&totp::unbase32(secret).expect("secret"), step)
}

#[tokio::test]
async fn the_whole_journey_from_registration_to_signing_in_with_a_code() {
    let app = TestApp::new();
    let mut ops = operator(&app).await;
    let id = registered_and_confirmed(&app, &mut ops).await;

    // The operator sees the details and the document, then approves.
    let page = ops.get(&format!("/assistenza/richieste/{id}")).await;
    assert!(page.body.contains("AAB123456") && page.body.contains("Argentina"));
    let doc = ops.get(&format!("/assistenza/richieste/{id}/documento")).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert_eq!(doc.header(header::CONTENT_TYPE), "image/png");
    assert!(doc.body.contains("IHDR fake scan"), "the stored scan comes back unchanged");
    assert_eq!(
        app.get(&format!("/assistenza/richieste/{id}/documento")).await.status,
        StatusCode::UNAUTHORIZED,
        "never public"
    );
    let res = ops.post_form(&format!("/assistenza/richieste/{id}/decisione"), &[("decision", "approve")], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let console = ops.get("/assistenza").await;
    assert!(
        console.body.contains("Approvata") && console.body.contains("Mario Rossi"),
        "the decision is recorded with who made it"
    );
    let mail = mail_containing(&app, "UE-").await;
    assert!(mail.contains("approvata") && mail.contains("UE-"));

    // First sign-in: password, then enrol the authenticator.
    let (mut ana, res) = sign_in_password(&app, "Ana.Perez@example.com", PASSWORD).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.header(header::LOCATION), "/accesso-utente-estero/attiva-codice");
    let enrol = ana.get("/accesso-utente-estero/attiva-codice").await;
    assert!(enrol.body.contains("data:image/svg+xml;base64,"), "QR code drawn on the server");
    let secret =
        enrol.body.split("class=\"secret\">").nth(1).and_then(|s| s.split('<').next()).expect("secret").to_string();
    let wrong = ana.post_form("/accesso-utente-estero/attiva-codice", &[("code", "000000")], false).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done =
        ana.post_form("/accesso-utente-estero/attiva-codice", &[("code", &current_code(&secret, 0))], false).await;
    assert_eq!(done.status, StatusCode::OK);
    let codes: Vec<String> =
        done.body.split("<li><code>").skip(1).filter_map(|s| s.split('<').next().map(str::to_string)).collect();
    assert_eq!(codes.len(), 10);
    let area = ana.get("/area-personale").await;
    assert!(area.body.contains("Benvenuto, Ana Pérez") && area.body.contains("UE-") && area.body.contains("Livello 2"));
    assert_eq!(ana.post_form("/esci", &[], false).await.header(header::LOCATION), "/uscita");

    // Later sign-ins: password + code; a recovery code works once.
    let (mut ana, res) = sign_in_password(&app, "ana.perez@example.com", PASSWORD).await;
    assert_eq!(res.header(header::LOCATION), "/accesso-utente-estero/codice");
    let reused = ana.post_form("/accesso-utente-estero/codice", &[("code", &current_code(&secret, 0))], false).await;
    assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY, "the enrolment code cannot be used again");
    let ok = ana.post_form("/accesso-utente-estero/codice", &[("code", &codes[0])], false).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert!(ana.get("/area-personale").await.body.contains("Ana Pérez"));
    let (mut again, _) = sign_in_password(&app, "ana.perez@example.com", PASSWORD).await;
    let spent = again.post_form("/accesso-utente-estero/codice", &[("code", &codes[0])], false).await;
    assert_eq!(spent.status, StatusCode::UNPROCESSABLE_ENTITY, "a recovery code works once");
    // A third wrong code in a row: the next attempt must wait (the throttle); let that time pass.
    let wrong = again.post_form("/accesso-utente-estero/codice", &[("code", "000000")], false).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let too_soon =
        again.post_form("/accesso-utente-estero/codice", &[("code", &current_code(&secret, 1))], false).await;
    assert_eq!(too_soon.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: i64 = too_soon.header(header::RETRY_AFTER).parse().expect("retry-after");
    app.state.clock.advance(chrono::Duration::seconds(wait));
    let next = again.post_form("/accesso-utente-estero/codice", &[("code", &current_code(&secret, 1))], false).await;
    assert_eq!(next.status, StatusCode::SEE_OTHER, "the next code works");

    // The stored hash is Argon2id with at least OWASP's parameters.
    use diesel::prelude::*;
    use servizi_lavoro::db::schema::foreign_users as u;
    let phc: String = servizi_lavoro::db::with_conn(&app.state.pool, |c| u::table.select(u::password_hash).first(c))
        .await
        .expect("hash");
    assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
}

#[tokio::test]
async fn a_rejected_request_needs_a_reason_and_cannot_sign_in() {
    let app = TestApp::new();
    let mut ops = operator(&app).await;
    let id = registered_and_confirmed(&app, &mut ops).await;
    let no_reason = ops
        .post_form(&format!("/assistenza/richieste/{id}/decisione"), &[("decision", "reject"), ("reason", " ")], false)
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("Scrivi il motivo del rifiuto"));
    let res = ops
        .post_form(
            &format!("/assistenza/richieste/{id}/decisione"),
            &[("decision", "reject"), ("reason", "La scansione non è leggibile")],
            false,
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let mail = mail_containing(&app, "non è stata approvata").await;
    assert!(mail.contains("non è stata approvata") && mail.contains("La scansione non è leggibile"));
    assert!(ops.get("/assistenza").await.body.contains("Respinta"));
    let (_, res) = sign_in_password(&app, "ana.perez@example.com", PASSWORD).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bad_registrations_come_back_with_errors_and_values_kept() {
    let app = TestApp::new();
    let mut b = Browser::new(&app);
    // Expired document.
    let res = register(&mut b, &fields("ana@example.com", "2020-01-01"), Some(("p.png", PNG))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Il documento è scaduto"));
    assert!(res.body.contains("value=\"AAB123456\""), "typed values are kept");
    assert!(!res.body.contains(PASSWORD), "the password is never echoed");
    assert!(res.body.contains("href=\"#doc_expiry\""), "the summary links to the field");
    // Wrong type, decided by content.
    let res = register(&mut b, &fields("ana@example.com", "2035-01-01"), Some(("scan.png", b"<html>no</html>"))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("PDF, un JPEG o un PNG"));
    // Too large.
    let big = [PNG, &vec![0u8; 5 * 1024 * 1024 + 10]].concat();
    let res = register(&mut b, &fields("ana@example.com", "2035-01-01"), Some(("big.png", &big))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("supera 5 MB"));
    // A common password.
    let mut f = fields("ana@example.com", "2035-01-01");
    f.retain(|(k, _)| !k.starts_with("password"));
    f.push(("password", "password1234".into()));
    f.push(("password_confirm", "password1234".into()));
    let res = register(&mut b, &f, Some(("p.png", PNG))).await;
    assert!(res.body.contains("troppo comune"));
    assert!(outbox(&app).is_empty(), "nothing was sent, nothing saved");
}

#[tokio::test]
async fn registering_a_known_address_answers_the_same() {
    let app = TestApp::new();
    let mut b = Browser::new(&app);
    let first = register(&mut b, &fields("ana@example.com", "2035-01-01"), Some(("p.png", PNG))).await;
    let second = register(&mut b, &fields("ana@example.com", "2035-01-01"), Some(("p.png", PNG))).await;
    assert_eq!((first.status, first.header(header::LOCATION)), (second.status, second.header(header::LOCATION)));
    let mails = outbox_with(&app, 2).await;
    assert_eq!(mails.len(), 2);
    assert!(mails.iter().any(|m| m.contains("già registrato")), "the owner of the address is told instead");
}

#[tokio::test]
async fn the_console_is_for_operators_only() {
    let app = TestApp::new();
    assert_eq!(app.get("/assistenza").await.status, StatusCode::UNAUTHORIZED);
    let mut b = Browser::new(&app);
    let s = start(&mut b, "spid", 1).await;
    let xml = spec(&app, &s.request_id, Level::L1).signed(&crate::common::saml::demo_keys(&app)).expect("sign");
    post(&mut b, &xml, &s.relay_state).await;
    let res = b.get("/assistenza").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.body.contains("ruolo di operatore"));
}

/// Ana approved, enrolled and signed in; returns her browser, TOTP secret and recovery codes.
pub async fn enrolled(app: &TestApp) -> (Browser<'_>, String, Vec<String>) {
    let mut ops = operator(app).await;
    let id = registered_and_confirmed(app, &mut ops).await;
    ops.post_form(&format!("/assistenza/richieste/{id}/decisione"), &[("decision", "approve")], false).await;
    let (mut ana, _) = sign_in_password(app, "ana.perez@example.com", PASSWORD).await;
    let enrol = ana.get("/accesso-utente-estero/attiva-codice").await;
    let secret =
        enrol.body.split("class=\"secret\">").nth(1).and_then(|s| s.split('<').next()).expect("secret").to_string();
    let done =
        ana.post_form("/accesso-utente-estero/attiva-codice", &[("code", &current_code(&secret, 0))], false).await;
    let codes = done.body.split("<li><code>").skip(1).filter_map(|s| s.split('<').next().map(str::to_string)).collect();
    (ana, secret, codes)
}

const NEW_PASSWORD: &str = "alba sulle Ande 2031";

#[tokio::test]
async fn a_forgotten_password_is_reset_with_the_mail_link_and_the_second_factor() {
    let app = TestApp::new();
    let (mut before, _secret, codes) = enrolled(&app).await;
    assert_eq!(before.get("/area-personale").await.status, StatusCode::OK);
    let mut b = Browser::new(&app);
    let known =
        b.post_form("/accesso-utente-estero/password-dimenticata", &[("email", "ana.perez@example.com")], false).await;
    let unknown =
        b.post_form("/accesso-utente-estero/password-dimenticata", &[("email", "nobody@example.com")], false).await;
    assert_eq!(
        (known.status, known.header(header::LOCATION)),
        (unknown.status, unknown.header(header::LOCATION)),
        "no enumeration"
    );
    let mail = mail_containing(&app, "nuova-password?token=").await;
    assert!(mail.contains("To: ana.perez@example.com"));
    let link = link_in(&mail, "http://localhost:3000/accesso-utente-estero/nuova-password?token=");
    let form = b.get(&link).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"code\""), "the second factor is asked");
    let token = crate::common::input_value(&form.body, "token").expect("token");
    let no_code = b
        .post_form(
            "/accesso-utente-estero/nuova-password",
            &[("token", &token), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD), ("code", "000000")],
            false,
        )
        .await;
    assert_eq!(no_code.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = b
        .post_form(
            "/accesso-utente-estero/nuova-password",
            &[("token", &token), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD), ("code", &codes[3])],
            false,
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(b.get(&link).await.status, StatusCode::BAD_REQUEST, "the link works once");
    assert!(before.get("/area-personale").await.status.is_redirection(), "sessions opened before the reset are over");
    assert_eq!(sign_in_password(&app, "ana.perez@example.com", PASSWORD).await.1.status, StatusCode::UNAUTHORIZED);
    let (_, res) = sign_in_password(&app, "ana.perez@example.com", NEW_PASSWORD).await;
    assert_eq!(res.header(header::LOCATION), "/accesso-utente-estero/codice");
}

#[tokio::test]
async fn a_password_form_posted_after_the_session_ended_is_never_kept() {
    use diesel::prelude::*;
    use servizi_lavoro::db::schema::kept_forms as k;
    let app = TestApp::new();
    let (mut ana, _, _) = enrolled(&app).await;
    app.state.clock.advance(chrono::Duration::minutes(31));
    let res = ana
        .post_form(
            "/area-personale/password",
            &[("current", PASSWORD), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)],
            false,
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(!res.header(header::LOCATION).contains("moduli-conservati"), "not offered back");
    let bodies: Vec<String> =
        servizi_lavoro::db::with_conn(&app.state.pool, |c| k::table.select(k::body).load(c)).await.expect("kept");
    assert!(bodies.iter().all(|b| !b.contains(PASSWORD) && !b.contains("tramonto")), "{bodies:?}");
    assert!(bodies.is_empty());
}

#[tokio::test]
async fn a_signed_in_foreign_user_changes_the_password() {
    let app = TestApp::new();
    let (mut ana, _, _) = enrolled(&app).await;
    assert_eq!(ana.get("/area-personale/password").await.status, StatusCode::OK);
    let wrong = ana
        .post_form(
            "/area-personale/password",
            &[("current", "not it at all"), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)],
            false,
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("La password attuale non è corretta"));
    let ok = ana
        .post_form(
            "/area-personale/password",
            &[("current", PASSWORD), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)],
            false,
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert!(ana.get("/area-personale").await.status.is_redirection());
    assert_eq!(sign_in_password(&app, "ana.perez@example.com", NEW_PASSWORD).await.1.status, StatusCode::SEE_OTHER);
    // Only foreign users have a portal password.
    let mut mario = operator(&app).await;
    assert_eq!(mario.get("/area-personale/password").await.status, StatusCode::FORBIDDEN);
}
