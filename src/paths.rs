//! Every address of the portal, defined once: the routes are built from these
//! and every link uses them. `{name}` marks a parameter (axum syntax); the
//! functions below fill them in.
use crate::kernel::ids::{ApplicationId, DelegaId, ForeignUserId, GroupId, InvitationId, MembershipId, OrganisationId};
pub const HOME: &str = "/";
pub const HEALTH: &str = "/healthz";
pub const READY: &str = "/readyz";
pub const ASSET: &str = "/assets/{file}";
pub const HELP: &str = "/aiuto";
pub const ACCESSIBILITY: &str = "/dichiarazione-accessibilita";
pub const PRIVACY: &str = "/privacy";
pub const COOKIES: &str = "/cookie";

pub const SIGN_IN: &str = "/accedi";
pub const SIGN_OUT: &str = "/esci";
pub const SIGNED_OUT: &str = "/uscita";
pub const PERSONAL_AREA: &str = "/area-personale";
pub const CHANGE_PASSWORD: &str = "/area-personale/password";
pub const ACTIVITY: &str = "/area-personale/attivita";
pub const ACTIVITY_CSV: &str = "/area-personale/attivita.csv";

pub const SAML_METADATA: &str = "/saml/metadata";
/// The entity configuration, where OpenID Federation 1.0 puts it.
pub const OIDC_FEDERATION: &str = "/.well-known/openid-federation";
/// Where an OpenID Provider sends the browser back with the code.
pub const OIDC_CALLBACK: &str = "/oidc/callback";
pub const OIDC_LOGIN: &str = "/oidc/login";
pub const SAML_CIE_METADATA: &str = "/saml/cie/metadata";
pub const SAML_LOGIN: &str = "/saml/login";
pub const SAML_ACS: &str = "/saml/acs";
pub const SAML_SLO: &str = "/saml/slo";
pub const DEMO_IDP_METADATA: &str = "/demo-idp/{kind}/metadata";
pub const DEMO_IDP_SSO: &str = "/demo-idp/{kind}/sso";
pub const DEMO_IDP_SLO: &str = "/demo-idp/{kind}/slo";

pub const FOREIGN_REGISTER: &str = "/registrazione-utente-estero";
pub const FOREIGN_REGISTER_SENT: &str = "/registrazione-utente-estero/inviata";
pub const FOREIGN_REGISTER_CONFIRM: &str = "/registrazione-utente-estero/conferma";
pub const FOREIGN_SIGN_IN: &str = "/accesso-utente-estero";
pub const FOREIGN_ENROL: &str = "/accesso-utente-estero/attiva-codice";
pub const FOREIGN_CODE: &str = "/accesso-utente-estero/codice";
pub const FOREIGN_FORGOT: &str = "/accesso-utente-estero/password-dimenticata";
pub const FOREIGN_FORGOT_SENT: &str = "/accesso-utente-estero/password-dimenticata/inviata";
pub const FOREIGN_RESET: &str = "/accesso-utente-estero/nuova-password";
pub const FOREIGN_PASSWORD_UPDATED: &str = "/accesso-utente-estero/password-aggiornata";

pub const SERVICES: &str = "/servizi";
pub const SERVICE: &str = "/servizi/{slug}";
pub const SERVICE_ENTER: &str = "/servizi/{slug}/accedi";
/// Interruptions of the services: in force, planned, and the past year's.
pub const SERVICE_STATUS: &str = "/stato-servizi";

pub const PROFILES: &str = "/profili";
pub const PROFILES_ASSOCIATE: &str = "/profili/associa";
pub const PROFILES_ACTIVE: &str = "/profili/attivo";
pub const PROFILES_CONFIRM: &str = "/profili/conferma";
pub const PROFILES_REGISTER: &str = "/profili/registra";
pub const INVITATION: &str = "/profili/inviti/{id}";
pub const ORGANISATION: &str = "/profili/organizzazioni/{id}";
pub const ORGANISATION_INVITE: &str = "/profili/organizzazioni/{id}/inviti";
pub const ORGANISATION_REVOKE: &str = "/profili/organizzazioni/{id}/inviti/{invitation}/revoca";
pub const MEMBER_ROLE: &str = "/profili/organizzazioni/{id}/membri/{member}/ruolo";
pub const MEMBER_REMOVE: &str = "/profili/organizzazioni/{id}/membri/{member}/rimuovi";
pub const MEMBER_SERVICES: &str = "/profili/organizzazioni/{id}/membri/{member}/servizi";
pub const ORGANISATION_GROUPS: &str = "/profili/organizzazioni/{id}/gruppi";
pub const ORGANISATION_GROUP: &str = "/profili/organizzazioni/{id}/gruppi/{group}";
pub const GROUP_MEMBERS: &str = "/profili/organizzazioni/{id}/gruppi/{group}/operatori";
pub const GROUP_CLIENTS: &str = "/profili/organizzazioni/{id}/gruppi/{group}/clienti";
pub const GROUP_CLIENT_REMOVE: &str = "/profili/organizzazioni/{id}/gruppi/{group}/clienti/rimuovi";
pub const GROUP_DELETE: &str = "/profili/organizzazioni/{id}/gruppi/{group}/elimina";
pub const ORGANISATION_ACTIVITY: &str = "/profili/organizzazioni/{id}/attivita";
pub const ORGANISATION_ACTIVITY_CSV: &str = "/profili/organizzazioni/{id}/attivita.csv";

pub const FAQ: &str = "/faq";
pub const FAQ_ANSWER: &str = "/faq/{slug}";
pub const SUPPORT: &str = "/supporto";
pub const SUPPORT_SENT: &str = "/supporto/inviata";
pub const SUPPORT_CONFIRM: &str = "/supporto/conferma";
pub const SUPPORT_CASE: &str = "/supporto/richieste/{numero}";
pub const SUPPORT_REPLY: &str = "/supporto/richieste/{numero}/risposta";
pub const HELPDESK_SUPPORT: &str = "/assistenza/supporto";
pub const HELPDESK_SUPPORT_CASE: &str = "/assistenza/supporto/{numero}";
pub const HELPDESK_SUPPORT_ACTION: &str = "/assistenza/supporto/{numero}/azione";
pub const SESSIONS: &str = "/area-personale/sessioni";
pub const SESSIONS_END: &str = "/area-personale/sessioni/chiudi";
pub const SESSIONS_PREFERENCES: &str = "/area-personale/sessioni/preferenze";
pub const NOT_ME: &str = "/area-personale/non-ero-io";
pub const KEPT_FORM: &str = "/moduli-conservati";

pub const DIMISSIONI: &str = "/dimissioni-volontarie";
pub const DIMISSIONI_CSV: &str = "/dimissioni-volontarie.csv";
pub const DIMISSIONI_NEW: &str = "/dimissioni-volontarie/nuova";
pub const DIMISSIONI_RELATIONSHIP: &str = "/dimissioni-volontarie/nuova/rapporto";
pub const DIMISSIONI_FORM: &str = "/dimissioni-volontarie/nuova/modulo";
pub const DIMISSIONI_PIN: &str = "/dimissioni-volontarie/nuova/delega";
pub const DIMISSIONI_PIN_PDF: &str = "/dimissioni-volontarie/nuova/delega.pdf";
pub const DIMISSIONI_SEND: &str = "/dimissioni-volontarie/nuova/trasmetti";
/// A module, and (with `.pdf`) its PDF.
/// An eIDAS person declares their codice fiscale.
pub const DIMISSIONI_DECLARE: &str = "/dimissioni-volontarie/codice-fiscale";
/// Any soggetto abilitato finds a module by the worker's retrieval code.
pub const DIMISSIONI_RETRIEVE: &str = "/dimissioni-volontarie/ritrova";
pub const DIMISSIONI_MODULE: &str = "/dimissioni-volontarie/{codice}";
pub const DIMISSIONI_REVOCA: &str = "/dimissioni-volontarie/{codice}/revoca";
pub const DIMISSIONI_RECEIPT: &str = "/dimissioni-volontarie/{codice}/ricevute/{ricevuta}";
/// Anyone holding a module's code and verification code checks it here.
pub const VERIFY: &str = "/verifica";

pub const DELEGHE: &str = "/deleghe";
pub const CLIENTS: &str = "/clienti";
pub const CLIENTS_CSV: &str = "/clienti.csv";
pub const CLIENT_REQUEST: &str = "/clienti/richiesta";
pub const CLIENT_REQUEST_PAGE: &str = "/clienti/richieste/{id}";
pub const CLIENT_REQUEST_BULK: &str = "/clienti/richieste/elenco";
pub const CLIENT_REQUEST_BATCH: &str = "/clienti/richieste/elenco/{id}";
pub const CLIENT_REQUEST_TEMPLATE: &str = "/clienti/richieste/modello.csv";
pub const DELEGA_NEW: &str = "/deleghe/nuova";
pub const DELEGA_CODE: &str = "/deleghe/codice";
pub const DELEGA: &str = "/deleghe/{id}";
pub const DELEGA_ACTION: &str = "/deleghe/{id}/azione";

pub const HELPDESK: &str = "/assistenza";
pub const HELPDESK_REQUEST: &str = "/assistenza/richieste/{id}";
pub const HELPDESK_DOCUMENT: &str = "/assistenza/richieste/{id}/documento";
pub const HELPDESK_DECISION: &str = "/assistenza/richieste/{id}/decisione";
pub const HELPDESK_ORGANISATION: &str = "/assistenza/organizzazioni/{id}";
pub const HELPDESK_ORGANISATION_DOCUMENT: &str = "/assistenza/organizzazioni/{id}/documento";
pub const HELPDESK_ORGANISATION_DECISION: &str = "/assistenza/organizzazioni/{id}/decisione";

/// Only paths of this site are followed after sign-in (no open redirect).
/// The candidate is resolved as a browser would (tabs and newlines dropped,
/// backslashes read as slashes) and kept only if it stays on our origin; what
/// is returned is the resolved path and query, so it is also a valid header.
pub fn safe_return_path(candidate: Option<&str>, default: &str) -> String {
    const OWN: &str = "https://portal.invalid/";
    let Some(p) = candidate.filter(|p| p.starts_with('/') && p.len() < 512) else { return default.to_string() };
    if p.chars().any(char::is_control) {
        return default.to_string();
    }
    let (Ok(base), Ok(resolved)) = (url::Url::parse(OWN), url::Url::parse(OWN).and_then(|b| b.join(p))) else {
        return default.to_string();
    };
    // `/.//evil` resolves to the path `//evil`, which a browser reads as another host.
    if resolved.origin() != base.origin() || resolved.path().starts_with("//") {
        return default.to_string();
    }
    match resolved.query() {
        Some(q) => format!("{}?{q}", resolved.path()),
        None => resolved.path().to_string(),
    }
}

/// Fills `{name}` in `pattern` with `value`.
pub fn fill(pattern: &str, name: &str, value: &str) -> String {
    pattern.replace(&format!("{{{name}}}"), value)
}

pub fn service(slug: &str) -> String {
    fill(SERVICE, "slug", slug)
}

pub fn service_enter(slug: &str) -> String {
    fill(SERVICE_ENTER, "slug", slug)
}

pub fn helpdesk_request(id: ForeignUserId) -> String {
    fill(HELPDESK_REQUEST, "id", &id.to_string())
}

pub fn helpdesk_document(id: ForeignUserId) -> String {
    fill(HELPDESK_DOCUMENT, "id", &id.to_string())
}

pub fn helpdesk_decision(id: ForeignUserId) -> String {
    fill(HELPDESK_DECISION, "id", &id.to_string())
}

pub fn faq(slug: &str) -> String {
    fill(FAQ_ANSWER, "slug", slug)
}

/// "Chiedi supporto" with what the person already typed (a FAQ search).
pub fn support_describing(words: &str) -> String {
    let trimmed = words.trim();
    if trimmed.is_empty() {
        return SUPPORT.to_string();
    }
    format!("{SUPPORT}?descrizione={}", url::form_urlencoded::byte_serialize(trimmed.as_bytes()).collect::<String>())
}

pub fn support_case(number: &str) -> String {
    fill(SUPPORT_CASE, "numero", number)
}

pub fn support_reply(number: &str) -> String {
    fill(SUPPORT_REPLY, "numero", number)
}

pub fn helpdesk_support_case(number: &str) -> String {
    fill(HELPDESK_SUPPORT_CASE, "numero", number)
}

pub fn helpdesk_support_action(number: &str) -> String {
    fill(HELPDESK_SUPPORT_ACTION, "numero", number)
}

pub fn dimissioni(code: &str) -> String {
    fill(DIMISSIONI_MODULE, "codice", code)
}

pub fn dimissioni_pdf(code: &str) -> String {
    format!("{}.pdf", dimissioni(code))
}

pub fn dimissioni_revoca(code: &str) -> String {
    fill(DIMISSIONI_REVOCA, "codice", code)
}

/// A module's PEC receipt, as its provider signed it (`reference`: see `mail::pec::reference`).
pub fn dimissioni_receipt(code: &str, reference: &str) -> String {
    fill(&fill(DIMISSIONI_RECEIPT, "codice", code), "ricevuta", reference)
}

pub fn delega(id: DelegaId) -> String {
    fill(DELEGA, "id", &id.to_string())
}

/// A request for a delega, to both sides.
pub fn client_request(id: i64) -> String {
    fill(CLIENT_REQUEST_PAGE, "id", &id.to_string())
}

/// A file of delega requests: its report.
pub fn client_request_batch(id: i64) -> String {
    fill(CLIENT_REQUEST_BATCH, "id", &id.to_string())
}

/// The delega's page right after an action, confirming it (`esito`: the outcome's code).
pub fn delega_done(id: DelegaId, esito: &str) -> String {
    format!("{}?esito={esito}", delega(id))
}

pub fn delega_action(id: DelegaId) -> String {
    fill(DELEGA_ACTION, "id", &id.to_string())
}

pub fn invitation(id: InvitationId) -> String {
    fill(INVITATION, "id", &id.to_string())
}

pub fn organisation(id: OrganisationId) -> String {
    fill(ORGANISATION, "id", &id.to_string())
}

/// The organisation's page confirming that `member`'s role changed.
pub fn organisation_role_changed(id: OrganisationId, member: MembershipId) -> String {
    format!("{}?ruolo-cambiato={member}", organisation(id))
}

/// The organisation's page right after an operatore's services changed, confirming it.
pub fn organisation_services_changed(id: OrganisationId, member: MembershipId) -> String {
    format!("{}?servizi-cambiati={member}", organisation(id))
}

pub fn organisation_invite(id: OrganisationId) -> String {
    fill(ORGANISATION_INVITE, "id", &id.to_string())
}

pub fn organisation_revoke(id: OrganisationId, invitation: InvitationId) -> String {
    fill(&fill(ORGANISATION_REVOKE, "id", &id.to_string()), "invitation", &invitation.to_string())
}

pub fn member_role(id: OrganisationId, member: MembershipId) -> String {
    fill(&fill(MEMBER_ROLE, "id", &id.to_string()), "member", &member.to_string())
}

pub fn member_remove(id: OrganisationId, member: MembershipId) -> String {
    fill(&fill(MEMBER_REMOVE, "id", &id.to_string()), "member", &member.to_string())
}

pub fn member_services(id: OrganisationId, member: MembershipId) -> String {
    fill(&fill(MEMBER_SERVICES, "id", &id.to_string()), "member", &member.to_string())
}

pub fn organisation_groups(id: OrganisationId) -> String {
    fill(ORGANISATION_GROUPS, "id", &id.to_string())
}

/// A work group's page, or one of its actions (`ORGANISATION_GROUP`, `GROUP_MEMBERS`…).
pub fn group_at(template: &str, id: OrganisationId, group: GroupId) -> String {
    fill(&fill(template, "id", &id.to_string()), "group", &group.to_string())
}

pub fn organisation_activity(id: OrganisationId) -> String {
    fill(ORGANISATION_ACTIVITY, "id", &id.to_string())
}

pub fn organisation_activity_csv(id: OrganisationId) -> String {
    fill(ORGANISATION_ACTIVITY_CSV, "id", &id.to_string())
}

pub fn helpdesk_organisation(id: ApplicationId) -> String {
    fill(HELPDESK_ORGANISATION, "id", &id.to_string())
}

pub fn helpdesk_organisation_document(id: ApplicationId) -> String {
    fill(HELPDESK_ORGANISATION_DOCUMENT, "id", &id.to_string())
}

pub fn helpdesk_organisation_decision(id: ApplicationId) -> String {
    fill(HELPDESK_ORGANISATION_DECISION, "id", &id.to_string())
}

/// `/accedi?next=…&livello=N`: sign in at the level the page needs (above 1).
pub fn sign_in_at(next: &str, level: u8) -> String {
    if level > 1 {
        format!("{}&livello={level}", sign_in_then(next))
    } else {
        sign_in_then(next)
    }
}

/// `/accedi?next=…` for a local path.
pub fn sign_in_then(next: &str) -> String {
    format!("{SIGN_IN}?next={}", url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>())
}

#[cfg(test)]
mod tests {
    #[test]
    fn parameters_are_filled() {
        assert_eq!(super::service_enter("smart-working"), "/servizi/smart-working/accedi");
        assert_eq!(
            super::helpdesk_document(crate::kernel::ids::ForeignUserId::new(7)),
            "/assistenza/richieste/7/documento"
        );
        assert_eq!(super::sign_in_then("/servizi"), "/accedi?next=%2Fservizi");
    }
}
