//! The question before an act that cannot be undone (revoking or refusing a
//! delega, removing a member, closing a request): what it does, one button
//! that does it, and a way back that does nothing. The form carries the
//! original request's fields with `conferma=si`, so the same handler acts.
use crate::web::components::{Crumb, FieldErrors};
use crate::web::layout::FormPage;
use leptos::prelude::*;

#[component]
pub fn AreYouSure(
    /// The question ("Revocare la delega?").
    title: String,
    lead: String,
    /// What happens once done, in plain words.
    effect: String,
    action: String,
    /// The original form's fields, sent again with `conferma=si`.
    hidden: Vec<(&'static str, String)>,
    submit: String,
    cancel_href: String,
    cancel_label: String,
    #[prop(optional)] trail: Vec<Crumb>,
) -> impl IntoView {
    view! {
        <FormPage
            title
            lead
            errors=FieldErrors::default()
            action
            submit
            trail
            after=view! { <p><a href=cancel_href>{cancel_label}</a></p> }.into_any()
        >
            <p>{effect}</p>
            {hidden.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
            <input type="hidden" name="conferma" value="si"/>
        </FormPage>
    }
}
