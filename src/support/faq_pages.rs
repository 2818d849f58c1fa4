//! `/faq` (by topic, or the answers to `?q=`) and `/faq/{slug}`.
use super::faq::{self, Answer, TOPICS};
use crate::error::{AppError, AppResult};
use crate::i18n::{t, t_args, use_lang};
use crate::paths;
use crate::web::components::Crumb;
use crate::web::layout::Page;
use crate::web::render::PageRequest;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use leptos::prelude::*;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct FaqQuery {
    pub q: Option<String>,
}

#[component]
fn AnswerLinks(answers: Vec<&'static Answer>) -> impl IntoView {
    view! {
        <ul class="link-list">
            {answers.into_iter().map(|a| view! { <li><a href=paths::faq(a.slug)>{a.title.clone()}</a></li> }).collect_view()}
        </ul>
    }
}

#[component]
fn FaqPage(q: String) -> impl IntoView {
    let lang = use_lang();
    let body = if q.trim().is_empty() {
        TOPICS
            .iter()
            .map(|topic| {
                let answers: Vec<&'static Answer> = faq::all(lang).iter().filter(|a| a.topic == *topic).collect();
                let (id, labelled) = (format!("topic-{topic}"), format!("topic-{topic}"));
                view! {
                    <section aria-labelledby=labelled>
                        <h2 id=id>{t(&format!("faq-topic-{topic}"))}</h2>
                        <AnswerLinks answers/>
                    </section>
                }
                .into_any()
            })
            .collect::<Vec<_>>()
    } else {
        let found = super::faq_search::search(lang, &q);
        let count = found.len();
        vec![view! {
            <section aria-labelledby="results-heading">
                <h2 id="results-heading">{t_args("faq-results", &[("count", count.to_string())])}</h2>
                {if found.is_empty() {
                    view! { <p>{t("faq-none")} " " <a href=paths::support_describing(&q)>{t("support-title")}</a></p> }.into_any()
                } else {
                    view! { <AnswerLinks answers=found/> }.into_any()
                }}
            </section>
        }
        .into_any()]
    };
    view! {
        <Page title=t("faq-title")>
            <h1>{t("faq-title")}</h1>
            <p class="lead">{t("faq-lead")}</p>
            <form method="get" action=paths::FAQ role="search" class="filters">
                <div class="field">
                    <label for="q">{t("faq-search")}</label>
                    <input id="q" name="q" type="search" value=q.clone()/>
                </div>
                <p><button type="submit">{t("catalog-apply")}</button></p>
            </form>
            {body}
            // The request starts from the words already typed.
            <p>{t("faq-not-found")} " " <a href=paths::support_describing(&q)>{t("support-title")}</a></p>
        </Page>
    }
}

/// `GET /faq[?q=…]`.
pub async fn list(req: PageRequest, Query(q): Query<FaqQuery>) -> Response {
    let q: String = q.q.unwrap_or_default().chars().take(100).collect();
    req.render(StatusCode::OK, move || view! { <FaqPage q/> }.into_any())
}

#[derive(Debug, Deserialize)]
pub struct Slug {
    pub slug: String,
}

/// `GET /faq/{slug}`.
pub async fn answer(req: PageRequest, Path(Slug { slug }): Path<Slug>) -> AppResult<Response> {
    let a = faq::find(req.lang, &slug).ok_or(AppError::NotFound)?;
    Ok(req.render(StatusCode::OK, move || {
        let html = faq::html(&a.body);
        view! {
            <Page title=a.title.clone() trail=vec![Crumb { label: t("faq-title"), href: paths::FAQ.into() }]>
                <h1>{a.title.clone()}</h1>
                <div class="answer" inner_html=html></div>
                <p>{t("faq-not-found")} " " <a href=paths::SUPPORT>{t("support-title")}</a></p>
            </Page>
        }
        .into_any()
    }))
}
