//! The AuthnRequest, built to the SPID rules (samael's builder is not:
//! wrong ID form, AllowCreate, no RequestedAuthnContext) and sent by
//! HTTP-Redirect with a signed query, so no JavaScript is needed.
use super::codec::{esc, instant};
use super::comparison::Comparison;
use super::idp::IdentityProvider;
use super::sp::{ServiceProvider, ACS_INDEX};
use crate::assurance::{Credential, Level};
use chrono::{DateTime, Utc};

pub struct AuthnRequest<'a> {
    pub id: String,
    pub issue_instant: DateTime<Utc>,
    pub sp: &'a ServiceProvider,
    pub idp: &'a IdentityProvider,
    pub level: Level,
    pub comparison: Comparison,
    pub attribute_set: u32,
}

impl AuthnRequest<'_> {
    /// SPID names the IdP's entity ID as Destination; CIE its SSO location.
    fn destination(&self) -> &str {
        match self.idp.credential {
            Credential::Cie => &self.idp.sso_redirect,
            _ => &self.idp.entity_id,
        }
    }

    pub fn to_xml(&self) -> String {
        // Levels 2 and 3 must authenticate anew: the IdP keeps no session for them.
        let force = if self.level >= Level::L2 { r#" ForceAuthn="true""# } else { "" };
        format!(
            concat!(
                r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" "#,
                r#"xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" "#,
                r#"IssueInstant="{instant}" Destination="{dest}"{force} "#,
                r#"AssertionConsumerServiceIndex="{acs}" AttributeConsumingServiceIndex="{attrs}">"#,
                r#"<saml:Issuer NameQualifier="{eid}" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">{eid}</saml:Issuer>"#,
                r#"<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient"/>"#,
                r#"<samlp:RequestedAuthnContext Comparison="{cmp}">"#,
                r#"<saml:AuthnContextClassRef>{acr}</saml:AuthnContextClassRef></samlp:RequestedAuthnContext>"#,
                "</samlp:AuthnRequest>"
            ),
            id = esc(&self.id),
            instant = instant(self.issue_instant),
            dest = esc(self.destination()),
            force = force,
            acs = ACS_INDEX,
            attrs = self.attribute_set,
            eid = esc(&self.sp.entity_id),
            cmp = self.comparison.as_str(),
            acr = self.level.uri(),
        )
    }

    /// The IdP URL to send the browser to.
    pub fn redirect_url(&self, xml: &str, relay_state: &str) -> Result<String, openssl::error::ErrorStack> {
        let query = super::codec::signed_redirect_query("SAMLRequest", xml, Some(relay_state), &self.sp.keys.key)?;
        let sep = if self.idp.sso_redirect.contains('?') { '&' } else { '?' };
        Ok(format!("{}{sep}{query}", self.idp.sso_redirect))
    }
}
