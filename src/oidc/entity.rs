//! The portal's entity configuration: what it says about itself to the SPID
//! and CIE id federations at `/.well-known/openid-federation`, a JWT of type
//! `entity-statement+jwt` signed with the federation key (the technical
//! rules, "Entity Configuration" and "OpenID Connect Relying Party
//! Metadata"). Its superiors, the trust marks they issued and who the portal
//! is come from the configuration; the keys from [`super::keys`].
use super::keys::{KeyJob, OidcKeys};
use josekit::jwk::KeyPair as _;
use josekit::jws::{JwsHeader, RS256};
use josekit::jwt::JwtPayload;
use serde_json::{json, Map, Value};

/// How long a signed configuration holds: federation members cache the
/// chains it is part of until the earliest expiry, so a day lets a new key or
/// trust mark reach them by the next day.
pub const LIFETIME_SECS: i64 = 24 * 60 * 60;

/// The media type of an entity statement (OpenID Federation 1.0, 3.1).
pub const MEDIA_TYPE: &str = "application/entity-statement+jwt";

/// How UserInfo is encrypted to the portal: the content encryption the
/// reference providers use, the stronger of the two the rules name.
pub const USERINFO_ENC: &str = "A256CBC-HS512";

/// A trust mark the federation issued to the portal, as it issued it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct TrustMark {
    /// What it certifies (`https://www.spid.gov.it/openid-federation/agreement/sp-public`).
    pub id: String,
    /// The signed JWT.
    pub trust_mark: String,
}

/// Who the portal is, in the words of the federation's metadata.
#[derive(Clone, Debug)]
pub struct Party {
    /// The entity identifier: the portal's base URL, also its `client_id`.
    pub entity_id: String,
    pub organization_name: String,
    pub client_name: String,
    pub homepage_uri: String,
    pub policy_uri: String,
    /// An SVG, as the rules ask.
    pub logo_uri: String,
    pub contacts: Vec<String>,
    pub redirect_uris: Vec<String>,
    pub authority_hints: Vec<String>,
    pub trust_marks: Vec<TrustMark>,
}

/// The configuration's claims at `now` (seconds since the epoch).
pub fn claims(party: &Party, keys: &OidcKeys, now: i64) -> Map<String, Value> {
    let core = json!({ "keys": [keys.signing.public.as_ref(), keys.encryption.public.as_ref()] });
    let relying_party = json!({
        "client_id": party.entity_id,
        "client_name": party.client_name,
        "organization_name": party.organization_name,
        "application_type": "web",
        "client_registration_types": ["automatic"],
        "redirect_uris": party.redirect_uris,
        "response_types": ["code"],
        // The federations' policy wants both (superset_of), though the
        // portal asks for no refresh token.
        "grant_types": ["authorization_code", "refresh_token"],
        "jwks": core,
        "id_token_signed_response_alg": KeyJob::Signing.algorithm(),
        "userinfo_signed_response_alg": KeyJob::Signing.algorithm(),
        "userinfo_encrypted_response_alg": KeyJob::Encryption.algorithm(),
        "userinfo_encrypted_response_enc": USERINFO_ENC,
        "token_endpoint_auth_method": "private_key_jwt",
        "subject_type": "pairwise",
        "contacts": party.contacts,
    });
    let federation_entity = json!({
        "organization_name": party.organization_name,
        "homepage_uri": party.homepage_uri,
        "policy_uri": party.policy_uri,
        "logo_uri": party.logo_uri,
        "contacts": party.contacts,
    });
    let claims = json!({
        "iss": party.entity_id,
        "sub": party.entity_id,
        "iat": now,
        "exp": now + LIFETIME_SECS,
        "jwks": { "keys": [keys.federation.public.as_ref()] },
        "authority_hints": party.authority_hints,
        "trust_marks": party.trust_marks,
        "metadata": { "federation_entity": federation_entity, "openid_relying_party": relying_party },
    });
    match claims {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// The signed entity configuration at `now` (seconds since the epoch).
pub fn sign(party: &Party, keys: &OidcKeys, now: i64) -> Result<String, josekit::JoseError> {
    let mut header = JwsHeader::new();
    header.set_token_type("entity-statement+jwt");
    header.set_key_id(&keys.federation.kid);
    let payload = JwtPayload::from_map(claims(party, keys, now))?;
    let signer = RS256.signer_from_jwk(&keys.federation.pair.to_jwk_private_key())?;
    josekit::jwt::encode_with_signer(&payload, &header, &signer)
}
