//! Dimissioni volontarie (D.Lgs. 151/2015 art. 26, DM 15/12/2015): the
//! worker resigns (or agrees a risoluzione consensuale) online with a certain
//! date, and may revoke within 7 days; a soggetto abilitato files for a
//! worker with the PIN of a signed paper delega; the employer and the
//! Ispettorato consult the modules. Relationships come from the Comunicazioni
//! Obbligatorie (`servizi-lavoro import rapporti`); every module is sealed in
//! a signed hash chain (`servizi-lavoro dimissioni verify`).
pub mod chain;
pub mod checkpoint;
pub mod deadline;
mod declare;
pub mod deliver;
mod detail;
pub mod documents;
mod filer;
mod flow;
pub mod form;
pub mod itl;
mod list;
pub mod modulo;
pub mod pdf;
pub mod pin;
pub mod rapporti;
pub mod receipts;
mod retrieval;
pub mod retrieval_code;
pub mod scale;
pub mod seal;
mod sent;
pub mod timestamp;
mod verify;

use crate::kernel::AppState;
use crate::paths;
use axum::routing::{get, post};
use axum::Router;

/// The catalog's name of this service (its interruptions are declared under it).
pub const SERVICE_SLUG: &str = "dimissioni-volontarie";

/// Every address of the service answers the 503 page while an interruption
/// of it is in force; public verification of modules already sent does not
/// depend on the service running.
pub fn routes(state: &AppState) -> Router<AppState> {
    let guard = (state.clone(), SERVICE_SLUG);
    Router::new()
        .route(paths::DIMISSIONI, get(list::page))
        .route(paths::DIMISSIONI_CSV, get(list::csv))
        .route(paths::DIMISSIONI_NEW, get(flow::eligibility))
        .route(paths::DIMISSIONI_RELATIONSHIP, get(flow::relationship_form).post(flow::relationship_lookup))
        .route(paths::DIMISSIONI_FORM, get(flow::module_form).post(flow::module_submit))
        .route(paths::DIMISSIONI_PIN, post(flow::issue_pin))
        .route(paths::DIMISSIONI_PIN_PDF, post(flow::pin_pdf))
        .route(paths::DIMISSIONI_SEND, post(flow::send))
        .route(paths::DIMISSIONI_RETRIEVE, get(retrieval::form).post(retrieval::lookup))
        .route(paths::DIMISSIONI_DECLARE, get(declare::form).post(declare::submit))
        .route(paths::DIMISSIONI_MODULE, get(detail::page))
        .route(paths::DIMISSIONI_REVOCA, post(detail::revoke))
        .route(paths::DIMISSIONI_RECEIPT, get(receipts::download))
        .route_layer(axum::middleware::from_fn_with_state(guard, crate::catalog::status_page::closed_while_out))
        .route(paths::VERIFY, get(verify::page))
}
