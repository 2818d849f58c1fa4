//! A provider under an intermediary (a soggetto aggregatore) under the trust
//! anchor, served over HTTP: the chain resolves through the intermediary
//! once the anchor vouches for it, and an intermediary the anchor does not
//! vouch for is never contacted (an entity's hints could name any address).
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use josekit::jwk::alg::rsa::RsaKeyPair;
use josekit::jwk::{JwkSet, KeyPair as _};
use josekit::jws::{JwsHeader, RS256};
use josekit::jwt::JwtPayload;
use serde_json::{json, Value};
use servizi_lavoro::oidc::chain::TrustAnchor;
use servizi_lavoro::oidc::discovery::{self, Trust};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const MARK: &str = "https://www.spid.gov.it/openid-federation/agreement/op-public";

struct Key(RsaKeyPair, &'static str);

impl Key {
    fn jwks(&self) -> Value {
        let mut public = self.0.to_jwk_public_key();
        public.set_key_id(self.1);
        json!({ "keys": [Value::Object(public.as_ref().clone())] })
    }
    fn sign(&self, typ: &str, claims: Value) -> String {
        let mut header = JwsHeader::new();
        header.set_token_type(typ);
        header.set_key_id(self.1);
        let map = claims.as_object().expect("object").clone();
        let signer = RS256.signer_from_jwk(&self.0.to_jwk_private_key()).expect("signer");
        josekit::jwt::encode_with_signer(&JwtPayload::from_map(map).expect("payload"), &header, &signer).expect("jwt")
    }
}

struct Federation {
    base: String,
    ta: Key,
    im: Key,
    op: Key,
    vouches_for_intermediary: bool,
    intermediary_asked: AtomicUsize,
    now: i64,
}

impl Federation {
    fn id(&self, who: &str) -> String {
        format!("{}/{who}", self.base)
    }
    fn statement(&self, by: &Key, iss: &str, sub: &str, jwks: Value, extra: Value) -> String {
        let mut c = json!({ "iss": self.id(iss), "sub": self.id(sub), "iat": self.now - 10, "exp": self.now + 3600, "jwks": jwks });
        c.as_object_mut().expect("object").extend(extra.as_object().expect("object").clone());
        by.sign("entity-statement+jwt", c)
    }
    fn endpoints(&self, who: &str) -> Value {
        json!({ "metadata": { "federation_entity": {
            "federation_fetch_endpoint": format!("{}/fetch", self.id(who)),
            "federation_trust_mark_status_endpoint": format!("{}/status", self.id(who)),
        } } })
    }
}

type Shared = Arc<Federation>;

async fn configuration(
    State(f): State<Shared>,
    axum::extract::Path(who): axum::extract::Path<String>,
) -> axum::response::Response {
    let jwt = match who.as_str() {
        "ta" => {
            let mut extra = f.endpoints("ta");
            extra["trust_mark_issuers"] = json!({ MARK: [f.id("ta")] });
            f.statement(&f.ta, "ta", "ta", f.ta.jwks(), extra)
        }
        "im" => {
            f.intermediary_asked.fetch_add(1, Ordering::SeqCst);
            let mut extra = f.endpoints("im");
            extra["authority_hints"] = json!([f.id("ta")]);
            f.statement(&f.im, "im", "im", f.im.jwks(), extra)
        }
        _ => {
            let mark = f
                .ta
                .sign("trust-mark+jwt", json!({ "iss": f.id("ta"), "sub": f.id("op"), "id": MARK, "iat": f.now - 10 }));
            f.statement(&f.op, "op", "op", f.op.jwks(), json!({
                "authority_hints": [f.id("im")],
                "trust_marks": [{ "id": MARK, "trust_mark": mark }],
                "metadata": { "openid_provider": { "issuer": f.id("op"), "authorization_endpoint": format!("{}/authorize", f.id("op")) } },
            }))
        }
    };
    jwt.into_response()
}

async fn fetch(
    State(f): State<Shared>,
    axum::extract::Path(who): axum::extract::Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> axum::response::Response {
    let sub = q.get("sub").cloned().unwrap_or_default();
    match who.as_str() {
        "ta" if sub == f.id("im") && f.vouches_for_intermediary => {
            f.statement(&f.ta, "ta", "im", f.im.jwks(), json!({})).into_response()
        }
        "im" if sub == f.id("op") => {
            f.intermediary_asked.fetch_add(1, Ordering::SeqCst);
            f.statement(&f.im, "im", "op", f.op.jwks(), json!({})).into_response()
        }
        _ => axum::http::StatusCode::NOT_FOUND.into_response(),
    }
}

async fn status(State(f): State<Shared>, axum::Form(form): axum::Form<HashMap<String, String>>) -> String {
    let mark = form.get("trust_mark").cloned().unwrap_or_default();
    f.ta.sign(
        "trust-mark-status-response+jwt",
        json!({ "iss": f.id("ta"), "iat": f.now, "trust_mark": mark, "status": "active" }),
    )
}

async fn serve(vouches: bool) -> Shared {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://127.0.0.1:{}", listener.local_addr().expect("addr").port());
    let key = |kid| Key(RsaKeyPair::generate(2048).expect("key"), kid);
    let f = Arc::new(Federation {
        base,
        ta: key("ta"),
        im: key("im"),
        op: key("op"),
        vouches_for_intermediary: vouches,
        intermediary_asked: AtomicUsize::new(0),
        now: chrono::Utc::now().timestamp(),
    });
    let app = axum::Router::new()
        .route("/{who}/.well-known/openid-federation", get(configuration))
        .route("/{who}/fetch", get(fetch))
        .route("/{who}/status", post(status))
        .with_state(f.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    f
}

async fn resolve(f: &Shared) -> Result<usize, String> {
    let jwks = JwkSet::from_map(f.ta.jwks().as_object().expect("jwks").clone()).expect("set");
    let anchors = vec![TrustAnchor { entity_id: f.id("ta"), jwks }];
    let (subject, now) = (f.id("op"), f.now);
    tokio::task::spawn_blocking(move || {
        let trust = Trust { anchors: &anchors, required_marks: &[MARK.to_string()], https_only: false };
        discovery::resolve(trust, &subject, "openid_provider", now)
            .map(|(_, marks)| marks.len())
            .map_err(|e| e.to_string())
    })
    .await
    .expect("joined")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chain_through_an_intermediary_the_anchor_vouches_for_holds() {
    let f = serve(true).await;
    assert_eq!(resolve(&f).await, Ok(1), "the chain and the provider's mark hold");
    assert!(f.intermediary_asked.load(Ordering::SeqCst) > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_intermediary_the_anchor_does_not_vouch_for_is_never_asked() {
    let f = serve(false).await;
    assert!(resolve(&f).await.is_err());
    assert_eq!(f.intermediary_asked.load(Ordering::SeqCst), 0, "not a single request to it");
}
