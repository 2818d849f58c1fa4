//! `/area-personale/attivita`: what a person can see of their own account,
//! read from the sign-in history and the audit trail: each sign-in (when,
//! credential, identity provider, level) and each action (when, what, on
//! what, as whom, the outcome); also as CSV.
use crate::access::{self, AuditEvent};
use crate::db::with_conn;
use crate::error::AppResult;
use crate::i18n::{t, use_lang, Lang};
use crate::identity::account::{self, SignInRecord};
use crate::identity::organisations;
use crate::kernel::{Credential, Principal};
use crate::paths;
use crate::web::components::{Crumb, TableOrEmpty};
use crate::web::layout::Page;
use crate::web::render::PageRequest;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos::prelude::*;
use std::collections::HashMap;

/// How much of the history is shown.
const LIMIT: i64 = 200;

#[derive(Clone)]
struct History {
    sign_ins: Vec<SignInRecord>,
    actions: Vec<AuditEvent>,
    /// Organisation names for `org:<id>` subjects.
    organisations: HashMap<i64, String>,
}

async fn load(req: &PageRequest, who: &Principal) -> AppResult<History> {
    let account = who.actor.account_id;
    Ok(with_conn(&req.state.pool, move |c| {
        let actions = access::by_actor(c, account, LIMIT)?;
        let ids: Vec<i64> =
            actions.iter().filter_map(|e| e.subject.strip_prefix("org:").and_then(|id| id.parse().ok())).collect();
        let organisations = organisations::names(c, &ids)?.into_iter().collect();
        Ok(History { sign_ins: account::sign_ins_of(c, account, LIMIT)?, actions, organisations })
    })
    .await?)
}

/// "Cittadino", or the organisation acted for.
fn as_whom(subject: &str, names: &HashMap<i64, String>, lang: Lang) -> String {
    subject
        .strip_prefix("org:")
        .and_then(|id| id.parse::<i64>().ok())
        .and_then(|id| names.get(&id).cloned())
        .unwrap_or_else(|| lang.t("profile-citizen"))
}

fn credential_name(code: &str, lang: Lang) -> String {
    Credential::parse(code).map(|c| lang.t(c.name_key())).unwrap_or_else(|| code.to_string())
}

/// The name of an action (`activity-action-…`), or its code.
fn action_name(code: &str, lang: Lang) -> String {
    let key = format!("activity-action-{code}");
    let name = lang.t(&key);
    if name.starts_with(crate::i18n::MISSING_MARKER) {
        code.to_string()
    } else {
        name
    }
}

fn outcome_name(outcome: &str, lang: Lang) -> String {
    lang.t(if outcome == "allowed" { "activity-allowed" } else { "activity-denied" })
}

#[component]
fn ActivityPage(history: History) -> impl IntoView {
    let lang = use_lang();
    let when = move |at| crate::auth::pages::format_when(at, lang);
    let sign_ins: Vec<AnyView> = history
        .sign_ins
        .iter()
        .map(|s| {
            view! {
                <tr>
                    <td>{when(s.at)}</td>
                    <td>{credential_name(&s.credential, lang)}</td>
                    <td>{s.idp.clone()}</td>
                    <td>{s.level}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let actions: Vec<AnyView> = history
        .actions
        .iter()
        .map(|e| {
            view! {
                <tr>
                    <td>{when(e.at)}</td>
                    <td>{action_name(&e.action, lang)}</td>
                    <td><code>{e.resource.clone()}</code></td>
                    <td>{as_whom(&e.subject, &history.organisations, lang)}</td>
                    <td>{outcome_name(&e.outcome, lang)}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    view! {
        <Page title=t("activity-title") trail=vec![Crumb { label: t("area-title"), href: paths::PERSONAL_AREA.into() }]>
            <h1>{t("activity-title")}</h1>
            <p class="lead">{t("activity-lead")}</p>
            <p><a href=paths::ACTIVITY_CSV download="attivita.csv">{t("activity-csv")}</a></p>
            <section aria-labelledby="sign-ins-heading">
                <h2 id="sign-ins-heading">{t("activity-sign-ins")}</h2>
                <TableOrEmpty
                    caption="activity-sign-ins-caption"
                    empty="activity-none"
                    columns=&["activity-col-when", "activity-col-credential", "activity-col-idp", "activity-col-level"]
                    rows=sign_ins
                />
            </section>
            <section aria-labelledby="actions-heading">
                <h2 id="actions-heading">{t("activity-actions")}</h2>
                <TableOrEmpty
                    caption="activity-actions-caption"
                    empty="activity-none"
                    columns=&["activity-col-when", "activity-col-action", "activity-col-on", "activity-col-as", "activity-col-outcome"]
                    rows=actions
                />
            </section>
        </Page>
    }
}

/// `GET /area-personale/attivita`: one's own history only (no id in the address).
pub async fn page(req: PageRequest, who: Principal) -> AppResult<Response> {
    let history = load(&req, &who).await?;
    Ok(req.render(StatusCode::OK, move || view! { <ActivityPage history/> }.into_any()))
}

/// `GET /area-personale/attivita.csv`: the same, to keep or to send.
pub async fn csv(req: PageRequest, who: Principal) -> AppResult<Response> {
    let history = load(&req, &who).await?;
    let lang = req.lang;
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = [
        "activity-col-when",
        "activity-col-kind",
        "activity-col-action",
        "activity-col-on",
        "activity-col-as",
        "activity-col-outcome",
    ];
    let write = |out: &mut csv::Writer<Vec<u8>>, row: [String; 6]| {
        out.write_record(row).map_err(|e| crate::error::AppError::other("activity csv", e))
    };
    write(&mut out, header.map(|k| lang.t(k)))?;
    for s in &history.sign_ins {
        let what = format!("{} · {} · {}", credential_name(&s.credential, lang), s.idp, s.level);
        write(
            &mut out,
            [
                s.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                lang.t("activity-kind-sign-in"),
                what,
                String::new(),
                String::new(),
                lang.t("activity-allowed"),
            ],
        )?;
    }
    for e in &history.actions {
        let whom = as_whom(&e.subject, &history.organisations, lang);
        write(
            &mut out,
            [
                e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                lang.t("activity-kind-action"),
                action_name(&e.action, lang),
                e.resource.clone(),
                whom,
                outcome_name(&e.outcome, lang),
            ],
        )?;
    }
    let bytes = out.into_inner().map_err(|e| crate::error::AppError::other("activity csv", e.into_error()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"attivita.csv\""),
        ],
        bytes,
    )
        .into_response())
}
