//! GOV.UK's summary list: the answers given, one row each, with a change
//! control per row. On a check-your-answers page the rows sit inside the
//! form that carries the answers, so "Modifica" is a button that posts them
//! back to the form (no JavaScript, nothing typed is lost) and lands on the
//! field it names.
use crate::i18n::t;
use leptos::prelude::*;

/// One answer: its question, the answer in words, and where "Modifica" leads
/// (the form's address with the field's `#id`; none: no change control).
#[derive(Clone, Debug)]
pub struct Answer {
    pub question: String,
    pub answer: Vec<String>,
    pub change: Option<String>,
}

#[component]
pub fn SummaryList(
    answers: Vec<Answer>,
    /// The submit button's `name=value` that asks for the form again.
    #[prop(optional)]
    change_with: Option<(&'static str, &'static str)>,
) -> impl IntoView {
    view! {
        <dl class="summary-list">
            {answers
                .into_iter()
                .map(|a| {
                    let change = a.change.clone().zip(change_with).map(|(to, (name, value))| {
                        view! {
                            <dd class="summary-list__action">
                                <button type="submit" class="link-button" name=name value=value formaction=to>
                                    {t("summary-change")}
                                    <span class="visually-hidden">" " {a.question.to_lowercase()}</span>
                                </button>
                            </dd>
                        }
                    });
                    view! {
                        <div class="summary-list__row">
                            <dt class="summary-list__key">{a.question.clone()}</dt>
                            <dd class="summary-list__value">
                                {a.answer.into_iter().map(|line| view! { <p>{line}</p> }).collect_view()}
                            </dd>
                            {change}
                        </div>
                    }
                })
                .collect_view()}
        </dl>
    }
}
