//! Sending a module: to the employer (PEC and e-mail), to the competent
//! Ispettorato (by the workplace's province) and to the worker, each with the
//! module as PDF, through the outbox; each message's state and attempts are
//! shown on the module's page.
use super::documents;
use super::itl;
use super::modulo::{self, Contents, Modulo, Recipient, Sender};
use super::pdf;
use super::pin;
use crate::db::schema::organisations as o;
use crate::db::AnyConnection;
use crate::i18n::Lang;
use crate::kernel::AppState;
use crate::mail::{outbox, Attachment, Mailer};
use crate::paths;
use crate::registry::{CompanyRegistry, LocalRegistry};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Who gets a module, and at which address: the employer (at the addresses
/// of the module, and at its domicilio digitale in the company registry when
/// that is another), the Ispettorato office that covers the workplace (when
/// it takes modules by PEC), the worker.
pub fn recipients(conn: &mut AnyConnection, m: &Modulo) -> QueryResult<Vec<(Recipient, String)>> {
    let c = &m.contents;
    let mut out = vec![(Recipient::EmployerPec, c.employer_pec.clone())];
    if !c.employer_email.is_empty() && c.employer_email != c.employer_pec {
        out.push((Recipient::EmployerEmail, c.employer_email.clone()));
    }
    // A typed or outdated address does not replace the one the company declared.
    if let Some(company) = LocalRegistry.company(conn, &c.employer_codice_fiscale)? {
        if !company.pec.is_empty() && !out.iter().any(|(_, a)| a.eq_ignore_ascii_case(&company.pec)) {
            out.push((Recipient::EmployerRegistryPec, company.pec));
        }
    }
    match itl::for_province(conn, &c.workplace_province)? {
        Some(office) if office.delivery == itl::Delivery::Pec => out.push((Recipient::Itl, office.pec)),
        Some(_) => {}
        None => tracing::warn!(
            module = %m.code,
            province = %c.workplace_province,
            "no Ispettorato office covers the workplace's province: load them with `import itl`"
        ),
    }
    out.push((Recipient::Worker, c.worker_email.clone()));
    out.retain(|(_, a)| !a.is_empty());
    Ok(out)
}

/// Transmits `contents` and queues its messages in one transaction, spending
/// the operator's PIN (when an operator sends); then starts their delivery.
/// The same form sent again finds its module and queues nothing new (one
/// message per recipient, by key), however many arrive at once. `Err`: the
/// module it revokes was revoked in the meantime.
pub async fn transmit(
    state: &AppState,
    contents: Contents,
    sender: Sender,
    key: String,
    operator: bool,
    worker_lang: Lang,
) -> Result<Result<String, String>, crate::db::DbError> {
    let (s2, now) = (state.clone(), state.clock.now());
    let sent = crate::db::transaction(&state.pool, move |c| {
        let code = modulo::transmit(c, &contents, sender, &key, &s2.seal, now)?;
        if let Ok(code) = &code {
            if operator {
                pin::spend(c, &key, code)?;
            }
            let m = modulo::by_code(c, code)?.ok_or(diesel::result::Error::NotFound)?;
            enqueue(c, &s2.mailer, &s2.config.base_url, &m, worker_lang, now)?;
        }
        Ok(code)
    })
    .await?;
    state.deliver_mail();
    // Its time-stamp, once it is committed (the worker retries if the authority is down).
    if sent.is_ok() && state.config.tsa_url.is_some() {
        let s = state.clone();
        tokio::spawn(async move {
            if let Err(e) = super::timestamp::stamp_pending(&s).await {
                tracing::warn!(error = %e, "time-stamping after a transmission failed; the worker retries");
            }
        });
    }
    Ok(sent)
}

/// The outbox key of module `code`'s message to `recipient`: one message
/// each, however often the same form is sent.
pub fn key(code: &str, recipient: Recipient) -> String {
    format!("{}{}", key_prefix(code), recipient.code())
}

/// What every message of module `code` starts its key with.
pub fn key_prefix(code: &str) -> String {
    format!("dimissioni:{code}:")
}

/// Queues module `m`, as PDF, to everyone it goes to: in the transaction that
/// transmitted it, so the module and its deliveries are written together or
/// not at all; the outbox's worker sends them (and retries). The worker's own
/// mail speaks to them, in `worker_lang` (the language they sent it in).
pub fn enqueue(
    conn: &mut AnyConnection,
    mailer: &Mailer,
    base_url: &url::Url,
    m: &Modulo,
    worker_lang: Lang,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    // The module is written in Italian, the language of the procedure.
    let lang = Lang::It;
    let copy = |copy| Attachment {
        file_name: format!("modulo-{}.pdf", m.code),
        mime: "application/pdf",
        bytes: pdf::render(&documents::module(m, lang, copy)),
    };
    let (recipients_copy, workers_copy) = (copy(documents::Copy::Recipient), copy(documents::Copy::Worker));
    // Who sent it, in words: the worker, or the soggetto abilitato by name.
    let by: Option<String> = match &m.contents.abilitato_codice_fiscale {
        Some(cf) => Some(
            o::table
                .filter(o::codice_fiscale.eq(cf))
                .select(o::name)
                .first::<String>(conn)
                .optional()?
                .unwrap_or(cf.clone()),
        ),
        None => None,
    };
    let (subject, body) = match (m.kind(), by.is_some()) {
        (modulo::Kind::Revoca, false) => ("mail-dim-revoca-subject", "mail-dim-revoca-body"),
        (modulo::Kind::Revoca, true) => ("mail-dim-revoca-subject", "mail-dim-revoca-body-abilitato"),
        (_, false) => ("mail-dim-module-subject", "mail-dim-module-body"),
        (_, true) => ("mail-dim-module-subject", "mail-dim-module-body-abilitato"),
    };
    let mut args = vec![
        ("code", m.code.clone()),
        ("worker", format!("{} {}", m.contents.worker_given_name, m.contents.worker_family_name)),
        ("employer", m.contents.employer_name.clone()),
        ("by", by.unwrap_or_default()),
        // The worker's one question that week: until when, and how, to revoke.
        ("until", crate::web::format::format_date(super::deadline::last_day(m.transmitted_at), lang)),
        ("link", base_url.join(&paths::dimissioni(&m.code)).map(String::from).unwrap_or_default()),
    ];
    let mut queued = 0;
    for (recipient, address) in recipients(conn, m)? {
        // The worker's receipt speaks to them, and carries the retrieval
        // code for a revoca through anyone.
        let (subject, body, attachment, lang) = match (recipient, &m.retrieval_code) {
            (Recipient::Worker, code) => {
                args.extend(code.iter().map(|code| ("retrieval", code.clone())));
                (format!("{subject}-worker"), format!("{body}-worker"), &workers_copy, worker_lang)
            }
            _ => (subject.to_string(), body.to_string(), &recipients_copy, lang),
        };
        // To a PEC address, from the Ministry's PEC mailbox: its receipts prove the delivery.
        let (by, channel) = if recipient.by_pec() { (mailer.pec(), outbox::PEC) } else { (mailer, outbox::MAIL) };
        match by.compose(&address, lang, &subject, &body, &args, Some(attachment)) {
            Ok(message) => {
                queued += usize::from(outbox::enqueue_on(conn, channel, &key(&m.code, recipient), &message, now)?)
            }
            // Addresses were checked when the module was filled in: this is a bug, said loudly.
            Err(e) => {
                tracing::error!(error = %e, module = %m.code, recipient = recipient.code(), "a module's message could not be composed")
            }
        }
    }
    Ok(queued)
}
