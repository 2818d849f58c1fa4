//! The portal's foundation, in-process: pages, languages, errors, security
//! layers, sessions and health. Run on SQLite, and on PostgreSQL when
//! `TEST_DATABASE_URL` is set.

use crate::common::TestApp;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::routing::get;
use servizi_lavoro::i18n::MISSING_MARKER;

/// Every page the router serves, for checks that must hold on all of them.
const PAGES: &[&str] = &[
    "/",
    "/accedi",
    "/aiuto",
    "/dichiarazione-accessibilita",
    "/privacy",
    "/cookie",
    "/uscita",
    "/servizi",
    "/servizi/dimissioni-volontarie",
    "/registrazione-utente-estero",
    "/registrazione-utente-estero/inviata",
    "/accesso-utente-estero",
    "/accesso-utente-estero/password-dimenticata",
    "/accesso-utente-estero/password-dimenticata/inviata",
    "/accesso-utente-estero/password-aggiornata",
    "/faq",
    "/faq?q=deleghe",
    "/faq/dimissioni-online",
    "/supporto",
];

fn assert_complete_page(html: &str, lang: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"), "no doctype: {}", &html[..html.len().min(200)]);
    assert!(html.contains(&format!("<html lang=\"{lang}\"")), "wrong or missing lang");
    assert!(html.contains("<main id=\"main\""), "no main landmark");
    assert!(html.contains("<a href=\"#main\" class=\"skip-link\">"), "no skip link");
    assert!(html.contains("</footer>"), "no footer");
    assert!(
        !html.contains(MISSING_MARKER),
        "a message is missing: {}",
        html.split(MISSING_MARKER).nth(1).unwrap_or("").chars().take(60).collect::<String>()
    );
    // Async SSR: the content is in the HTML, no streamed fallbacks or templates to be swapped in by script.
    assert!(!html.contains("<template"), "out-of-order streaming template found");
}

#[tokio::test]
async fn home_renders_complete_html_in_italian_by_default() {
    let app = TestApp::new();
    let res = app.get("/").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.header(header::CONTENT_TYPE).starts_with("text/html"));
    assert_complete_page(&res.body, "it");
    assert_eq!(res.title(), "Home | Servizi Lavoro");
    assert!(res.body.contains("Ministero del Lavoro e delle Politiche Sociali"));
    assert!(res.body.contains("Quattro modi per accedere"));
    for credential in ["SPID", "CIE", "eIDAS", "Utente Estero"] {
        assert!(res.body.contains(credential), "{credential} missing from home");
    }
    assert!(res.body.contains("href=\"/accedi\""), "no link to the login choice");
}

#[tokio::test]
async fn home_renders_in_english() {
    let app = TestApp::new();
    let res = app.get("/?lang=en").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_complete_page(&res.body, "en");
    assert!(res.body.contains("Four ways to sign in"));
    assert!(res.body.contains("Ministry of Labour and Social Policies"));
    assert!(!res.body.contains("Quattro modi"));
}

#[tokio::test]
async fn every_page_renders_in_both_languages_without_missing_messages() {
    let app = TestApp::new();
    for path in PAGES {
        for lang in ["it", "en"] {
            let sep = if path.contains('?') { "&" } else { "?" };
            let res = app.get(&format!("{path}{sep}lang={lang}")).await;
            assert_eq!(res.status, StatusCode::OK, "{path} in {lang}");
            assert_complete_page(&res.body, lang);
            assert!(res.title().ends_with("| Servizi Lavoro"), "{path}: title {:?}", res.title());
        }
    }
}

/// The pages of a signed-in person (Mario, also a helpdesk operator, with an
/// employment relationship), in both languages: complete, every message there.
#[tokio::test]
async fn signed_in_pages_render_in_both_languages_without_missing_messages() {
    let app = crate::dimissioni::with_relationship().await;
    let mut m = crate::foreign_user::operator(&app).await;
    for path in [
        "/area-personale",
        "/area-personale/attivita",
        "/area-personale/sessioni",
        "/profili",
        "/profili/associa",
        "/profili/registra",
        "/deleghe",
        "/deleghe/nuova",
        "/dimissioni-volontarie",
        "/dimissioni-volontarie/nuova",
        "/dimissioni-volontarie/nuova/rapporto?idoneo=si",
        "/dimissioni-volontarie/nuova/modulo?cf_datore=01234567897",
        "/moduli-conservati",
        "/supporto",
        "/servizi",
        "/servizi/smart-working",
        "/assistenza",
        "/assistenza/supporto",
    ] {
        for lang in ["it", "en"] {
            let sep = if path.contains('?') { "&" } else { "?" };
            let res = m.get(&format!("{path}{sep}lang={lang}")).await;
            assert_eq!(res.status, StatusCode::OK, "{path} in {lang}");
            assert_complete_page(&res.body, lang);
        }
    }
}

#[tokio::test]
async fn language_is_negotiated_query_then_cookie_then_accept_language_then_italian() {
    let app = TestApp::new();
    let lang_of = |body: &str| body.split_once("<html lang=\"").map(|(_, r)| r[..2].to_string()).unwrap_or_default();

    // Nothing: Italian.
    assert_eq!(lang_of(&app.get("/").await.body), "it");
    // An unsupported Accept-Language: Italian.
    let res = app.get_with("/", &[(header::ACCEPT_LANGUAGE, "de-DE,fr;q=0.8")]).await;
    assert_eq!(lang_of(&res.body), "it");
    // Accept-Language.
    let res = app.get_with("/", &[(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9")]).await;
    assert_eq!(lang_of(&res.body), "en");
    // The cookie beats Accept-Language.
    let res = app.get_with("/", &[(header::ACCEPT_LANGUAGE, "en"), (header::COOKIE, "lang=it")]).await;
    assert_eq!(lang_of(&res.body), "it");
    // The query beats the cookie, and is remembered in a cookie.
    let res = app.get_with("/?lang=en", &[(header::COOKIE, "lang=it")]).await;
    assert_eq!(lang_of(&res.body), "en");
    let cookie = res.cookies().into_iter().find(|c| c.starts_with("lang=")).expect("lang cookie");
    assert!(cookie.starts_with("lang=en;") && cookie.contains("Path=/") && cookie.contains("SameSite=Lax"), "{cookie}");
    // A page without ?lang sets no cookie.
    assert!(app.get("/").await.cookies().iter().all(|c| !c.starts_with("lang=")));
}

#[tokio::test]
async fn language_switch_links_keep_the_page_and_its_query() {
    let app = TestApp::new();
    let res = app.get("/aiuto?x=1").await;
    assert!(res.body.contains("href=\"/aiuto?x=1&amp;lang=en\""), "switch link missing");
    assert!(res.body.contains("aria-current=\"true\""), "current language not marked");
}

#[tokio::test]
async fn unknown_path_is_a_localized_404() {
    let app = TestApp::new();
    let res = app.get("/non-esiste").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_complete_page(&res.body, "it");
    assert!(res.body.contains("Pagina non trovata"));
    let res = app.get("/non-esiste?lang=en").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.body.contains("Page not found"));
    assert!(res.title().starts_with("Page not found"));
}

#[tokio::test]
async fn security_headers_are_on_pages_and_errors() {
    let app = TestApp::new();
    for path in ["/", "/non-esiste"] {
        let res = app.get(path).await;
        let csp = res.header(header::CONTENT_SECURITY_POLICY);
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'none'"), "{path}: CSP {csp}");
        // Forms may lead (through redirects) to the Ministry's services and the IdPs' logout, nowhere else.
        assert!(csp.contains("form-action 'self' https://servizi.lavoro.gov.it;"), "{path}: CSP {csp}");
        assert_eq!(res.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        assert_eq!(res.header(header::REFERRER_POLICY), "same-origin");
        assert_eq!(res.header(header::CACHE_CONTROL), "no-store");
        assert!(!res.header("x-request-id").is_empty(), "no request id");
        // HSTS only in production, over HTTPS.
        assert!(res.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none());
    }
}

#[tokio::test]
async fn hsts_and_host_cookie_in_production() {
    let app = TestApp::build(
        |c| {
            // Production loads the keys it is given (here, the test's) and has no demo IdP.
            c.environment = servizi_lavoro::config::Environment::Production;
            c.base_url = "https://servizi.example.it".parse().expect("url");
            c.demo_idp = false;
        },
        |r| {
            r.route(
                "/test/session",
                get(|s: tower_sessions::Session| async move {
                    s.insert("n", 1).await.expect("insert");
                    "ok"
                }),
            )
        },
    );
    let res = app.get("/").await;
    assert!(res.header(header::STRICT_TRANSPORT_SECURITY).contains("max-age="));
    let res = app.get("/test/session").await;
    let cookie = res.cookies().into_iter().next().expect("session cookie");
    assert!(cookie.starts_with("__Host-sl_session="), "{cookie}");
    assert!(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("Path=/"), "{cookie}");
}

#[tokio::test]
async fn cross_site_post_is_refused_with_403() {
    let app = TestApp::new();
    let post = |headers: &[(&str, &str)]| {
        let mut r = Request::post("/accedi").header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        r.body(Body::from("a=1")).expect("request")
    };
    let res = app.send(post(&[("sec-fetch-site", "cross-site")])).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.body.contains("Operazione non consentita"), "403 page not rendered");
    let res = app.send(post(&[("origin", "https://evil.example"), ("host", "localhost:3000")])).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // The same request from our own origin passes the guard (and meets the router: GET-only page).
    let res = app.send(post(&[("sec-fetch-site", "same-origin")])).await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(res.body.contains("Operazione non disponibile"));
    // The SAML endpoints are exempt by name: an IdP posts to them from its own site.
    let res = app
        .send(Request::post("/saml/acs").header("sec-fetch-site", "cross-site").body(Body::empty()).expect("request"))
        .await;
    assert_ne!(res.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_panicking_handler_gives_a_localized_500_page() {
    let app = TestApp::build(
        |_| {},
        |r| {
            r.route(
                "/test/panic",
                get(|| async {
                    if true {
                        panic!("boom")
                    }
                    "unreachable"
                }),
            )
        },
    );
    let res = app.get_with("/test/panic", &[(header::ACCEPT_LANGUAGE, "en")]).await;
    assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_complete_page(&res.body, "en");
    assert!(res.body.contains("Something went wrong"));
    assert!(!res.body.contains("boom"), "internal detail leaked");
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_413() {
    let app = TestApp::build(
        |c| c.body_limit_bytes = 1024,
        |r| r.route("/test/echo", axum::routing::post(|b: String| async move { b })),
    );
    let req = Request::post("/test/echo").body(Body::from(vec![b'a'; 4096])).expect("request");
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(res.body.contains("Dati troppo grandi"));
}

#[tokio::test]
async fn healthz_answers_when_the_database_does() {
    let app = TestApp::new();
    let res = app.get("/healthz").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body, "ok");
}

#[tokio::test]
async fn healthz_is_503_when_the_database_is_unreachable() {
    use diesel::r2d2::Pool;
    use servizi_lavoro::db::Manager;
    // Nothing listens on port 1: every connection attempt fails at once.
    let pool = Pool::builder()
        .connection_timeout(std::time::Duration::from_millis(500))
        .build_unchecked(Manager::new("postgres://127.0.0.1:1/none"));
    let dir = tempfile::tempdir().expect("dir");
    let config = servizi_lavoro::config::Config::for_database("unused", dir.path().to_path_buf());
    let state = servizi_lavoro::AppState::new(config, pool).expect("state");
    let router = servizi_lavoro::app::with_layers(servizi_lavoro::app::routes(&state), state);
    let res = tower::ServiceExt::oneshot(router, Request::get("/healthz").body(Body::empty()).expect("request"))
        .await
        .expect("response");
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn stylesheet_is_served_with_a_content_hash_and_long_cache() {
    let app = TestApp::new();
    let home = app.get("/").await;
    let href = home
        .body
        .split("rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("stylesheet link");
    assert!(href.starts_with("/assets/main.") && href.ends_with(".css"), "{href}");
    let css = app.get(href).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.header(header::CONTENT_TYPE).starts_with("text/css"));
    assert!(css.header(header::CACHE_CONTROL).contains("immutable"));
    assert!(css.body.contains("--blue: #0066cc"));
    let etag = css.header(header::ETAG).to_string();
    let again = app.get_with(href, &[(header::IF_NONE_MATCH, &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert_eq!(app.get("/assets/main.css").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn pages_are_compressed_for_clients_that_accept_it() {
    let app = TestApp::new();
    let res = app.get_with("/", &[(header::ACCEPT_ENCODING, "gzip")]).await;
    assert_eq!(res.header(header::CONTENT_ENCODING), "gzip");
}

#[tokio::test]
async fn session_cookie_is_httponly_lax_and_rotates() {
    let app = TestApp::build(
        |_| {},
        |r| {
            r.route(
                "/test/login",
                get(|s: tower_sessions::Session| async move {
                    s.insert("user", "RSSMRA80A01H501U").await.expect("insert");
                    servizi_lavoro::auth::session::rotate(&s).await.expect("rotate");
                    "ok"
                }),
            )
            .route(
                "/test/whoami",
                get(|s: tower_sessions::Session| async move {
                    s.get::<String>("user").await.ok().flatten().unwrap_or_default()
                }),
            )
        },
    );
    let res = app.get("/test/login").await;
    let cookie = res.cookies().into_iter().find(|c| c.starts_with("sl_session=")).expect("session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    // A browser-session cookie: the server decides expiry (idle and absolute limits).
    assert!(!cookie.contains("Max-Age") && !cookie.contains("Expires"), "{cookie}");
    let pair = cookie.split(';').next().expect("pair").to_string();
    let res = app.get_with("/test/whoami", &[(header::COOKIE, &pair)]).await;
    assert_eq!(res.body, "RSSMRA80A01H501U", "session data is kept in the database");
    // Rotating gives a new id and the old one stops working.
    let res = app.get_with("/test/login", &[(header::COOKIE, &pair)]).await;
    let rotated = res.cookies().into_iter().find(|c| c.starts_with("sl_session=")).expect("rotated cookie");
    let new_pair = rotated.split(';').next().expect("pair").to_string();
    assert_ne!(new_pair, pair);
    assert_eq!(app.get_with("/test/whoami", &[(header::COOKIE, &pair)]).await.body, "");
    assert_eq!(app.get_with("/test/whoami", &[(header::COOKIE, &new_pair)]).await.body, "RSSMRA80A01H501U");
}

#[tokio::test]
async fn the_suite_runs_on_the_backend_it_was_asked_for() {
    use servizi_lavoro::db::{with_conn, AnyConnection};
    let app = TestApp::new();
    let postgres = with_conn(&app.state.pool, |c| Ok(matches!(c, AnyConnection::Postgresql(_)))).await.expect("db");
    assert_eq!(postgres, crate::common::is_postgres(), "TEST_DATABASE_URL and the pool's backend disagree");
}

/// Every connection the pool hands out carries its settings: SQLite's
/// foreign keys and WAL (set in the file), PostgreSQL's one plan per prepared statement (without
/// which a list query was planned again on every request).
#[tokio::test]
async fn pooled_connections_carry_their_settings() {
    use diesel::RunQueryDsl;
    use servizi_lavoro::db::{with_conn, AnyConnection};
    #[derive(diesel::QueryableByName)]
    struct Setting {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    let app = TestApp::new();
    let settings = with_conn(&app.state.pool, |c| {
        let sql = match c {
            AnyConnection::Postgresql(_) => "SELECT current_setting('plan_cache_mode') AS v",
            AnyConnection::Sqlite(_) => {
                "SELECT CAST(foreign_keys AS TEXT) || ' ' || journal_mode AS v FROM pragma_foreign_keys(), pragma_journal_mode()"
            }
        };
        diesel::sql_query(sql).load::<Setting>(c)
    })
    .await
    .expect("db");
    let expected = if crate::common::is_postgres() { "force_generic_plan" } else { "1 wal" };
    assert_eq!(settings.iter().map(|s| s.v.as_str()).collect::<Vec<_>>(), [expected]);
}
