//! `/profili/conferma?token=…`: the page the company's PEC link opens. No
//! sign-in: whoever reads the company's certified mail decides, once.
use super::requests::{self, State};
use crate::db::schema::accounts as a;
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::i18n::{t, t_args, Lang};
use crate::identity::organisations::{self, Role};
use crate::paths;
use crate::registry::{CompanyRegistry, LocalRegistry, RegisteredCompany};
use crate::web::layout::Page;
use crate::web::render::{FormData, PageRequest};
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use diesel::prelude::*;
use leptos::prelude::*;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    pub token: Option<String>,
}

fn invalid() -> AppError {
    AppError::Explained {
        status: StatusCode::BAD_REQUEST,
        title: "confirm-invalid-title",
        detail: "confirm-invalid",
        log: "unknown, used or expired association link".into(),
    }
}

/// The requester's name and codice fiscale, and the company, for a valid link.
async fn load(req: &PageRequest, token: &str) -> AppResult<(requests::Open, String, String, RegisteredCompany)> {
    let (tk, now) = (token.to_string(), req.state.clock.now());
    let found = with_conn(&req.state.pool, move |c| {
        let Some(open) = requests::open(c, &tk, now)? else { return Ok(None) };
        let (given, family, cf): (String, String, String) =
            a::table.find(open.account_id).select((a::given_name, a::family_name, a::identifier)).first(c)?;
        let Some(company) = LocalRegistry.company(c, &open.company)? else { return Ok(None) };
        Ok(Some((open, format!("{given} {family}"), cf, company)))
    })
    .await?;
    found.ok_or_else(invalid)
}

#[component]
fn ConfirmPage(token: String, requester: String, codice_fiscale: String, company: String) -> impl IntoView {
    let title = t("confirm-title");
    view! {
        <Page title=title.clone()>
            <h1>{title}</h1>
            <p class="lead">{t_args("confirm-lead", &[("name", requester), ("cf", codice_fiscale), ("company", company)])}</p>
            <p>{t("confirm-effect")}</p>
            <div class="decision">
                <form method="post" action=paths::PROFILES_CONFIRM>
                    <input type="hidden" name="token" value=token.clone()/>
                    <input type="hidden" name="decision" value="confirm"/>
                    <p><button type="submit">{t("confirm-yes")}</button></p>
                </form>
                <form method="post" action=paths::PROFILES_CONFIRM>
                    <input type="hidden" name="token" value=token/>
                    <input type="hidden" name="decision" value="refuse"/>
                    <p><button type="submit" class="button--secondary">{t("confirm-no")}</button></p>
                </form>
            </div>
        </Page>
    }
}

#[component]
fn DecidedPage(confirmed: bool) -> impl IntoView {
    let title = t(if confirmed { "confirm-done-yes" } else { "confirm-done-no" });
    view! {
        <Page title=title.clone()>
            <h1>{title}</h1>
            <p class="lead">{t("confirm-done-body")}</p>
        </Page>
    }
}

/// `GET /profili/conferma?token=…`.
pub async fn page(req: PageRequest, Query(q): Query<TokenQuery>) -> AppResult<Response> {
    let token = q.token.unwrap_or_default();
    let (_, requester, codice_fiscale, company) = load(&req, &token).await?;
    let company = company.name;
    Ok(req.render(StatusCode::OK, move || view! { <ConfirmPage token requester codice_fiscale company/> }.into_any()))
}

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    pub token: Option<String>,
    pub decision: Option<String>,
}

/// `POST /profili/conferma`: confirms (the requester becomes amministratore)
/// or refuses; the requester is told by e-mail either way.
pub async fn decide(req: PageRequest, FormData(form): FormData<DecisionForm>) -> AppResult<Response> {
    let confirm = match form.decision.as_deref() {
        Some("confirm") => true,
        Some("refuse") => false,
        _ => return Err(AppError::BadRequest("decision".into())),
    };
    let (open, _, _, company) = load(&req, form.token.as_deref().unwrap_or("")).await?;
    let now = req.state.clock.now();
    let (id, account, c2, state) = (open.id, open.account_id, company.clone(), req.state.clone());
    // The decision, the membership and the requester's mail: one transaction.
    crate::db::transaction(&req.state.pool, move |c| {
        let Some(decided) = requests::decide(c, id, confirm, now)? else { return Ok(None) };
        if decided == State::Confirmed {
            let org = organisations::organisation_for(c, &c2.as_organisation(), now)?;
            organisations::join(c, org, account, Role::Amministratore, now)?;
        }
        let email: Option<String> = a::table.find(account).select(a::email).first(c)?;
        if let Some(email) = email {
            let keys = if confirm {
                ("mail-association-confirmed-subject", "mail-association-confirmed-body")
            } else {
                ("mail-association-refused-subject", "mail-association-refused-body")
            };
            let args = [("company", c2.name.clone())];
            let key = format!("association-decision:{id}");
            crate::mail::outbox::queue(c, &state.mailer, &key, &email, Lang::default(), keys, &args, now)?;
        }
        Ok(Some(()))
    })
    .await?
    .ok_or_else(invalid)?;
    req.state.deliver_mail();
    tracing::info!(request = id, confirm, "association request decided by the company");
    Ok(req.render(StatusCode::OK, move || view! { <DecidedPage confirmed=confirm/> }.into_any()))
}
