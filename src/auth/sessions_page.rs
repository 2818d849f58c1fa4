//! `/area-personale/sessioni`: where one is signed in (device, last use,
//! until when), closing any of them or all ("esci ovunque": every session
//! ends, and the current one signs out at the identity provider too); and
//! one's choices: a longer inactivity limit (WCAG 2.2.1: ten times the
//! default, or none until the absolute limit) and alerts at every sign-in.
use super::session::{self, IDLE_KEY};
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::i18n::{t, t_args, use_lang};
use crate::identity::account;
use crate::kernel::Principal;
use crate::paths;
use crate::web::components::{Choice, Choices, Control, Crumb, SuccessBanner, TableOrEmpty};
use crate::web::format::format_when;
use crate::web::layout::Page;
use crate::web::render::{FormData, PageRequest};
use axum::extract::Query;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;
use tower_sessions::Session;

/// The longer inactivity limit one may choose: ten times the default.
pub const LONGER: i64 = 10;

#[derive(Clone)]
struct Data {
    sessions: Vec<session::Listed>,
    current: String,
    idle: Option<i32>,
    every: bool,
    default_minutes: i64,
    max_hours: i64,
    /// Back from saving the choices (`?salvate=si`): they are confirmed.
    saved: bool,
    /// Another session just ended.
    ended: bool,
}

/// `GET /area-personale/sessioni?salvate=si`.
#[derive(Debug, Default, serde::Deserialize)]
pub struct SessionsQuery {
    salvate: Option<String>,
    chiusa: Option<String>,
}

#[component]
fn SessionsPage(d: Data) -> impl IntoView {
    let lang = use_lang();
    let rows: Vec<Vec<AnyView>> = d
        .sessions
        .iter()
        .map(|s| {
            let this = s.reference == d.current;
            let device = s.device.clone().unwrap_or_else(|| "?".into());
            vec![
                view! { {device.clone()} {this.then(|| view! { <br/><strong>{t("sessions-this")}</strong> })} }
                    .into_any(),
                s.last_seen.map(|x| format_when(x, lang)).unwrap_or_default().into_any(),
                format_when(s.expires_at, lang).into_any(),
                view! {
                        {(!this).then(|| view! {
                            <form method="post" action=paths::SESSIONS_END class="inline-form">
                                <input type="hidden" name="sessione" value=s.reference.clone()/>
                                <button type="submit" class="button--secondary">
                                    {t("sessions-end")}
                                    // Which one, for those who hear the button alone (WCAG 2.4.6).
                                    <span class="visually-hidden">" " {device.clone()}</span>
                                </button>
                            </form>
                        })}
                }
                .into_any(),
            ]
        })
        .collect();
    let longer = d.default_minutes * LONGER;
    let choice = match d.idle {
        Some(0) => "nessuna",
        Some(_) => "lunga",
        None => "predefinita",
    };
    let options = [
        ("predefinita", t_args("sessions-idle-default", &[("minutes", d.default_minutes.to_string())])),
        ("lunga", t_args("sessions-idle-longer", &[("hours", (longer / 60).to_string())])),
        ("nessuna", t_args("sessions-idle-none", &[("hours", d.max_hours.to_string())])),
    ];
    view! {
        <Page title=t("sessions-title") trail=vec![Crumb { label: t("area-title"), href: paths::PERSONAL_AREA.into() }]>
            <h1>{t("sessions-title")}</h1>
            // The choices just saved, or a session just ended, confirmed.
            {d.saved.then(|| view! { <SuccessBanner text=t("sessions-saved")/> })}
            {d.ended.then(|| view! { <SuccessBanner text=t("sessions-ended")/> })}
            <p class="lead">{t("sessions-lead")}</p>
            <TableOrEmpty
                caption="sessions-caption"
                empty="sessions-none"
                columns=&["sessions-col-device", "sessions-col-last", "sessions-col-until", "sessions-col-action"]
                cells=rows
            />
            <form method="post" action=paths::SESSIONS_END>
                <input type="hidden" name="tutte" value="si"/>
                <p><button type="submit">{t("sessions-end-all")}</button></p>
            </form>
            <section aria-labelledby="choices-heading" class="card">
                <h2 id="choices-heading">{t("sessions-choices")}</h2>
                <form method="post" action=paths::SESSIONS_PREFERENCES>
                    <Choices name="durata" legend=t("sessions-idle") choices=options
                        .into_iter()
                        .map(|(value, label)| Choice::new(value.to_string(), label, value == choice))
                        .collect()/>
                    <Control kind="checkbox" name="avvisi" id="avvisi".to_string() choice=Choice::new("ogni", t("sessions-alert-every"), d.every)/>
                    <p><button type="submit" class="button--secondary">{t("sessions-save")}</button></p>
                </form>
            </section>
        </Page>
    }
}

/// `GET /area-personale/sessioni`.
pub async fn page(
    req: PageRequest,
    who: Principal,
    session: Session,
    Query(q): Query<SessionsQuery>,
) -> AppResult<Response> {
    let (account, now) = (who.actor.account_id, req.state.clock.now());
    let (sessions, idle, every) = with_conn(&req.state.pool, move |c| {
        Ok((
            session::sessions_of(c, account, now)?,
            account::idle_preference(c, account)?,
            account::alert_every_sign_in(c, account)?,
        ))
    })
    .await?;
    let current = session.id().map(|id| session::reference(&id.to_string())).unwrap_or_default();
    let d = Data {
        sessions,
        current,
        idle,
        every,
        default_minutes: req.state.config.session_idle_minutes,
        max_hours: req.state.config.session_max_hours,
        saved: q.salvate.as_deref() == Some("si"),
        ended: q.chiusa.as_deref() == Some("si"),
    };
    Ok(req.render(StatusCode::OK, move || view! { <SessionsPage d/> }.into_any()))
}

#[derive(Debug, Deserialize)]
pub struct EndForm {
    pub sessione: Option<String>,
    pub tutte: Option<String>,
}

/// `POST /area-personale/sessioni/chiudi`: one other session, or all.
pub async fn end(
    req: PageRequest,
    who: Principal,
    session: Session,
    FormData(f): FormData<EndForm>,
) -> AppResult<Response> {
    let account = who.actor.account_id;
    if f.tutte.as_deref() == Some("si") {
        let keep = session.id().map(|id| id.to_string()).unwrap_or_default();
        let (ended, grants) =
            with_conn(&req.state.pool, move |c| session::end_other_sessions(c, account, &keep)).await?;
        tracing::info!(%account, ended, "signed out everywhere");
        crate::auth::session::revoke_grants(&req.state, grants).await;
        // This one too, through the usual sign-out (with the identity provider's Single Logout).
        return Ok((StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, paths::SIGN_OUT)]).into_response());
    }
    let reference: String = f.sessione.unwrap_or_default().chars().take(40).collect();
    let ended = with_conn(&req.state.pool, move |c| session::end_session(c, account, &reference)).await?;
    // Someone else's session, or one already gone: nothing to close here.
    let grant = ended.ok_or(AppError::NotFound)?;
    if let Some(grant) = grant {
        crate::auth::session::revoke_grant(&req.state, grant).await;
    }
    Ok(Redirect::to(&format!("{}?chiusa=si", paths::SESSIONS)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct PreferencesForm {
    pub durata: Option<String>,
    pub avvisi: Option<String>,
}

/// `POST /area-personale/sessioni/preferenze`.
pub async fn preferences(
    req: PageRequest,
    who: Principal,
    session: Session,
    FormData(f): FormData<PreferencesForm>,
) -> AppResult<Response> {
    let longer = i32::try_from(req.state.config.session_idle_minutes * LONGER).unwrap_or(300);
    let idle: Option<i32> = match f.durata.as_deref() {
        Some("predefinita") | None => None,
        Some("lunga") => Some(longer),
        Some("nessuna") => Some(0),
        Some(other) => return Err(AppError::BadRequest(format!("durata {other:?}"))),
    };
    let every = f.avvisi.as_deref() == Some("ogni");
    let account = who.actor.account_id;
    with_conn(&req.state.pool, move |c| {
        account::set_idle_preference(c, account, idle)?;
        account::set_alert_every_sign_in(c, account, every)
    })
    .await?;
    // This session follows the choice at once.
    session.insert(IDLE_KEY, idle.map_or(-1, i64::from)).await?;
    Ok(Redirect::to(&format!("{}?salvate=si", paths::SESSIONS)).into_response())
}
