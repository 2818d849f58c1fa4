//! `/profili/organizzazioni/{id}/gruppi`: gruppi di lavoro. Those who manage
//! an organisation that holds deleghe (a studio) make groups of operatori
//! and clients; an operatore then sees in `/clienti`, and acts for, only the
//! clients of their groups (managers for all). The operatore meets a change
//! on their next request; every change is in the organisation's activity.
use super::members::audit;
use super::organisation;
use crate::access::{Action, AuditAction, Permit};
use crate::db::with_conn;
use crate::delegations::groups::{self, Group, GroupDetail, GroupRefusal, MAX_CLIENTS_AT_ONCE};
use crate::error::{AppError, AppResult};
use crate::i18n::{t, t_args};
use crate::identity::organisations::{self, Member, MemberList, Organisation, Role};
use crate::kernel::clock::italian_day;
use crate::kernel::{GroupId, MembershipId, OrganisationId, Principal};
use crate::paths;
use crate::web::are_you_sure::AreYouSure;
use crate::web::components::{
    Choice, Choices, Crumb, ErrorSummary, Field, FieldErrors, SuccessBanner, TableOrEmpty, TextareaField,
};
use crate::web::layout::Page;
use crate::web::render::{FormData, PageRequest};
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;
use std::sync::Arc;

/// The longest group name.
const NAME_MAX: usize = 80;
/// Operatori offered as group members at the most (a studio's staff).
const OPERATORI_MAX: i64 = 500;

#[derive(Debug, Deserialize)]
pub struct GroupPath {
    pub id: OrganisationId,
    pub group: GroupId,
}

fn trail(org: &Organisation) -> Vec<Crumb> {
    vec![
        Crumb { label: t("profiles-title"), href: paths::PROFILES.into() },
        Crumb { label: org.name.clone(), href: paths::organisation(org.id) },
    ]
}

#[component]
fn GroupsPage(
    org: Organisation,
    groups: Vec<Group>,
    name: String,
    errors: FieldErrors,
    deleted: bool,
) -> impl IntoView {
    let e = errors.clone();
    let cells: Vec<Vec<AnyView>> = groups
        .into_iter()
        .map(|g| {
            vec![
                view! { <a href=paths::group_at(paths::ORGANISATION_GROUP, org.id, g.id)>{g.name.clone()}</a> }
                    .into_any(),
                g.members.to_string().into_any(),
                g.clients.to_string().into_any(),
            ]
        })
        .collect();
    view! {
        <Page title=t("groups-title") trail=trail(&org)>
            <h1>{t("groups-title")}</h1>
            <p class="lead">{t_args("groups-lead", &[("organisation", org.name.clone())])}</p>
            {deleted.then(|| view! { <SuccessBanner text=t("groups-done-deleted")/> })}
            <ErrorSummary errors/>
            <TableOrEmpty
                caption="groups-caption"
                empty="groups-none"
                columns=&["groups-col-name", "groups-col-operatori", "groups-col-clients"]
                cells
            />
            <section aria-labelledby="new-group-heading" class="card">
                <h2 id="new-group-heading">{t("groups-new")}</h2>
                <form method="post" action=paths::organisation_groups(org.id) novalidate>
                    <Field name="nome" label="groups-name" hint="groups-name-hint" value=name error=e.get("nome")/>
                    <p><button type="submit">{t("groups-create")}</button></p>
                </form>
            </section>
        </Page>
    }
}

async fn render_list(
    req: &PageRequest,
    permit: Arc<Permit>,
    org: Organisation,
    name: String,
    errors: FieldErrors,
    status: StatusCode,
    deleted: bool,
) -> AppResult<Response> {
    let id = org.id;
    let groups = with_conn(&req.state.pool, move |c| groups::list(c, &permit, id)).await?;
    Ok(req.render(status, move || view! { <GroupsPage org groups name errors deleted/> }.into_any()))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    eliminato: String,
}

/// `GET /profili/organizzazioni/{id}/gruppi`.
pub async fn list(
    req: PageRequest,
    who: Principal,
    Path(id): Path<OrganisationId>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let (permit, org) = organisation::permit(&req, &who, id, Action::Change).await?;
    let permit = Arc::new(permit);
    let deleted = q.eliminato == "si";
    render_list(&req, permit, org, String::new(), FieldErrors::default(), StatusCode::OK, deleted).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewGroupForm {
    nome: String,
}

/// `POST /profili/organizzazioni/{id}/gruppi`: a new, empty group; then its page.
pub async fn create(
    req: PageRequest,
    who: Principal,
    Path(id): Path<OrganisationId>,
    FormData(f): FormData<NewGroupForm>,
) -> AppResult<Response> {
    let (permit, org) = organisation::permit(&req, &who, id, Action::Change).await?;
    let permit = Arc::new(permit);
    let name: String = f.nome.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut errors = FieldErrors::default();
    if name.is_empty() {
        errors.add("nome", "groups-error-name");
    } else if name.chars().count() > NAME_MAX {
        errors.add("nome", "groups-error-name-long");
    }
    if !errors.is_empty() {
        return render_list(&req, permit, org, name, errors, StatusCode::UNPROCESSABLE_ENTITY, false).await;
    }
    let (p2, n2, now) = (permit.clone(), name.clone(), req.state.clock.now());
    match with_conn(&req.state.pool, move |c| groups::create(c, &p2, id, &n2, now)).await? {
        Ok(group) => {
            audit(&req, &who, AuditAction::CreateGroup, format!("org:{id}/group:{group}"), name).await?;
            Ok(Redirect::to(&paths::group_at(paths::ORGANISATION_GROUP, id, group)).into_response())
        }
        Err(refusal) => {
            errors.add(
                "nome",
                match refusal {
                    GroupRefusal::NameTaken => "groups-error-name-taken",
                    GroupRefusal::TooMany => "groups-error-too-many",
                },
            );
            render_list(&req, permit, org, name, errors, StatusCode::UNPROCESSABLE_ENTITY, false).await
        }
    }
}

/// What a group's page shows, and the clients form as typed.
#[derive(Clone)]
struct GroupView {
    org: Organisation,
    group: GroupDetail,
    /// The organisation's active operatori, who can be put in it.
    operatori: Vec<Member>,
    typed: String,
    errors: FieldErrors,
    /// What was just done (`?fatto=…`).
    done: Option<&'static str>,
}

#[component]
fn GroupPage(v: GroupView) -> impl IntoView {
    let GroupView { org, group, operatori, typed, errors, done } = v;
    let e = errors.clone();
    let (id, gid) = (org.id, group.id);
    let in_group: Vec<MembershipId> = group.members.iter().map(|m| m.0).collect();
    let clients: Vec<Vec<AnyView>> = group
        .clients
        .iter()
        .map(|(cf, name)| {
            let label = name.clone().unwrap_or_else(|| cf.clone());
            vec![
                view! { <strong>{name.clone().unwrap_or_default()}</strong> " " <span class="hint">{cf.clone()}</span> }
                    .into_any(),
                view! {
                    <form method="post" action=paths::group_at(paths::GROUP_CLIENT_REMOVE, id, gid) class="inline-form">
                        <input type="hidden" name="cliente" value=cf.clone()/>
                        <button type="submit" class="button--secondary">
                            {t("groups-remove-client")}<span class="visually-hidden">{format!(" {label}")}</span>
                        </button>
                    </form>
                }
                .into_any(),
            ]
        })
        .collect();
    let title = t_args("groups-group-title", &[("name", group.name.clone())]);
    view! {
        <Page title=title.clone() trail={
            let mut trail = trail(&org);
            trail.push(Crumb { label: t("groups-title"), href: paths::organisation_groups(id) });
            trail
        }>
            <h1>{title}</h1>
            {done.map(|key| view! { <SuccessBanner text=t(key)/> })}
            <ErrorSummary errors/>
            <section aria-labelledby="operatori-heading">
                <h2 id="operatori-heading">{t("groups-operatori")}</h2>
                {if operatori.is_empty() {
                    view! { <p>{t("groups-no-operatori")}</p> }.into_any()
                } else {
                    view! {
                        <form method="post" action=paths::group_at(paths::GROUP_MEMBERS, id, gid)>
                            <Choices name="operatore" multiple=true legend=t("groups-operatori-legend") choices=operatori
                                .iter()
                                .map(|m| Choice::new(m.membership_id.to_string(), format!("{} ({})", m.name, m.identifier), in_group.contains(&m.membership_id)))
                                .collect()/>
                            <p><button type="submit">{t("groups-save-operatori")}</button></p>
                        </form>
                    }
                    .into_any()
                }}
            </section>
            <section aria-labelledby="clients-heading">
                <h2 id="clients-heading">{t("groups-clients")}</h2>
                <TableOrEmpty
                    caption="groups-clients-caption"
                    empty="groups-no-clients"
                    columns=&["groups-col-client", "groups-col-action"]
                    cells=clients
                />
                <form method="post" action=paths::group_at(paths::GROUP_CLIENTS, id, gid) novalidate>
                    <TextareaField name="clienti" label="groups-add-clients" hint="groups-add-clients-hint"
                        value=typed error=e.get("clienti") rows=4 maxlength=20_000/>
                    <p><button type="submit">{t("groups-add")}</button></p>
                </form>
            </section>
            <p><a class="button button--secondary" href=paths::group_at(paths::GROUP_DELETE, id, gid)>{t("groups-delete")}</a></p>
        </Page>
    }
}

/// The group `gid` of organisation `id` (404 for another organisation's), for those who manage it.
async fn load_group(
    req: &PageRequest,
    who: &Principal,
    GroupPath { id, group }: &GroupPath,
) -> AppResult<(Arc<Permit>, Organisation, GroupDetail, Vec<Member>)> {
    let (id, gid) = (*id, *group);
    let (permit, org) = organisation::permit(req, who, id, Action::Change).await?;
    let permit = Arc::new(permit);
    let p2 = permit.clone();
    let (group, operatori) = with_conn(&req.state.pool, move |c| {
        let group = groups::find(c, &p2, id, gid)?;
        let members = organisations::members(c, &p2, id, MemberList::Active { after: None, limit: OPERATORI_MAX })?;
        Ok((group, members.into_iter().filter(|m| m.role == Role::Operatore).collect::<Vec<_>>()))
    })
    .await?;
    Ok((permit, org, group.ok_or(AppError::NotFound)?, operatori))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    fatto: String,
}

/// `GET /profili/organizzazioni/{id}/gruppi/{group}`.
pub async fn detail(
    req: PageRequest,
    who: Principal,
    Path(at): Path<GroupPath>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let (_, org, group, operatori) = load_group(&req, &who, &at).await?;
    let done = match q.fatto.as_str() {
        "operatori" => Some("groups-done-operatori"),
        "clienti" => Some("groups-done-clients"),
        "rimosso" => Some("groups-done-removed"),
        _ => None,
    };
    let v = GroupView { org, group, operatori, typed: String::new(), errors: FieldErrors::default(), done };
    Ok(req.render(StatusCode::OK, move || view! { <GroupPage v/> }.into_any()))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OperatoriForm {
    operatore: Vec<String>,
}

/// `POST …/gruppi/{group}/operatori`: the group's operatori become those ticked.
pub async fn set_operatori(
    req: PageRequest,
    who: Principal,
    Path(at): Path<GroupPath>,
    FormData(f): FormData<OperatoriForm>,
) -> AppResult<Response> {
    let (permit, _, group, operatori) = load_group(&req, &who, &at).await?;
    let chosen: Vec<MembershipId> =
        f.operatore.iter().take(OPERATORI_MAX as usize).filter_map(|s| s.parse().ok()).collect();
    let (id, gid) = (at.id, at.group);
    let changed = with_conn(&req.state.pool, move |c| groups::set_members(c, &permit, id, gid, &chosen))
        .await?
        .ok_or(AppError::NotFound)?;
    let (before, after) = changed;
    if before != after {
        let name_of = |m: &MembershipId| {
            operatori.iter().find(|o| o.membership_id == *m).map_or_else(|| m.to_string(), |o| o.name.clone())
        };
        let names = after.iter().map(name_of).collect::<Vec<_>>().join(", ");
        let detail = format!("{} · {names}", group.name);
        audit(&req, &who, AuditAction::ChangeGroup, format!("org:{id}/group:{gid}"), detail).await?;
    }
    Ok(Redirect::to(&format!("{}?fatto=operatori", paths::group_at(paths::ORGANISATION_GROUP, id, gid)))
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ClientsForm {
    clienti: String,
}

/// `POST …/gruppi/{group}/clienti`: adds the clients typed (codici fiscali
/// or partite IVA, one per line or separated by spaces or commas) that the
/// organisation holds a delega from; none is added if one is not.
pub async fn add_clients(
    req: PageRequest,
    who: Principal,
    Path(at): Path<GroupPath>,
    FormData(f): FormData<ClientsForm>,
) -> AppResult<Response> {
    let (permit, org, group, operatori) = load_group(&req, &who, &at).await?;
    let typed: String = f.clienti.chars().take(20_000).collect();
    let words: Vec<&str> =
        typed.split(|c: char| c.is_whitespace() || c == ',' || c == ';').filter(|w| !w.is_empty()).collect();
    let codes: Option<Vec<String>> = words.iter().map(|w| groups::typed_client(w)).collect();
    let mut errors = FieldErrors::default();
    let (id, gid, today) = (at.id, at.group, italian_day(req.state.clock.now()));
    match &codes {
        _ if words.is_empty() => errors.add("clienti", "groups-error-clients-empty"),
        _ if words.len() > MAX_CLIENTS_AT_ONCE => errors.add("clienti", "groups-error-clients-many"),
        None => errors.add("clienti", "groups-error-clients-code"),
        Some(list) => {
            let asked = list.clone();
            let held = with_conn(&req.state.pool, move |c| groups::held_clients(c, id, &asked, today)).await?;
            if list.iter().any(|cf| !held.contains(cf)) {
                errors.add("clienti", "groups-error-clients-not-held");
            }
        }
    }
    let codes = match codes {
        Some(codes) if errors.is_empty() => codes,
        _ => {
            let v = GroupView { org, group, operatori, typed, errors, done: None };
            return Ok(req.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <GroupPage v/> }.into_any()));
        }
    };
    let added = with_conn(&req.state.pool, move |c| groups::add_clients(c, &permit, id, gid, &codes))
        .await?
        .ok_or(AppError::NotFound)?;
    if !added.is_empty() {
        let detail = format!("{} · +{}", group.name, added.join(" +"));
        audit(&req, &who, AuditAction::ChangeGroup, format!("org:{id}/group:{gid}"), detail).await?;
    }
    Ok(Redirect::to(&format!("{}?fatto=clienti", paths::group_at(paths::ORGANISATION_GROUP, id, gid))).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RemoveClientForm {
    cliente: String,
}

/// `POST …/gruppi/{group}/clienti/rimuovi`: the group's operatori no longer act for that client through it.
pub async fn remove_client(
    req: PageRequest,
    who: Principal,
    Path(at): Path<GroupPath>,
    FormData(f): FormData<RemoveClientForm>,
) -> AppResult<Response> {
    let (permit, _, group, _) = load_group(&req, &who, &at).await?;
    let (id, gid) = (at.id, at.group);
    let client: String = f.cliente.trim().chars().take(40).collect();
    let c2 = client.clone();
    if with_conn(&req.state.pool, move |c| groups::remove_client(c, &permit, id, gid, &c2)).await? {
        let detail = format!("{} · -{client}", group.name);
        audit(&req, &who, AuditAction::ChangeGroup, format!("org:{id}/group:{gid}"), detail).await?;
    }
    Ok(Redirect::to(&format!("{}?fatto=rimosso", paths::group_at(paths::ORGANISATION_GROUP, id, gid))).into_response())
}

/// `GET …/gruppi/{group}/elimina`: are you sure?
pub async fn confirm_delete(req: PageRequest, who: Principal, Path(at): Path<GroupPath>) -> AppResult<Response> {
    let (_, org, group, _) = load_group(&req, &who, &at).await?;
    let (id, gid) = (at.id, at.group);
    Ok(req.render(StatusCode::OK, move || {
        view! {
            <AreYouSure
                title=t_args("groups-delete-title", &[("name", group.name.clone())])
                lead=t_args("groups-delete-lead", &[("organisation", org.name.clone())])
                effect=t("groups-delete-effect")
                action=paths::group_at(paths::GROUP_DELETE, id, gid)
                hidden=Vec::new()
                submit=t("groups-delete-submit")
                cancel_href=paths::group_at(paths::ORGANISATION_GROUP, id, gid)
                cancel_label=t("groups-delete-cancel")
                trail=trail(&org)
            />
        }
        .into_any()
    }))
}

/// `POST …/gruppi/{group}/elimina`.
pub async fn delete(req: PageRequest, who: Principal, Path(at): Path<GroupPath>) -> AppResult<Response> {
    let (permit, _, group, _) = load_group(&req, &who, &at).await?;
    let (id, gid) = (at.id, at.group);
    if with_conn(&req.state.pool, move |c| groups::delete(c, &permit, id, gid)).await? {
        audit(&req, &who, AuditAction::DeleteGroup, format!("org:{id}/group:{gid}"), group.name).await?;
    }
    Ok(Redirect::to(&format!("{}?eliminato=si", paths::organisation_groups(id))).into_response())
}
