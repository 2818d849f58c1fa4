//! E-mails to both sides of a delega at each change, in the language of the
//! request that made it (the scheduled ones in Italian, the portal's default).
use super::model::Delega;
use crate::db::schema::accounts as a;
use crate::db::AnyConnection;
use crate::i18n::Lang;
use crate::kernel::{AccountId, AppState};
use crate::mail::outbox;
use crate::paths;
use crate::web::format::format_date;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// The granting side's and the delegate's e-mail addresses, when the portal
/// knows them. The granting side of an organisation's delega is whoever
/// manages it now (not a manager who has left); of one's own, the grantor.
pub fn addresses(conn: &mut AnyConnection, d: &Delega) -> QueryResult<Vec<(String, String)>> {
    let granting: Vec<AccountId> = match &d.organisation {
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
    // A person's delega: them; an organisation's: those who manage it.
    let delegates: Vec<Option<String>> = match d.held_by {
        Some(holder) => a::table
            .filter(a::id.eq_any(crate::identity::organisations::managers(conn, holder)?))
            .select(a::email)
            .load(conn)?,
        None => a::table.filter(a::identifier.eq(&d.delegate_codice_fiscale)).select(a::email).limit(1).load(conn)?,
    };
    for (n, email) in delegates.into_iter().flatten().enumerate() {
        // The first keeps the key mails had before organisations held deleghe.
        let key = if n == 0 { "delegate".to_string() } else { format!("delegate-{n}") };
        out.push((key, email));
    }
    Ok(out)
}

/// Queues the mails of `notice` about `d` to both sides, in the caller's transaction: the change and its mails
/// are written together or not at all. Each is keyed by the delega, the event
/// (and the Italian day, for a day's approval) and the side, so a change
/// retried or repeated never mails twice.
pub fn queue(
    conn: &mut AnyConnection,
    state: &AppState,
    d: &Delega,
    notice: Notice,
    lang: Lang,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let link = format!("{}{}", state.config.origin(), paths::delega(d.id));
    let (subject, body) = notice.keys();
    let once = match notice {
        Notice::ApprovalAsked | Notice::Approved => {
            format!("{}:{}", notice.code(), crate::kernel::clock::rome(now).date())
        }
        _ => notice.code().to_string(),
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

/// What a delega's mail tells both sides: one per change worth a mail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    Granted,
    Accepted,
    Refused,
    Revoked,
    Renounced,
    Expiring,
    Expired,
    ApprovalAsked,
    Approved,
}

impl Notice {
    /// The code in the outbox's key (and in the delega's history, for those it records).
    pub fn code(self) -> &'static str {
        match self {
            Notice::Granted => "granted",
            Notice::Accepted => "accepted",
            Notice::Refused => "refused",
            Notice::Revoked => "revoked",
            Notice::Renounced => "renounced",
            Notice::Expiring => "expiring",
            Notice::Expired => "expired",
            Notice::ApprovalAsked => "approval-asked",
            Notice::Approved => "approved",
        }
    }

    /// The mail's subject and body, by message key.
    fn keys(self) -> (&'static str, &'static str) {
        match self {
            Notice::Granted => ("mail-delega-granted-subject", "mail-delega-granted-body"),
            Notice::Accepted => ("mail-delega-accepted-subject", "mail-delega-accepted-body"),
            Notice::Refused => ("mail-delega-refused-subject", "mail-delega-refused-body"),
            Notice::Revoked => ("mail-delega-revoked-subject", "mail-delega-revoked-body"),
            Notice::Renounced => ("mail-delega-renounced-subject", "mail-delega-renounced-body"),
            Notice::Expiring => ("mail-delega-expiring-subject", "mail-delega-expiring-body"),
            Notice::Expired => ("mail-delega-expired-subject", "mail-delega-expired-body"),
            Notice::ApprovalAsked => ("mail-delega-approval-asked-subject", "mail-delega-approval-asked-body"),
            Notice::Approved => ("mail-delega-approved-subject", "mail-delega-approved-body"),
        }
    }
}
