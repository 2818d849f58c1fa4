//! Configuration: built-in defaults, then an optional TOML file, then `SL_…`
//! environment variables. Validated once at start so a bad setting stops the
//! server with a clear message instead of failing on the first request.
use serde::Deserialize;
use std::{net::SocketAddr, path::PathBuf};
use url::Url;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Development,
    Production,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// The settings as written in a TOML file; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    environment: Option<Environment>,
    addr: Option<String>,
    base_url: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    db_pool_size: Option<u32>,
    log_format: Option<LogFormat>,
    request_timeout_secs: Option<u64>,
    body_limit_bytes: Option<usize>,
    session_idle_minutes: Option<i64>,
    session_max_hours: Option<i64>,
    delega_max_years: Option<i32>,
    metrics_addr: Option<String>,
    delega_pending_days: Option<i64>,
    trusted_proxies: Option<Vec<String>>,
    forwarded_header: Option<String>,
    anonymous_per_minute: Option<u32>,
    spid_registry_cert: Option<PathBuf>,
    allow_test_idps_until: Option<String>,
    demo_data: Option<bool>,
    sp_key: Option<PathBuf>,
    sp_cert: Option<PathBuf>,
    demo_idp: Option<bool>,
    spid_idp_metadata: Option<Vec<String>>,
    sp_profile: Option<SpProfile>,
    org_name: Option<String>,
    org_display_name: Option<String>,
    org_url: Option<String>,
    ipa_code: Option<String>,
    vat_number: Option<String>,
    fiscal_code: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    billing_address: Option<String>,
    billing_postcode: Option<String>,
    billing_city: Option<String>,
    municipality: Option<String>,
    nace2_code: Option<String>,
    cie_idp_metadata: Option<Vec<String>>,
    eidas_idp_metadata: Option<Vec<String>>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    services_base_url: Option<String>,
    tsa_url: Option<String>,
    tsa_ca: Option<PathBuf>,
    seal_key: Option<PathBuf>,
    seal_cert: Option<PathBuf>,
    seal_retired_certs: Option<PathBuf>,
    pec_imap_url: Option<String>,
    pec_trust: Option<PathBuf>,
    pec_smtp_url: Option<String>,
    pec_from: Option<String>,
    oidc_federation_key: Option<PathBuf>,
    oidc_signing_key: Option<PathBuf>,
    oidc_encryption_key: Option<PathBuf>,
    oidc_authority_hints: Option<Vec<String>>,
    oidc_trust_marks: Option<PathBuf>,
    oidc_trust_anchors: Option<PathBuf>,
    oidc_provider_trust_marks: Option<Vec<String>>,
    oidc_providers: Option<PathBuf>,
}

/// Which SPID service-provider profile our metadata declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpProfile {
    Public,
    Private,
}

/// Who runs the service provider, as its SAML metadata says.
#[derive(Clone, Debug)]
pub struct Organization {
    pub name: String,
    pub display_name: String,
    pub url: String,
    pub profile: SpProfile,
    /// Public bodies: the IPA code (Indice delle Pubbliche Amministrazioni).
    pub ipa_code: String,
    /// Private bodies: VAT number and fiscal code.
    pub vat_number: String,
    pub fiscal_code: String,
    pub contact_email: String,
    pub contact_phone: String,
    /// Private bodies: the invoicing address of the billing contact.
    pub billing_address: String,
    pub billing_postcode: String,
    pub billing_city: String,
    /// CIE metadata: the cadastral code of the municipality of the seat.
    pub municipality: String,
    /// CIE metadata, private bodies: the NACE2 activity code.
    pub nace2_code: String,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub environment: Environment,
    pub addr: SocketAddr,
    /// Public base URL; cookies, the Origin check and (later) SAML endpoints derive from it.
    pub base_url: Url,
    pub data_dir: PathBuf,
    /// `postgres://…` selects PostgreSQL; anything else is a SQLite file path.
    pub database_url: String,
    pub db_pool_size: u32,
    pub log_format: LogFormat,
    pub request_timeout_secs: u64,
    pub body_limit_bytes: usize,
    /// A session ends after this long without a request (each request renews it).
    pub session_idle_minutes: i64,
    /// …and, however active, this long after the sign-in.
    pub session_max_hours: i64,
    /// Where metrics are served (Prometheus text); none: off (`SL_METRICS_ADDR`).
    pub metrics_addr: Option<SocketAddr>,
    /// A delega lasts at most this many years (`SL_DELEGA_MAX_YEARS`, 4).
    pub delega_max_years: i32,
    /// A delega not answered in this many days lapses (`SL_DELEGA_PENDING_DAYS`, 14).
    pub delega_pending_days: i64,
    /// Proxies whose `X-Forwarded-For` / `Forwarded` is believed (addresses or CIDRs).
    pub trusted_proxies: Vec<Cidr>,
    /// The header those proxies write: `x-forwarded-for` or `forwarded`. Only
    /// that one is read (a client could send the other through the proxy).
    pub forwarded_header: ForwardedHeader,
    /// Sign-in requests, sign-in answers and registrations one client address
    /// may make per minute, each kind on its own (a burst of as many is allowed).
    pub anonymous_per_minute: u32,
    /// AgID's certificate, which signs SPID's aggregated registry metadata.
    pub spid_registry_cert: Option<PathBuf>,
    /// Known test identity providers are refused in production unless allowed
    /// until this date (e.g. during an AgID validation).
    pub allow_test_idps_until: Option<chrono::NaiveDate>,
    /// Fictitious people and companies for demonstrations; refused in production.
    pub demo_data: bool,
    /// Service-provider signing key and certificate (PEM).
    pub sp_key: PathBuf,
    pub sp_cert: PathBuf,
    /// The built-in demonstration identity providers; refused in production.
    pub demo_idp: bool,
    /// SPID identity-provider metadata: files or URLs (also an aggregated registry).
    pub spid_idp_metadata: Vec<String>,
    /// The CieID identity provider's metadata (production or pre-production).
    pub cie_idp_metadata: Vec<String>,
    /// The Italian eIDAS node (FICEP) metadata.
    pub eidas_idp_metadata: Vec<String>,
    /// `smtp://user:pass@host:587` (or smtps://); none: the file outbox.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// Where the Ministry's services live; each service adds its path.
    pub services_base_url: String,
    pub organization: Organization,
    /// The RFC 3161 time-stamping authority every Dimissioni module's seal
    /// is stamped by (in production a qualified one), and the roots its
    /// certificate must lead to (PEM). None: modules are sealed, not stamped.
    pub tsa_url: Option<String>,
    pub tsa_ca: Option<PathBuf>,
    /// The key and certificate that seal Dimissioni modules (not the SAML
    /// key), and the certificates of earlier seal keys (PEM bundle), kept to
    /// verify the modules they sealed.
    pub seal_key: PathBuf,
    pub seal_cert: PathBuf,
    pub seal_retired_certs: Option<PathBuf>,
    /// The Ministry's PEC mailbox, where the receipts of PEC deliveries
    /// arrive (`imaps://user:password@host/`). None: receipts are not read.
    pub pec_imap_url: Option<String>,
    /// The certificates of the PEC providers whose signed receipts count
    /// (PEM; AgID's public list of providers). Needed to read receipts.
    pub pec_trust: Option<PathBuf>,
    /// The Ministry's PEC mailbox for sending (`smtps://…`) and its address:
    /// modules go to PEC addresses from it. None: by the ordinary mail.
    pub pec_smtp_url: Option<String>,
    pub pec_from: Option<String>,
    pub oidc: OidcSettings,
}

/// The portal in the SPID and CIE id OpenID Connect federations.
#[derive(Clone, Debug)]
pub struct OidcSettings {
    /// The federation key, which signs the entity configuration, and the
    /// OIDC core keys (signing; what UserInfo is encrypted to): RSA, PEM,
    /// three different keys.
    pub federation_key: PathBuf,
    pub signing_key: PathBuf,
    pub encryption_key: PathBuf,
    /// The trust anchors or intermediaries that issue statements about the
    /// portal. None: not (yet) a member, and in production no entity
    /// configuration is published.
    pub authority_hints: Vec<String>,
    /// The trust marks they issued to the portal: a JSON file, a list of
    /// `{"id": …, "trust_mark": …}`.
    pub trust_marks: Option<PathBuf>,
    /// The trust anchors the portal believes, with their keys (given out of
    /// band, never fetched): a JSON file, a list of `{"entity_id": …, "jwks": …}`.
    pub trust_anchors: Option<PathBuf>,
    /// The trust marks that make an entity an OpenID Provider: at least one
    /// must hold (the federations' first filter).
    pub provider_marks: Vec<String>,
    /// The OpenID Providers people may sign in with: a JSON file, a list of
    /// `{"entity_id": …, "credential": "spid" | "cie", "name": …}`, with
    /// `"instead_of"`: the entity id of the SAML IdP it stands for, which
    /// `/accedi` then no longer offers.
    pub providers: Option<PathBuf>,
}

/// The OpenID Provider trust marks of the technical rules' examples and of
/// the reference implementation, public and private.
pub const PROVIDER_TRUST_MARKS: [&str; 4] = [
    "https://registry.agid.gov.it/openid_provider/public/",
    "https://registry.agid.gov.it/openid_provider/private/",
    "https://www.spid.gov.it/openid-federation/agreement/op-public",
    "https://www.spid.gov.it/openid-federation/agreement/op-private",
];

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    ReadFile { path: PathBuf, source: std::io::Error },
    #[error("the configuration file {path} is not valid: {source}")]
    ParseFile { path: PathBuf, source: Box<toml::de::Error> },
    #[error("{key}: {message}")]
    Invalid { key: &'static str, message: String },
    #[error("refusing to start in production (SL_ENV defaults to production; set SL_ENV=development for a development machine):\n  - {}", .0.join("\n  - "))]
    Production(Vec<String>),
}

/// Which header a trusted proxy writes the client's address in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForwardedHeader {
    XForwardedFor,
    Forwarded,
}

/// An address or a network: `10.0.0.0/8`, `192.0.2.7`, `2001:db8::/32`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: std::net::IpAddr,
    prefix: u8,
}

impl std::str::FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let (addr, prefix) = s.split_once('/').map_or((s, None), |(a, p)| (a, Some(p)));
        let network: std::net::IpAddr = addr.parse().map_err(|_| format!("{s:?} is not an address or CIDR"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(|| format!("{s:?}: bad prefix length"))?,
            None => max,
        };
        Ok(Cidr { network, prefix })
    }
}

impl Cidr {
    /// IPv4 addresses seen on an IPv6 socket (`::ffff:a.b.c.d`) count as IPv4.
    pub fn contains(&self, ip: std::net::IpAddr) -> bool {
        let ip = ip.to_canonical();
        fn masked(bits: u128, prefix: u8, width: u8) -> u128 {
            if prefix == 0 {
                0
            } else {
                bits >> (width - prefix)
            }
        }
        match (self.network, ip) {
            (std::net::IpAddr::V4(n), std::net::IpAddr::V4(a)) => {
                masked(u32::from(n).into(), self.prefix, 32) == masked(u32::from(a).into(), self.prefix, 32)
            }
            (std::net::IpAddr::V6(n), std::net::IpAddr::V6(a)) => {
                masked(u128::from(n), self.prefix, 128) == masked(u128::from(a), self.prefix, 128)
            }
            _ => false,
        }
    }
}

fn invalid(key: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid { key, message: message.into() }
}

/// Where values come from besides the file: the process environment in
/// production use, a plain map in tests.
pub trait VarSource {
    fn var(&self, key: &str) -> Option<String>;
}

pub struct ProcessEnv;
impl VarSource for ProcessEnv {
    fn var(&self, key: &str) -> Option<String> {
        std::env::var(key).ok().filter(|v| !v.is_empty())
    }
}

impl VarSource for std::collections::HashMap<&str, &str> {
    fn var(&self, key: &str) -> Option<String> {
        self.get(key).map(|v| v.to_string())
    }
}

fn parse_bool(key: &'static str, v: &str) -> Result<bool, ConfigError> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(invalid(key, format!("expected true or false, got {v:?}"))),
    }
}

fn parse_num<T: std::str::FromStr>(key: &'static str, v: &str) -> Result<T, ConfigError> {
    v.trim().parse().map_err(|_| invalid(key, format!("expected a number, got {v:?}")))
}

/// What the production checks look at.
struct ProductionFacts<'a> {
    base_url: &'a Url,
    demo_data: bool,
    demo_idp: bool,
    smtp: Option<&'a str>,
    sp_key: Option<&'a std::path::Path>,
    sp_cert: Option<&'a std::path::Path>,
    keys_dir: &'a std::path::Path,
    metadata: &'a [String],
    tsa: (Option<&'a str>, Option<&'a std::path::Path>),
    seal: (Option<&'a std::path::Path>, Option<&'a std::path::Path>),
    /// The PEC mailbox: sending (SMTP), its address, and its receipts (IMAP).
    pec: (Option<&'a str>, Option<&'a str>, Option<&'a str>),
    /// The OpenID Connect federation: its superiors, keys and trust marks.
    oidc_hints: &'a [String],
    oidc_keys: [Option<&'a std::path::Path>; 3],
    oidc_trust_marks: Option<&'a std::path::Path>,
    oidc_trust_anchors: Option<&'a std::path::Path>,
    oidc_providers: Option<&'a std::path::Path>,
}

/// Receipts are evidence: they are read only with the PEC providers'
/// certificates to check their signatures against.
fn pec_trust_problem(imap: Option<&str>, trust: Option<&std::path::Path>) -> Option<String> {
    imap?;
    let Some(trust) = trust else {
        return Some("the PEC providers' certificates (PEM), to check the receipts read from SL_PEC_IMAP_URL".into());
    };
    let certs = std::fs::read(trust).ok().and_then(|pem| openssl::x509::X509::stack_from_pem(&pem).ok());
    certs.is_none_or(|c| c.is_empty()).then(|| format!("{}: no readable PEM certificate", trust.display()))
}

/// The public key of a PEM private key or certificate, DER-encoded.
fn public_key_der(path: &std::path::Path) -> Option<Vec<u8>> {
    let pem = std::fs::read(path).ok()?;
    match openssl::pkey::PKey::private_key_from_pem(&pem) {
        Ok(k) => k.public_key_to_der().ok(),
        Err(_) => openssl::x509::X509::from_pem(&pem).ok()?.public_key().ok()?.public_key_to_der().ok(),
    }
}

/// The keys a development start makes in the data folder's `keys/`.
const DEVELOPMENT_KEYS: [&str; 6] = [
    "sp.key.pem",
    "demo-idp.key.pem",
    "seal.key.pem",
    "oidc-federation.key.pem",
    "oidc-signing.key.pem",
    "oidc-encryption.key.pem",
];

/// Everything that keeps a production start from being safe, all at once.
fn production_problems(f: &ProductionFacts) -> Vec<String> {
    let mut problems = Vec::new();
    if f.base_url.scheme() != "https" {
        problems.push("SL_BASE_URL: an https:// base URL (secure cookies need it)".into());
    }
    if f.demo_data {
        problems.push("SL_DEMO_DATA: demo data is refused".into());
    }
    if f.demo_idp {
        problems.push("SL_DEMO_IDP: the demo identity providers are refused".into());
    }
    // Modules are sealed with a key of their own, kept apart from the SAML one.
    if f.seal.0.is_none() || f.seal.1.is_none() {
        problems.push("SL_SEAL_KEY and SL_SEAL_CERT: the key and certificate that seal Dimissioni modules".into());
    } else if f.seal.0 == f.sp_key {
        problems.push("SL_SEAL_KEY: the seal needs a key of its own, not the service provider's".into());
    }
    // Modules reach employers and the Ispettorato by PEC, with receipts as proof.
    match f.pec {
        (Some(smtp), Some(_), Some(imap)) => {
            if !(smtp.starts_with("smtps://") || smtp.contains("tls=required")) {
                problems.push("SL_PEC_SMTP_URL: the PEC mailbox over TLS (smtps://…)".into());
            }
            // Plain IMAP only to this machine (a local relay); TLS otherwise.
            let local = Url::parse(imap)
                .ok()
                .is_some_and(|u| u.scheme() == "imap" && matches!(u.host_str(), Some("127.0.0.1" | "localhost")));
            if !(imap.starts_with("imaps://") || local) {
                problems.push("SL_PEC_IMAP_URL: the PEC mailbox's receipts over TLS (imaps://…)".into());
            }
        }
        _ => problems.push(
            "SL_PEC_SMTP_URL, SL_PEC_FROM and SL_PEC_IMAP_URL: the Ministry's PEC mailbox, to send modules and read their receipts"
                .into(),
        ),
    }
    // A resignation needs a date certain from a third party (DM 15/12/2015, Allegato B: "marca temporale").
    match f.tsa {
        (Some(url), Some(_)) if url.starts_with("https://") || url.starts_with("http://") => {}
        (Some(_), Some(_)) => problems.push("SL_TSA_URL: an http(s):// address of the time-stamping authority".into()),
        _ => problems.push(
            "SL_TSA_URL and SL_TSA_CA: a qualified time-stamping authority (RFC 3161) and its root certificates".into(),
        ),
    }
    match f.smtp {
        None => problems.push("SL_SMTP_URL: mail goes through SMTP with TLS, not to the file outbox".into()),
        Some(u) if !(u.starts_with("smtps://") || u.contains("tls=required")) => {
            problems.push("SL_SMTP_URL: SMTP must use TLS (smtps://… or smtp://…?tls=required for STARTTLS)".into())
        }
        Some(_) => {}
    }
    // Development keys are refused by what they are, wherever they were copied.
    let development: Vec<Vec<u8>> =
        DEVELOPMENT_KEYS.iter().filter_map(|n| public_key_der(&f.keys_dir.join(n))).collect();
    let keys =
        [("SL_SP_KEY", f.sp_key), ("SL_SP_CERT", f.sp_cert), ("SL_SEAL_KEY", f.seal.0), ("SL_SEAL_CERT", f.seal.1)];
    for (key, path) in keys {
        match path {
            // The seal's absence is said above.
            None if key.starts_with("SL_SEAL") => {}
            None => problems.push(format!("{key}: the real service-provider key and certificate")),
            Some(p) if !p.is_file() => problems.push(format!("{key}: {} does not exist", p.display())),
            Some(p) => match public_key_der(p) {
                None => problems.push(format!("{key}: {} is not a PEM key or certificate", p.display())),
                Some(k) if development.contains(&k) => {
                    problems.push(format!("{key}: this is a development key; use the real one"))
                }
                Some(_) => {}
            },
        }
    }
    for m in f.metadata {
        if m.contains("://") && !m.starts_with("https://") {
            problems.push(format!("identity-provider metadata {m}: only https:// URLs"));
        }
    }
    problems.extend(oidc_problems(f, &development));
    problems
}

/// A member of the OpenID Connect federations needs its own keys (three, none
/// a development one), https superiors, and the trust marks they issued; the
/// trust anchors it believes are https entities with keys.
fn oidc_problems(f: &ProductionFacts, development: &[Vec<u8>]) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(path) = f.oidc_trust_anchors {
        let anchors = std::fs::read(path).ok().and_then(|t| serde_json::from_slice::<Vec<serde_json::Value>>(&t).ok());
        match anchors {
            None => problems.push(format!("SL_OIDC_TRUST_ANCHORS: {} is not a JSON list of anchors", path.display())),
            Some(list) => {
                for a in list {
                    let id = a.get("entity_id").and_then(serde_json::Value::as_str).unwrap_or_default();
                    if !id.starts_with("https://") || a.get("jwks").and_then(|j| j.get("keys")).is_none() {
                        problems
                            .push(format!("SL_OIDC_TRUST_ANCHORS: {id:?} needs an https:// entity id and its jwks"));
                    }
                }
            }
        }
    }
    // The list itself is read and checked at start (`oidc::providers`); here,
    // that production speaks to providers over https only.
    if let Some(path) = f.oidc_providers {
        let list = std::fs::read(path).ok().and_then(|t| serde_json::from_slice::<Vec<serde_json::Value>>(&t).ok());
        for p in list.unwrap_or_default() {
            let id = p.get("entity_id").and_then(serde_json::Value::as_str).unwrap_or_default();
            if !id.starts_with("https://") {
                problems.push(format!("SL_OIDC_PROVIDERS: {id} is not an https:// entity identifier"));
            }
        }
    }
    if f.oidc_hints.is_empty() {
        return problems;
    }
    for hint in f.oidc_hints.iter().filter(|h| !h.starts_with("https://")) {
        problems.push(format!("SL_OIDC_AUTHORITY_HINTS: {hint} is not an https:// entity identifier"));
    }
    let names = ["SL_OIDC_FEDERATION_KEY", "SL_OIDC_SIGNING_KEY", "SL_OIDC_ENCRYPTION_KEY"];
    let mut seen: Vec<Vec<u8>> = Vec::new();
    for (key, path) in names.into_iter().zip(f.oidc_keys) {
        match path {
            None => problems.push(format!("{key}: the portal's own key in the federation")),
            Some(p) => match public_key_der(p) {
                None => problems.push(format!("{key}: {} is not a PEM private key", p.display())),
                Some(k) if development.contains(&k) => {
                    problems.push(format!("{key}: this is a development key; use the real one"))
                }
                Some(k) if seen.contains(&k) || f.sp_key.and_then(public_key_der).is_some_and(|sp| sp == k) => {
                    problems.push(format!("{key}: each job needs a key of its own"))
                }
                Some(k) => seen.push(k),
            },
        }
    }
    match f.oidc_trust_marks {
        None => problems.push("SL_OIDC_TRUST_MARKS: the trust marks the federation issued to the portal".into()),
        Some(path) => problems.extend(trust_mark_problems(path, f.base_url)),
    }
    problems
}

/// The portal's trust marks: each about the portal (`sub`, its entity id) and
/// for what it says (`id`). (Whether one has expired is checked at start,
/// against the clock: `oidc::Federation`.)
fn trust_mark_problems(path: &std::path::Path, base_url: &Url) -> Vec<String> {
    use base64::Engine;
    let entity_id = base_url.as_str().trim_end_matches('/');
    let marks = std::fs::read(path).ok().and_then(|t| serde_json::from_slice::<Vec<serde_json::Value>>(&t).ok());
    let Some(marks) = marks else {
        return vec![format!("SL_OIDC_TRUST_MARKS: {} is not a JSON list of trust marks", path.display())];
    };
    let mut problems = Vec::new();
    for m in marks {
        let id = m.get("id").and_then(serde_json::Value::as_str).unwrap_or_default();
        let jwt = m.get("trust_mark").and_then(serde_json::Value::as_str).unwrap_or_default();
        let claims = jwt
            .split('.')
            .nth(1)
            .and_then(|p| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(p).ok())
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok());
        let Some(claims) = claims else {
            problems.push(format!("SL_OIDC_TRUST_MARKS: {id:?} is not a signed trust mark"));
            continue;
        };
        let text = |name: &str| claims.get(name).and_then(serde_json::Value::as_str).unwrap_or_default().to_string();
        if text("sub") != entity_id || text("id") != id {
            problems.push(format!("SL_OIDC_TRUST_MARKS: {id:?} is about {:?}, not {entity_id}", text("sub")));
        }
    }
    problems
}

impl Config {
    /// Loads from `file` (if given) and the environment, then validates.
    pub fn load(file: Option<&std::path::Path>, env: &dyn VarSource) -> Result<Config, ConfigError> {
        let file = match file.map(PathBuf::from).or_else(|| env.var("SL_CONFIG").map(PathBuf::from)) {
            None => FileSettings::default(),
            Some(path) => {
                let text = std::fs::read_to_string(&path)
                    .map_err(|source| ConfigError::ReadFile { path: path.clone(), source })?;
                toml::from_str(&text).map_err(|source| ConfigError::ParseFile { path, source: Box::new(source) })?
            }
        };

        let environment = match env.var("SL_ENV") {
            Some(v) => match v.trim().to_ascii_lowercase().as_str() {
                "development" | "dev" => Environment::Development,
                "production" | "prod" => Environment::Production,
                _ => return Err(invalid("SL_ENV", format!("expected development or production, got {v:?}"))),
            },
            // Fail closed: a deployment that forgets SL_ENV gets every production check.
            None => file.environment.unwrap_or(Environment::Production),
        };
        let production = environment == Environment::Production;

        let addr_text = env.var("SL_ADDR").or(file.addr).unwrap_or_else(|| "127.0.0.1:3000".into());
        let addr: SocketAddr = addr_text
            .parse()
            .map_err(|_| invalid("SL_ADDR", format!("expected host:port such as 127.0.0.1:3000, got {addr_text:?}")))?;

        let base_text = env.var("SL_BASE_URL").or(file.base_url).unwrap_or_else(|| "http://localhost:3000".into());
        let base_url = Url::parse(base_text.trim_end_matches('/'))
            .map_err(|e| invalid("SL_BASE_URL", format!("{base_text:?} is not a URL: {e}")))?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.host_str().is_none() {
            return Err(invalid("SL_BASE_URL", "must be an http or https URL with a host"));
        }
        if base_url.path() != "/" || base_url.query().is_some() {
            return Err(invalid(
                "SL_BASE_URL",
                "must be an origin without path or query (the portal is served from /)",
            ));
        }

        let data_dir = env.var("SL_DATA_DIR").map(PathBuf::from).or(file.data_dir).unwrap_or_else(|| "data".into());
        let database_url = env
            .var("SL_DATABASE_URL")
            .or(file.database_url)
            .unwrap_or_else(|| data_dir.join("servizi-lavoro.db").to_string_lossy().into_owned());
        let db_pool_size = match env.var("SL_DB_POOL_SIZE") {
            Some(v) => parse_num("SL_DB_POOL_SIZE", &v)?,
            None => file.db_pool_size.unwrap_or(8),
        };
        if db_pool_size == 0 {
            return Err(invalid("SL_DB_POOL_SIZE", "must be at least 1"));
        }
        let log_format = match env.var("SL_LOG_FORMAT").as_deref() {
            Some("json") => LogFormat::Json,
            Some("text") => LogFormat::Text,
            Some(v) => return Err(invalid("SL_LOG_FORMAT", format!("expected text or json, got {v:?}"))),
            None => file.log_format.unwrap_or(if production { LogFormat::Json } else { LogFormat::Text }),
        };
        let request_timeout_secs = match env.var("SL_REQUEST_TIMEOUT_SECS") {
            Some(v) => parse_num("SL_REQUEST_TIMEOUT_SECS", &v)?,
            None => file.request_timeout_secs.unwrap_or(30),
        };
        let session_idle_minutes = match env.var("SL_SESSION_IDLE_MINUTES") {
            Some(v) => parse_num("SL_SESSION_IDLE_MINUTES", &v)?,
            None => file.session_idle_minutes.unwrap_or(30),
        };
        let session_max_hours = match env.var("SL_SESSION_MAX_HOURS") {
            Some(v) => parse_num("SL_SESSION_MAX_HOURS", &v)?,
            None => file.session_max_hours.unwrap_or(12),
        };
        let metrics_addr = match env.var("SL_METRICS_ADDR").or(file.metrics_addr.clone()) {
            Some(v) if !v.trim().is_empty() => Some(
                v.trim().parse().map_err(|_| invalid("SL_METRICS_ADDR", format!("expected host:port, got {v:?}")))?,
            ),
            _ => None,
        };
        let delega_max_years = match env.var("SL_DELEGA_MAX_YEARS") {
            Some(v) => parse_num("SL_DELEGA_MAX_YEARS", &v)?,
            None => file.delega_max_years.unwrap_or(4),
        };
        let delega_pending_days = match env.var("SL_DELEGA_PENDING_DAYS") {
            Some(v) => parse_num("SL_DELEGA_PENDING_DAYS", &v)?,
            None => file.delega_pending_days.unwrap_or(14),
        };
        if !(1..=10).contains(&delega_max_years) || !(1..=90).contains(&delega_pending_days) {
            return Err(invalid(
                "SL_DELEGA_MAX_YEARS",
                "deleghe last 1 to 10 years and wait 1 to 90 days for an answer",
            ));
        }
        let trusted_proxies = match env.var("SL_TRUSTED_PROXIES") {
            Some(v) => v.split(',').filter(|s| !s.trim().is_empty()).map(str::to_string).collect(),
            None => file.trusted_proxies.clone().unwrap_or_default(),
        }
        .iter()
        .map(|s| s.parse::<Cidr>().map_err(|e| invalid("SL_TRUSTED_PROXIES", e)))
        .collect::<Result<Vec<_>, _>>()?;
        let forwarded_header = match env.var("SL_FORWARDED_HEADER").or(file.forwarded_header.clone()).as_deref() {
            None | Some("x-forwarded-for") => ForwardedHeader::XForwardedFor,
            Some("forwarded") => ForwardedHeader::Forwarded,
            Some(v) => {
                return Err(invalid("SL_FORWARDED_HEADER", format!("expected x-forwarded-for or forwarded, got {v:?}")))
            }
        };
        let anonymous_per_minute = match env.var("SL_ANONYMOUS_PER_MINUTE") {
            Some(v) => parse_num("SL_ANONYMOUS_PER_MINUTE", &v)?,
            None => file.anonymous_per_minute.unwrap_or(30),
        };
        let spid_registry_cert =
            env.var("SL_SPID_REGISTRY_CERT").map(PathBuf::from).or(file.spid_registry_cert.clone());
        let allow_test_idps_until = match env.var("SL_ALLOW_TEST_IDPS_UNTIL").or(file.allow_test_idps_until.clone()) {
            Some(v) => Some(chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").map_err(|_| {
                invalid("SL_ALLOW_TEST_IDPS_UNTIL", format!("expected a date like 2026-12-31, got {v:?}"))
            })?),
            None => None,
        };
        let body_limit_bytes = match env.var("SL_BODY_LIMIT_BYTES") {
            Some(v) => parse_num("SL_BODY_LIMIT_BYTES", &v)?,
            None => file.body_limit_bytes.unwrap_or(64 * 1024),
        };
        let demo_data = match env.var("SL_DEMO_DATA") {
            Some(v) => parse_bool("SL_DEMO_DATA", &v)?,
            None => file.demo_data.unwrap_or(!production),
        };
        let demo_idp = match env.var("SL_DEMO_IDP") {
            Some(v) => parse_bool("SL_DEMO_IDP", &v)?,
            None => file.demo_idp.unwrap_or(!production),
        };
        let list = |key: &str, from_file: Option<Vec<String>>| match env.var(key) {
            Some(v) => v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
            None => from_file.unwrap_or_default(),
        };
        let spid_idp_metadata = list("SL_SPID_IDP_METADATA", file.spid_idp_metadata);
        let cie_idp_metadata = list("SL_CIE_IDP_METADATA", file.cie_idp_metadata);
        let eidas_idp_metadata = list("SL_EIDAS_IDP_METADATA", file.eidas_idp_metadata);
        let text = |key: &'static str, from_file: Option<String>, default: &str| {
            env.var(key).or(from_file).unwrap_or_else(|| default.to_string())
        };
        let profile = match env.var("SL_SP_PROFILE").as_deref() {
            Some("public") => SpProfile::Public,
            Some("private") => SpProfile::Private,
            Some(v) => return Err(invalid("SL_SP_PROFILE", format!("expected public or private, got {v:?}"))),
            None => file.sp_profile.unwrap_or(SpProfile::Public),
        };
        let organization = Organization {
            name: text("SL_ORG_NAME", file.org_name, "Ministero del Lavoro e delle Politiche Sociali"),
            display_name: text("SL_ORG_DISPLAY_NAME", file.org_display_name, "Servizi Lavoro"),
            url: text("SL_ORG_URL", file.org_url, "https://www.lavoro.gov.it"),
            profile,
            ipa_code: text("SL_IPA_CODE", file.ipa_code, "m_lps"),
            vat_number: text("SL_VAT_NUMBER", file.vat_number, ""),
            fiscal_code: text("SL_FISCAL_CODE", file.fiscal_code, ""),
            contact_email: text("SL_CONTACT_EMAIL", file.contact_email, "servizi.digitali@lavoro.gov.it"),
            contact_phone: text("SL_CONTACT_PHONE", file.contact_phone, "+390646831"),
            billing_address: text("SL_BILLING_ADDRESS", file.billing_address, ""),
            billing_postcode: text("SL_BILLING_POSTCODE", file.billing_postcode, ""),
            billing_city: text("SL_BILLING_CITY", file.billing_city, ""),
            municipality: text("SL_MUNICIPALITY", file.municipality, "H501"),
            nace2_code: text("SL_NACE2_CODE", file.nace2_code, "84.11"),
        };
        if organization.contact_phone.contains(' ') {
            return Err(invalid("SL_CONTACT_PHONE", "write the number without spaces, e.g. +390646831"));
        }
        let o = &organization;
        let private_fields = [&o.vat_number, &o.fiscal_code, &o.billing_address, &o.billing_postcode, &o.billing_city];
        if profile == SpProfile::Private && private_fields.iter().any(|f| f.is_empty()) {
            return Err(invalid(
                "SL_SP_PROFILE",
                "the private profile needs SL_VAT_NUMBER, SL_FISCAL_CODE, SL_BILLING_ADDRESS, SL_BILLING_POSTCODE and SL_BILLING_CITY",
            ));
        }
        let keys_dir = data_dir.join("keys");
        let sp_key = env.var("SL_SP_KEY").map(PathBuf::from).or(file.sp_key);
        let sp_cert = env.var("SL_SP_CERT").map(PathBuf::from).or(file.sp_cert);
        let tsa_url = env.var("SL_TSA_URL").or(file.tsa_url.clone());
        let seal_key = env.var("SL_SEAL_KEY").map(PathBuf::from).or(file.seal_key.clone());
        let seal_cert = env.var("SL_SEAL_CERT").map(PathBuf::from).or(file.seal_cert.clone());
        let pec_smtp_url = env.var("SL_PEC_SMTP_URL").or(file.pec_smtp_url.clone());
        let pec_from = env.var("SL_PEC_FROM").or(file.pec_from.clone());
        let pec_imap_url = env.var("SL_PEC_IMAP_URL").or(file.pec_imap_url.clone());
        let pec_trust = env.var("SL_PEC_TRUST").map(PathBuf::from).or(file.pec_trust.clone());
        let pec_trust_problem = pec_trust_problem(pec_imap_url.as_deref(), pec_trust.as_deref());
        if let (false, Some(problem)) = (production, &pec_trust_problem) {
            return Err(invalid("SL_PEC_TRUST", problem.clone()));
        }
        let tsa_ca = env.var("SL_TSA_CA").map(PathBuf::from).or(file.tsa_ca.clone());
        let path = |key: &str, from_file: Option<PathBuf>| env.var(key).map(PathBuf::from).or(from_file);
        let oidc_keys = [
            path("SL_OIDC_FEDERATION_KEY", file.oidc_federation_key),
            path("SL_OIDC_SIGNING_KEY", file.oidc_signing_key),
            path("SL_OIDC_ENCRYPTION_KEY", file.oidc_encryption_key),
        ];
        let oidc_hints = list("SL_OIDC_AUTHORITY_HINTS", file.oidc_authority_hints);
        let oidc_trust_marks = path("SL_OIDC_TRUST_MARKS", file.oidc_trust_marks);
        let oidc_trust_anchors = path("SL_OIDC_TRUST_ANCHORS", file.oidc_trust_anchors);
        let oidc_providers = path("SL_OIDC_PROVIDERS", file.oidc_providers.clone());

        if production {
            let smtp = env.var("SL_SMTP_URL").or(file.smtp_url.clone());
            let metadata: Vec<String> =
                [&spid_idp_metadata, &cie_idp_metadata, &eidas_idp_metadata].into_iter().flatten().cloned().collect();
            let mut problems = production_problems(&ProductionFacts {
                base_url: &base_url,
                demo_data,
                demo_idp,
                smtp: smtp.as_deref(),
                sp_key: sp_key.as_deref(),
                sp_cert: sp_cert.as_deref(),
                keys_dir: &keys_dir,
                metadata: &metadata,
                tsa: (tsa_url.as_deref(), tsa_ca.as_deref()),
                seal: (seal_key.as_deref(), seal_cert.as_deref()),
                pec: (pec_smtp_url.as_deref(), pec_from.as_deref(), pec_imap_url.as_deref()),
                oidc_hints: &oidc_hints,
                oidc_keys: [oidc_keys[0].as_deref(), oidc_keys[1].as_deref(), oidc_keys[2].as_deref()],
                oidc_trust_marks: oidc_trust_marks.as_deref(),
                oidc_trust_anchors: oidc_trust_anchors.as_deref(),
                oidc_providers: oidc_providers.as_deref(),
            });
            problems.extend(pec_trust_problem.map(|p| format!("SL_PEC_TRUST: {p}")));
            if !problems.is_empty() {
                return Err(ConfigError::Production(problems));
            }
        }

        Ok(Config {
            environment,
            addr,
            sp_key: sp_key.unwrap_or_else(|| keys_dir.join("sp.key.pem")),
            sp_cert: sp_cert.unwrap_or_else(|| keys_dir.join("sp.cert.pem")),
            base_url,
            data_dir,
            database_url,
            db_pool_size,
            log_format,
            request_timeout_secs,
            body_limit_bytes,
            session_idle_minutes,
            session_max_hours,
            metrics_addr,
            delega_max_years,
            delega_pending_days,
            trusted_proxies,
            forwarded_header,
            anonymous_per_minute,
            spid_registry_cert,
            allow_test_idps_until,
            demo_data,
            demo_idp,
            services_base_url: env
                .var("SL_SERVICES_BASE_URL")
                .or(file.services_base_url)
                .unwrap_or_else(|| "https://servizi.lavoro.gov.it".into()),
            smtp_url: env.var("SL_SMTP_URL").or(file.smtp_url),
            mail_from: env
                .var("SL_MAIL_FROM")
                .or(file.mail_from)
                .unwrap_or_else(|| "Servizi Lavoro <noreply@servizi.lavoro.gov.it>".into()),
            spid_idp_metadata,
            cie_idp_metadata,
            eidas_idp_metadata,
            organization,
            tsa_url,
            tsa_ca,
            seal_key: seal_key.unwrap_or_else(|| keys_dir.join("seal.key.pem")),
            seal_cert: seal_cert.unwrap_or_else(|| keys_dir.join("seal.cert.pem")),
            seal_retired_certs: env.var("SL_SEAL_RETIRED_CERTS").map(PathBuf::from).or(file.seal_retired_certs),
            pec_imap_url,
            pec_trust,
            pec_smtp_url,
            pec_from,
            oidc: {
                let [federation, signing, encryption] = oidc_keys;
                OidcSettings {
                    federation_key: federation.unwrap_or_else(|| keys_dir.join("oidc-federation.key.pem")),
                    signing_key: signing.unwrap_or_else(|| keys_dir.join("oidc-signing.key.pem")),
                    encryption_key: encryption.unwrap_or_else(|| keys_dir.join("oidc-encryption.key.pem")),
                    authority_hints: oidc_hints,
                    trust_marks: oidc_trust_marks,
                    trust_anchors: oidc_trust_anchors,
                    provider_marks: match list("SL_OIDC_PROVIDER_TRUST_MARKS", file.oidc_provider_trust_marks) {
                        marks if marks.is_empty() => PROVIDER_TRUST_MARKS.map(String::from).to_vec(),
                        marks => marks,
                    },
                    providers: oidc_providers,
                }
            },
        })
    }

    pub fn is_production(&self) -> bool {
        self.environment == Environment::Production
    }

    /// Whether known test identity providers may be trusted on `today`: always
    /// in development, in production only until `SL_ALLOW_TEST_IDPS_UNTIL`.
    /// Checked at every sign-in, not only at start.
    pub fn test_idps_allowed(&self, today: chrono::NaiveDate) -> bool {
        !self.is_production() || self.allow_test_idps_until.is_some_and(|d| d >= today)
    }

    /// Cookies are `Secure` whenever the portal is served over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.scheme() == "https"
    }

    /// The portal's identifier in the OpenID Connect federations (and its
    /// `client_id`): the base URL without its final slash.
    pub fn entity_id(&self) -> String {
        self.base_url.as_str().trim_end_matches('/').to_string()
    }

    /// `scheme://host[:port]`, as browsers send it in the Origin header.
    pub fn origin(&self) -> String {
        self.base_url.origin().ascii_serialization()
    }

    /// Defaults with a given database, for tests and tools.
    pub fn for_database(database_url: &str, data_dir: PathBuf) -> Config {
        let mut env = std::collections::HashMap::new();
        env.insert("SL_ENV", "development");
        env.insert("SL_DATABASE_URL", database_url);
        let mut cfg = Config::load(None, &env).expect("the defaults are valid");
        cfg.sp_key = data_dir.join("keys/sp.key.pem");
        cfg.sp_cert = data_dir.join("keys/sp.cert.pem");
        cfg.seal_key = data_dir.join("keys/seal.key.pem");
        cfg.seal_cert = data_dir.join("keys/seal.cert.pem");
        cfg.oidc.federation_key = data_dir.join("keys/oidc-federation.key.pem");
        cfg.oidc.signing_key = data_dir.join("keys/oidc-signing.key.pem");
        cfg.oidc.encryption_key = data_dir.join("keys/oidc-encryption.key.pem");
        cfg.data_dir = data_dir;
        cfg
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn development_defaults_need_no_configuration() {
        let cfg = Config::load(None, &HashMap::from([("SL_ENV", "development")])).unwrap();
        assert_eq!(cfg.addr.to_string(), "127.0.0.1:3000");
        assert!(cfg.demo_idp);
        assert_eq!(cfg.origin(), "http://localhost:3000");
        assert!(cfg.database_url.ends_with("servizi-lavoro.db"));
        assert!(cfg.demo_data);
        assert!(!cfg.secure_cookies());
    }

    #[test]
    fn without_sl_env_it_is_production_and_says_everything_missing_at_once() {
        let err = Config::load(None, &HashMap::new()).unwrap_err();
        let ConfigError::Production(problems) = &err else { panic!("{err}") };
        let text = problems.join("\n");
        for key in
            ["SL_BASE_URL", "SL_SMTP_URL", "SL_SP_KEY", "SL_SP_CERT", "SL_TSA_URL", "SL_SEAL_KEY", "SL_PEC_IMAP_URL"]
        {
            assert!(text.contains(key), "{key} missing from {text}");
        }
        assert!(err.to_string().contains("SL_ENV=development"), "{err}");
        let env = HashMap::from([
            ("SL_BASE_URL", "https://servizi.example.it"),
            ("SL_DEMO_DATA", "true"),
            ("SL_DEMO_IDP", "true"),
            ("SL_SMTP_URL", "smtp://mail.example.it:25"),
            ("SL_SPID_IDP_METADATA", "http://registry.example/idps.xml"),
        ]);
        let text = Config::load(None, &env).unwrap_err().to_string();
        for part in ["demo data", "demo identity providers", "SMTP must use TLS", "only https://"] {
            assert!(text.contains(part), "{part:?} missing from {text}");
        }
        assert!(!text.contains("SL_BASE_URL"), "{text}");
    }

    #[test]
    fn a_development_key_is_refused_by_its_public_key_wherever_it_lies() {
        let dir = tempfile::tempdir().unwrap();
        let rsa = openssl::rsa::Rsa::generate(2048).unwrap();
        let pem = openssl::pkey::PKey::from_rsa(rsa).unwrap().private_key_to_pem_pkcs8().unwrap();
        std::fs::create_dir_all(dir.path().join("data/keys")).unwrap();
        std::fs::write(dir.path().join("data/keys/sp.key.pem"), &pem).unwrap();
        let copy = dir.path().join("elsewhere.pem");
        std::fs::write(&copy, &pem).unwrap();
        let data = dir.path().join("data");
        let (data, copy) = (data.to_str().unwrap(), copy.to_str().unwrap());
        let env = HashMap::from([
            ("SL_BASE_URL", "https://servizi.example.it"),
            ("SL_SMTP_URL", "smtps://mail.example.it"),
            ("SL_DATA_DIR", data),
            ("SL_SP_KEY", copy),
        ]);
        let text = Config::load(None, &env).unwrap_err().to_string();
        assert!(text.contains("SL_SP_KEY: this is a development key"), "{text}");
    }

    #[test]
    fn a_federation_member_needs_three_keys_of_its_own_https_superiors_and_its_trust_marks() {
        let dir = tempfile::tempdir().unwrap();
        let key = |name: &str| {
            let rsa = openssl::rsa::Rsa::generate(2048).unwrap();
            let pem = openssl::pkey::PKey::from_rsa(rsa).unwrap().private_key_to_pem_pkcs8().unwrap();
            let path = dir.path().join(name);
            std::fs::write(&path, pem).unwrap();
            path.to_str().unwrap().to_string()
        };
        std::fs::create_dir_all(dir.path().join("data/keys")).unwrap();
        let development = key("data/keys/oidc-signing.key.pem");
        let (federation, encryption) = (key("federation.pem"), key("encryption.pem"));
        let data = dir.path().join("data");
        let base = [
            ("SL_BASE_URL", "https://servizi.example.it"),
            ("SL_SMTP_URL", "smtps://mail.example.it"),
            ("SL_DATA_DIR", data.to_str().unwrap()),
        ];
        // Not a member: nothing asked.
        let text = Config::load(None, &HashMap::from(base)).unwrap_err().to_string();
        assert!(!text.contains("SL_OIDC"), "{text}");
        let mut env = HashMap::from(base);
        env.extend([
            ("SL_OIDC_AUTHORITY_HINTS", "http://ta.example.it"),
            ("SL_OIDC_FEDERATION_KEY", federation.as_str()),
            ("SL_OIDC_SIGNING_KEY", federation.as_str()),
            ("SL_OIDC_ENCRYPTION_KEY", development.as_str()),
        ]);
        let text = Config::load(None, &env).unwrap_err().to_string();
        for part in [
            "SL_OIDC_AUTHORITY_HINTS: http://ta.example.it is not an https://",
            "SL_OIDC_SIGNING_KEY: each job needs a key of its own",
            "SL_OIDC_ENCRYPTION_KEY: this is a development key",
            "SL_OIDC_TRUST_MARKS",
        ] {
            assert!(text.contains(part), "{part:?} missing from {text}");
        }
        let anchors = dir.path().join("anchors.json");
        std::fs::write(&anchors, r#"[{"entity_id": "http://ta.example.it", "jwks": {"keys": []}}]"#).unwrap();
        env.insert("SL_OIDC_TRUST_ANCHORS", anchors.to_str().unwrap());
        let text = Config::load(None, &env).unwrap_err().to_string();
        assert!(text.contains(r#"SL_OIDC_TRUST_ANCHORS: "http://ta.example.it" needs an https://"#), "{text}");
        env.remove("SL_OIDC_TRUST_ANCHORS");
        env.extend([
            ("SL_OIDC_AUTHORITY_HINTS", "https://ta.example.it"),
            ("SL_OIDC_SIGNING_KEY", encryption.as_str()),
            ("SL_OIDC_ENCRYPTION_KEY", encryption.as_str()),
        ]);
        let text = Config::load(None, &env).unwrap_err().to_string();
        assert!(text.contains("SL_OIDC_ENCRYPTION_KEY: each job needs a key of its own"), "{text}");
        assert!(!text.contains("SL_OIDC_AUTHORITY_HINTS") && !text.contains("SL_OIDC_SIGNING_KEY"), "{text}");
        // A trust mark about another entity; a provider over http.
        let mark = |sub: &str, exp: i64| {
            use base64::Engine;
            let claims = serde_json::json!({ "iss": "https://ta.example.it", "sub": sub, "id": "https://mark", "iat": 1, "exp": exp });
            let b = |v: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
            format!("{}.{}.{}", b(br#"{"alg":"RS256"}"#), b(claims.to_string().as_bytes()), b(b"sig"))
        };
        let marks = dir.path().join("marks.json");
        let list = serde_json::json!([
            { "id": "https://mark", "trust_mark": mark("https://other.example.it", 4_000_000_000) },
            { "id": "https://mark", "trust_mark": mark("https://servizi.example.it", 1_000) },
        ]);
        std::fs::write(&marks, list.to_string()).unwrap();
        let providers = dir.path().join("providers.json");
        std::fs::write(&providers, r#"[{"entity_id": "http://op.example.it", "credential": "spid", "name": "OP"}]"#)
            .unwrap();
        env.extend([
            ("SL_OIDC_TRUST_MARKS", marks.to_str().unwrap()),
            ("SL_OIDC_PROVIDERS", providers.to_str().unwrap()),
        ]);
        let text = Config::load(None, &env).unwrap_err().to_string();
        for part in [
            r#"is about "https://other.example.it", not https://servizi.example.it"#,
            "SL_OIDC_PROVIDERS: http://op.example.it is not an https://",
        ] {
            assert!(text.contains(part), "{part:?} missing from {text}");
        }
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let cidr: Cidr = "10.0.0.0/8".parse().unwrap();
        assert!(cidr.contains("10.200.3.4".parse().unwrap()));
        assert!(!cidr.contains("11.0.0.1".parse().unwrap()));
        assert!(cidr.contains("::ffff:10.0.0.1".parse().unwrap()), "an IPv4 address seen on an IPv6 socket");
        let one: Cidr = "2001:db8::1".parse().unwrap();
        assert!(one.contains("2001:db8::1".parse().unwrap()) && !one.contains("2001:db8::2".parse().unwrap()));
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains("192.0.2.1".parse().unwrap()));
        assert!("10.0.0.0/33".parse::<Cidr>().is_err() && "proxy".parse::<Cidr>().is_err());
        let env = HashMap::from([("SL_ENV", "development"), ("SL_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8")]);
        assert_eq!(Config::load(None, &env).unwrap().trusted_proxies.len(), 2);
    }

    #[test]
    fn the_private_profile_needs_its_invoicing_details() {
        let env = HashMap::from([
            ("SL_ENV", "development"),
            ("SL_SP_PROFILE", "private"),
            ("SL_VAT_NUMBER", "IT12345678901"),
        ]);
        let err = Config::load(None, &env).unwrap_err().to_string();
        assert!(err.contains("SL_BILLING_ADDRESS"), "{err}");
        let env = HashMap::from([("SL_ENV", "development"), ("SL_CONTACT_PHONE", "+39 06 4683")]);
        assert!(Config::load(None, &env).unwrap_err().to_string().starts_with("SL_CONTACT_PHONE"));
    }

    #[test]
    fn environment_overrides_file_and_bad_values_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "addr = \"0.0.0.0:8080\"\ndb_pool_size = 3\n").unwrap();
        let env = HashMap::from([("SL_ENV", "development"), ("SL_DB_POOL_SIZE", "5")]);
        let cfg = Config::load(Some(&path), &env).unwrap();
        assert_eq!(cfg.addr.port(), 8080);
        assert_eq!(cfg.db_pool_size, 5);
        let env = HashMap::from([("SL_ENV", "development"), ("SL_ADDR", "nowhere")]);
        assert!(Config::load(None, &env).unwrap_err().to_string().starts_with("SL_ADDR"));
        // Receipts are read only with the providers' certificates to check them.
        let imap = [("SL_ENV", "development"), ("SL_PEC_IMAP_URL", "imap://m:p@127.0.0.1:1143/")];
        let err = Config::load(None, &HashMap::from(imap)).unwrap_err().to_string();
        assert!(err.starts_with("SL_PEC_TRUST") && err.contains("certificates"), "{err}");
        let not_pem = dir.path().join("gestori.pem");
        std::fs::write(&not_pem, "not a certificate").unwrap();
        let not_pem_text = not_pem.display().to_string();
        let env = HashMap::from([imap[0], imap[1], ("SL_PEC_TRUST", not_pem_text.as_str())]);
        assert!(Config::load(None, &env).unwrap_err().to_string().contains("no readable PEM certificate"));
        std::fs::write(&path, "colour = \"blue\"\n").unwrap();
        assert!(matches!(
            Config::load(Some(&path), &HashMap::from([("SL_ENV", "development")])),
            Err(ConfigError::ParseFile { .. })
        ));
    }
}
