//! Profiles: the organisations a person acts for, associating one
//! ("Gestione profili › Associa profilo") and switching between them without
//! signing out. The company registry says who may associate a company at once.
mod activity;
pub mod applications;
mod associate;
mod confirm;
pub mod demo;
mod groups;
mod invited;
mod member_services;
mod members;
mod organisation;
mod pages;
mod register;
pub mod requests;

use crate::kernel::AppState;
use crate::paths;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::PROFILES, get(pages::list))
        .route(paths::PROFILES_ASSOCIATE, get(associate::form).post(associate::submit))
        .route(paths::PROFILES_ACTIVE, post(pages::switch))
        .route(paths::PROFILES_CONFIRM, get(confirm::page).post(confirm::decide))
        .route(
            paths::PROFILES_REGISTER,
            get(register::form).post(register::submit).layer(DefaultBodyLimit::max(crate::web::upload::MAX_FORM_BYTES)),
        )
        .route(paths::INVITATION, post(invited::answer))
        .route(paths::ORGANISATION, get(organisation::page))
        .route(paths::ORGANISATION_INVITE, post(members::invite))
        .route(paths::ORGANISATION_REVOKE, post(members::revoke))
        .route(paths::MEMBER_ROLE, post(members::change_role))
        .route(paths::MEMBER_REMOVE, get(members::confirm_remove).post(members::remove))
        .route(paths::MEMBER_SERVICES, get(member_services::form).post(member_services::submit))
        .route(paths::ORGANISATION_GROUPS, get(groups::list).post(groups::create))
        .route(paths::ORGANISATION_GROUP, get(groups::detail))
        .route(paths::GROUP_MEMBERS, post(groups::set_operatori))
        .route(paths::GROUP_CLIENTS, post(groups::add_clients))
        .route(paths::GROUP_CLIENT_REMOVE, post(groups::remove_client))
        .route(paths::GROUP_DELETE, get(groups::confirm_delete).post(groups::delete))
        .route(paths::ORGANISATION_ACTIVITY, get(activity::organisation_page))
        .route(paths::ORGANISATION_ACTIVITY_CSV, get(activity::organisation_csv))
        .route(paths::ACTIVITY, get(activity::page))
        .route(paths::ACTIVITY_CSV, get(activity::csv))
}
