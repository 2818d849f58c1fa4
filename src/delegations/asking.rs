//! Asking a client for a delega, whether one at a time (`/clienti/richiesta`)
//! or a file of them (`/clienti/richieste/elenco`): the same checks of the
//! terms, and the same request with its mails to the client's side.
use super::checks;
use super::model::Kind;
use super::requests::{self, ClientKind, NewRequest};
use crate::db::schema::{accounts as a, organisations as o};
use crate::db::AnyConnection;
use crate::i18n::Lang;
use crate::identity::organisations;
use crate::kernel::{AccountId, AppState, CodiceFiscale, OrganisationId, PartitaIva, Profile};
use crate::mail::outbox;
use crate::paths;
use crate::web::components::FieldErrors;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// The terms as typed (in a form or on a line of a file).
#[derive(Clone, Debug, Default)]
pub struct Terms {
    pub client: String,
    pub kind: String,
    pub all: bool,
    pub services: Vec<String>,
    pub from: String,
    pub until: String,
}

/// Who asks: the delega's delegate-to-be.
#[derive(Clone, Copy, Debug)]
pub struct Requester<'a> {
    pub account: AccountId,
    /// The delegate-to-be's: the person's, or the organisation's they ask for.
    pub codice_fiscale: &'a str,
    /// The organisation that will hold the delega, when asking for one.
    pub held_by: Option<OrganisationId>,
}

/// Whom a typed code names: a person (16 signs) or an organisation (a valid partita IVA).
pub fn client_of(typed: &str) -> Option<(String, ClientKind)> {
    if let Some(cf) = CodiceFiscale::personal(typed) {
        return Some((cf.into_string(), ClientKind::Person));
    }
    PartitaIva::parse(typed).map(|p| (p.as_str().to_string(), ClientKind::Organisation))
}

/// The request `terms` make, or each error under its field.
pub fn check(terms: &Terms, by: Requester, today: NaiveDate, max_years: i32) -> Result<NewRequest, FieldErrors> {
    let mut errors = FieldErrors::default();
    let client = client_of(&terms.client);
    match &client {
        None => errors.add("cliente", "request-error-client"),
        Some((cf, _)) if cf == by.codice_fiscale => errors.add("cliente", "request-error-self"),
        _ => {}
    }
    let kind = Kind::parse(&terms.kind);
    if kind.is_none() {
        errors.add("tipo", "delega-error-kind");
    }
    let capacity = match client.as_ref().map(|c| c.1) {
        Some(ClientKind::Person) => Profile::Cittadino,
        _ => Profile::Azienda,
    };
    let allowed = checks::services_for(capacity).0;
    let services = checks::scope(terms.all, &terms.services, &allowed, "request-error-scope", &mut errors);
    let (from, until) = checks::period(&terms.from, &terms.until, today, max_years, &mut errors);
    match (client, kind, from, until, errors.is_empty()) {
        (Some((client_codice_fiscale, client_kind)), Some(kind), Some(starts_on), Some(ends_on), true) => {
            Ok(NewRequest {
                requester: by.account,
                delegate_codice_fiscale: by.codice_fiscale.to_string(),
                held_by: by.held_by,
                client_codice_fiscale,
                client_kind,
                kind,
                services,
                starts_on,
                ends_on,
                batch: None,
            })
        }
        _ => Err(errors),
    }
}

/// Takes the asker's row for the rest of the transaction (PostgreSQL's row
/// lock, SQLite's writer lock) — the organisation's when asking for one, so
/// two of its managers are serialised too: the same request sent twice at
/// once (a double click, a file uploaded twice) is decided one after the
/// other, so the second finds the first waiting.
pub fn lock(c: &mut AnyConnection, requester: AccountId, held_by: Option<OrganisationId>) -> QueryResult<()> {
    match held_by {
        Some(org) => diesel::update(o::table.find(org)).set(o::name.eq(o::name)).execute(c).map(|_| ()),
        None => diesel::update(a::table.find(requester)).set(a::identifier.eq(a::identifier)).execute(c).map(|_| ()),
    }
}

/// Asks once: `None` when the requester's earlier request to this client is still waiting.
pub fn ask(
    c: &mut AnyConnection,
    state: &AppState,
    new: &NewRequest,
    requester_name: &str,
    lang: Lang,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    lock(c, new.requester, new.held_by)?;
    let client = std::slice::from_ref(&new.client_codice_fiscale);
    if !requests::waiting_for(c, new.requester, new.held_by, client, now)?.is_empty() {
        return Ok(None);
    }
    send(c, state, new, requester_name, lang, now).map(Some)
}

/// Records the request and queues the client's side's mails, in the caller's
/// transaction (which holds [`lock`] and checked [`requests::waiting_for`]).
pub fn send(
    c: &mut AnyConnection,
    state: &AppState,
    new: &NewRequest,
    requester_name: &str,
    lang: Lang,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    let id = requests::create(c, new, now)?;
    let link = format!("{}{}", state.config.origin(), paths::client_request(id));
    let args = [("requester", requester_name.to_string()), ("link", link)];
    for (n, email) in client_emails(c, &new.client_codice_fiscale, new.client_kind)?.iter().enumerate() {
        let keys = ("mail-request-subject", "mail-request-body");
        outbox::queue(c, &state.mailer, &format!("delega-request:{id}:client:{n}"), email, lang, keys, &args, now)?;
    }
    Ok(id)
}

/// The client's side's addresses: the person's, or the managers' of the organisation.
fn client_emails(c: &mut AnyConnection, client: &str, kind: ClientKind) -> QueryResult<Vec<String>> {
    let accounts: Vec<AccountId> = match kind {
        ClientKind::Person => a::table.filter(a::identifier.eq(client)).select(a::id).load(c)?,
        ClientKind::Organisation => match organisation_of(c, client)? {
            Some((id, _)) => organisations::managers(c, id)?,
            None => Vec::new(),
        },
    };
    let emails: Vec<Option<String>> = a::table.filter(a::id.eq_any(accounts)).select(a::email).load(c)?;
    Ok(emails.into_iter().flatten().collect())
}

/// The portal's organisation with this codice fiscale, and its kind.
pub fn organisation_of(c: &mut AnyConnection, cf: &str) -> QueryResult<Option<(OrganisationId, String)>> {
    o::table.filter(o::codice_fiscale.eq(cf)).select((o::id, o::kind)).first(c).optional()
}
