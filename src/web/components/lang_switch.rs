use crate::i18n::{t, use_lang, Lang};
use crate::web::render::current_path_and_query;
use leptos::prelude::*;

/// Links to this same page in the other languages (`?lang=` is then
/// remembered in a cookie). Other query parameters are kept.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let current = use_lang();
    let (path, query) = current_path_and_query();
    let link = move |lang: Lang| {
        let mut params: Vec<String> =
            query.split('&').filter(|kv| !kv.is_empty() && !kv.starts_with("lang=")).map(str::to_string).collect();
        params.push(format!("lang={}", lang.code()));
        // From the path only, with one leading slash: `//host` would leave the site.
        format!("/{}?{}", path.trim_start_matches('/'), params.join("&"))
    };
    view! {
        <nav class="lang-switch" aria-label=t("layout-lang-label")>
            <ul>
                {Lang::ALL
                    .into_iter()
                    .map(|lang| {
                        if lang == current {
                            view! {
                                <li><span class="lang-switch__current" lang=lang.code() aria-current="true">{lang.endonym()}</span></li>
                            }
                                .into_any()
                        } else {
                            view! {
                                <li><a href=link(lang) hreflang=lang.code() lang=lang.code()>{lang.endonym()}</a></li>
                            }
                                .into_any()
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
