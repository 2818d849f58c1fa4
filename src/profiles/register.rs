//! `/profili/registra`: an organisation the registry does not know — a
//! foreign company (its own country's identifier), a new company, a public
//! body — or a soggetto abilitato (consulente del lavoro with Ordine and albo
//! number, patronato, sindacato…) is declared with a supporting document; the
//! helpdesk checks it. The form works without JavaScript: every field is
//! there, and the hints say which apply to which kind.
use super::applications;
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::i18n::t;
use crate::identity::organisations::{NewOrganisation, OrganisationKind};
use crate::kernel::{AppState, Principal};
use crate::kernel::{CodiceFiscale, Email, PartitaIva};
use crate::paths;
use crate::web::components::{Crumb, Field, FieldErrors, SelectField};
use crate::web::layout::FormPage;
use crate::web::render::PageRequest;
use crate::web::upload::{self, sniff_document, write_private, Upload};
use axum::extract::{Multipart, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;

/// What was typed in, kept when the form comes back (never the file).
#[derive(Clone, Debug, Default)]
struct Values {
    kind: String,
    codice_fiscale: String,
    country: String,
    foreign_id: String,
    name: String,
    pec: String,
    seat: String,
    ordine: String,
    albo: String,
}

fn kind_options() -> Vec<(String, String)> {
    OrganisationKind::ALL.into_iter().map(|k| (k.code().to_string(), k.name_key())).collect()
}

#[component]
fn RegisterPage(v: Values, errors: FieldErrors) -> impl IntoView {
    let e = errors.clone();
    view! {
        <FormPage
            title=t("register-org-title")
            lead=t("register-org-lead")
            errors
            action=paths::PROFILES_REGISTER.into()
            submit=t("register-org-submit")
            multipart=true
            trail=vec![Crumb { label: t("profiles-title"), href: paths::PROFILES.into() }]
        >
            <SelectField name="tipo" label="register-org-kind" options=kind_options() value=v.kind error=e.get("tipo")/>
            <Field name="denominazione" label="register-org-name" value=v.name error=e.get("denominazione") autocomplete="organization"/>
            <fieldset>
                <legend>{t("register-org-identifier")}</legend>
                <Field name="codice_fiscale" identifier=true label="register-org-codice-fiscale" hint="register-org-codice-fiscale-hint" value=v.codice_fiscale error=e.get("codice_fiscale")/>
                <Field name="paese" label="register-org-country" hint="register-org-country-hint" value=v.country error=e.get("paese")/>
                <Field name="identificativo_estero" label="register-org-foreign-id" value=v.foreign_id error=e.get("identificativo_estero")/>
            </fieldset>
            <Field name="pec" label="register-org-pec" hint="register-org-pec-hint" kind="email" value=v.pec error=e.get("pec")/>
            <Field name="sede" label="register-org-seat" value=v.seat error=e.get("sede")/>
            <fieldset>
                <legend>{t("register-org-professional")}</legend>
                <p class="hint">{t("register-org-professional-hint")}</p>
                <Field name="ordine" label="register-org-ordine" value=v.ordine error=e.get("ordine")/>
                <Field name="numero_albo" label="register-org-albo" value=v.albo error=e.get("numero_albo")/>
            </fieldset>
            <Field name="documento" label="register-org-document" kind="file" hint="register-org-document-hint" error=e.get("documento")/>
        </FormPage>
    }
}

/// `GET /profili/registra`.
pub async fn form(req: PageRequest, _who: Principal) -> Response {
    req.render(StatusCode::OK, || {
        view! { <RegisterPage v=Values::default() errors=FieldErrors::default()/> }.into_any()
    })
}

/// An Italian organisation's codice fiscale: a partita IVA-like 11 digits
/// with a valid check digit, or a person's 16 characters (professionals).
fn italian_codice_fiscale(s: &str) -> Option<String> {
    PartitaIva::parse(s).map(String::from).or_else(|| CodiceFiscale::personal(s).map(String::from))
}

fn plain_text(s: &str, max: usize) -> bool {
    !s.is_empty() && s.chars().count() <= max && !s.chars().any(char::is_control)
}

/// The organisation the values describe, or what is wrong with them.
fn check(u: &Upload) -> (Values, Result<NewOrganisation, FieldErrors>) {
    let v = Values {
        kind: u.field("tipo", 40),
        codice_fiscale: u.field("codice_fiscale", 40),
        country: u.field("paese", 10),
        foreign_id: u.field("identificativo_estero", 60),
        name: u.field("denominazione", 300),
        pec: u.field("pec", 300).to_lowercase(),
        seat: u.field("sede", 400),
        ordine: u.field("ordine", 100),
        albo: u.field("numero_albo", 40),
    };
    let mut errors = FieldErrors::default();
    let kind = OrganisationKind::parse(&v.kind);
    if kind.is_none() {
        errors.add("tipo", "register-org-error-kind");
    }
    if !plain_text(&v.name, 200) {
        errors.add("denominazione", "register-org-error-name");
    }
    let codice_fiscale = if kind.is_some_and(OrganisationKind::is_foreign) {
        let country = v.country.to_ascii_uppercase();
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) || country == "IT" {
            errors.add("paese", "register-org-error-country");
        }
        let id: String = v.foreign_id.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        if !(4..=30).contains(&id.len()) || !id.chars().all(|c| c.is_ascii_alphanumeric() || "-./".contains(c)) {
            errors.add("identificativo_estero", "register-org-error-foreign-id");
        }
        format!("{country}:{id}")
    } else {
        italian_codice_fiscale(&v.codice_fiscale).unwrap_or_else(|| {
            errors.add("codice_fiscale", "register-org-error-codice-fiscale");
            String::new()
        })
    };
    if Email::parse(&v.pec).is_none() {
        errors.add("pec", "register-org-error-pec");
    }
    if !plain_text(&v.seat, 300) {
        errors.add("sede", "register-org-error-seat");
    }
    let consultant = kind == Some(OrganisationKind::ConsulenteLavoro);
    if consultant && !plain_text(&v.ordine, 60) {
        errors.add("ordine", "register-org-error-ordine");
    }
    let albo_ok = (1..=12).contains(&v.albo.len()) && v.albo.chars().all(|c| c.is_ascii_alphanumeric() || c == '/');
    if consultant && !albo_ok {
        errors.add("numero_albo", "register-org-error-albo");
    }
    if !errors.is_empty() {
        return (v, Err(errors));
    }
    let org = NewOrganisation {
        kind,
        codice_fiscale,
        name: v.name.clone(),
        pec: v.pec.clone(),
        seat: v.seat.clone(),
        ordine: consultant.then(|| v.ordine.clone()),
        albo_number: consultant.then(|| v.albo.to_ascii_uppercase()),
    };
    (v, Ok(org))
}

fn again(req: &PageRequest, v: Values, errors: FieldErrors) -> Response {
    req.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <RegisterPage v errors/> }.into_any())
}

/// Applications one person may have waiting for the helpdesk at once.
const MAX_PENDING_APPLICATIONS: usize = 3;

/// `POST /profili/registra`.
pub async fn submit(req: PageRequest, who: Principal, request: Request) -> AppResult<Response> {
    let state: AppState = req.state.clone();
    let multipart = <Multipart as axum::extract::FromRequest<AppState>>::from_request(request, &state)
        .await
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let form = upload::read(multipart, "documento").await.checked()?;
    let (v, checked) = check(&form);
    let mut errors = checked.as_ref().err().cloned().unwrap_or_default();
    let document = match &form.file {
        Err(key) => {
            errors.add("documento", key);
            None
        }
        Ok(None) => {
            errors.add("documento", "reg-error-file-missing");
            None
        }
        Ok(Some(bytes)) => sniff_document(bytes).or_else(|| {
            errors.add("documento", "reg-error-file-type");
            None
        }),
    };
    let (Ok(org), Some((mime, ext)), true) = (checked, document, errors.is_empty()) else {
        return Ok(again(&req, v, errors));
    };
    // Known already, to the portal or to the company registry: join it through
    // its managers or by association (/profili/associa), never a second time.
    let (account, tc) = (who.actor.account_id, org.codice_fiscale.clone());
    let (known, pending, too_many) = with_conn(&req.state.pool, move |c| {
        use crate::db::schema::organisations as o;
        use crate::registry::{CompanyRegistry, LocalRegistry};
        use diesel::prelude::*;
        let known = o::table.filter(o::codice_fiscale.eq(&tc)).count().get_result::<i64>(c)? > 0
            || LocalRegistry.company(c, &tc)?.is_some();
        let waiting = applications::pending_of(c, account)?;
        Ok((known, waiting.contains(&tc), waiting.len() >= MAX_PENDING_APPLICATIONS))
    })
    .await?;
    if known || pending || too_many {
        let key = match (known, pending) {
            (true, _) => "register-org-error-known",
            (_, true) => "register-org-error-pending",
            // Each holds a document of up to 5 MB for the helpdesk: a few at a time.
            _ => "register-org-error-too-many",
        };
        let field =
            if org.kind.is_some_and(OrganisationKind::is_foreign) { "identificativo_estero" } else { "codice_fiscale" };
        errors.add(field, key);
        return Ok(again(&req, v, errors));
    }
    // Outside the web root, never served publicly: only the helpdesk console reads it.
    let bytes = form.file.ok().flatten().unwrap_or_default();
    let file_name = format!("{}.{ext}", uuid::Uuid::new_v4().simple());
    let dir = req.state.config.data_dir.join("uploads");
    write_private(&dir, &file_name, &bytes).map_err(|e| AppError::other("storing the document", e))?;
    let now = req.state.clock.now();
    with_conn(&req.state.pool, move |c| applications::create(c, account, &org, &file_name, mime, now)).await?;
    tracing::info!(%account, "organisation application sent to the helpdesk");
    Ok(Redirect::to(paths::PROFILES).into_response())
}
