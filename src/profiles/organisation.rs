//! `/profili/organizzazioni/{id}`: an organisation as those who manage it
//! see it: its details, its members (with role changes and removal), the
//! invitations sent, and a form to invite a colleague. Only its legali
//! rappresentanti and amministratori get here; to anyone else it does not exist.
use crate::access::{self, Action, Permit, Resource};
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::i18n::{t, t_args, use_lang, Lang};
use crate::identity::invitations::{self, Invitation, State as InvitationState};
use crate::identity::organisations::{self, Member, MemberList, Organisation, Role};
use crate::kernel::Principal;
use crate::kernel::{AccountId, InvitationId, MembershipId, OrganisationId};
use crate::paths;
use crate::web::components::{
    id_cursor, split_page, Crumb, ErrorSummary, Field, FieldErrors, Pager, SelectField, SuccessBanner, TableOrEmpty,
};
use crate::web::format::format_when;
use crate::web::layout::Page;
use crate::web::render::PageRequest;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use leptos::prelude::*;

/// The permit to `action` on organisation `id` and the organisation, or the
/// refusal: 404 to non-members (it does not exist for them), 403 to members
/// who do not manage it, and a new authentication at level 2 to those who
/// manage it with less. After that, a page comes back to itself and a form
/// to the organisation's page.
pub async fn permit(
    req: &PageRequest,
    who: &Principal,
    id: OrganisationId,
    action: Action,
) -> AppResult<(Permit, Organisation)> {
    let account = who.actor.account_id;
    let (role, org) =
        with_conn(&req.state.pool, move |c| Ok((organisations::role_in(c, id, account)?, organisations::find(c, id)?)))
            .await?;
    let back = if action == Action::View { req.at.path.clone() } else { paths::organisation(id) };
    let permit = access::require(req, action, &Resource::Organisation { id, role }, &back).await?;
    Ok((permit, org.ok_or(AppError::NotFound)?))
}

/// What the page shows, and the invite form as typed.
#[derive(Clone)]
pub struct OrganisationView {
    pub organisation: Organisation,
    /// A page of the active members, by name.
    pub members: Vec<Member>,
    /// Where the members' next page starts; whether this is not the first.
    pub next_members: Option<MembershipId>,
    pub later_members: bool,
    /// How many active members manage it (whether one more can leave).
    pub managers: usize,
    /// The most recently ended memberships.
    pub past: Vec<Member>,
    /// The member a banner confirms a change for (wherever they are in the list).
    pub changed: Option<Member>,
    pub invitations: Vec<Invitation>,
    pub me: AccountId,
    pub invite: InviteValues,
    /// The member whose role was just changed, to confirm it.
    pub role_changed: Option<MembershipId>,
    /// The operatore whose services were just changed, to confirm it.
    pub services_changed: Option<MembershipId>,
    /// The invitation just sent, to confirm it.
    pub invited: Option<InvitationId>,
}

/// `GET /profili/organizzazioni/{id}?ruolo-cambiato={member}`: the
/// confirmation after a role change (post/redirect/get).
#[derive(Debug, Default, serde::Deserialize)]
pub struct OrganisationQuery {
    #[serde(rename = "ruolo-cambiato")]
    role_changed: Option<MembershipId>,
    /// `?servizi-cambiati={member}`: an operatore's services just changed.
    #[serde(rename = "servizi-cambiati")]
    services_changed: Option<MembershipId>,
    /// `?invito={id}`: the invitation just sent.
    invito: Option<InvitationId>,
    /// `?membri_dopo={member}`: the members' page after this one.
    membri_dopo: Option<String>,
}

#[derive(Clone, Debug)]
pub struct InviteValues {
    pub codice_fiscale: String,
    pub role: String,
    pub errors: FieldErrors,
}

impl Default for InviteValues {
    /// A new colleague is offered the least power: operatore.
    fn default() -> Self {
        InviteValues {
            codice_fiscale: String::new(),
            role: Role::Operatore.code().to_string(),
            errors: FieldErrors::default(),
        }
    }
}

/// Why a member's row offers no "Rimuovi": the same rules the removal keeps
/// (`organisations::remove`), said before anyone meets a 409.
fn not_removable(m: &Member, managers: usize, me: AccountId) -> Option<&'static str> {
    if m.role == Role::LegaleRappresentante && m.account_id != me {
        return Some("organisation-remove-representative-only-self");
    }
    (m.role.manages() && managers <= 1).then_some("organisation-remove-last-manager")
}

/// Active members on a page of the organisation's; the most recently ended shown.
const MEMBERS_PAGE: i64 = 50;
const PAST_SHOWN: i64 = 50;

/// The page's data, its members' page starting after member `after`; `changed`: a member to confirm a change for.
pub async fn load(
    req: &PageRequest,
    who: &Principal,
    permit: Permit,
    organisation: Organisation,
    after: Option<MembershipId>,
    changed: Option<MembershipId>,
) -> AppResult<OrganisationView> {
    let (id, now) = (organisation.id, req.state.clock.now());
    let (members, past, managers, changed, invitations) = with_conn(&req.state.pool, move |c| {
        let page = MemberList::Active { after, limit: MEMBERS_PAGE + 1 };
        let changed = match changed {
            Some(member) => organisations::members(c, &permit, id, MemberList::One(member))?.into_iter().next(),
            None => None,
        };
        Ok((
            organisations::members(c, &permit, id, page)?,
            organisations::members(c, &permit, id, MemberList::Past { limit: PAST_SHOWN })?,
            organisations::managers(c, id)?.len(),
            changed,
            invitations::of_organisation(c, id, now)?,
        ))
    })
    .await?;
    let (members, next_members) = split_page(members, MEMBERS_PAGE, |m| m.membership_id);
    Ok(OrganisationView {
        organisation,
        members,
        next_members,
        later_members: after.is_some(),
        managers,
        past,
        changed,
        invitations,
        me: who.actor.account_id,
        invite: InviteValues::default(),
        role_changed: None,
        services_changed: None,
        invited: None,
    })
}

/// `GET /profili/organizzazioni/{id}`.
pub async fn page(
    req: PageRequest,
    who: Principal,
    Path(id): Path<OrganisationId>,
    Query(q): Query<OrganisationQuery>,
) -> AppResult<Response> {
    let (permit, organisation) = permit(&req, &who, id, Action::View).await?;
    // A cursor that does not parse starts from the first page.
    let after = id_cursor(q.membri_dopo.as_deref()).map(MembershipId::new);
    let mut data = load(&req, &who, permit, organisation, after, q.role_changed.or(q.services_changed)).await?;
    data.role_changed = q.role_changed;
    data.services_changed = q.services_changed;
    data.invited = q.invito;
    Ok(render(&req, StatusCode::OK, data))
}

pub fn render(req: &PageRequest, status: StatusCode, data: OrganisationView) -> Response {
    req.render(status, move || view! { <OrganisationPage data/> }.into_any())
}

fn role_options() -> Vec<(String, String)> {
    Role::ASSIGNABLE.into_iter().map(|r| (r.code().to_string(), r.name_key().to_string())).collect()
}

/// The role of an active member, with a form to change it (not for legali
/// rappresentanti, whose role comes from the registry).
#[component]
fn RoleCell(org: OrganisationId, member: Member) -> impl IntoView {
    if member.role == Role::LegaleRappresentante {
        return view! { {t(member.role.name_key())} }.into_any();
    }
    let field = format!("ruolo-{}", member.membership_id);
    let label = format!("{} {}", t("organisation-role-of"), member.name);
    view! {
        <form method="post" action=paths::member_role(org, member.membership_id) class="inline-form">
            <label for=field.clone() class="visually-hidden">{label}</label>
            <select id=field name="ruolo">
                {Role::ASSIGNABLE.into_iter().map(|r| view! {
                    <option value=r.code() selected=r == member.role>{t(r.name_key())}</option>
                }).collect_view()}
            </select>
            " "
            <button type="submit" class="button--secondary">{t("organisation-change-role")}</button>
        </form>
    }
    .into_any()
}

/// An operatore's services in words: all of them, or each by name.
pub fn services_in_words(services: &Option<Vec<String>>, lang: Lang) -> String {
    match services {
        None => lang.t("member-services-all"),
        Some(_) => crate::delegations::model::services_line(services, lang),
    }
}

/// An operatore's services, with a link to choose them (managers have them all).
#[component]
fn ServicesCell(org: OrganisationId, member: Member) -> impl IntoView {
    let lang = use_lang();
    (member.role == Role::Operatore).then(|| {
        let words = services_in_words(&member.services, lang);
        view! {
            <p class="hint">{t_args("member-services-line", &[("services", words)])} " "
                <a href=paths::member_services(org, member.membership_id)>
                    {t("member-services-choose")}<span class="visually-hidden">{format!(" {}", member.name)}</span>
                </a>
            </p>
        }
    })
}

#[component]
fn OrganisationPage(data: OrganisationView) -> impl IntoView {
    let lang = use_lang();
    let org = data.organisation.clone();
    let id = org.id;
    let (active, past) = (data.members, data.past);
    let members_pages = (
        data.later_members.then(|| format!("{}#members-heading", paths::organisation(id))),
        data.next_members.map(|after| format!("{}?membri_dopo={after}#members-heading", paths::organisation(id))),
    );
    // Only an active member of this organisation is confirmed: another id says nothing.
    let changed = data.changed.clone();
    let confirmed = changed.as_ref().filter(|m| data.role_changed == Some(m.membership_id)).map(|m| {
        let text = t_args("organisation-role-changed", &[("name", m.name.clone()), ("role", t(m.role.name_key()))]);
        view! { <SuccessBanner text/> }
    });
    let services_confirmed = changed.filter(|m| data.services_changed == Some(m.membership_id)).map(|m| {
        let words = services_in_words(&m.services, lang);
        view! { <SuccessBanner text=t_args("member-services-changed", &[("name", m.name.clone()), ("services", words)])/> }
    });
    // Likewise only an invitation of this organisation still waiting.
    let invited = data.invited.and_then(|sent| data.invitations.iter().find(|i| i.id == sent)).map(|i| {
        let args = [
            ("codice_fiscale", i.invitee.clone()),
            ("role", t(i.role.name_key())),
            ("until", format_when(i.expires_at, lang)),
        ];
        view! { <SuccessBanner text=t_args("organisation-invited", &args)/> }
    });
    let members: Vec<Vec<AnyView>> = active
        .iter()
        .map(|m| {
            let remove = match not_removable(m, data.managers, data.me) {
                Some(why) => view! { <span class="hint">{t(why)}</span> }.into_any(),
                None => {
                    let href = paths::member_remove(id, m.membership_id);
                    view! { <a href=href>{t("organisation-remove")}<span class="visually-hidden">{format!(" {}", m.name)}</span></a> }.into_any()
                }
            };
            let you = (m.account_id == data.me).then(|| view! { " " <span class="hint">{t("organisation-you")}</span> });
            vec![
                view! { {m.name.clone()} {you} <br/><span class="hint">{m.identifier.clone()}</span> }.into_any(),
                view! { <RoleCell org=id member=m.clone()/> <ServicesCell org=id member=m.clone()/> }.into_any(),
                format_when(m.since, lang).into_any(),
                remove,
            ]
        })
        .collect();
    let past: Vec<Vec<AnyView>> = past
        .into_iter()
        .map(|m| {
            vec![
                m.name.clone().into_any(),
                t(m.role.name_key()).into_any(),
                format_when(m.since, lang).into_any(),
                m.until.map(|u| format_when(u, lang)).unwrap_or_default().into_any(),
            ]
        })
        .collect();
    let invitations: Vec<Vec<AnyView>> = data
        .invitations
        .into_iter()
        .map(|i| {
            let revoke = (i.state == InvitationState::Pending).then(|| {
                view! {
                    <form method="post" action=paths::organisation_revoke(id, i.id) class="inline-form">
                        <button type="submit" class="button--secondary">{t("organisation-revoke")}</button>
                    </form>
                }
            });
            vec![
                i.invitee.clone().into_any(),
                t(i.role.name_key()).into_any(),
                view! { {i.invited_by.clone()} <br/><span class="hint">{format_when(i.created_at, lang)}</span> }
                    .into_any(),
                view! { {t(&i.state.name_key())} {revoke} }.into_any(),
            ]
        })
        .collect();
    let e = data.invite.errors.clone();
    view! {
        <Page title=org.name.clone() trail=vec![Crumb { label: t("profiles-title"), href: paths::PROFILES.into() }]>
            <h1>{org.name.clone()}</h1>
            {confirmed}
            {services_confirmed}
            {invited}
            <dl class="facts">
                <dt>{t("organisation-kind")}</dt><dd>{t(&org.kind.name_key())}</dd>
                <dt>{t("organisation-codice-fiscale")}</dt><dd>{org.codice_fiscale.clone()}</dd>
                {org.ordine.clone().map(|o| view! { <dt>{t("organisation-ordine")}</dt><dd>{o}</dd> })}
                {org.albo_number.clone().map(|a| view! { <dt>{t("organisation-albo")}</dt><dd>{a}</dd> })}
                {(!org.pec.is_empty()).then(|| view! { <dt>{t("organisation-pec")}</dt><dd>{org.pec.clone()}</dd> })}
                {(!org.seat.is_empty()).then(|| view! { <dt>{t("organisation-seat")}</dt><dd>{org.seat.clone()}</dd> })}
            </dl>
            <p>
                <a href=paths::organisation_activity(id)>{t("organisation-activity")}</a>
                " · "
                <a href=paths::organisation_groups(id)>{t("groups-title")}</a>
            </p>
            <section aria-labelledby="members-heading">
                <h2 id="members-heading">{t("organisation-members")}</h2>
                <TableOrEmpty
                    caption="organisation-members-caption"
                    empty="organisation-members-none"
                    columns=&["organisation-col-person", "organisation-col-role", "organisation-col-since", "organisation-col-actions"]
                    cells=members
                />
                <Pager label=t("organisation-members-pages") first=members_pages.0 next=members_pages.1/>
            </section>
            <section aria-labelledby="invite-heading" class="card">
                <h2 id="invite-heading">{t("organisation-invite")}</h2>
                <p>{t("organisation-invite-lead")}</p>
                <ErrorSummary errors=data.invite.errors.clone()/>
                <form method="post" action=paths::organisation_invite(id) novalidate>
                    <Field name="codice_fiscale" identifier=true label="organisation-invite-codice-fiscale" hint="organisation-invite-codice-fiscale-hint" value=data.invite.codice_fiscale.clone() error=e.get("codice_fiscale")/>
                    <SelectField name="ruolo" label="organisation-col-role" options=role_options() value=data.invite.role.clone() error=e.get("ruolo")/>
                    <button type="submit">{t("organisation-invite-continue")}</button>
                </form>
            </section>
            <section aria-labelledby="invitations-heading">
                <h2 id="invitations-heading">{t("organisation-invitations")}</h2>
                <TableOrEmpty
                    caption="organisation-invitations-caption"
                    empty="organisation-invitations-none"
                    columns=&["organisation-col-invitee", "organisation-col-role", "organisation-col-invited-by", "organisation-col-state"]
                    cells=invitations
                />
            </section>
            <section aria-labelledby="past-heading">
                <h2 id="past-heading">{t("organisation-past-members")}</h2>
                <TableOrEmpty
                    caption="organisation-past-members-caption"
                    empty="organisation-past-members-none"
                    columns=&["organisation-col-person", "organisation-col-role", "organisation-col-since", "organisation-col-until"]
                    cells=past
                />
            </section>
        </Page>
    }
}
