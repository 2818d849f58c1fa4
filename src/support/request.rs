//! `/supporto` ("Chiedi supporto"): open to everyone. Signed in, the
//! identity is prefilled and the case is queued at once; otherwise the name
//! and e-mail are asked and the address is confirmed by a link before the
//! case is queued. An attachment follows the Utente Estero documents' rules.
use super::cases::{self, NewCase, CATEGORIES};
use crate::catalog::model as catalog;
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::i18n::{t, use_lang};
use crate::kernel::Email;
use crate::kernel::{AccountId, AppState};
use crate::mail::outbox;
use crate::paths;
use crate::web::components::{Field, FieldErrors, SelectField, TextareaField};
use crate::web::layout::FormPage;
use crate::web::render::PageRequest;
use crate::web::upload::{self, sniff_document, write_private};
use axum::extract::{Multipart, Query, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Duration;
use leptos::prelude::*;
use serde::Deserialize;

/// A description: at most this many characters (and the other fields less).
pub const MAX_TEXT: usize = 5000;

#[derive(Clone, Debug, Default)]
struct Values {
    name: String,
    email: String,
    category: String,
    service: String,
    description: String,
    /// The form's random key (a hidden field): sent twice, it opens one case.
    key: String,
}

#[component]
fn SupportPage(v: Values, errors: FieldErrors, signed_in: bool) -> impl IntoView {
    let lang = use_lang();
    let e = errors.clone();
    let categories: Vec<(String, String)> = std::iter::once((String::new(), "support-category-choose".to_string()))
        .chain(CATEGORIES.iter().map(|c| (c.to_string(), format!("support-category-{c}"))))
        .collect();
    // Alphabetical in the page's language, after "none in particular".
    let mut named: Vec<(String, String)> =
        catalog::all().iter().map(|s| (s.slug.clone(), s.name.get(lang).to_string())).collect();
    named.sort_by_key(|(_, name)| name.to_lowercase());
    let services: Vec<(String, String)> =
        std::iter::once((String::new(), t("support-service-none"))).chain(named).collect();
    let description_error = e.get("descrizione");
    view! {
        <FormPage
            title=t("support-title")
            lead=t(if signed_in { "support-lead-signed-in" } else { "support-lead" })
            errors
            action=paths::SUPPORT.into()
            submit=t("support-submit")
            multipart=true
            after=view! { <p>{t("support-faq-first")} " " <a href=paths::FAQ>{t("faq-title")}</a></p> }.into_any()
        >
            <input type="hidden" name="chiave" value=v.key.clone()/>
            <Field name="nome" label="support-name" value=v.name.clone() error=e.get("nome") autocomplete="name"/>
            <Field name="email" label="support-email" kind="email" hint=if signed_in { "support-email-hint-signed-in" } else { "support-email-hint" } value=v.email.clone() error=e.get("email") autocomplete="email"/>
            <SelectField name="categoria" label="support-category" options=categories value=v.category.clone() error=e.get("categoria")/>
            <SelectField name="servizio" label="support-service" options=services words=true value=v.service.clone() error=e.get("servizio")/>
            <TextareaField name="descrizione" label="support-description" hint="support-description-hint" value=v.description.clone() error=description_error rows=8 maxlength=5000/>
            <Field name="allegato" label="support-attachment" kind="file" hint="support-attachment-hint" error=e.get("allegato")/>
        </FormPage>
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct Prefill {
    pub categoria: Option<String>,
    pub servizio: Option<String>,
    pub descrizione: Option<String>,
}

/// `GET /supporto[?categoria=…&servizio=…]`.
pub async fn form(req: PageRequest, Query(p): Query<Prefill>) -> AppResult<Response> {
    let mut v = Values {
        category: p.categoria.filter(|c| CATEGORIES.contains(&c.as_str())).unwrap_or_default(),
        service: p.servizio.filter(|s| catalog::find(s).is_some()).unwrap_or_default(),
        description: p.descrizione.unwrap_or_default().chars().take(MAX_TEXT).collect(),
        key: cases::new_token(),
        ..Values::default()
    };
    if let Some(who) = &req.principal {
        v.name = who.actor.full_name();
        v.email = account_email(&req.state, who.actor.account_id).await?.unwrap_or_default();
    }
    let signed_in = req.principal.is_some();
    Ok(req
        .render(StatusCode::OK, move || view! { <SupportPage v errors=FieldErrors::default() signed_in/> }.into_any()))
}

pub async fn account_email(state: &AppState, account: AccountId) -> AppResult<Option<String>> {
    use crate::db::schema::accounts as a;
    use diesel::prelude::*;
    Ok(with_conn(&state.pool, move |c| {
        Ok(a::table.find(account).select(a::email).first::<Option<String>>(c).optional()?.flatten())
    })
    .await?)
}

/// `POST /supporto`.
pub async fn submit(page: PageRequest, request: Request) -> AppResult<Response> {
    // Each may store a file and sends mail: a ceiling per address…
    crate::web::throttle::anonymous_work(&page, "support").await?;
    let state = page.state.clone();
    let multipart = <Multipart as axum::extract::FromRequest<AppState>>::from_request(request, &state)
        .await
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let form = upload::read(multipart, "allegato").await.checked()?;
    let v = Values {
        name: form.field("nome", 200),
        email: form.field("email", 300).to_lowercase(),
        category: form.field("categoria", 40),
        service: form.field("servizio", 100),
        description: form.fields.get("descrizione").map(|d| d.trim().to_string()).unwrap_or_default(),
        // A form from before keys (or typed by hand) gets one now.
        key: Some(form.field("chiave", 64)).filter(|k| k.len() >= 16).unwrap_or_else(cases::new_token),
    };
    let mut errors = FieldErrors::default();
    if v.name.is_empty() || v.name.chars().count() > 150 {
        errors.add("nome", "support-error-name");
    }
    if Email::parse(&v.email).is_none() {
        errors.add("email", "support-error-email");
    }
    if !CATEGORIES.contains(&v.category.as_str()) {
        errors.add("categoria", "support-error-category");
    }
    if !v.service.is_empty() && catalog::find(&v.service).is_none() {
        errors.add("servizio", "support-error-service");
    }
    match v.description.chars().count() {
        0..=9 => errors.add("descrizione", "support-error-description"),
        n if n > MAX_TEXT => errors.add("descrizione", "support-error-description-long"),
        _ => {}
    }
    let attachment = match &form.file {
        Err(key) => {
            errors.add("allegato", key);
            None
        }
        Ok(None) => None,
        Ok(Some(bytes)) => match sniff_document(bytes) {
            Some(kind) => Some((bytes.clone(), kind)),
            None => {
                errors.add("allegato", "reg-error-file-type");
                None
            }
        },
    };
    let signed_in = page.principal.is_some();
    if !errors.is_empty() {
        return Ok(page
            .render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <SupportPage v errors signed_in/> }.into_any()));
    }
    let account = page.principal.as_ref().map(|p| p.actor.account_id);
    // Signed in, the case is queued at once, and its secret link mailed, only
    // to the address the account already has (from the identity provider or
    // confirmed for Utente Estero); another address typed is confirmed first,
    // as without signing in, so no link goes to an address nobody checked.
    let own_address = match account {
        Some(id) => {
            use crate::db::schema::accounts as a;
            use diesel::prelude::*;
            let known: Option<String> =
                with_conn(&state.pool, move |c| Ok(a::table.find(id).select(a::email).first(c).optional()?.flatten()))
                    .await?;
            known.is_some_and(|k| k.eq_ignore_ascii_case(&v.email))
        }
        None => false,
    };
    // …and per e-mail address, when the mail goes to an address nobody has
    // confirmed (a signed-in person's own address is theirs to fill).
    let (e2, now) = (v.email.clone(), state.clock.now());
    if !own_address
        && with_conn(&state.pool, move |c| cases::recent_by_email(c, &e2, now - Duration::hours(1))).await? >= 5
    {
        return Err(AppError::RateLimited { retry_after_secs: 3600 });
    }
    let stored = match attachment {
        Some((bytes, (mime, ext))) => {
            let file = format!("{}.{ext}", uuid::Uuid::new_v4().simple());
            write_private(&state.config.data_dir.join("uploads"), &file, &bytes)
                .map_err(|e| AppError::other("storing an attachment", e))?;
            Some((file, mime.to_string()))
        }
        None => None,
    };
    let lang = page.lang;
    let s2 = state.clone();
    // The case and its mail (confirm the address, or here is your case): one
    // transaction. The same form sent again finds the case it opened; two at
    // the same instant collide on the key, and the second then finds it.
    let opened = with_conn(&state.pool, move |c| {
        let attempt = |c: &mut crate::db::AnyConnection| {
            use diesel::Connection;
            c.transaction(|c| open_once(c, &s2, &v, account, own_address, stored.clone(), lang, now))
        };
        match attempt(c) {
            Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
                attempt(c)
            }
            other => other,
        }
    })
    .await?;
    let (number, confirm) = match opened {
        Opened::New { number, confirm } => (number, confirm),
        Opened::Again { number, owner, unconfirmed, file } => {
            // The repeat's attachment is not kept: the first one's is.
            if let Some(file) = file {
                if let Err(e) = std::fs::remove_file(state.config.data_dir.join("uploads").join(file)) {
                    tracing::warn!(error = %e, "a repeated form's attachment could not be removed");
                }
            }
            tracing::info!(case = %number, "the same support form sent again: no new case");
            (number, unconfirmed || owner.is_none() || owner != account)
        }
    };
    state.deliver_mail();
    if confirm {
        Ok(Redirect::to(paths::SUPPORT_SENT).into_response())
    } else {
        Ok(Redirect::to(&paths::support_case(&number)).into_response())
    }
}

/// What sending the form did.
enum Opened {
    New {
        number: String,
        confirm: bool,
    },
    /// This form had opened case `number` already (`file`: this copy's attachment).
    Again {
        number: String,
        owner: Option<AccountId>,
        unconfirmed: bool,
        file: Option<String>,
    },
}

/// Opens the case and queues its mail, unless this form opened one already.
#[allow(clippy::too_many_arguments)]
fn open_once(
    c: &mut crate::db::AnyConnection,
    state: &AppState,
    v: &Values,
    account: Option<AccountId>,
    own_address: bool,
    stored: Option<(String, String)>,
    lang: crate::i18n::Lang,
    now: chrono::NaiveDateTime,
) -> diesel::QueryResult<Opened> {
    if let Some((number, owner, unconfirmed)) = cases::by_form_key(c, &v.key)? {
        return Ok(Opened::Again { number, owner, unconfirmed, file: stored.map(|s| s.0) });
    }
    let (number, access, confirm) = cases::open(
        c,
        &NewCase {
            account_id: account,
            name: &v.name,
            email: &v.email,
            lang: lang.code(),
            category: &v.category,
            service: (!v.service.is_empty()).then_some(v.service.as_str()),
            description: &v.description,
            attachment: stored,
            unconfirmed: !own_address,
            form_key: Some(&v.key),
        },
        now,
    )?;
    let origin = state.config.origin();
    let (kind, keys, args) = match &confirm {
        Some(token) => (
            "confirm",
            ("mail-support-confirm-subject", "mail-support-confirm-body"),
            vec![("link", format!("{origin}{}?token={token}", paths::SUPPORT_CONFIRM))],
        ),
        None => (
            "opened",
            ("mail-support-opened-subject", "mail-support-opened-body"),
            vec![
                ("case", number.clone()),
                ("link", format!("{origin}{}?chiave={access}", paths::support_case(&number))),
            ],
        ),
    };
    let key = format!("support:{number}:{kind}");
    outbox::queue(c, &state.mailer, &key, &v.email, lang, keys, &args, now)?;
    Ok(Opened::New { number, confirm: confirm.is_some() })
}

/// `GET /supporto/inviata`: check your mailbox.
pub async fn sent(req: PageRequest) -> Response {
    req.render(StatusCode::OK, || {
        view! {
            <crate::web::layout::Page title=t("support-sent-title")>
                <h1>{t("support-sent-title")}</h1>
                <p class="lead">{t("support-sent-body")}</p>
            </crate::web::layout::Page>
        }
        .into_any()
    })
}

#[derive(Debug, Deserialize)]
pub struct ConfirmQuery {
    pub token: Option<String>,
}

/// `GET /supporto/conferma?token=…`: the address is confirmed, the case is queued.
pub async fn confirm(req: PageRequest, Query(q): Query<ConfirmQuery>) -> AppResult<Response> {
    let token: String = q.token.unwrap_or_default().chars().take(100).collect();
    let (now, state, lang) = (req.state.clock.now(), req.state.clone(), req.lang);
    // Confirmed, a new secret link, and the mail that carries it: one transaction.
    let confirmed = crate::db::transaction(&req.state.pool, move |c| {
        let Some(case) = cases::confirm(c, &token, now)? else { return Ok(None) };
        let access = cases::renew_access(c, case.id, now)?;
        let link = format!("{}{}?chiave={access}", state.config.origin(), paths::support_case(&case.number));
        let args = [("case", case.number.clone()), ("link", link)];
        let keys = ("mail-support-opened-subject", "mail-support-opened-body");
        let key = format!("support:{}:opened", case.number);
        outbox::queue(c, &state.mailer, &key, &case.email, lang, keys, &args, now)?;
        Ok(Some((case.number, access)))
    })
    .await?;
    let (number, access) = confirmed.ok_or(AppError::Explained {
        status: StatusCode::NOT_FOUND,
        title: "support-confirm-invalid-title",
        detail: "support-confirm-invalid",
        log: "support confirmation: unknown or used token".into(),
    })?;
    req.state.deliver_mail();
    Ok(Redirect::to(&format!("{}?chiave={access}", paths::support_case(&number))).into_response())
}
