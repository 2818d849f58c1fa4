//! `/dimissioni-volontarie/{codice}`: one module — its sections, its seal,
//! every delivery attempt, the PDF (`{codice}.pdf`), and the revoca while it
//! is in time (by the worker, or by the soggetto abilitato who sent it, with a
//! new PIN). Only those the module concerns see it; to others it does not exist.
use super::deadline;
use super::deliver;
use super::documents;
use super::filer;
use super::itl;
use super::modulo::{self, Contents, Delivery, DeliveryState, Kind, Modulo, Recipient, Sender};
use super::pdf;
use super::pin;
use super::retrieval;
use super::sent::{self, SentPage};
use crate::access::{self, Action, Permit, Resource};
use crate::db::schema::organisations as o;
use crate::db::with_conn;
use crate::error::{AppError, AppResult};
use crate::i18n::{t, t_args, use_lang};
use crate::kernel::clock::rome;
use crate::kernel::OrganisationId;
use crate::kernel::{Principal, Role, Subject};
use crate::mail::outbox;
use crate::paths;
use crate::web::components::{CheckboxField, Crumb, ErrorSummary, Field, FieldErrors, TableOrEmpty};
use crate::web::format::{format_date, format_when};
use crate::web::layout::Page;
use crate::web::render::{FormData, PageRequest};
use axum::extract::{Path, Query};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use diesel::prelude::*;
use leptos::prelude::*;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Code {
    pub codice: String,
}

/// The module `code` with the permit to `action` on it; 404 to those it
/// does not concern, a new authentication at level 2 to those it does.
///
/// Also says for which soggetto abilitato `who` found it by its retrieval
/// code (if they did, and act for it now).
pub async fn permitted(
    req: &PageRequest,
    who: &Principal,
    code: &str,
    action: Action,
) -> AppResult<(Permit, Modulo, Option<OrganisationId>)> {
    if code.len() != 17 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(AppError::NotFound);
    }
    let (c2, identifier, officer) = (code.to_string(), who.actor.identifier.clone(), who.has_role(Role::ItlOfficer));
    let account = who.actor.account_id;
    let (m, employer, sent_for, province, retrieved) = with_conn(&req.state.pool, move |c| {
        let Some(m) = modulo::by_code(c, &c2)? else { return Ok((None, None, None, Vec::new(), Vec::new())) };
        let employer = org_id(c, Some(&m.contents.employer_codice_fiscale))?;
        let sent_for = org_id(c, m.contents.abilitato_codice_fiscale.as_deref())?;
        let province =
            if officer { itl::officer_of(c, &identifier)?.map(|(_, p)| p).unwrap_or_default() } else { Vec::new() };
        let retrieved = retrieval::found_for(c, account, &m.code)?;
        Ok((Some(m), employer, sent_for, province, retrieved))
    })
    .await?;
    let m = m.ok_or(AppError::NotFound)?;
    let retrieved_for = retrieved_for(who, &retrieved);
    let officer_provinces: Vec<&str> = province.iter().map(String::as_str).collect();
    let resource = Resource::Resignation {
        code: &m.code,
        worker: &m.contents.worker_codice_fiscale,
        employer,
        filed_by: m.filed_by_account_id,
        sent_for,
        province: &m.contents.workplace_province,
        officer_for: &officer_provinces,
        retrieved_for,
    };
    // After a new authentication at the service's level, back to the module's page.
    let permit = access::require(req, action, &resource, &paths::dimissioni(&m.code)).await?;
    Ok((permit, m, retrieved_for))
}

/// The organisation `who` acts for, when they found the module by its
/// retrieval code for it.
fn retrieved_for(who: &Principal, found_for: &[OrganisationId]) -> Option<OrganisationId> {
    match &who.acting.subject {
        Subject::Organisation { id, .. } if found_for.contains(id) => Some(*id),
        _ => None,
    }
}

/// Does `who` (allowed to revoke `m`) revoke as an operator, with the
/// worker's PIN: the one who sent it for a soggetto abilitato, or one who
/// found it by its retrieval code?
fn revokes_as_operator(who: &Principal, m: &Modulo, retrieved_for: Option<OrganisationId>) -> bool {
    (m.filed_by_account_id == who.actor.account_id && m.contents.abilitato_kind.is_some()) || retrieved_for.is_some()
}

/// Is this the worker's copy (with the retrieval code): the worker's own,
/// or the one who sent it for them?
fn worker_copy(who: &Principal, m: &Modulo, retrieved_for: Option<OrganisationId>) -> bool {
    let own = who.acting.subject == Subject::Themself
        && who.actor.codice_fiscale() == Some(&m.contents.worker_codice_fiscale);
    let sender = m.filed_by_account_id == who.actor.account_id && m.contents.abilitato_kind.is_some();
    own || (sender && retrieved_for.is_none())
}

/// The portal's organisation with this codice fiscale, if any.
fn org_id(c: &mut crate::db::AnyConnection, codice_fiscale: Option<&str>) -> QueryResult<Option<OrganisationId>> {
    match codice_fiscale {
        Some(cf) => o::table.filter(o::codice_fiscale.eq(cf)).select(o::id).first(c).optional(),
        None => Ok(None),
    }
}

/// A delivery's state in words: delivered; under way, or waiting for the
/// next attempt (at what time, Italian); or not delivered, and why.
fn delivery_outcome(x: &Delivery, lang: crate::i18n::Lang) -> String {
    // `count` is the argument the messages choose singular or plural by.
    let n = |attempts: i32| ("count", attempts.to_string());
    match &x.state {
        DeliveryState::Delivered => t("dim-delivered"),
        DeliveryState::Waiting { next: None, .. } => t("dim-delivery-pending"),
        DeliveryState::Waiting { attempts, next: Some(next) } => {
            t_args("dim-delivery-retry", &[("when", format_when(*next, lang)), n(*attempts)])
        }
        // The server's own words (host names, addresses) stay in the log.
        DeliveryState::Refused => t("dim-delivery-refused"),
        DeliveryState::GaveUp { attempts } => t_args("dim-delivery-gave-up", &[n(*attempts)]),
    }
}

/// A PEC receipt in words, with its time (Italian).
fn receipt_text(kind: crate::mail::pec::ReceiptKind, at: chrono::NaiveDateTime, lang: crate::i18n::Lang) -> String {
    use crate::mail::pec::ReceiptKind as K;
    let key = match kind {
        K::Acceptance => "dim-receipt-acceptance",
        K::NonAcceptance => "dim-receipt-non-acceptance",
        K::Delivery => "dim-receipt-delivery",
        K::DeliveryError => "dim-receipt-error",
        K::DeliveryWarning => "dim-receipt-warning",
    };
    t_args(key, &[("when", format_when(at, lang))])
}

/// A PEC message sent whose delivery is not proved yet (where receipts are read).
fn awaiting_receipt(x: &Delivery, reads_receipts: bool) -> bool {
    use crate::mail::pec::ReceiptKind as K;
    reads_receipts
        && x.recipient.by_pec()
        && x.state == DeliveryState::Delivered
        && !x.receipts.iter().any(|k| matches!(k.kind, K::Delivery | K::DeliveryError | K::NonAcceptance))
}

#[derive(Clone)]
struct Detail {
    module: Modulo,
    deliveries: Vec<Delivery>,
    /// May this person revoke it (their own, or sent by them)?
    may_revoke: bool,
    in_time: bool,
    operator: bool,
    show_retrieval: bool,
    /// Whether PEC receipts are read (so their absence means something).
    reads_receipts: bool,
    /// Its time-stamp (when, by whom), not yet one, or none expected.
    stamp: Option<Option<(chrono::NaiveDateTime, String)>>,
    pin: Option<String>,
    errors: FieldErrors,
}

#[component]
fn DetailPage(d: Detail) -> impl IntoView {
    let lang = use_lang();
    let m = d.module.clone();
    let c = m.contents.clone();
    let kind = m.kind();
    let last_day = deadline::last_day(m.transmitted_at);
    let facts: Vec<(&'static str, String)> = vec![
        ("dim-kind", t(&kind.name_key())),
        ("dim-transmitted", format_when(m.transmitted_at, lang)),
        ("dim-worker", format!("{} {} ({})", c.worker_given_name, c.worker_family_name, c.worker_codice_fiscale)),
        ("dim-employer-name", format!("{} ({})", c.employer_name, c.employer_codice_fiscale)),
        (
            "dim-workplace-address",
            format!("{}, {} {} ({})", c.workplace_address, c.workplace_cap, c.workplace_comune, c.workplace_province),
        ),
        ("dim-start-date", format_date(c.start_date, lang)),
        ("dim-contract-type", c.contract_type.clone()),
        ("dim-decorrenza", c.decorrenza.map(|x| format_date(x, lang)).unwrap_or_default()),
        ("dim-reason", c.reason.clone().unwrap_or_default()),
        ("dim-revokes", c.revokes_code.clone().unwrap_or_default()),
        ("dim-seal", m.hash.clone()),
        (
            "dim-timestamp",
            match &d.stamp {
                Some(Some((at, by))) => {
                    t_args("dim-timestamp-by", &[("when", format_when(*at, lang)), ("by", by.clone())])
                }
                Some(None) => t("dim-timestamp-pending"),
                None => String::new(),
            },
        ),
        // With the code, what anyone checks at /verifica.
        ("dim-verification-code", super::seal::verification_code(&m.hash)),
        ("dim-retrieval-code", m.retrieval_code.clone().filter(|_| d.show_retrieval).unwrap_or_default()),
    ];
    let status = match (&m.revoked_by_code, kind) {
        (_, Kind::Revoca) => t("dim-status-revoca"),
        (Some(by), _) => t_args("dim-status-revoked", &[("code", by.clone())]),
        (None, _) => t("dim-status-sent"),
    };
    let deliveries: Vec<Vec<AnyView>> = d
        .deliveries
        .iter()
        .map(|x| {
            vec![
                t(&x.recipient.name_key()).into_any(),
                x.address.clone().into_any(),
                format_when(x.attempted_at, lang).into_any(),
                view! {
                    {delivery_outcome(x, lang)}
                    {x.receipts.iter().map(|k| view! {
                        <br/>{receipt_text(k.kind, k.at, lang)}
                        {k.reference.as_ref().map(|r| {
                            let href = paths::dimissioni_receipt(&m.code, r);
                            view! { " " <a href=href download="">{t("dim-receipt-download")}</a> }
                        })}
                    }).collect_view()}
                    {awaiting_receipt(x, d.reads_receipts).then(|| view! { <br/>{t("dim-receipt-waiting")} })}
                }
                .into_any(),
            ]
        })
        .collect();
    let revoca = (kind != Kind::Revoca && m.revoked_by_code.is_none() && d.may_revoke).then(|| {
        if !d.in_time {
            return view! {
                <section aria-labelledby="revoca-heading" class="card">
                    <h2 id="revoca-heading">{t("dim-revoca-title")}</h2>
                    <p>{t_args("dim-revoca-late", &[("day", format_date(last_day, lang))])}</p>
                </section>
            }
            .into_any();
        }
        let e = d.errors.clone();
        view! {
            <section aria-labelledby="revoca-heading" class="card">
                <h2 id="revoca-heading">{t("dim-revoca-title")}</h2>
                <p>{t_args("dim-revoca-until", &[("day", format_date(last_day, lang))])}</p>
                <ErrorSummary errors=d.errors.clone()/>
                // An operator first generates the paper delega with its PIN, then types it.
                {d.operator.then(|| view! {
                    <form method="post" action=paths::dimissioni_revoca(&m.code)>
                        <input type="hidden" name="nuovo_pin" value="si"/>
                        <p><button type="submit" class="button--secondary">{t("dim-pin-generate")}</button></p>
                    </form>
                })}
                {d.pin.clone().map(|p| view! { <p>{t("dim-pin")} ": " <strong><code class="secret">{p}</code></strong> " " {t("dim-pin-revoca-note")}</p> })}
                <form method="post" action=paths::dimissioni_revoca(&m.code) novalidate>
                    {d.operator.then(|| view! {
                        <Field name="pin" label="dim-pin-enter" hint="dim-pin-revoca-hint" error=e.get("pin") autocomplete="off"/>
                    })}
                    <CheckboxField name="conferma" label="dim-revoca-confirm" error=e.get("conferma")/>
                    <p><button type="submit">{t("dim-revoca-submit")}</button></p>
                </form>
            </section>
        }
        .into_any()
    });
    let title = t_args("dim-detail-title", &[("code", m.code.clone())]);
    view! {
        <Page title=title.clone() trail=vec![Crumb { label: t("dim-title"), href: paths::DIMISSIONI.into() }]>
            <h1>{title}</h1>
            <p class="lead"><strong>{status}</strong></p>
            <p><a class="button" href=paths::dimissioni_pdf(&m.code)>{t("dim-pdf-download")}</a></p>
            <dl class="facts">
                {facts.into_iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| view! { <dt>{t(k)}</dt><dd class="wrap">{v}</dd> }).collect_view()}
            </dl>
            <section aria-labelledby="deliveries-heading">
                <h2 id="deliveries-heading">{t("dim-deliveries")}</h2>
                <TableOrEmpty
                    caption="dim-deliveries-caption"
                    empty="dim-deliveries-none"
                    columns=&["dim-col-to", "dim-col-address", "dim-col-when", "dim-col-outcome"]
                    cells=deliveries
                />
            </section>
            {revoca}
        </Page>
    }
}

async fn detail_of(
    req: &PageRequest,
    who: &Principal,
    m: Modulo,
    pin: Option<String>,
    errors: FieldErrors,
) -> AppResult<Detail> {
    let (id, sent_by, code, account) =
        (m.id, m.contents.abilitato_codice_fiscale.clone(), m.code.clone(), who.actor.account_id);
    let prefix = deliver::key_prefix(&m.code);
    let (deliveries, sent_for, retrieved, stamp) = with_conn(&req.state.pool, move |c| {
        // Modules sent before the outbox recorded each attempt in their own table.
        let mut all = modulo::deliveries(c, id)?;
        for e in outbox::with_prefix(c, &prefix)? {
            let receipts = crate::mail::pec::of_message(c, &e.message_id)?;
            all.extend(as_delivery(&prefix, e, receipts));
        }
        let stamp = super::timestamp::stamp_of(c, &code)?;
        Ok((all, org_id(c, sent_by.as_deref())?, retrieval::found_for(c, account, &code)?, stamp))
    })
    .await?;
    // Said only where modules are stamped at all.
    let stamp = match stamp {
        Some((at, by)) => Some(Some((at, by))),
        None if req.state.config.tsa_url.is_some() => Some(None),
        None => None,
    };
    let retrieved_for = retrieved_for(who, &retrieved);
    let resource = Resource::Resignation {
        code: &m.code,
        worker: &m.contents.worker_codice_fiscale,
        employer: None,
        filed_by: m.filed_by_account_id,
        sent_for,
        province: &m.contents.workplace_province,
        officer_for: &[],
        retrieved_for,
    };
    let may_revoke = access::authorize(Some(who), Action::Change, &resource).is_ok();
    let operator = may_revoke && revokes_as_operator(who, &m, retrieved_for);
    // The retrieval code is for the worker's copy, and for whoever sent it (to hand over).
    let show_retrieval = worker_copy(who, &m, retrieved_for);
    let in_time = deadline::in_time(m.transmitted_at, req.state.clock.now());
    let reads_receipts = req.state.config.pec_imap_url.is_some();
    Ok(Detail {
        module: m,
        deliveries,
        may_revoke,
        in_time,
        operator,
        show_retrieval,
        reads_receipts,
        stamp,
        pin,
        errors,
    })
}

/// A queued message of the module, as its table shows it.
fn as_delivery(prefix: &str, e: outbox::Entry, receipts: Vec<crate::mail::pec::Kept>) -> Option<Delivery> {
    let state = match e.state() {
        outbox::State::Sent => DeliveryState::Delivered,
        outbox::State::Pending => {
            DeliveryState::Waiting { attempts: e.attempts, next: (e.attempts > 0).then_some(e.next_attempt_at) }
        }
        outbox::State::Failed if e.refused() => DeliveryState::Refused,
        outbox::State::Failed => DeliveryState::GaveUp { attempts: e.attempts },
    };
    Some(Delivery {
        recipient: Recipient::parse(e.key.strip_prefix(prefix)?)?,
        address: e.recipient.clone(),
        attempted_at: e.sent_at.unwrap_or(e.created_at),
        state,
        receipts,
    })
}

#[derive(Debug, Deserialize)]
pub struct SentQuery {
    esito: Option<String>,
}

/// `GET /dimissioni-volontarie/{codice}` (and `{codice}.pdf`); right after
/// sending (`?esito=trasmesso`), to the one who sent it, the confirmation page.
pub async fn page(
    req: PageRequest,
    who: Principal,
    Path(Code { codice }): Path<Code>,
    Query(q): Query<SentQuery>,
) -> AppResult<Response> {
    if let Some(code) = codice.strip_suffix(".pdf") {
        let (_, m, retrieved_for) = permitted(&req, &who, code, Action::View).await?;
        let copy =
            if worker_copy(&who, &m, retrieved_for) { documents::Copy::Worker } else { documents::Copy::Recipient };
        let bytes = pdf::render(&documents::module(&m, req.lang, copy));
        return Ok((
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (header::CONTENT_DISPOSITION, format!("inline; filename=\"modulo-{code}.pdf\"")),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            bytes,
        )
            .into_response());
    }
    let (_, m, _) = permitted(&req, &who, &codice, Action::View).await?;
    let just_sent = q.esito.as_deref() == Some(sent::ESITO) && m.filed_by_account_id == who.actor.account_id;
    let d = detail_of(&req, &who, m, None, FieldErrors::default()).await?;
    if just_sent {
        let worker = d.module.worker_account_id == Some(who.actor.account_id);
        let (m, deliveries) = (d.module, d.deliveries);
        return Ok(req.render(StatusCode::OK, move || view! { <SentPage m deliveries worker/> }.into_any()));
    }
    Ok(req.render(StatusCode::OK, move || view! { <DetailPage d/> }.into_any()))
}

#[derive(Debug, Deserialize)]
pub struct RevocaForm {
    pub pin: Option<String>,
    pub nuovo_pin: Option<String>,
    /// The box that confirms the revoca (WCAG 3.3.4: a legal act is confirmed).
    pub conferma: Option<String>,
}

/// `POST /dimissioni-volontarie/{codice}/revoca`: the revoca, sent like the module it revokes.
pub async fn revoke(
    req: PageRequest,
    who: Principal,
    Path(Code { codice }): Path<Code>,
    FormData(f): FormData<RevocaForm>,
) -> AppResult<Response> {
    let who = {
        // The service's own requirements (SPID or CIE, level 2) apply to revoking too.
        filer::enter_then(&req, &paths::dimissioni(&codice)).await?;
        who
    };
    let (_, m, retrieved_for) = permitted(&req, &who, &codice, Action::Change).await?;
    let now = req.state.clock.now();
    if m.kind() == Kind::Revoca || m.revoked_by_code.is_some() {
        return Err(AppError::Explained {
            status: StatusCode::CONFLICT,
            title: "dim-revoca-done-title",
            detail: "dim-revoca-done",
            log: format!("module {} already revoked", m.code),
        });
    }
    if !deadline::in_time(m.transmitted_at, now) {
        return Err(AppError::Explained {
            status: StatusCode::CONFLICT,
            title: "dim-revoca-late-title",
            detail: "dim-revoca-late-detail",
            log: format!("module {}: revoca out of time", m.code),
        });
    }
    let operator = revokes_as_operator(&who, &m, retrieved_for);
    // A revoca is a legal act sent at once to everyone: the person ticks that they mean it.
    if f.nuovo_pin.as_deref() != Some("si") && f.conferma.as_deref() != Some("si") {
        let mut errors = FieldErrors::default();
        errors.add("conferma", "dim-revoca-confirm-missing");
        let d = detail_of(&req, &who, m, None, errors).await?;
        return Ok(req.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <DetailPage d/> }.into_any()));
    }
    let key = format!("revoca:{}", m.code);
    let day = rome(now).date();
    if operator {
        let (op, cf, k2) = (who.actor.account_id, m.contents.worker_codice_fiscale.clone(), key.clone());
        let for_revoca = move |c: &mut crate::db::AnyConnection, pin_typed: Option<&str>| {
            let what = pin::For {
                operator: op,
                worker_codice_fiscale: &cf,
                kind: Kind::Revoca.code(),
                key: &k2,
                content: k2.clone(),
            };
            match pin_typed {
                None => pin::issue(c, &what, day, now).map(Err),
                Some(p) => pin::check(c, &what, p, day).map(Ok),
            }
        };
        if f.nuovo_pin.as_deref() == Some("si") {
            let issue = for_revoca.clone();
            let issued = with_conn(&req.state.pool, move |c| issue(c, None)).await?.err().unwrap_or_default();
            let d = detail_of(&req, &who, m, Some(issued), FieldErrors::default()).await?;
            return Ok(req.render(StatusCode::OK, move || view! { <DetailPage d/> }.into_any()));
        }
        let typed = crate::web::text::code_signs(&f.pin.unwrap_or_default(), 20);
        let checked = with_conn(&req.state.pool, move |c| for_revoca(c, Some(&typed))).await?;
        if let Ok(Err(r)) = checked {
            let mut errors = FieldErrors::default();
            errors.add("pin", r.key());
            let d = detail_of(&req, &who, m, None, errors).await?;
            return Ok(req.render(StatusCode::UNPROCESSABLE_ENTITY, move || view! { <DetailPage d/> }.into_any()));
        }
    }
    // Section 5 names who sends the revoca now: the soggetto abilitato the
    // operator acts for (not necessarily the one who sent the module), or
    // nobody when the worker revokes themself.
    let (abilitato_kind, abilitato_codice_fiscale) = match (operator, filer::filer(&req, &who).await?) {
        (true, filer::Filer::Operator(org)) => (Some(org.kind.code().to_string()), Some(org.codice_fiscale.clone())),
        _ => (None, None),
    };
    let contents = Contents {
        kind: Kind::Revoca.code().into(),
        revokes_code: Some(m.code.clone()),
        decorrenza: None,
        reason: None,
        abilitato_kind,
        abilitato_codice_fiscale,
        ..m.contents.clone()
    };
    let sender = Sender { account: who.actor.account_id, worker_account: (!operator).then_some(who.actor.account_id) };
    // The revoca, the PIN spent and its messages: one transaction.
    let worker_lang = if operator { crate::i18n::Lang::It } else { req.lang };
    let sent = deliver::transmit(&req.state, contents, sender, key.clone(), operator, worker_lang).await?;
    let code = sent.map_err(|_| AppError::Explained {
        status: StatusCode::CONFLICT,
        title: "dim-revoca-done-title",
        detail: "dim-revoca-done",
        log: "revoked in the meantime".into(),
    })?;
    Ok(Redirect::to(&sent::address(&code)).into_response())
}
