use crate::i18n::t;
use leptos::prelude::*;

#[derive(Clone, Debug)]
pub struct Crumb {
    pub label: String,
    pub href: String,
}

/// Home › … › current. Not shown on the home page itself.
#[component]
pub fn Breadcrumb(trail: Vec<Crumb>, current: String) -> impl IntoView {
    let on_home = crate::web::render::current_path() == crate::paths::HOME;
    (!on_home).then(|| {
        view! {
            <nav class="container breadcrumb" aria-label=t("layout-breadcrumb-label")>
                <ol>
                    <li><a href=crate::paths::HOME>{t("nav-home")}</a></li>
                    {trail
                        .into_iter()
                        .map(|c| view! { <li><a href=c.href>{c.label}</a></li> })
                        .collect_view()}
                    <li><span aria-current="page">{current}</span></li>
                </ol>
            </nav>
        }
    })
}
