//! Radios and checkboxes as form controls (GOV.UK's pattern): each control
//! beside its label with a large target, its hint under the label, the group
//! in a fieldset whose legend asks the question. Every form uses these.
use crate::i18n::t;
use leptos::prelude::*;

/// One option: what it sends, what it says, and an optional hint under it.
#[derive(Clone, Debug)]
pub struct Choice {
    pub value: String,
    /// Words, already in the page's language.
    pub label: String,
    pub hint: Option<String>,
    pub checked: bool,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>, checked: bool) -> Self {
        Choice { value: value.into(), label: label.into(), hint: None, checked }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// A radio or a checkbox and its label (and hint): one row of [`Choices`],
/// or a single checkbox on its own.
#[component]
pub fn Control(
    /// `radio` or `checkbox`.
    kind: &'static str,
    name: &'static str,
    id: String,
    choice: Choice,
    /// Another element describing it (the group's error).
    #[prop(optional_no_strip)]
    described_by: Option<String>,
    #[prop(optional)] invalid: bool,
) -> impl IntoView {
    let hint_id = choice.hint.as_ref().map(|_| format!("{id}-hint"));
    let described = match (&hint_id, described_by) {
        (Some(h), Some(d)) => Some(format!("{h} {d}")),
        (h, d) => h.clone().or(d),
    };
    view! {
        <div class="control">
            <input
                class="control__input"
                type=kind
                id=id.clone()
                name=name
                value=choice.value
                checked=choice.checked
                aria-describedby=described
                aria-invalid=invalid.then_some("true")
            />
            <label class="control__label" for=id>{choice.label}</label>
            {choice.hint.map(|h| view! { <p class="hint control__hint" id=hint_id>{h}</p> })}
        </div>
    }
}

/// A question answered with radios (`multiple` false) or checkboxes: the
/// legend, its hint and error, then one [`Control`] per choice. The first
/// control's id is `name`, so the error summary's link lands on it.
#[component]
pub fn Choices(
    name: &'static str,
    /// The question, already in words.
    legend: String,
    choices: Vec<Choice>,
    #[prop(optional)] multiple: bool,
    #[prop(optional)] hint: Option<String>,
    #[prop(optional_no_strip)] error: Option<&'static str>,
    /// Where the group's id goes (a summary links `#id`); `name` when not given.
    #[prop(optional)]
    id: Option<&'static str>,
) -> impl IntoView {
    let kind = if multiple { "checkbox" } else { "radio" };
    let group = id.unwrap_or(name);
    let hint_id = hint.as_ref().map(|_| format!("{group}-hint"));
    let error_id = error.map(|_| format!("{group}-error"));
    let described = [hint_id.clone(), error_id.clone()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    view! {
        <div class="field" class:field--error=error.is_some()>
            <fieldset class="controls" aria-describedby=(!described.is_empty()).then_some(described)>
                <legend class="controls__legend">{legend}</legend>
                {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
                {error.map(|e| view! { <p class="field-error" id=error_id.clone()>{t(e)}</p> })}
                {choices
                    .into_iter()
                    .enumerate()
                    .map(|(i, choice)| {
                        let id = if i == 0 { group.to_string() } else { format!("{group}-{}", choice.value) };
                        view! { <Control kind name id choice invalid=error.is_some()/> }
                    })
                    .collect_view()}
            </fieldset>
        </div>
    }
}
