//! Form pieces that make errors accessible: a summary that links to each
//! field, and fields that carry their value, hint and error.
use super::choices::{Choice, Control};
use crate::i18n::t;
use leptos::prelude::*;

/// Field name → message key of what is wrong with it.
#[derive(Clone, Debug, Default)]
pub struct FieldErrors(pub Vec<(&'static str, &'static str)>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, key: &'static str) {
        if self.get(field).is_none() {
            self.0.push((field, key));
        }
    }

    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, k)| *k)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// "There is a problem": every error, each a link to its field. It takes the
/// focus when the page loads (no script: `autofocus`), so a re-shown form is
/// announced from its errors rather than from the top of the page.
#[component]
pub fn ErrorSummary(errors: FieldErrors) -> impl IntoView {
    (!errors.is_empty()).then(|| {
        crate::web::render::mark_errors();
        view! {
            <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>
                <h2 id="error-summary-title">{t("form-errors-title")}</h2>
                <ul>
                    {errors
                        .0
                        .iter()
                        .map(|(field, key)| view! { <li><a href=format!("#{field}")>{t(key)}</a></li> })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

/// The ids of a field's hint and error, for `aria-describedby`.
fn described_by(name: &str, hint: Option<&str>, error: Option<&str>) -> Option<String> {
    match (hint, error) {
        (Some(_), Some(_)) => Some(format!("{name}-hint {name}-error")),
        (Some(_), None) => Some(format!("{name}-hint")),
        (None, Some(_)) => Some(format!("{name}-error")),
        (None, None) => None,
    }
}

/// A field's label, then its hint and error (ids for `aria-describedby`).
#[component]
fn Labelled(
    name: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    error: Option<&'static str>,
) -> impl IntoView {
    view! {
        <label for=name>{t(label)}</label>
        {hint.map(|h| view! { <p class="hint" id=format!("{name}-hint")>{t(h)}</p> })}
        {error.map(|e| view! { <p class="field-error" id=format!("{name}-error")>{t(e)}</p> })}
    }
}

/// A labelled input with its hint and error.
#[component]
pub fn Field(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] value: String,
    #[prop(optional_no_strip)] error: Option<&'static str>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    // The keyboard a phone shows: "numeric" for CAPs, one-time codes, company numbers.
    #[prop(optional_no_strip)] inputmode: Option<&'static str>,
    // A codice fiscale or similar code: capitals, no spell checking.
    #[prop(optional)] identifier: bool,
) -> impl IntoView {
    let described = described_by(name, hint, error);
    let keep = kind != "password" && kind != "file";
    view! {
        <div class="field" class:field--error=error.is_some()>
            <Labelled name label hint error/>
            <input
                id=name
                name=name
                type=kind
                value=keep.then_some(value)
                autocomplete=autocomplete
                inputmode=inputmode
                autocapitalize=identifier.then_some("characters")
                spellcheck=identifier.then_some("false")
                aria-invalid=error.map(|_| "true")
                aria-describedby=described
            />
        </div>
    }
}

/// A labelled text area with its hint and error, tied to it like [`Field`]'s.
#[component]
pub fn TextareaField(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] value: String,
    #[prop(optional_no_strip)] error: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    rows: u32,
    maxlength: usize,
) -> impl IntoView {
    let described = described_by(name, hint, error);
    view! {
        <div class="field" class:field--error=error.is_some()>
            <Labelled name label hint error/>
            <textarea id=name name=name rows=rows maxlength=maxlength aria-invalid=error.map(|_| "true") aria-describedby=described>
                {value}
            </textarea>
        </div>
    }
}

/// A checkbox that confirms something (`value="si"`), with its error.
#[component]
pub fn CheckboxField(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] checked: bool,
    #[prop(optional_no_strip)] error: Option<&'static str>,
) -> impl IntoView {
    let choice = Choice::new("si", t(label), checked);
    let described_by = error.map(|_| format!("{name}-error"));
    view! {
        <div class="field" class:field--error=error.is_some()>
            {error.map(|e| view! { <p class="field-error" id=format!("{name}-error")>{t(e)}</p> })}
            <Control kind="checkbox" name id=name.to_string() choice described_by invalid=error.is_some()/>
        </div>
    }
}

/// A labelled choice among `options` (value, message key; with `words`, the
/// labels are already words, such as service names), with its hint and error.
#[component]
pub fn SelectField(
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    #[prop(optional)] value: String,
    #[prop(optional_no_strip)] error: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] words: bool,
) -> impl IntoView {
    let described = described_by(name, hint, error);
    view! {
        <div class="field" class:field--error=error.is_some()>
            <Labelled name label hint error/>
            <select id=name name=name aria-invalid=error.map(|_| "true") aria-describedby=described>
                {options
                    .into_iter()
                    .map(|(v, key)| {
                        let selected = v == value;
                        let text = if words { key } else { t(&key) };
                        view! { <option value=v selected=selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
