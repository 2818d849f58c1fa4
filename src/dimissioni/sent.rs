//! The page right after a module or a revoca is sent (GOV.UK's confirmation
//! page): the module's code large, whom it reached, when it takes effect,
//! until when and how it can be revoked, and where to find it again.
use super::deadline;
use super::modulo::{Delivery, Kind, Modulo, Recipient};
use crate::i18n::{t, t_args, use_lang};
use crate::paths;
use crate::web::components::{ConfirmationPanel, Crumb, WhatNext};
use crate::web::format::format_date;
use crate::web::layout::Page;
use leptos::prelude::*;

/// `?esito=` on the module's page right after it was sent.
pub const ESITO: &str = "trasmesso";

/// Where sending a module or a revoca leads (post/redirect/get).
pub fn address(code: &str) -> String {
    format!("{}?esito={ESITO}", paths::dimissioni(code))
}

/// Whom it was sent to, in words: the employer by name, the Ispettorato
/// when its office takes PEC, and the worker's copy.
fn reached(m: &Modulo, deliveries: &[Delivery]) -> String {
    let c = &m.contents;
    let to_itl = deliveries.iter().any(|d| d.recipient == Recipient::Itl);
    let key = if to_itl { "dim-next-sent-itl" } else { "dim-next-sent" };
    t_args(key, &[("employer", c.employer_name.clone()), ("email", c.worker_email.clone())])
}

/// The steps after a module: whom it reached, when it ends the work, the revoca.
fn next_steps(m: &Modulo, deliveries: &[Delivery], worker: bool, lang: crate::i18n::Lang) -> Vec<String> {
    let c = &m.contents;
    let day = format_date(deadline::last_day(m.transmitted_at), lang);
    if m.kind() == Kind::Revoca {
        return vec![
            t_args("dim-next-revoca-effect", &[("code", c.revokes_code.clone().unwrap_or_default())]),
            reached(m, deliveries),
            t("dim-next-find"),
        ];
    }
    let on = c.decorrenza.map(|d| format_date(d, lang)).unwrap_or_default();
    let effect = match m.kind() {
        Kind::GiustaCausa => "dim-next-effect-giusta-causa",
        Kind::RisoluzioneConsensuale => "dim-next-effect-risoluzione",
        _ => "dim-next-effect-dimissioni",
    };
    let revoke = if worker { "dim-next-revoke-worker" } else { "dim-next-revoke-operator" };
    let mut steps = vec![reached(m, deliveries), t_args(effect, &[("day", on)]), t_args(revoke, &[("day", day)])];
    if !worker {
        steps.push(t("dim-next-hand-over"));
    }
    steps.push(t("dim-next-find"));
    steps
}

#[component]
pub fn SentPage(m: Modulo, deliveries: Vec<Delivery>, worker: bool) -> impl IntoView {
    let lang = use_lang();
    let title = t(&format!("dim-sent-title-{}", m.kind().code().replace('_', "-")));
    let steps = next_steps(&m, &deliveries, worker, lang);
    view! {
        <Page title=title.clone() trail=vec![Crumb { label: t("dim-title"), href: paths::DIMISSIONI.into() }]>
            <ConfirmationPanel title reference_label=t("dim-sent-code") reference=m.code.clone()/>
            <WhatNext steps/>
            <p><a class="button" href=paths::dimissioni_pdf(&m.code)>{t("dim-pdf-download")}</a></p>
            <p><a href=paths::dimissioni(&m.code)>{t("dim-sent-open")}</a></p>
        </Page>
    }
}
