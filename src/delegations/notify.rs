//! E-mails to both sides of a delega at each change, in the language of the
//! request that made it (the scheduled ones in Italian, the portal's default).
use super::model::Delega;
use crate::db::schema::accounts as a;
use crate::db::AnyConnection;
use crate::i18n::Lang;
use crate::kernel::AppState;
use crate::mail::outbox;
use crate::paths;
use crate::web::format::format_date;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// The granting side's and the delegate's e-mail addresses, when the portal
/// knows them. The granting side of an organisation's delega is whoever
/// manages it now (not a manager who has left); of one's own, the grantor.
pub fn addresses(conn: &mut AnyConnection, d: &Delega) -> QueryResult<Vec<(String, String)>> {
    let granting: Vec<i64> = match &d.organisation {
        Some(org) => crate::identity::organisations::managers(conn, org.id)?,
        None => vec![d.grantor_account_id],
    };
    let mut out = Vec::new();
    for account in granting {
        if let Some(email) = a::table.find(account).select(a::email).first::<Option<String>>(conn).optional()?.flatten()
        {
            out.push((format!("grantor-{account}"), email));
        }
    }
    let delegate: Option<String> = a::table
        .filter(a::identifier.eq(&d.delegate_codice_fiscale))
        .select(a::email)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten();
    out.extend(delegate.map(|e| ("delegate".to_string(), e)));
    Ok(out)
}

/// Queues the mails of `event` (`granted`, `accepted`, `refused`, `revoked`,
/// `renounced`, `expiring`, `expired`, `approval-asked`, `approved`) about
/// `d` to both sides, in the caller's transaction: the change and its mails
/// are written together or not at all. Each is keyed by the delega, the event
/// (and the Italian day, for a day's approval) and the side, so a change
/// retried or repeated never mails twice.
pub fn queue(
    conn: &mut AnyConnection,
    state: &AppState,
    d: &Delega,
    event: &'static str,
    lang: Lang,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let link = format!("{}{}", state.config.origin(), paths::delega(d.id));
    let (subject, body) = keys(event);
    let once = match event {
        "approval-asked" | "approved" => format!("{event}:{}", crate::kernel::clock::rome(now).date()),
        _ => event.to_string(),
    };
    for (side, address) in addresses(conn, d)? {
        let args = vec![
            ("grantor", d.grantor_name.clone()),
            ("subject", d.subject_name()),
            ("delegate", d.delegate_codice_fiscale.clone()),
            ("until", format_date(d.ends_on, lang)),
            ("link", link.clone()),
        ];
        match state.mailer.compose(&address, lang, subject, body, &args, None) {
            Ok(message) => {
                outbox::enqueue(conn, &format!("delega:{}:{once}:{side}", d.id), &message, now)?;
            }
            Err(e) => tracing::warn!(error = %e, delega = %d.id, "a delega's mail could not be composed"),
        }
    }
    Ok(())
}

fn keys(event: &str) -> (&'static str, &'static str) {
    match event {
        "granted" => ("mail-delega-granted-subject", "mail-delega-granted-body"),
        "accepted" => ("mail-delega-accepted-subject", "mail-delega-accepted-body"),
        "refused" => ("mail-delega-refused-subject", "mail-delega-refused-body"),
        "revoked" => ("mail-delega-revoked-subject", "mail-delega-revoked-body"),
        "renounced" => ("mail-delega-renounced-subject", "mail-delega-renounced-body"),
        "expiring" => ("mail-delega-expiring-subject", "mail-delega-expiring-body"),
        "approval-asked" => ("mail-delega-approval-asked-subject", "mail-delega-approval-asked-body"),
        "approved" => ("mail-delega-approved-subject", "mail-delega-approved-body"),
        _ => ("mail-delega-expired-subject", "mail-delega-expired-body"),
    }
}
