//! The demo provider's one page: choose a person and a level.
use crate::auth::demo_idp::pages::{DemoFrame, LevelSelect};
use crate::auth::demo_idp::people::PEOPLE;
use crate::i18n::t;
use crate::kernel::{Credential, Level};
use crate::web::components::{Choice, Choices};
use leptos::prelude::*;

#[component]
pub fn DemoOpLogin(request: String, asked: Level) -> impl IntoView {
    view! {
        <DemoFrame title=t("demo-title") name="Demo OP (OpenID Connect)">
            <h1>{t("demo-title")}</h1>
            <p class="lead">{crate::i18n::t_args("demo-asked-level", &[("level", asked.number().to_string())])}</p>
            <form method="post" action="/demo-oidc/op/authorization">
                <input type="hidden" name="request" value=request/>
                <Choices name="person" legend=t("demo-choose-person") choices=PEOPLE
                    .iter()
                    .filter(|p| p.usable_with(Credential::Spid))
                    .enumerate()
                    .map(|(i, p)| {
                        Choice::new(p.key, format!("{} {}", p.given_name, p.family_name), i == 0)
                            .hint(format!("{} · {}", p.identifier(Credential::Spid), t(p.role)))
                    })
                    .collect()/>
                <LevelSelect asked/>
                <label for="outcome">{t("demo-outcome")}</label>
                <select id="outcome" name="outcome">
                    <option value="success">{t("demo-outcome-success")}</option>
                    <option value="access_denied">{t("signin-nr22")}</option>
                </select>
                <p><button type="submit">{t("demo-sign-in")}</button></p>
            </form>
        </DemoFrame>
    }
}
