//! The question before a delega's irreversible actions (revoking, refusing,
//! renouncing), and the page that confirms a delega just granted: its code
//! large, what the delegate can do from when to when, and what happens next.
use super::lifecycle::Event;
use super::model::{Delega, Kind};
use crate::db::with_conn;
use crate::error::AppResult;
use crate::i18n::{t, t_args, use_lang};
use crate::identity::account;
use crate::paths;
use crate::web::are_you_sure::AreYouSure;
use crate::web::components::{ConfirmationPanel, Crumb, WhatNext};
use crate::web::format::{format_date, format_when};
use crate::web::layout::Page;
use crate::web::render::PageRequest;
use axum::http::StatusCode;
use axum::response::Response;
use leptos::prelude::*;

/// The delegate in words: their name when they have an account, else the
/// codice fiscale and that they have not signed in yet.
pub async fn delegate_named(req: &PageRequest, codice_fiscale: &str) -> AppResult<String> {
    let (cf, lang) = (codice_fiscale.to_string(), req.lang);
    Ok(with_conn(&req.state.pool, move |c| account::known_as(c, &cf, lang)).await?)
}

/// "Revocare la delega?": asked before `event` (revoca, rifiuto, rinuncia),
/// whose form sends `azione` again with `conferma=si`.
pub async fn question(req: &PageRequest, d: Delega, event: Event, azione: &str) -> AppResult<Response> {
    let key = match event {
        Event::Revoke => "revoca",
        Event::Refuse => "rifiuta",
        _ => "rinuncia",
    };
    // An organisation's delega names the organisation (a sole trader's
    // studio has its owner's codice fiscale, yet is not him).
    let delegate = match d.held_by {
        Some(_) => d.delegate_label(),
        None => delegate_named(req, &d.delegate_codice_fiscale).await?,
    };
    let lang = req.lang;
    let azione = azione.to_string();
    Ok(req.render(StatusCode::OK, move || {
        let subject = d.subject_name();
        let lead = t_args(
            "delega-sure-lead",
            &[
                ("subject", subject.clone()),
                ("delegate", delegate.clone()),
                ("from", format_date(d.starts_on, lang)),
                ("until", format_date(d.ends_on, lang)),
            ],
        );
        view! {
            <AreYouSure
                title=t(&format!("delega-sure-{key}-title"))
                lead
                effect=t_args(&format!("delega-sure-{key}-effect"), &[("subject", subject.clone())])
                action=paths::delega_action(d.id)
                hidden=vec![("azione", azione.clone())]
                submit=t(&format!("delega-sure-{key}-submit"))
                cancel_href=paths::delega(d.id)
                cancel_label=t("delega-sure-cancel")
                trail=vec![
                    Crumb { label: t("deleghe-title"), href: paths::DELEGHE.into() },
                    Crumb { label: t_args("delega-title", &[("subject", subject.clone())]), href: paths::delega(d.id) },
                ]
            />
        }
        .into_any()
    }))
}

/// The page after granting: the code to pass on, large; what follows.
#[component]
pub fn GrantedPage(d: Delega, delegate: String) -> impl IntoView {
    let lang = use_lang();
    let subject = d.subject_name();
    let services = d.services_named(lang).join(", ");
    let (from, until) = (format_date(d.starts_on, lang), format_date(d.ends_on, lang));
    let mut steps = vec![
        t_args("delega-next-find", &[("delegate", delegate.clone()), ("by", format_when(d.answer_by, lang))]),
        t("delega-next-code"),
        t_args(
            "delega-next-then",
            &[("subject", subject.clone()), ("services", services), ("from", from), ("until", until)],
        ),
    ];
    if d.kind == Kind::Temporanea {
        steps.push(t("delega-next-temporanea"));
    }
    steps.push(t("delega-next-revoke"));
    let title = t("delega-granted-title");
    view! {
        <Page title=title.clone() trail=vec![Crumb { label: t("deleghe-title"), href: paths::DELEGHE.into() }]>
            <ConfirmationPanel title reference_label=t("delega-granted-code") reference=d.acceptance_code.clone()/>
            <p class="lead">{t_args("delega-granted-lead", &[("subject", subject), ("delegate", delegate)])}</p>
            <WhatNext steps/>
            <p><a class="button" href=paths::delega(d.id)>{t("delega-granted-open")}</a></p>
            <p><a href=paths::DELEGHE>{t("delega-granted-all")}</a></p>
        </Page>
    }
}
