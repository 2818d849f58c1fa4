//! The Utente Estero addresses: registration, sign-in, password reset and change.
use super::{registration, reset, signin};
use crate::kernel::AppState;
use crate::paths;
use crate::web::render::PageRequest;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;

async fn registration_page(req: PageRequest) -> Response {
    req.render(StatusCode::OK, || view! { <registration::RegistrationPage/> }.into_any())
}

async fn registration_sent(req: PageRequest) -> Response {
    req.render(StatusCode::OK, || view! { <registration::RegistrationSentPage/> }.into_any())
}

async fn sign_in_page(req: PageRequest) -> Response {
    req.render(StatusCode::OK, || view! { <signin::SignInPage/> }.into_any())
}

async fn forgot_page(req: PageRequest) -> Response {
    req.render(StatusCode::OK, || view! { <reset::ForgotPage/> }.into_any())
}

async fn forgot_sent(req: PageRequest) -> Response {
    req.render(StatusCode::OK, || view! { <reset::ForgotSentPage/> }.into_any())
}

async fn password_updated(req: PageRequest) -> Response {
    req.render(StatusCode::OK, || view! { <reset::PasswordUpdatedPage/> }.into_any())
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            paths::FOREIGN_REGISTER,
            get(registration_page)
                .post(registration::submit)
                .layer(DefaultBodyLimit::max(crate::web::upload::MAX_FORM_BYTES)),
        )
        .route(paths::FOREIGN_REGISTER_SENT, get(registration_sent))
        .route(paths::FOREIGN_REGISTER_CONFIRM, get(registration::confirm))
        .route(paths::FOREIGN_SIGN_IN, get(sign_in_page).post(signin::submit_password))
        .route(paths::FOREIGN_ENROL, get(signin::enrol_page).post(signin::enrol_submit))
        .route(paths::FOREIGN_CODE, get(signin::code_page).post(signin::code_submit))
        .route(paths::FOREIGN_FORGOT, get(forgot_page).post(reset::forgot_submit))
        .route(paths::FOREIGN_FORGOT_SENT, get(forgot_sent))
        .route(paths::FOREIGN_RESET, get(reset::reset_page).post(reset::reset_submit))
        .route(paths::FOREIGN_PASSWORD_UPDATED, get(password_updated))
        .route(paths::CHANGE_PASSWORD, get(reset::change_page).post(reset::change_submit))
}
