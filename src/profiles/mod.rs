//! Profiles: the organisations a person acts for, associating one
//! ("Gestione profili › Associa profilo") and switching between them without
//! signing out. The company registry says who may associate a company at once.
mod activity;
mod associate;
mod confirm;
mod pages;
pub mod requests;

use crate::kernel::AppState;
use crate::paths;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::PROFILES, get(pages::list))
        .route(paths::PROFILES_ASSOCIATE, get(associate::form).post(associate::submit))
        .route(paths::PROFILES_ACTIVE, post(pages::switch))
        .route(paths::PROFILES_CONFIRM, get(confirm::page).post(confirm::decide))
        .route(paths::ACTIVITY, get(activity::page))
        .route(paths::ACTIVITY_CSV, get(activity::csv))
}
