//! Check your answers (GOV.UK): before an act that binds someone (a delega,
//! an invitation), the answers in words — names the portal knows, services
//! by name, dates as people write them — each with "Modifica", and one
//! button that does it. The answers travel as hidden fields: the same
//! handler gets `passo=conferma` to act, `passo=modifica` to show the form.
use crate::web::components::{Answer, Crumb, SummaryList};
use crate::web::layout::Page;
use leptos::prelude::*;

/// `passo`: what the check page's buttons ask of the form's handler.
pub const STEP: &str = "passo";
pub const CONFIRM: &str = "conferma";
pub const CHANGE: &str = "modifica";

#[component]
pub fn CheckAnswers(
    title: String,
    answers: Vec<Answer>,
    action: String,
    hidden: Vec<(&'static str, String)>,
    submit: String,
    /// What pressing it does, said once more before it is pressed.
    note: String,
    #[prop(optional)] trail: Vec<Crumb>,
) -> impl IntoView {
    view! {
        <Page title=title.clone() trail>
            <h1>{title}</h1>
            <form method="post" action=action novalidate>
                {hidden.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
                <SummaryList answers change_with=(STEP, CHANGE)/>
                <p>{note}</p>
                <p><button type="submit" name=STEP value=CONFIRM>{submit}</button></p>
            </form>
        </Page>
    }
}
