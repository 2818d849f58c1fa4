//! Who may send a module: the worker, as themself, with SPID or CIE at the
//! service's level; or someone acting for a soggetto abilitato the law lets
//! transmit for workers (art. 26 c. 4: patronati, organizzazioni sindacali,
//! enti bilaterali, commissioni di certificazione, consulenti del lavoro and,
//! since D.Lgs. 185/2016, the sedi territoriali dell'Ispettorato nazionale
//! del lavoro).
use crate::access::{self, Action, Denial, Resource};
use crate::catalog::model as catalog;
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::identity::organisations::{self, Organisation, OrganisationKind};
use crate::kernel::{Credential, Principal, Subject};
use crate::paths;
use crate::web::render::PageRequest;
use axum::http::StatusCode;

pub const SLUG: &str = crate::access::DIMISSIONI;

/// Who is sending.
#[derive(Clone, Debug)]
pub enum Filer {
    Worker,
    Operator(Organisation),
}

impl Filer {
    pub fn is_operator(&self) -> bool {
        matches!(self, Filer::Operator(_))
    }
}

/// The kinds of soggetto abilitato that may transmit for a worker.
pub fn may_transmit(kind: OrganisationKind) -> bool {
    matches!(
        kind,
        OrganisationKind::Patronato
            | OrganisationKind::OrganizzazioneSindacale
            | OrganisationKind::EnteBilaterale
            | OrganisationKind::CommissioneCertificazione
            | OrganisationKind::ConsulenteLavoro
            | OrganisationKind::SedeInl
    )
}

/// The access decision for the service, turned into the right answer:
/// sign in, step up to level 2, or why not.
pub async fn enter(req: &PageRequest) -> AppResult<Principal> {
    enter_then(req, &req.at.path).await
}

/// [`enter`], coming back to `back` after a sign-in or a new authentication
/// (a form's own page rather than the address it posts to).
pub async fn enter_then(req: &PageRequest, back: &str) -> AppResult<Principal> {
    let service = catalog::find(SLUG).ok_or(AppError::NotFound)?;
    let who = req.principal.as_ref();
    match access::check(&req.state, who, Action::Enter, &Resource::Service(service.requirements()), &req.request_id)
        .await?
    {
        Ok(_) => Ok(who.cloned().ok_or(AppError::NotFound)?),
        Err(Denial::SignIn) => Err(AppError::SignInRequired { next: back.to_string() }),
        Err(Denial::Level { needed, step_up: true }) => Err(AppError::StepUpRequired {
            idp: who.map(|w| w.actor.idp_entity_id.clone()).unwrap_or_default(),
            level: needed.number(),
            next: back.to_string(),
        }),
        Err(other) => Err(AppError::Explained {
            status: StatusCode::FORBIDDEN,
            title: "dim-forbidden-title",
            detail: "dim-forbidden",
            log: format!("dimissioni: refused ({})", other.code()),
        }),
    }
}

/// The worker's own codice fiscale: SPID's or CIE's, or the one an eIDAS
/// person declared; an eIDAS person who has not is sent to declare it first
/// (and back to `back`).
pub fn own_codice_fiscale(who: &Principal, back: &str) -> AppResult<String> {
    match (who.actor.codice_fiscale(), who.actor.credential) {
        (Some(cf), _) => Ok(cf.to_string()),
        (None, Credential::Eidas) => {
            let next = crate::paths::safe_return_path(Some(back), paths::DIMISSIONI);
            Err(AppError::FirstGoTo(format!("{}?next={}", paths::DIMISSIONI_DECLARE, url_escape(&next))))
        }
        (None, _) => Err(AppError::Forbidden),
    }
}

fn url_escape(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Who is sending, for a principal allowed into the service.
pub async fn filer(req: &PageRequest, who: &Principal) -> AppResult<Filer> {
    match &who.acting.subject {
        Subject::Themself => own_codice_fiscale(who, &req.at.path).map(|_| Filer::Worker),
        Subject::Organisation { id, .. } => {
            let id = *id;
            let org =
                with_conn(&req.state.pool, move |c| organisations::find(c, id)).await?.ok_or(AppError::NotFound)?;
            if may_transmit(org.kind) {
                Ok(Filer::Operator(org))
            } else {
                Err(AppError::Explained {
                    status: StatusCode::FORBIDDEN,
                    title: "dim-not-filer-title",
                    detail: "dim-not-filer",
                    log: format!("dimissioni: {} may not transmit", org.kind.code()),
                })
            }
        }
        Subject::Person { .. } => Err(AppError::Explained {
            status: StatusCode::FORBIDDEN,
            title: "dim-not-filer-title",
            detail: "dim-not-filer",
            log: "dimissioni: not through a personal delega".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::may_transmit;
    use crate::identity::organisations::OrganisationKind as K;

    #[test]
    fn the_soggetti_abilitati_of_article_26_and_no_others() {
        let allowed: Vec<K> = K::ALL.into_iter().filter(|k| may_transmit(*k)).collect();
        assert_eq!(
            allowed,
            vec![
                K::ConsulenteLavoro,
                K::Patronato,
                K::OrganizzazioneSindacale,
                K::EnteBilaterale,
                K::CommissioneCertificazione,
                K::SedeInl
            ]
        );
    }
}
