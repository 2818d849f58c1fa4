//! The proof that a module reached the employer and the Ispettorato: the PEC
//! receipts of its messages ([`crate::mail::pec`]), shown on its page; and
//! the worker told when a PEC message has no receipt of delivery 24 hours
//! after it left (the burden of proving the revoca, or the resignation, is
//! theirs: they should know while there is time).
use super::modulo::Recipient;
use crate::access::{Action, Permit};
use crate::db::schema::outbox as o;
use crate::db::AnyConnection;
use crate::i18n::Lang;
use crate::kernel::AppState;
use crate::mail::pec::{self, ReceiptKind};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// How long a PEC message may go without a receipt of delivery.
pub const WAIT: Duration = Duration::hours(24);
/// How far back the check looks: the revoca's seven days, and a margin, so
/// an instance that was down for a day or two still tells.
const LOOK_BACK: Duration = Duration::days(9);

/// The PEC messages of modules sent between 24 hours and 9 days ago without
/// a receipt of delivery: (module code, recipient role, address).
fn undelivered(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<Vec<(String, String, String)>> {
    let sent: Vec<(String, String, String)> = o::table
        .filter(o::idempotency_key.like("dimissioni:%"))
        .filter(o::state.eq(crate::mail::outbox::State::Sent.code()))
        .filter(o::sent_at.le(now - WAIT))
        .filter(o::sent_at.gt(now - LOOK_BACK))
        .select((o::idempotency_key, o::recipient, o::message_id))
        .load(conn)?;
    let mut out = Vec::new();
    for (key, address, message_id) in sent {
        let mut parts = key.splitn(3, ':').skip(1);
        let (Some(code), Some(role)) = (parts.next(), parts.next()) else { continue };
        if !Recipient::parse(role).is_some_and(Recipient::by_pec) {
            continue;
        }
        if pec::of_message(conn, &message_id)?.iter().all(|k| k.kind != ReceiptKind::Delivery) {
            out.push((code.to_string(), role.to_string(), address));
        }
    }
    Ok(out)
}

/// Tells each worker once (the outbox's key) about a PEC message of their
/// module with no receipt of delivery after 24 hours. Only where receipts
/// are read at all.
pub async fn alert_undelivered(state: &AppState) -> Result<usize, crate::error::AppError> {
    if state.config.pec_imap_url.is_none() {
        return Ok(0);
    }
    let (s2, now) = (state.clone(), state.clock.now());
    let queued = crate::db::transaction(&state.pool, move |c| {
        let mut queued = 0;
        for (code, role, address) in undelivered(c, now)? {
            let Some(m) = super::modulo::by_code(c, &code)? else { continue };
            if m.contents.worker_email.is_empty() {
                continue;
            }
            let key = format!("dimissioni-alert:{code}:{role}");
            let args = vec![("code", code.clone()), ("address", address)];
            let keys = ("mail-dim-no-receipt-subject", "mail-dim-no-receipt-body");
            queued += usize::from(crate::mail::outbox::queue(
                c,
                &s2.mailer,
                &key,
                &m.contents.worker_email,
                Lang::It,
                keys,
                &args,
                now,
            )?);
        }
        Ok(queued)
    })
    .await?;
    if queued > 0 {
        tracing::warn!(queued, "PEC messages without a receipt of delivery after 24 hours: workers told");
        state.deliver_mail();
    }
    Ok(queued)
}

/// The signed receipt named `reference` of one of module `code`'s messages,
/// with the permit to see the module.
pub fn signed(
    conn: &mut AnyConnection,
    permit: &Permit,
    code: &str,
    reference: &str,
) -> QueryResult<Option<(ReceiptKind, Vec<u8>)>> {
    permit.require_resignation(Action::View, code)?;
    let messages: Vec<String> = o::table
        .filter(o::idempotency_key.like(format!("{}%", super::deliver::key_prefix(code))))
        .select(o::message_id)
        .load(conn)?;
    pec::original(conn, &messages, reference)
}

#[derive(Debug, serde::Deserialize)]
pub struct ReceiptPath {
    codice: String,
    ricevuta: String,
}

/// `GET /dimissioni-volontarie/{codice}/ricevute/{ricevuta}`: a PEC receipt
/// of the module as its provider signed it, for whoever may see the module:
/// the proof of delivery to keep or to show.
pub async fn download(
    req: crate::web::render::PageRequest,
    who: crate::kernel::Principal,
    axum::extract::Path(ReceiptPath { codice, ricevuta }): axum::extract::Path<ReceiptPath>,
) -> crate::error::AppResult<axum::response::Response> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let (permit, m, _) = super::detail::permitted(&req, &who, &codice, Action::View).await?;
    let code = m.code.clone();
    let found = crate::db::with_conn(&req.state.pool, move |c| signed(c, &permit, &code, &ricevuta)).await?;
    let (kind, original) = found.ok_or(crate::error::AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "message/rfc822".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"ricevuta-{}-{}.eml\"", kind.code(), m.code)),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        original,
    )
        .into_response())
}
