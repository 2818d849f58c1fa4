//! The signed-in person's page and the signed-out confirmation.
use crate::db::with_conn;
use crate::error::AppResult;
use crate::i18n::{t, t_args, use_lang};
use crate::identity::{invitations, legacy, waiting};
use crate::kernel::{Credential, Principal, SignedIn};
use crate::paths;
use crate::web::format::format_when;
use crate::web::layout::Page;
use crate::web::render::PageRequest;
use axum::http::StatusCode;
use axum::response::Response;
use leptos::prelude::*;

/// `GET /area-personale`: who is signed in, how, and their last access.
pub async fn personal_area(req: PageRequest, who: Principal) -> AppResult<Response> {
    let (account, now) = (who.actor.account_id, req.state.clock.now());
    let invitee =
        matches!(who.actor.credential, Credential::Spid | Credential::Cie).then(|| who.actor.identifier.clone());
    let notices = with_conn(&req.state.pool, move |c| {
        let (invitations, deleghe) = match &invitee {
            Some(cf) => (invitations::pending_for(c, cf, now)?.len(), waiting::deleghe(c, cf, now)?),
            None => (0, 0),
        };
        let recent = crate::catalog::usage::recent(c, account, 6)?;
        Ok(Notices { legacy: legacy::notice_once(c, account, now)?, invitations, deleghe, recent })
    })
    .await?;
    let roles = who.roles.clone();
    Ok(req.render(StatusCode::OK, move || view! { <PersonalAreaPage who=who.actor notices roles/> }.into_any()))
}

/// What the personal area has to tell: profiles brought over from the old
/// portal (once), and invitations waiting for an answer.
#[derive(Clone, Debug, Default)]
struct Notices {
    legacy: Option<(i32, i32)>,
    invitations: usize,
    deleghe: i64,
    /// The services the person used lately, most recent first (slugs).
    recent: Vec<String>,
}

/// `GET /uscita`.
pub async fn signed_out(req: PageRequest) -> Response {
    req.render(StatusCode::OK, || view! { <SignedOutPage/> }.into_any())
}

#[component]
fn PersonalAreaPage(who: SignedIn, notices: Notices, roles: Vec<crate::kernel::Role>) -> impl IntoView {
    let lang = use_lang();
    let previous = who.previous.clone();
    view! {
        <Page title=t("area-title")>
            <h1>{t_args("area-welcome", &[("name", who.full_name())])}</h1>
            {notices.legacy.map(|(profiles, activities)| view! {
                <div class="notice" role="status">
                    <h2>{t("area-legacy-title")}</h2>
                    <p>{t_args("area-legacy-body", &[("profiles", profiles.to_string()), ("activities", activities.to_string())])}</p>
                    <p><a href=paths::PROFILES>{t("profiles-title")}</a> " · " <a href=paths::ACTIVITY>{t("activity-title")}</a></p>
                </div>
            })}
            {(notices.deleghe > 0).then(|| view! {
                <div class="notice" role="status">
                    <p>{t("area-deleghe")} " " <a href=paths::DELEGHE>{t("area-deleghe-link")}</a></p>
                </div>
            })}
            {(notices.invitations > 0).then(|| view! {
                <div class="notice" role="status">
                    <p>{t("area-invitations")} " "
                    <a href=paths::PROFILES>{t("area-invitations-link")}</a></p>
                </div>
            })}
            <section aria-labelledby="your-services-heading">
                <h2 id="your-services-heading">{t("area-your-services")}</h2>
                {if notices.recent.is_empty() {
                    view! { <p>{t("area-no-services")} " " <a href=paths::SERVICES>{t("area-all-services")}</a></p> }.into_any()
                } else {
                    view! {
                        <ul class="link-list">
                            {notices.recent.iter().filter_map(|slug| crate::catalog::model::find(slug)).map(|s| view! {
                                // A service used before is entered again, not described again.
                                <li><a href=paths::service_enter(&s.slug)>{s.name.get(lang).to_string()}</a></li>
                            }).collect_view()}
                            <li><a href=paths::SERVICES>{t("area-all-services")}</a></li>
                        </ul>
                    }.into_any()
                }}
            </section>
            <section aria-labelledby="can-do-heading">
                <h2 id="can-do-heading">{t("area-can-do")}</h2>
                <ul class="link-list">
                    <li><a href=paths::PROFILES>{t("profiles-title")}</a></li>
                    <li><a href=paths::DELEGHE>{t("deleghe-title")}</a></li>
                    <li><a href=paths::DIMISSIONI>{t("dim-title")}</a></li>
                    <li><a href=paths::ACTIVITY>{t("activity-title")}</a></li>
                    <li><a href=paths::SESSIONS>{t("sessions-title")}</a></li>
                    <li><a href=paths::SUPPORT>{t("support-title")}</a></li>
                    {roles.contains(&crate::kernel::Role::HelpdeskOperator).then(|| view! { <li><a href=paths::HELPDESK>{t("helpdesk-title")}</a></li> })}
                    {roles.contains(&crate::kernel::Role::ItlOfficer).then(|| view! { <li><a href=paths::DIMISSIONI>{t("area-itl")}</a></li> })}
                </ul>
            </section>
            <section aria-labelledby="session-heading" class="card">
                <h2 id="session-heading">{t("area-session-heading")}</h2>
                <dl class="facts">
                    <dt>{t(match who.credential {
                        Credential::Eidas => "area-identifier-eidas",
                        Credential::Foreign => "area-identifier-foreign",
                        Credential::Spid | Credential::Cie => "area-identifier",
                    })}</dt>
                    <dd>{who.identifier.clone()}</dd>
                    <dt>{t("area-credential")}</dt>
                    <dd>{t(who.credential.name_key())} " · " {who.idp_name.clone()}</dd>
                    <dt>{t("area-level")}</dt>
                    <dd>{t_args("area-level-value", &[("level", who.level.number().to_string())])}</dd>
                    <dt>{t("area-since")}</dt>
                    <dd>{format_when(who.at, lang)}</dd>
                    <dt>{t("area-previous")}</dt>
                    <dd>
                        {match previous {
                            Some(p) => {
                                let credential = Credential::parse(&p.credential)
                                    .map(|c| t(c.name_key()))
                                    .unwrap_or(p.credential.clone());
                                t_args("area-previous-value", &[
                                    ("when", format_when(p.at, lang)),
                                    ("credential", credential),
                                    ("level", p.level.to_string()),
                                ])
                            }
                            None => t("area-previous-none"),
                        }}
                    </dd>
                </dl>
                <p class="hint">{t(match who.credential {
                    Credential::Spid => "area-previous-hint",
                    Credential::Cie => "area-previous-hint-cie",
                    Credential::Eidas => "area-previous-hint-eidas",
                    Credential::Foreign => "area-previous-hint-foreign",
                })}</p>
                {(who.credential == Credential::Foreign).then(|| view! {
                    <p><a href=paths::CHANGE_PASSWORD>{t("fchange-title")}</a></p>
                })}
            </section>
        </Page>
    }
}

#[component]
fn SignedOutPage() -> impl IntoView {
    view! {
        <Page title=t("signed-out-title")>
            <h1>{t("signed-out-title")}</h1>
            <p class="lead">{t("signed-out-body")}</p>
            <p><a class="button" href=paths::SIGN_IN>{t("signed-out-again")}</a></p>
        </Page>
    }
}
