//! E-mails to both sides of a delega at each change, in the language of the
//! request that made it (the scheduled ones in Italian, the portal's default).
use super::model::Delega;
use crate::auth::pages::format_date;
use crate::db::schema::accounts as a;
use crate::db::{with_conn, AnyConnection};
use crate::i18n::Lang;
use crate::kernel::AppState;
use crate::paths;
use diesel::prelude::*;

/// The grantor's and the delegate's e-mail addresses, when the portal knows them.
pub fn addresses(conn: &mut AnyConnection, d: &Delega) -> QueryResult<Vec<String>> {
    let grantor: Option<String> =
        a::table.find(d.grantor_account_id).select(a::email).first(conn).optional()?.flatten();
    let delegate: Option<String> = a::table
        .filter(a::identifier.eq(&d.delegate_tax_code))
        .select(a::email)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten();
    Ok(grantor.into_iter().chain(delegate).collect())
}

/// Mails `event` (`granted`, `accepted`, `refused`, `revoked`, `renounced`,
/// `expiring`, `expired`, `approval-asked`, `approved`) about `d` to both sides.
pub async fn both_sides(state: &AppState, d: &Delega, event: &'static str, lang: Lang) {
    let d2 = d.clone();
    let to = match with_conn(&state.pool, move |c| addresses(c, &d2)).await {
        Ok(to) => to,
        Err(e) => {
            tracing::error!(error = %e, "delega mail: no addresses");
            return;
        }
    };
    let link = format!("{}{}", state.config.origin(), paths::delega(d.id));
    for address in to {
        let args = vec![
            ("grantor", d.grantor_name.clone()),
            ("subject", d.subject_name()),
            ("delegate", d.delegate_tax_code.clone()),
            ("until", format_date(d.ends_on, lang)),
            ("link", link.clone()),
        ];
        let (subject, body) = keys(event);
        if let Err(e) = state.queue_mail(address, lang, subject, body, args).await {
            tracing::error!(error = %e, delega = d.id, "could not queue a delega's mail");
        }
    }
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
