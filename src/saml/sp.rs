//! Our side of SAML: entity ID, endpoints, signing key, and the signed
//! metadata AgID and the identity providers read.
use super::codec::{esc, new_id};
use super::keys::KeyPair;
use super::xmldsig;
use crate::config::{Config, Organization, SpProfile};

/// The attributes we ask SPID IdPs for (AttributeConsumingService 0).
pub const SPID_ATTRIBUTES: &[&str] = &["spidCode", "name", "familyName", "fiscalNumber", "dateOfBirth", "email"];
/// CIE gives the eIDAS minimum set only (its own metadata, index 0).
pub const CIE_ATTRIBUTES: &[&str] = &["name", "familyName", "fiscalNumber", "dateOfBirth"];
/// The eIDAS node (FICEP): minimum set (index 99) and full set (index 100).
pub const EIDAS_MINIMUM: &[&str] = &["fiscalNumber", "spidCode", "name", "familyName", "dateOfBirth"];
pub const EIDAS_FULL: &[&str] =
    &["fiscalNumber", "spidCode", "name", "familyName", "dateOfBirth", "placeOfBirth", "address", "gender"];

pub const ACS_INDEX: u32 = 0;
pub const ATTRIBUTE_SET_SPID: u32 = 0;
pub const ATTRIBUTE_SET_EIDAS_MINIMUM: u32 = 99;
pub const ATTRIBUTE_SET_EIDAS_FULL: u32 = 100;
const NS_CIE: &str = "https://www.cartaidentita.interno.gov.it/saml-extensions";

fn requested(attrs: &[&str]) -> String {
    attrs
        .iter()
        .map(|a| {
            format!(
                r#"<md:RequestedAttribute Name="{a}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic"/>"#
            )
        })
        .collect()
}

fn attribute_service(index: u32, name: &str, attrs: &[&str]) -> String {
    format!(
        r#"<md:AttributeConsumingService index="{index}"><md:ServiceName xml:lang="it">{}</md:ServiceName>{}</md:AttributeConsumingService>"#,
        esc(name),
        requested(attrs)
    )
}

pub struct ServiceProvider {
    pub entity_id: String,
    pub acs_url: String,
    pub slo_url: String,
    pub keys: KeyPair,
    pub organization: Organization,
    /// Signed once at start: the metadata only changes with the configuration.
    pub metadata_xml: String,
    /// The same service provider as the CIE federation wants it described.
    pub cie_metadata_xml: String,
}

impl std::fmt::Debug for ServiceProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceProvider").field("entity_id", &self.entity_id).finish_non_exhaustive()
    }
}

impl ServiceProvider {
    pub fn new(config: &Config, keys: KeyPair) -> Result<Self, xmldsig::SignatureError> {
        let base = config.origin();
        let mut sp = ServiceProvider {
            entity_id: base.clone(),
            acs_url: format!("{base}/saml/acs"),
            slo_url: format!("{base}/saml/slo"),
            keys,
            organization: config.organization.clone(),
            metadata_xml: String::new(),
            cie_metadata_xml: String::new(),
        };
        sp.metadata_xml = xmldsig::sign(&sp.unsigned_metadata(), &sp.keys.key_der)?;
        sp.cie_metadata_xml = xmldsig::sign(&sp.unsigned_cie_metadata(), &sp.keys.key_der)?;
        Ok(sp)
    }

    /// The endpoints and key, shared by both metadata documents.
    fn sp_sso_descriptor(&self, attribute_services: &str) -> String {
        format!(
            concat!(
                r#"<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" "#,
                r#"AuthnRequestsSigned="true" WantAssertionsSigned="true">"#,
                r#"<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">"#,
                r#"<ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"#,
                r#"<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{slo}"/>"#,
                r#"<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>"#,
                r#"<md:AssertionConsumerService index="{acs_index}" isDefault="true" "#,
                r#"Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{acs}"/>"#,
                "{attrs}</md:SPSSODescriptor>"
            ),
            cert = self.keys.cert_b64,
            slo = esc(&self.slo_url),
            acs_index = ACS_INDEX,
            acs = esc(&self.acs_url),
            attrs = attribute_services,
        )
    }

    fn organization_xml(&self) -> String {
        let o = &self.organization;
        let lang_values = |value: &str, tag: &str| {
            ["it", "en"]
                .iter()
                .map(|l| format!(r#"<md:{tag} xml:lang="{l}">{}</md:{tag}>"#, esc(value)))
                .collect::<String>()
        };
        format!(
            "<md:Organization>{}{}{}</md:Organization>",
            lang_values(&o.name, "OrganizationName"),
            lang_values(&o.display_name, "OrganizationDisplayName"),
            lang_values(&o.url, "OrganizationURL")
        )
    }

    /// CIE profile: CIE extension namespace, administrative contact only, and
    /// just the four attributes CIE can give.
    fn unsigned_cie_metadata(&self) -> String {
        let o = &self.organization;
        let id = new_id();
        let ext = match o.profile {
            SpProfile::Public => format!("<cie:Public/><cie:IPACode>{}</cie:IPACode>", esc(&o.ipa_code)),
            SpProfile::Private => format!(
                "<cie:Private/><cie:VATNumber>{}</cie:VATNumber><cie:FiscalCode>{}</cie:FiscalCode><cie:NACE2Code>{}</cie:NACE2Code>",
                esc(&o.vat_number),
                esc(&o.fiscal_code),
                esc(&o.nace2_code)
            ),
        };
        format!(
            concat!(
                r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:cie="{ns}" entityID="{eid}" ID="{id}">"#,
                "{sig}{descriptor}{org}",
                r#"<md:ContactPerson contactType="administrative"><md:Extensions>{ext}<cie:Municipality>{municipality}</cie:Municipality></md:Extensions>"#,
                "<md:Company>{company}</md:Company><md:EmailAddress>{email}</md:EmailAddress>",
                "<md:TelephoneNumber>{phone}</md:TelephoneNumber></md:ContactPerson></md:EntityDescriptor>"
            ),
            ns = NS_CIE,
            eid = esc(&self.entity_id),
            id = id,
            sig = xmldsig::template(&id, &self.keys.cert_b64),
            descriptor =
                self.sp_sso_descriptor(&attribute_service(ATTRIBUTE_SET_SPID, &o.display_name, CIE_ATTRIBUTES)),
            org = self.organization_xml(),
            ext = ext,
            municipality = esc(&o.municipality),
            company = esc(&o.name),
            email = esc(&o.contact_email),
            phone = esc(&o.contact_phone),
        )
    }

    fn unsigned_metadata(&self) -> String {
        let o = &self.organization;
        let id = new_id();
        let attribute_services = [
            attribute_service(ATTRIBUTE_SET_SPID, &o.display_name, SPID_ATTRIBUTES),
            attribute_service(ATTRIBUTE_SET_EIDAS_MINIMUM, "eIDAS Natural Person Minimum Attribute Set", EIDAS_MINIMUM),
            attribute_service(ATTRIBUTE_SET_EIDAS_FULL, "eIDAS Natural Person Full Attribute Set", EIDAS_FULL),
        ]
        .concat();
        let contact_extensions = match o.profile {
            SpProfile::Public => format!("<spid:IPACode>{}</spid:IPACode><spid:Public/>", esc(&o.ipa_code)),
            SpProfile::Private => format!(
                "<spid:VATNumber>{}</spid:VATNumber><spid:FiscalCode>{}</spid:FiscalCode><spid:Private/>",
                esc(&o.vat_number),
                esc(&o.fiscal_code)
            ),
        };
        // Private service providers also name who receives AgID's invoices.
        let billing = match o.profile {
            SpProfile::Public => String::new(),
            SpProfile::Private => format!(
                concat!(
                    r#"<md:ContactPerson contactType="billing"><md:Extensions xmlns:fpa="https://spid.gov.it/invoicing-extensions">"#,
                    "<fpa:CessionarioCommittente><fpa:DatiAnagrafici><fpa:IdFiscaleIVA><fpa:IdPaese>IT</fpa:IdPaese>",
                    "<fpa:IdCodice>{vat}</fpa:IdCodice></fpa:IdFiscaleIVA><fpa:Anagrafica><fpa:Denominazione>{name}</fpa:Denominazione>",
                    "</fpa:Anagrafica></fpa:DatiAnagrafici><fpa:Sede><fpa:Indirizzo>{street}</fpa:Indirizzo><fpa:CAP>{cap}</fpa:CAP>",
                    "<fpa:Comune>{city}</fpa:Comune><fpa:Nazione>IT</fpa:Nazione></fpa:Sede></fpa:CessionarioCommittente></md:Extensions>",
                    "<md:Company>{name}</md:Company><md:EmailAddress>{email}</md:EmailAddress>",
                    "<md:TelephoneNumber>{phone}</md:TelephoneNumber></md:ContactPerson>"
                ),
                vat = esc(o.vat_number.trim_start_matches("IT")),
                name = esc(&o.name),
                street = esc(&o.billing_address),
                cap = esc(&o.billing_postcode),
                city = esc(&o.billing_city),
                email = esc(&o.contact_email),
                phone = esc(&o.contact_phone),
            ),
        };
        format!(
            concat!(
                r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" "#,
                r#"xmlns:spid="https://spid.gov.it/saml-extensions" entityID="{eid}" ID="{id}">"#,
                "{sig}{descriptor}{org}",
                r#"<md:ContactPerson contactType="other"><md:Extensions>{ext}</md:Extensions>"#,
                "<md:EmailAddress>{email}</md:EmailAddress><md:TelephoneNumber>{phone}</md:TelephoneNumber>",
                "</md:ContactPerson>{billing}</md:EntityDescriptor>"
            ),
            eid = esc(&self.entity_id),
            id = id,
            sig = xmldsig::template(&id, &self.keys.cert_b64),
            descriptor = self.sp_sso_descriptor(&attribute_services),
            org = self.organization_xml(),
            ext = contact_extensions,
            email = esc(&o.contact_email),
            phone = esc(&o.contact_phone),
            billing = billing,
        )
    }
}
