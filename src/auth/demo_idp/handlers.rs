use super::issue::ResponseSpec;
use super::pages::{DemoConfirm, DemoConfirmData, DemoLogin, DemoRequest};
use super::{people, DemoIdp};
use crate::error::{AppError, AppResult};
use crate::kernel::AppState;
use crate::kernel::Credential;
use crate::kernel::Level;
use crate::saml::codec::{b64, esc, instant, new_id, signed_redirect_query, verify_redirect};
use crate::saml::response::{NS_SAML, NS_SAMLP};
use crate::saml::sp::{CIE_ATTRIBUTES, EIDAS_MINIMUM, SPID_ATTRIBUTES};
use crate::web::render::{FormData, PageRequest};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos::prelude::*;
use serde::Deserialize;

fn demo<'a>(state: &'a AppState, kind: &str) -> AppResult<&'a DemoIdp> {
    state.saml.demo.iter().find(|d| d.kind == kind).ok_or(AppError::NotFound)
}

fn read_request(state: &AppState, d: &DemoIdp, query: &str) -> AppResult<DemoRequest> {
    let sp_key = state.saml.sp.keys.cert.public_key().map_err(|e| AppError::other("demo_idp/handlers", e))?;
    let msg =
        verify_redirect(query, "SAMLRequest", &[sp_key]).map_err(|e| AppError::BadRequest(format!("demo IdP: {e}")))?;
    let doc = roxmltree::Document::parse(&msg.xml).map_err(|_| AppError::BadRequest("demo IdP: not XML".into()))?;
    let root = doc.root_element();
    if root.tag_name().name() != "AuthnRequest" {
        return Err(AppError::BadRequest("demo IdP: not an AuthnRequest".into()));
    }
    let id = root.attribute("ID").ok_or_else(|| AppError::BadRequest("demo IdP: no ID".into()))?.to_string();
    let level = root
        .descendants()
        .find(|n| n.tag_name().name() == "AuthnContextClassRef")
        .and_then(|n| n.text())
        .and_then(Level::from_uri)
        .unwrap_or(Level::L1);
    // CIE always authenticates at the highest level.
    let level = if d.credential == Credential::Cie { Level::L3 } else { level };
    Ok(DemoRequest {
        credential: d.credential,
        sso_path: format!("{}/sso", d.path()),
        id,
        level,
        relay_state: msg.relay_state,
        query: query.to_string(),
    })
}

/// `GET /demo-idp/{kind}/metadata`.
pub async fn metadata(State(state): State<AppState>, Path(kind): Path<String>) -> AppResult<Response> {
    let d = demo(&state, &kind)?;
    let slo = d
        .slo_url
        .as_deref()
        .map(|u| format!(r#"<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{}"/>"#, esc(u)))
        .unwrap_or_default();
    let xml = format!(
        concat!(
            r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{e}">"#,
            r#"<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="true">"#,
            r#"<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>"#,
            r#"<ds:X509Certificate>{c}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"#,
            "{slo}",
            r#"<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>"#,
            r#"<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{sso}"/>"#,
            r#"</md:IDPSSODescriptor><md:Organization><md:OrganizationName xml:lang="it">{name}</md:OrganizationName>"#,
            r#"<md:OrganizationDisplayName xml:lang="it">{name}</md:OrganizationDisplayName>"#,
            r#"<md:OrganizationURL xml:lang="it">{e}</md:OrganizationURL></md:Organization></md:EntityDescriptor>"#
        ),
        e = esc(&d.entity_id),
        c = d.keys.cert_b64,
        slo = slo,
        sso = esc(&d.sso_url),
        name = d.display_name(),
    );
    Ok(([(header::CONTENT_TYPE, "application/samlmetadata+xml")], xml).into_response())
}

/// `GET /demo-idp/{kind}/sso`: the sign-in page of a demo IdP.
pub async fn sso(page: PageRequest, Path(kind): Path<String>, RawQuery(query): RawQuery) -> AppResult<Response> {
    let d = demo(&page.state, &kind)?;
    let request = read_request(&page.state, d, query.as_deref().unwrap_or(""))?;
    Ok(page.render(StatusCode::OK, move || view! { <DemoLogin request/> }.into_any()))
}

#[derive(Debug, Deserialize)]
pub struct RespondForm {
    pub request: String,
    pub person: Option<String>,
    pub level: Option<String>,
    pub outcome: Option<String>,
}

/// `POST /demo-idp/{kind}/sso`: issues the signed Response and shows the
/// form that carries it back to the portal (the person presses Continue).
pub async fn respond(
    page: PageRequest,
    Path(kind): Path<String>,
    FormData(form): FormData<RespondForm>,
) -> AppResult<Response> {
    let state = page.state.clone();
    let d = demo(&state, &kind)?;
    let request = read_request(&state, d, &form.request)?;
    let person = people::find(form.person.as_deref().unwrap_or(""))
        .filter(|p| p.usable_with(d.credential))
        .ok_or_else(|| AppError::BadRequest("demo IdP: choose a person".into()))?;
    let level = match d.credential {
        Credential::Cie => Level::L3,
        _ => form.level.as_deref().and_then(|l| l.parse().ok()).and_then(Level::from_number).unwrap_or(request.level),
    };
    let anomaly = form.outcome.as_deref().and_then(|o| o.strip_prefix("nr")).and_then(|n| n.parse::<u8>().ok());
    let asked: &[&str] = match d.credential {
        Credential::Cie => CIE_ATTRIBUTES,
        Credential::Eidas => EIDAS_MINIMUM,
        _ => SPID_ATTRIBUTES,
    };
    let attributes: Vec<(String, String)> = asked
        .iter()
        .filter_map(|name| {
            let value = match *name {
                "spidCode" => person.spid_code.to_string(),
                "name" => person.given_name.to_string(),
                "familyName" => person.family_name.to_string(),
                // EU citizens have no codice fiscale: the node leaves it out.
                "fiscalNumber" => format!("TINIT-{}", person.codice_fiscale()?),
                "dateOfBirth" => person.date_of_birth.to_string(),
                _ => person.email.to_string(),
            };
            Some((name.to_string(), value))
        })
        .collect();
    let spec = ResponseSpec {
        issuer: d.entity_id.clone(),
        destination: state.saml.sp.acs_url.clone(),
        in_response_to: request.id.clone(),
        audience: state.saml.sp.entity_id.clone(),
        level,
        name_id: new_id(),
        session_index: Some(new_id()),
        attributes: attributes.clone(),
        issue_instant: state.clock.now().and_utc(),
        anomaly,
    };
    let keys = d.keys.clone();
    let xml = tokio::task::spawn_blocking(move || spec.signed(&keys))
        .await
        .map_err(|e| AppError::other("demo_idp/handlers", e))?
        .map_err(|e| AppError::other("demo_idp/handlers", e))?;
    let confirm = DemoConfirmData {
        credential: d.credential,
        acs: state.saml.sp.acs_url.clone(),
        saml_response: b64(xml.as_bytes()),
        relay_state: request.relay_state.unwrap_or_default(),
        attributes: if anomaly.is_some() { Vec::new() } else { attributes },
        anomaly,
    };
    Ok(page.render(StatusCode::OK, move || view! { <DemoConfirm data=confirm/> }.into_any()))
}

/// `GET /demo-idp/{kind}/slo`: answers the portal's LogoutRequest.
pub async fn single_logout(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    let d = demo(&state, &kind)?;
    let query = query.unwrap_or_default();
    if d.slo_url.is_none() {
        return Err(AppError::NotFound);
    }
    let sp_key = state.saml.sp.keys.cert.public_key().map_err(|e| AppError::other("demo_idp/handlers", e))?;
    let msg = verify_redirect(&query, "SAMLRequest", &[sp_key])
        .map_err(|e| AppError::BadRequest(format!("demo IdP: {e}")))?;
    let doc = roxmltree::Document::parse(&msg.xml).map_err(|_| AppError::BadRequest("demo IdP: not XML".into()))?;
    let id = doc.root_element().attribute("ID").unwrap_or_default().to_string();
    let xml = format!(
        concat!(
            r#"<samlp:LogoutResponse xmlns:samlp="{p}" xmlns:saml="{a}" ID="{id}" Version="2.0" IssueInstant="{now}" "#,
            r#"Destination="{dest}" InResponseTo="{irt}">"#,
            r#"<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">{iss}</saml:Issuer>"#,
            r#"<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>"#
        ),
        p = NS_SAMLP,
        a = NS_SAML,
        id = new_id(),
        now = instant(state.clock.now().and_utc()),
        dest = esc(&state.saml.sp.slo_url),
        irt = esc(&id),
        iss = esc(&d.entity_id),
    );
    let q = signed_redirect_query("SAMLResponse", &xml, msg.relay_state.as_deref(), &d.keys.key)
        .map_err(|e| AppError::other("demo_idp/handlers", e))?;
    Ok((StatusCode::FOUND, [(header::LOCATION, format!("{}?{q}", state.saml.sp.slo_url))]).into_response())
}
