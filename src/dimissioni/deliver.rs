//! Sending a module: to the employer (PEC and e-mail), to the competent
//! Ispettorato (by the workplace's province) and to the worker, each with the
//! module as PDF; every attempt and its outcome is recorded and shown.
use super::documents;
use super::itl;
use super::module::{self, Delivery, Module};
use super::pdf;
use crate::db::with_conn;
use crate::i18n::Lang;
use crate::kernel::AppState;
use crate::mail::Attachment;

/// Who gets a module, and at which address.
pub fn recipients(m: &Module) -> Vec<(&'static str, String)> {
    let c = &m.contents;
    let mut out = vec![("employer-pec", c.employer_pec.clone())];
    if !c.employer_email.is_empty() && c.employer_email != c.employer_pec {
        out.push(("employer-email", c.employer_email.clone()));
    }
    if let Some(office) = itl::office(&c.workplace_province) {
        out.push(("itl", office.pec.to_string()));
    }
    out.push(("worker", c.worker_email.clone()));
    out.retain(|(_, a)| !a.is_empty());
    out
}

/// Sends module `m` to everyone it goes to, recording each attempt.
pub async fn send(state: &AppState, m: &Module) {
    // The module is written in Italian, the language of the procedure.
    let lang = Lang::It;
    let bytes = pdf::render(&documents::module(m, lang));
    let attachment = Attachment { file_name: format!("modulo-{}.pdf", m.code), mime: "application/pdf", bytes };
    let (subject, body) = match m.kind() {
        module::Kind::Revoca => ("mail-dim-revoca-subject", "mail-dim-revoca-body"),
        _ => ("mail-dim-module-subject", "mail-dim-module-body"),
    };
    let args = vec![
        ("code", m.code.clone()),
        ("worker", format!("{} {}", m.contents.worker_given_name, m.contents.worker_family_name)),
        ("employer", m.contents.employer_name.clone()),
    ];
    for (recipient, address) in recipients(m) {
        let outcome = state.mailer.send_with(&address, lang, subject, body, &args, Some(&attachment)).await;
        let delivery = Delivery {
            recipient: recipient.to_string(),
            address,
            attempted_at: state.clock.now(),
            outcome: if outcome.is_ok() { "sent" } else { "failed" }.to_string(),
            detail: outcome.err().map(|e| e.to_string()).unwrap_or_default(),
        };
        let id = m.id;
        if let Err(e) = with_conn(&state.pool, move |c| module::record_delivery(c, id, &delivery)).await {
            tracing::error!(error = %e, module = %m.code, "could not record a delivery");
        }
    }
}
