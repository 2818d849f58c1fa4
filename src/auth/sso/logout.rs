//! Signing out. The portal session always ends here first (local logout);
//! then, when the IdP offers SAML Single Logout, a signed LogoutRequest goes
//! to it by redirect and its LogoutResponse comes back to `/saml/slo`. An
//! IdP-initiated LogoutRequest ends every session opened with that login.
use super::request_state::{self, PendingRequest, Purpose};
use crate::auth::session::end_idp_sessions;
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::kernel::AppState;
use crate::kernel::Level;
use crate::kernel::SignedIn;
use crate::saml::codec::{esc, instant, new_id, signed_redirect_query, verify_redirect};
use crate::saml::comparison::Comparison;
use crate::saml::response::{NS_SAML, NS_SAMLP};
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::SubsecRound;

const SIGNED_OUT_PAGE: &str = crate::paths::SIGNED_OUT;
const SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";

fn issuer(sp_entity_id: &str) -> String {
    format!(
        r#"<saml:Issuer NameQualifier="{e}" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">{e}</saml:Issuer>"#,
        e = esc(sp_entity_id)
    )
}

fn found(url: String) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, url)]).into_response()
}

/// After the portal session has ended: a SAML LogoutRequest to the IdP
/// when it offers Single Logout, else the signed-out page.
pub async fn at_idp(state: &AppState, who: SignedIn) -> AppResult<Response> {
    let saml = state.saml.clone();
    // CIE has no SAML Single Logout ("Simple Logout"): the portal session is all there is to end.
    if who.credential == crate::kernel::Credential::Cie {
        return Ok(Redirect::to(SIGNED_OUT_PAGE).into_response());
    }
    let target = who
        .idp_session
        .as_ref()
        .zip(saml.idps.get(&who.idp_entity_id))
        .and_then(|(s, idp)| idp.slo_redirect.clone().map(|slo| (s.clone(), idp.clone(), slo)));
    let Some((idp_session, idp, slo)) = target else {
        return Ok(Redirect::to(SIGNED_OUT_PAGE).into_response());
    };
    let id = new_id();
    let now = state.clock.now().and_utc().trunc_subsecs(0);
    let session_index = idp_session
        .session_index
        .as_deref()
        .map(|s| format!("<samlp:SessionIndex>{}</samlp:SessionIndex>", esc(s)))
        .unwrap_or_default();
    let xml = format!(
        concat!(
            r#"<samlp:LogoutRequest xmlns:samlp="{p}" xmlns:saml="{a}" ID="{id}" Version="2.0" IssueInstant="{now}" Destination="{dest}">"#,
            "{issuer}",
            r#"<saml:NameID NameQualifier="{nq}" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient">{nid}</saml:NameID>"#,
            "{si}</samlp:LogoutRequest>"
        ),
        p = NS_SAMLP,
        a = NS_SAML,
        id = id,
        now = instant(now),
        dest = esc(&slo),
        issuer = issuer(&saml.sp.entity_id),
        nq = esc(&idp_session.name_qualifier),
        nid = esc(&idp_session.name_id),
        si = session_index,
    );
    let pending = PendingRequest {
        relay_state: request_state::new_relay_state(),
        request_id: id,
        purpose: Purpose::Logout,
        idp_entity_id: idp.entity_id.clone(),
        credential: who.credential,
        level: Level::L1,
        comparison: Comparison::Minimum,
        attribute_set: 0,
        return_to: SIGNED_OUT_PAGE.into(),
        issue_instant: now.naive_utc(),
        browser_binding: None,
        initiator_account_id: None,
    };
    let query = signed_redirect_query("SAMLRequest", &xml, Some(&pending.relay_state), &saml.sp.keys.key)
        .map_err(|e| AppError::other("sso/logout", e))?;
    let now = state.clock.now();
    with_conn(&state.pool, move |c| request_state::store(c, &pending, now)).await?;
    let sep = if slo.contains('?') { '&' } else { '?' };
    Ok(found(format!("{slo}{sep}{query}")))
}

/// How far a LogoutRequest's IssueInstant may be from our clock.
const LOGOUT_REQUEST_SKEW_SECS: i64 = 180;

fn refused(reason: &'static str, log: impl Into<String>) -> AppError {
    // A failed sign-out is not a failed sign-in: its own title.
    AppError::Explained {
        status: StatusCode::BAD_REQUEST,
        title: "signout-failed-title",
        detail: reason,
        log: log.into(),
    }
}

/// `GET /saml/slo`: the IdP's LogoutResponse, or its own LogoutRequest.
pub async fn single_logout(State(state): State<AppState>, RawQuery(query): RawQuery) -> AppResult<Response> {
    let query = query.unwrap_or_default();
    if query.split('&').any(|kv| kv.starts_with("SAMLResponse=")) {
        logout_response(state, &query).await
    } else if query.split('&').any(|kv| kv.starts_with("SAMLRequest=")) {
        logout_request(state, &query).await
    } else {
        Err(refused("signout-invalid", "no SAML message"))
    }
}

fn parse_relay(query: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "RelayState").map(|(_, v)| v.into_owned())
}

async fn logout_response(state: AppState, query: &str) -> AppResult<Response> {
    let relay = parse_relay(query).ok_or_else(|| refused("signout-invalid", "no RelayState"))?;
    let (r, now) = (relay.clone(), state.clock.now());
    let idp_id = with_conn(&state.pool, move |c| request_state::idp_of(c, &r, Purpose::Logout, now))
        .await?
        .ok_or_else(|| refused("signout-invalid", "unknown or used logout RelayState"))?;
    let idp = state.saml.idps.get(&idp_id).ok_or_else(|| refused("signout-invalid", "IdP gone"))?;
    let msg = verify_redirect(query, "SAMLResponse", &idp.public_keys())
        .map_err(|e| refused("signout-invalid", e.to_string()))?;
    // Only a signed answer uses the request up.
    let now = state.clock.now();
    let pending = with_conn(&state.pool, move |c| request_state::claim(c, &relay, Purpose::Logout, now))
        .await?
        .ok_or_else(|| refused("signout-invalid", "logout RelayState used meanwhile"))?;
    let doc = roxmltree::Document::parse(&msg.xml).map_err(|_| refused("signout-invalid", "not XML"))?;
    let root = doc.root_element();
    let issuer = root.children().find(|n| n.tag_name().name() == "Issuer").and_then(|n| n.text()).map(str::trim);
    let status = root.descendants().find(|n| n.tag_name().name() == "StatusCode").and_then(|n| n.attribute("Value"));
    if root.tag_name().name() != "LogoutResponse"
        || root.attribute("InResponseTo") != Some(pending.request_id.as_str())
        || issuer != Some(idp.entity_id.as_str())
    {
        return Err(refused("signout-invalid", "LogoutResponse does not answer our request"));
    }
    if status != Some(SUCCESS) {
        tracing::warn!(idp = %idp.entity_id, ?status, "the IdP did not confirm the logout");
        return Err(refused("signout-idp-incomplete", format!("logout status {status:?}")));
    }
    Ok(Redirect::to(SIGNED_OUT_PAGE).into_response())
}

async fn logout_request(state: AppState, query: &str) -> AppResult<Response> {
    // Read the issuer only to pick the keys; nothing else is trusted before the signature.
    let unverified = url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "SAMLRequest")
        .and_then(|(_, v)| crate::saml::codec::unb64(&v))
        .and_then(|b| crate::saml::codec::inflate(&b, 256 * 1024))
        .ok_or_else(|| refused("signout-invalid", "SAMLRequest not decodable"))?;
    let sender = roxmltree::Document::parse(&unverified)
        .ok()
        .and_then(|d| {
            d.root_element()
                .children()
                .find(|n| n.tag_name().name() == "Issuer")
                .and_then(|n| n.text())
                .map(|t| t.trim().to_string())
        })
        .ok_or_else(|| refused("signout-invalid", "no Issuer"))?;
    let saml = state.saml.clone();
    let idp =
        saml.idps.get(&sender).ok_or_else(|| refused("signout-invalid", format!("unknown IdP {sender}")))?.clone();
    // A refused request changes nothing: the page says so (not "signed out anyway").
    let no = |log: String| refused("signout-request-refused", log);
    let msg = verify_redirect(query, "SAMLRequest", &idp.public_keys()).map_err(|e| no(e.to_string()))?;
    let doc = roxmltree::Document::parse(&msg.xml).map_err(|_| no("not XML".into()))?;
    let root = doc.root_element();
    let request_id = root.attribute("ID").filter(|_| root.tag_name().name() == "LogoutRequest");
    let name_id =
        root.children().find(|n| n.tag_name().name() == "NameID").and_then(|n| n.text()).map(|t| t.trim().to_string());
    let (Some(request_id), Some(name_id)) = (request_id, name_id) else {
        return Err(no("LogoutRequest without ID or NameID".into()));
    };
    if root.attribute("Destination") != Some(saml.sp.slo_url.as_str()) {
        return Err(no(format!("LogoutRequest for {:?}", root.attribute("Destination"))));
    }
    let now = state.clock.now().and_utc();
    let fresh = root
        .attribute("IssueInstant")
        .and_then(crate::saml::codec::parse_instant)
        .is_some_and(|at| (now - at).num_seconds().abs() <= LOGOUT_REQUEST_SKEW_SECS);
    if !fresh {
        return Err(no("LogoutRequest IssueInstant missing or not current".into()));
    }
    let (id, until) = (format!("logout:{request_id}"), (now + chrono::Duration::minutes(10)).naive_utc());
    let now = state.clock.now();
    if !with_conn(&state.pool, move |c| super::register::first_use(c, &id, until, now)).await? {
        return Err(no("LogoutRequest replayed".into()));
    }
    let (idp_id, nid) = (idp.entity_id.clone(), name_id.clone());
    let ended = with_conn(&state.pool, move |c| end_idp_sessions(c, &idp_id, &nid)).await?;
    tracing::info!(idp = %idp.entity_id, ended, "IdP-initiated logout");
    let Some(slo) = idp.slo_redirect.clone() else {
        return Ok(Redirect::to(SIGNED_OUT_PAGE).into_response());
    };
    let xml = format!(
        concat!(
            r#"<samlp:LogoutResponse xmlns:samlp="{p}" xmlns:saml="{a}" ID="{id}" Version="2.0" IssueInstant="{now}" "#,
            r#"Destination="{dest}" InResponseTo="{irt}">{issuer}"#,
            r#"<samlp:Status><samlp:StatusCode Value="{ok}"/></samlp:Status></samlp:LogoutResponse>"#
        ),
        p = NS_SAMLP,
        a = NS_SAML,
        id = new_id(),
        now = instant(state.clock.now().and_utc()),
        dest = esc(&slo),
        irt = esc(request_id),
        issuer = issuer(&saml.sp.entity_id),
        ok = SUCCESS,
    );
    let query = signed_redirect_query("SAMLResponse", &xml, msg.relay_state.as_deref(), &saml.sp.keys.key)
        .map_err(|e| AppError::other("sso/logout", e))?;
    let sep = if slo.contains('?') { '&' } else { '?' };
    Ok(found(format!("{slo}{sep}{query}")))
}
