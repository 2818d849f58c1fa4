//! `/profili`: the profiles a person holds, the one in use, and switching.
use super::applications::{self, Application};
use crate::access::{self, Action, AuditEvent, Resource};
use crate::db::with_conn;
use crate::delegations::{
    self,
    lifecycle::State as DelegaState,
    model::{Delega, Window},
};
use crate::error::{AppError, AppResult};
use crate::i18n::{t, t_args, use_lang};
use crate::identity::invitations::{self, Invitation};
use crate::identity::organisations::{self, Profile};
use crate::kernel::DelegaId;
use crate::kernel::MembershipId;
use crate::kernel::{Acting, Basis, Credential, Principal, Subject};
use crate::paths;
use crate::registry::{CompanyRegistry, LocalRegistry};
use crate::web::components::TableOrEmpty;
use crate::web::layout::Page;
use crate::web::render::{FormData, PageRequest};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use diesel::QueryResult;
use leptos::prelude::*;
use serde::Deserialize;
use tower_sessions::Session;

/// The value of the switch form for acting as oneself.
const CITIZEN: &str = "cittadino";
/// Switch values for deleghe: `delega:{id}`.
const DELEGA_PREFIX: &str = "delega:";

/// Acting through delega `id`: only the delegate, only while it is in force
/// (anything else is answered as if it did not exist).
async fn through_delega(req: &PageRequest, who: &Principal, id: DelegaId) -> AppResult<Acting> {
    let now = req.state.clock.now();
    let account = who.actor.account_id;
    let (delega, held) = with_conn(&req.state.pool, move |c| {
        let Some(parties) = delegations::model::parties(c, id)? else { return Ok(None) };
        let held = delegations::groups::held_standing(c, &parties, account)?;
        Ok(Some((parties, held)))
    })
    .await?
    .ok_or(AppError::NotFound)?;
    let resource = Resource::Delega {
        id,
        grantor: delega.grantor,
        delegate: &delega.delegate_codice_fiscale,
        for_organisation: delega.organisation.is_some(),
        manages_subject: false,
        held,
    };
    let permit = access::authorize(Some(who), Action::Switch, &resource).map_err(|_| AppError::NotFound)?;
    let (account, codice_fiscale) = (permit.account_id(), who.actor.identifier.clone());
    with_conn(&req.state.pool, move |c| delegations::in_force::acting_through(c, id, account, &codice_fiscale, now))
        .await?
        .ok_or(AppError::NotFound)
}

/// `GET /profili`.
pub async fn list(req: PageRequest, who: Principal) -> AppResult<Response> {
    let (account, now) = (who.actor.account_id, req.state.clock.now());
    // Invitations are addressed to a codice fiscale, which SPID and CIE give.
    let invitee =
        matches!(who.actor.credential, Credential::Spid | Credential::Cie).then(|| who.actor.identifier.clone());
    let data = with_conn(&req.state.pool, move |c| {
        let pending = super::requests::pending_of(c, account, now)?
            .into_iter()
            .map(|codice_fiscale| Ok(LocalRegistry.company(c, &codice_fiscale)?.map_or(codice_fiscale, |co| co.name)))
            .collect::<QueryResult<Vec<String>>>()?;
        let invitations = match &invitee {
            Some(cf) => invitations::pending_for(c, cf, now)?,
            None => Vec::new(),
        };
        // Deleghe in force this person accepted: they can act through them.
        let deleghe = match &invitee {
            // The most recent; a studio with hundreds of clients finds them all in /clienti.
            Some(cf) => delegations::model::received(
                c,
                cf,
                now,
                Window::first(PROFILES_DELEGHE).in_state(Some(DelegaState::Active)),
            )?
            .into_iter()
            .filter(|d| d.state == DelegaState::Active && d.delegate_account_id == Some(account))
            .collect(),
            None => Vec::new(),
        };
        Ok(Held {
            profiles: organisations::profiles_of(c, account)?,
            pending,
            invitations,
            applications: applications::of_account(c, account)?,
            deleghe,
        })
    })
    .await?;
    Ok(req.render(StatusCode::OK, move || view! { <ProfilesPage who data/> }.into_any()))
}

/// What `/profili` shows.
#[derive(Clone)]
struct Held {
    profiles: Vec<Profile>,
    /// Companies asked by PEC, by name.
    pending: Vec<String>,
    invitations: Vec<Invitation>,
    applications: Vec<Application>,
    deleghe: Vec<Delega>,
}

/// Deleghe in force listed here; the rest are in `/clienti`.
const PROFILES_DELEGHE: i64 = 50;

/// The deleghe the person can act through, each with a switch.
#[component]
fn DelegheInForce(deleghe: Vec<Delega>, acting_for: Option<DelegaId>) -> impl IntoView {
    let lang = use_lang();
    (!deleghe.is_empty()).then(|| {
        view! {
            <section aria-labelledby="deleghe-heading">
                <h2 id="deleghe-heading">{t("profiles-deleghe")}</h2>
                <ul class="remedies">
                    {deleghe.into_iter().map(|d| {
                        let scope = match &d.services {
                            None => t("delega-scope-all-short"),
                            Some(list) => t_args("delega-scope-count", &[("count", list.len().to_string())]),
                        };
                        let label = t_args("profiles-delega", &[
                            ("subject", d.subject_name()),
                            ("until", crate::web::format::format_date(d.ends_on, lang)),
                            ("scope", scope),
                        ]);
                        view! {
                            <li>
                                {label} " "
                                <SwitchTo value=format!("{DELEGA_PREFIX}{}", d.id) current=acting_for == Some(d.id) label=d.subject_name()/>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <p><a href=crate::paths::CLIENTS>{t("clients-link")}</a></p>
            </section>
        }
    })
}

/// Invitations waiting for the person: accept or refuse, one click each.
#[component]
fn InvitationsReceived(invitations: Vec<Invitation>) -> impl IntoView {
    let lang = use_lang();
    (!invitations.is_empty()).then(|| {
        view! {
            <section aria-labelledby="invitations-heading" class="card">
                <h2 id="invitations-heading">{t("profiles-invitations")}</h2>
                <ul>
                    {invitations.into_iter().map(|i| {
                        let text = t_args("profiles-invitation", &[
                            ("organisation", i.organisation_name.clone()),
                            ("role", t(i.role.name_key())),
                            ("by", i.invited_by.clone()),
                            ("until", crate::web::format::format_when(i.expires_at, lang)),
                        ]);
                        view! {
                            <li>
                                <p>{text}</p>
                                <form method="post" action=paths::invitation(i.id) class="inline-form">
                                    <input type="hidden" name="risposta" value="accetta"/>
                                    <button type="submit">{t("profiles-invitation-accept")}</button>
                                </form>
                                " "
                                <form method="post" action=paths::invitation(i.id) class="inline-form">
                                    <input type="hidden" name="risposta" value="rifiuta"/>
                                    <button type="submit" class="button--secondary">{t("profiles-invitation-refuse")}</button>
                                </form>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// The person's applications to register an organisation, and their outcome.
#[component]
fn Applications(applications: Vec<Application>) -> impl IntoView {
    let lang = use_lang();
    (!applications.is_empty()).then(|| {
        let rows: Vec<AnyView> = applications
            .into_iter()
            .map(|a| {
                view! {
                    <tr>
                        <td>{a.organisation.name.clone()}</td>
                        <td>{crate::web::format::format_when(a.created_at, lang)}</td>
                        <td>{t(&a.state.name_key())} {a.reason.clone().filter(|r| !r.is_empty()).map(|r| view! { <br/><span class="hint">{r}</span> })}</td>
                    </tr>
                }
                .into_any()
            })
            .collect();
        view! {
            <section aria-labelledby="applications-heading">
                <h2 id="applications-heading">{t("profiles-applications")}</h2>
                <TableOrEmpty
                    caption="profiles-applications-caption"
                    empty="profiles-none"
                    columns=&["profiles-col-organisation", "profiles-col-sent", "profiles-col-state"]
                    rows
                />
            </section>
        }
    })
}

/// A switch button for one profile, or a note that it is the one in use.
#[component]
fn SwitchTo(value: String, current: bool, label: String) -> impl IntoView {
    if current {
        return view! { <strong>{t("profiles-current")}</strong> }.into_any();
    }
    view! {
        <form method="post" action=paths::PROFILES_ACTIVE class="inline-form">
            <input type="hidden" name="profilo" value=value/>
            <button type="submit" class="button--secondary">{t_args("profiles-switch", &[("profile", label)])}</button>
        </form>
    }
    .into_any()
}

#[component]
fn ProfilesPage(who: Principal, data: Held) -> impl IntoView {
    let Held { profiles, pending, invitations, applications, deleghe } = data;
    let lang = use_lang();
    let acting_for = match &who.acting.basis {
        Basis::Membership { id, .. } => Some(*id),
        _ => None,
    };
    let delega_in_use = who.delega().map(|(id, _)| id);
    let citizen = t("profile-citizen");
    let rows: Vec<AnyView> = profiles
        .into_iter()
        .map(|p| {
            let current = acting_for == Some(p.membership_id);
            let name = p.organisation_name.clone();
            view! {
                <tr>
                    <td>
                        {p.organisation_name.clone()} <br/>
                        <span class="hint">{t(&p.kind.name_key())} " · " {p.codice_fiscale.clone()}</span>
                        {p.role.manages().then(|| view! { <br/><a href=paths::organisation(p.organisation_id)>{t("profiles-manage")}<span class="visually-hidden">{format!(" {}", p.organisation_name)}</span></a> })}
                    </td>
                    <td>{t(p.role.name_key())}</td>
                    <td>{crate::web::format::format_when(p.since, lang)}</td>
                    <td><SwitchTo value=p.membership_id.to_string() current label=name/></td>
                </tr>
            }
            .into_any()
        })
        .collect();
    view! {
        <Page title=t("profiles-title")>
            <h1>{t("profiles-title")}</h1>
            <p class="lead">{t("profiles-lead")}</p>
            <InvitationsReceived invitations/>
            <section aria-labelledby="citizen-heading" class="card">
                <h2 id="citizen-heading">{citizen.clone()}</h2>
                <p>{t_args("profiles-citizen-body", &[("name", who.actor.full_name())])}</p>
                <SwitchTo value=CITIZEN.to_string() current=acting_for.is_none() && delega_in_use.is_none() label=citizen/>
            </section>
            <section aria-labelledby="organisations-heading">
                <h2 id="organisations-heading">{t("profiles-organisations")}</h2>
                <TableOrEmpty
                    caption="profiles-organisations-caption"
                    empty="profiles-none"
                    columns=&["profiles-col-organisation", "profiles-col-role", "profiles-col-since", "profiles-col-use"]
                    rows
                />
                <p>
                    <a class="button" href=paths::PROFILES_ASSOCIATE>{t("associate-title")}</a> " "
                    <a class="button button--secondary" href=paths::PROFILES_REGISTER>{t("register-org-title")}</a>
                </p>
            </section>
            {(!pending.is_empty()).then(|| view! {
                <section aria-labelledby="pending-heading">
                    <h2 id="pending-heading">{t("profiles-pending")}</h2>
                    <p>{t("profiles-pending-body")}</p>
                    <ul>{pending.into_iter().map(|name| view! { <li>{name}</li> }).collect_view()}</ul>
                </section>
            })}
            <DelegheInForce deleghe acting_for=delega_in_use/>
            <Applications applications/>
        </Page>
    }
}

#[derive(Debug, Deserialize)]
pub struct SwitchForm {
    pub profilo: Option<String>,
    /// Where to go afterwards (a local path), e.g. the service that needed the profile.
    pub next: Option<String>,
}

/// `POST /profili/attivo`: act as oneself, or for an organisation through one
/// of one's own active memberships (anyone else's id is a 404). The session
/// id changes and the switch is in the audit trail.
pub async fn switch(
    req: PageRequest,
    who: Principal,
    session: Session,
    FormData(form): FormData<SwitchForm>,
) -> AppResult<Response> {
    let choice = form.profilo.unwrap_or_default();
    let acting = if choice == CITIZEN {
        access::authorize(Some(&who), Action::Switch, &Resource::OwnProfile).map_err(|_| AppError::Forbidden)?;
        Acting::themself()
    } else if let Some(id) = choice.strip_prefix(DELEGA_PREFIX) {
        let id: DelegaId = id.parse().map_err(|_| AppError::BadRequest(format!("profile {choice:?}")))?;
        through_delega(&req, &who, id).await?
    } else {
        let id: MembershipId = choice.parse().map_err(|_| AppError::BadRequest(format!("profile {choice:?}")))?;
        let holder =
            with_conn(&req.state.pool, move |c| organisations::holder_of(c, id)).await?.ok_or(AppError::NotFound)?;
        // Someone else's membership is answered as if it did not exist.
        let permit = access::authorize(Some(&who), Action::Switch, &Resource::Membership { id, holder })
            .map_err(|_| AppError::NotFound)?;
        let account = permit.account_id();
        let profile = with_conn(&req.state.pool, move |c| organisations::active_membership(c, id, account))
            .await?
            .ok_or(AppError::NotFound)?;
        Acting {
            subject: Subject::Organisation { id: profile.organisation_id, name: profile.organisation_name },
            capacity: profile.kind.capacity(),
            basis: Basis::Membership {
                id: profile.membership_id,
                role: profile.role,
                services: profile.services.clone(),
            },
        }
    };
    crate::auth::session::switch_acting(&session, &who, acting.clone()).await?;
    let event = AuditEvent {
        at: req.state.clock.now(),
        actor_account_id: Some(who.actor.account_id),
        subject: Principal { acting, ..who }.subject_ref(),
        action: access::AuditAction::Decided(access::Action::Switch),
        resource: "profile".into(),
        outcome: access::Outcome::Allowed,
        reason: "own profile".into(),
        request_id: req.request_id.clone(),
    };
    with_conn(&req.state.pool, move |c| access::record(c, &event)).await?;
    let next = crate::paths::safe_return_path(form.next.as_deref(), paths::PROFILES);
    Ok(Redirect::to(&next).into_response())
}
