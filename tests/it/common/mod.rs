//! In-process test harness: the real router on a temporary SQLite file, or on
//! a fresh database of the PostgreSQL server named by `TEST_DATABASE_URL`
//! (the test script starts one on loopback).
#![allow(dead_code)]
pub mod pec;
pub mod people;
pub mod saml;
pub mod smtp;
pub mod tsa;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use diesel::{Connection, RunQueryDsl};
use http_body_util::BodyExt;
use servizi_lavoro::app::{routes, with_layers};
use servizi_lavoro::config::Config;
use servizi_lavoro::kernel::{
    Acting, AppState, Basis, Clock, Credential, Level, Principal, Profile, Role, SignedIn, Subject,
};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use tower::ServiceExt;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Keys are slow to generate: one set per test binary, copied into each test's data dir.
fn shared_keys() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("keys dir");
        let config = Config::for_database("unused", dir.path().to_path_buf());
        let saml = servizi_lavoro::saml::Saml::from_config(&config).expect("generate keys");
        servizi_lavoro::keyring::Keyring::from_config(&config, &saml.sp.keys).expect("generate the seal key");
        servizi_lavoro::oidc::Federation::from_config(&config, 0).expect("generate the OpenID Connect keys");
        dir
    })
    .path()
}

fn copy_keys(to: &std::path::Path) {
    let (from, to) = (shared_keys().join("keys"), to.join("keys"));
    std::fs::create_dir_all(&to).expect("keys dir");
    for entry in std::fs::read_dir(&from).expect("keys") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy key");
    }
}

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    _dir: tempfile::TempDir,
}

/// A database URL for one test: a new SQLite file, or a new PostgreSQL database.
pub fn fresh_database(dir: &std::path::Path) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => {
            let name = format!(
                "sl_test_{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.subsec_nanos())
                    .unwrap_or(0)
            );
            let mut conn = diesel::PgConnection::establish(&admin).expect("connect to the test PostgreSQL server");
            diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn).expect("create test database");
            let (base, _) = admin.rsplit_once('/').expect("TEST_DATABASE_URL ends with /database");
            format!("{base}/{name}")
        }
        _ => dir.join("test.db").to_string_lossy().into_owned(),
    }
}

pub fn is_postgres() -> bool {
    std::env::var("TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty())
}

impl TestApp {
    pub fn new() -> Self {
        Self::with_config(|_| {})
    }

    pub fn with_config(adjust: impl FnOnce(&mut Config)) -> Self {
        Self::build(adjust, |r| r)
    }

    /// The real routes, plus `extra` routes (e.g. one that panics), under the real layers.
    pub fn build(adjust: impl FnOnce(&mut Config), extra: impl FnOnce(Router<AppState>) -> Router<AppState>) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_keys(dir.path());
        let url = fresh_database(dir.path());
        let mut config = Config::for_database(&url, dir.path().to_path_buf());
        adjust(&mut config);
        let pool = servizi_lavoro::db::connect(&url, 4).expect("database");
        let state = AppState::with_clock(config, pool, Clock::adjustable()).expect("app state");
        let router = with_layers(extra(routes(&state)), state.clone());
        TestApp { state, router, _dir: dir }
    }

    /// Sends `req` as from 127.0.0.1 (unless the request names another peer).
    pub async fn send(&self, mut req: Request<Body>) -> TestResponse {
        if req.extensions().get::<ConnectInfo<SocketAddr>>().is_none() {
            req.extensions_mut().insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        }
        let res = self.router.clone().oneshot(req).await.expect("router is infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        TestResponse { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(Request::get(path).body(Body::empty()).expect("request")).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(header::HeaderName, &str)]) -> TestResponse {
        let mut req = Request::get(path);
        for (k, v) in headers {
            req = req.header(k, *v);
        }
        self.send(req.body(Body::empty()).expect("request")).await
    }
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as sent (for files such as PDFs).
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn header(&self, name: impl header::AsHeaderName) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    pub fn cookies(&self) -> Vec<String> {
        self.headers.get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok().map(str::to_string)).collect()
    }

    /// The text of the first `<title>`.
    pub fn title(&self) -> &str {
        self.body.split_once("<title>").and_then(|(_, rest)| rest.split_once("</title>")).map(|(t, _)| t).unwrap_or("")
    }
}

/// A client that keeps cookies between requests, like a browser, and sends
/// `Sec-Fetch-Site: same-origin` on its own form posts.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub cookies: std::collections::BTreeMap<String, String>,
    /// Sent with every request (e.g. `X-Forwarded-For` from a proxy).
    pub headers: Vec<(header::HeaderName, String)>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Browser { app, cookies: Default::default(), headers: Vec::new() }
    }

    /// A browser whose requests arrive through a proxy that forwards `address`.
    pub fn behind_proxy(app: &'a TestApp, address: &str) -> Self {
        let mut b = Browser::new(app);
        b.headers.push((header::HeaderName::from_static("x-forwarded-for"), address.to_string()));
        b
    }

    fn with_headers(&self, mut req: axum::http::request::Builder) -> axum::http::request::Builder {
        for (k, v) in &self.headers {
            req = req.header(k, v);
        }
        req
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn keep_cookies(&mut self, res: &TestResponse) {
        for c in res.cookies() {
            let pair = c.split(';').next().unwrap_or("");
            if let Some((k, v)) = pair.split_once('=') {
                let expired = c.contains("Max-Age=0") || v.is_empty();
                if expired {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_string(), v.to_string());
                }
            }
        }
    }

    /// `path` may be an absolute URL of the portal.
    fn local(path: &str) -> String {
        match path.find("://") {
            Some(i) => path[i + 3..].find('/').map(|j| path[i + 3 + j..].to_string()).unwrap_or_else(|| "/".into()),
            None => path.to_string(),
        }
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        let req = self
            .with_headers(Request::get(Self::local(path)))
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .expect("request");
        let res = self.app.send(req).await;
        self.keep_cookies(&res);
        res
    }

    /// A form post; `cross_site` marks it as coming from another site (an IdP).
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)], cross_site: bool) -> TestResponse {
        let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let req = self
            .with_headers(Request::post(Self::local(path)))
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", if cross_site { "cross-site" } else { "same-origin" })
            .body(Body::from(body))
            .expect("request");
        let res = self.app.send(req).await;
        self.keep_cookies(&res);
        res
    }
}

impl Browser<'_> {
    /// A multipart form post (with a file as `(field, file name, bytes)`), same-origin.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, &[u8])>,
    ) -> TestResponse {
        let boundary = "----servizi-lavoro-test";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
            );
        }
        if let Some((field, name, bytes)) = file {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let req = self
            .with_headers(Request::post(Self::local(path)))
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .expect("request");
        let res = self.app.send(req).await;
        self.keep_cookies(&res);
        res
    }
}

/// The value of `<input name="{name}" value="…">` in a page.
/// The Italian day `offset` days from the test clock's now, as a form's date
/// field takes it (`yyyy-mm-dd`): the portal counts Italian days, so a UTC
/// date is yesterday's between 23:00 and midnight UTC.
pub fn day(app: &TestApp, offset: i64) -> String {
    (servizi_lavoro::kernel::clock::italian_day(app.state.clock.now()) + chrono::Duration::days(offset))
        .format("%Y-%m-%d")
        .to_string()
}

pub fn input_value(html: &str, name: &str) -> Option<String> {
    let start = html.find(&format!("name=\"{name}\""))?;
    let tag_start = html[..start].rfind('<')?;
    let tag_end = start + html[start..].find('>')?;
    let tag = &html[tag_start..tag_end];
    let v = tag.split("value=\"").nth(1)?.split('"').next()?;
    Some(v.replace("&amp;", "&").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">"))
}

/// A signed-in person for decisions made without a request.
pub fn person(credential: Credential, level: Level) -> SignedIn {
    SignedIn {
        account_id: servizi_lavoro::kernel::AccountId::new(7),
        given_name: "Test".into(),
        family_name: "Person".into(),
        identifier: "X".into(),
        credential,
        level,
        idp_entity_id: "https://idp.example".into(),
        idp_name: "IdP".into(),
        at: chrono::Utc::now().naive_utc(),
        previous: None,
        idp_session: None,
        protocol: servizi_lavoro::kernel::Protocol::Saml,
        oidc_grant: None,
        declared_codice_fiscale: None,
    }
}

/// `actor` acting for themself in `profile`, with `roles`.
pub fn principal_of(actor: SignedIn, profile: Profile, roles: Vec<Role>) -> Principal {
    Principal {
        actor,
        acting: Acting { subject: Subject::Themself, capacity: profile, basis: Basis::Own },
        roles,
        session_until: None,
    }
}

/// An activity page (or its CSV) names what an action was about in words:
/// none of the audit trail's codes (`service:…`, `org:3`, `delega:1`…) shows.
pub fn assert_no_internal_codes(body: &str) {
    let codes =
        ["service:", "org:", "delega:", "dimissioni:", "membership:", "invitation:", "profile:own", "support-case:"];
    for code in codes {
        assert!(!body.contains(code), "{code} shown to a person:\n{body}");
    }
}
