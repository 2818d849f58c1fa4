use crate::i18n::t;
use crate::web::layout::Page;
use axum::http::StatusCode;
use leptos::prelude::*;

/// Message keys for the statuses we answer with; others fall back by class.
fn keys(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => ("error-400-title", "error-400-body"),
        403 => ("error-403-title", "error-403-body"),
        404 => ("error-404-title", "error-404-body"),
        405 => ("error-405-title", "error-405-body"),
        408 => ("error-408-title", "error-408-body"),
        413 => ("error-413-title", "error-413-body"),
        415 => ("error-415-title", "error-415-body"),
        422 => ("error-422-title", "error-422-body"),
        429 => ("error-429-title", "error-429-body"),
        503 => ("error-503-title", "error-503-body"),
        s if s < 500 => ("error-4xx-title", "error-4xx-body"),
        _ => ("error-500-title", "error-500-body"),
    }
}

/// The FAQ answer that helps with this refusal, if one does.
fn answer_for(status: StatusCode, title: &str) -> Option<&'static str> {
    let by_title = [
        ("signin-", "accedere-con-spid"),
        ("fsign-", "password-o-telefono-persi"),
        ("reg-confirm", "utente-estero"),
        ("dim-revoca", "revocare-le-dimissioni"),
        ("dim-", "dimissioni-online"),
        ("delega-", "deleghe"),
        ("invitation-", "colleghi-e-ruoli"),
        ("organisation-", "colleghi-e-ruoli"),
        ("confirm-invalid", "associare-un-azienda"),
        ("support-", "chiedere-supporto"),
        ("not-me-", "esci-ovunque"),
        ("error-429", "chiedere-supporto"),
    ];
    by_title.iter().find(|(prefix, _)| title.starts_with(prefix)).map(|(_, slug)| *slug).or(match status.as_u16() {
        401 | 403 => Some("servizio-non-disponibile"),
        _ => None,
    })
}

/// An error page; `title`/`detail` (message keys) say more than the status.
/// Sign-in failures also offer to try again.
#[component]
pub fn ErrorView(
    status: StatusCode,
    #[prop(optional_no_strip)] title: Option<&'static str>,
    #[prop(optional_no_strip)] detail: Option<&'static str>,
) -> impl IntoView {
    let (status_title, status_body) = keys(status);
    let title = title.unwrap_or(status_title);
    let sign_in = title == "signin-failed-title";
    let answer = answer_for(status, title);
    view! {
        <Page title=t(title)>
            <h1>{t(title)}</h1>
            <p class="lead">{t(detail.unwrap_or(status_body))}</p>
            <p class="error-code">{t("error-code")} " " {status.as_u16()}</p>
            <ul class="link-list">
                {sign_in.then(|| view! { <li><a href=crate::paths::SIGN_IN>{t("signin-try-again")}</a></li> })}
                {answer.map(|slug| view! { <li><a href=crate::paths::faq(slug)>{t("error-faq")}</a></li> })}
                <li><a href=crate::paths::HOME>{t("error-go-home")}</a></li>
                <li><a href=crate::paths::HELP>{t("error-get-help")}</a></li>
            </ul>
        </Page>
    }
}
