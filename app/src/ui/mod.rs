//! The Leptos UI: the HTML shell, the app with its routes, pages and shared
//! components. Pages fetch through `api/` server functions only.

pub mod auth;
pub mod components;
mod lazy_pages;
pub mod pages;

use crate::domain::Role;
use crate::i18n::{I18n, Lang, Messages, use_i18n};
use auth::use_current_user;
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, Html, MetaTags, Title, provide_meta_context};
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::{Lazy, SsrMode, path};

/// The HTML document around the app (server-rendered only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                // The server's today, which the browser's clock follows.
                <meta name=crate::clock::META_NAME content=crate::clock::today().to_string() />
                <HashedStylesheet options=options.clone() />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Sends a CSP that allows exactly this response's hydration scripts.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    use http::{HeaderValue, header::CONTENT_SECURITY_POLICY};
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

/// The language asked for by the request's `lang` cookie (server), or the
/// one the server rendered the page in (browser, read from `<html lang>`).
fn initial_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(http::header::COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(Lang::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|l| Lang::from_code(&l))
            .unwrap_or_default()
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = RwSignal::new(initial_lang());
    provide_context(I18n { lang });
    auth::provide_current_user();
    let t = move || lang.get().t();

    view! {
        <Html attr:lang=move || lang.get().code() />
        <Title formatter=move |page: String| {
            let text =
                if page.is_empty() { "Concord".to_owned() } else { format!("{page} · Concord") };
            // leptos_meta writes the server-side <title> without escaping it;
            // in the browser the text goes to document.title as text.
            if cfg!(feature = "ssr") { escape_html(&text) } else { text }
        } />
        <Router>
            <a class="skip-link" href="#main">{move || t().skip_to_content}</a>
            <Header />
            <main id="main" tabindex="-1">
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") ssr=SsrMode::Async view={Lazy::<lazy_pages::Portfolio>::new()} />
                    <Route path=path!("/agreements/new") ssr=SsrMode::Async view={Lazy::<lazy_pages::NewAgreement>::new()} />
                    <Route path=path!("/agreements/:id/edit") ssr=SsrMode::Async view={Lazy::<lazy_pages::EditAgreement>::new()} />
                    <Route path=path!("/agreements/:id/history") ssr=SsrMode::Async view={Lazy::<lazy_pages::History>::new()} />
                    <Route path=path!("/agreements/:id/compliance") ssr=SsrMode::Async view={Lazy::<lazy_pages::Compliance>::new()} />
                    <Route path=path!("/overview") ssr=SsrMode::Async view={Lazy::<lazy_pages::Overview>::new()} />
                    <Route path=path!("/benchmarks") ssr=SsrMode::Async view={Lazy::<lazy_pages::Benchmarks>::new()} />
                    <Route path=path!("/life-events") ssr=SsrMode::Async view={Lazy::<lazy_pages::Coverage>::new()} />
                    <Route path=path!("/reporting") ssr=SsrMode::Async view={Lazy::<lazy_pages::Reporting>::new()} />
                    <Route path=path!("/notices") ssr=SsrMode::Async view={Lazy::<lazy_pages::Notices>::new()} />
                    <Route path=path!("/services") ssr=SsrMode::Async view={Lazy::<lazy_pages::Services>::new()} />
                    <Route path=path!("/barriers") ssr=SsrMode::Async view={Lazy::<lazy_pages::Barriers>::new()} />
                    <Route path=path!("/satisfaction") ssr=SsrMode::Async view={Lazy::<lazy_pages::Satisfaction>::new()} />
                    <Route path=path!("/agreements/:id/costs") ssr=SsrMode::Async view={Lazy::<lazy_pages::Costs>::new()} />
                    <Route path=path!("/agreements/:id/cost-model") ssr=SsrMode::Async view={Lazy::<lazy_pages::CostModel>::new()} />
                    <Route path=path!("/agreements/:id/journeys") ssr=SsrMode::Async view={Lazy::<lazy_pages::Journeys>::new()} />
                    <Route path=path!("/notifications") ssr=SsrMode::Async view={Lazy::<lazy_pages::Notifications>::new()} />
                    <Route path=path!("/agreements/:id") ssr=SsrMode::Async view={Lazy::<lazy_pages::Agreement>::new()} />
                    <Route path=path!("/organisations") ssr=SsrMode::Async view={Lazy::<lazy_pages::Organisations>::new()} />
                    <Route path=path!("/sign-in") ssr=SsrMode::Async view={Lazy::<lazy_pages::SignIn>::new()} />
                    <Route path=path!("/public") ssr=SsrMode::Async view={Lazy::<lazy_pages::OpenData>::new()} />
                    <Route path=path!("/account/password") ssr=SsrMode::Async view={Lazy::<lazy_pages::ChangePassword>::new()} />
                    <Route path=path!("/reset-password") ssr=SsrMode::Async view={Lazy::<lazy_pages::ResetPassword>::new()} />
                    <Route path=path!("/admin/users") ssr=SsrMode::Async view={Lazy::<lazy_pages::AdminUsers>::new()} />
                    <Route path=path!("/admin/organisations") ssr=SsrMode::Async view={Lazy::<lazy_pages::AdminOrganisations>::new()} />
                    <Route path=path!("/admin/jurisdictions") ssr=SsrMode::Async view={Lazy::<lazy_pages::Jurisdictions>::new()} />
                    <Route path=path!("/admin/tokens") ssr=SsrMode::Async view={Lazy::<lazy_pages::Tokens>::new()} />
                    <Route path=path!("/admin/kpis") ssr=SsrMode::Async view={Lazy::<lazy_pages::Kpis>::new()} />
                    <Route path=path!("/admin/life-events") ssr=SsrMode::Async view={Lazy::<lazy_pages::AdminLifeEvents>::new()} />
                    <Route path=path!("/admin/audit") ssr=SsrMode::Async view={Lazy::<lazy_pages::Audit>::new()} />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{move || t().sample_data_notice}</p>
            </footer>
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let lang = move || i18n.lang.get();
    let user = use_current_user().0;
    // A signed-in user's choice is also kept on their account, for what
    // Concord writes to them.
    let keep_lang = Action::new(|lang: &Lang| crate::server_fns::auth::set_language(*lang));
    let switch = move |_| {
        let next = i18n.lang.get_untracked().other();
        i18n.lang.set(next);
        remember_lang(next);
        if user
            .get_untracked()
            .is_some_and(|r| r.is_ok_and(|u| u.is_some()))
        {
            keep_lang.dispatch(next);
        }
    };
    let sign_out = Action::new(|_: &()| crate::server_fns::auth::sign_out());
    Effect::new(move |_| {
        if sign_out.value().get().is_some() {
            #[cfg(feature = "hydrate")]
            let _ = window().location().assign("/sign-in");
        }
    });
    // Created here, once, so server and browser agree on it when hydrating.
    let unread = Resource::new(
        || (),
        |_| crate::server_fns::notifications::unread_notifications(),
    );
    // On a narrow screen the links and the account sit behind a "Menu"
    // button (a disclosure: `aria-expanded` on the button, which controls
    // the region). It closes again when one of its links is followed (by
    // pointer or keyboard, both a click) and on Escape.
    let menu_open = RwSignal::new(false);
    let close_on_link = move |_ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        {
            use leptos::wasm_bindgen::JsCast;
            let on_link = _ev
                .target()
                .and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok())
                .and_then(|e| e.closest("a").ok().flatten())
                .is_some();
            if on_link {
                menu_open.set(false);
            }
        }
    };
    let menu_button = NodeRef::<leptos::html::Button>::new();
    let close_on_escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && menu_open.get_untracked() {
            menu_open.set(false);
            if let Some(button) = menu_button.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    // The current user is read by awaiting it inside `Suspend`, here and in
    // `RequireUser`: a resource read with `.get()` by several boundaries
    // sometimes let the server render one of them before it resolved, and
    // the browser then failed to hydrate the header (leptos issues 4578 and
    // 4851). Awaiting makes each boundary wait for it.
    view! {
        <header class="site-header" on:keydown=close_on_escape>
            <div class="brand">
                <A href="/" attr:class="brand-name">{move || t().app_name}</A>
                <span class="tagline">{move || t().tagline}</span>
            </div>
            <button
                type="button"
                class="header-button menu-toggle"
                data-testid="menu-toggle"
                aria-controls="site-menu"
                aria-expanded=move || if menu_open.get() { "true" } else { "false" }
                node_ref=menu_button
                on:click=move |_| menu_open.update(|open| *open = !*open)
            >
                {move || t().menu}
            </button>
            <div id="site-menu" class="site-menu" class:open=move || menu_open.get() on:click=close_on_link>
                <nav aria-label=move || t().nav_label>
                    <ul>
                        <Transition>
                            {move || Suspend::new(async move {
                                let role = user.await.ok().flatten().map(|u| u.role);
                                nav_links(role)
                                    .into_iter()
                                    .map(|(href, label)| {
                                        view! {
                                            <li>
                                                <A href=href exact=href == "/">{move || label(t())}</A>
                                            </li>
                                        }
                                    })
                                    .collect_view()
                            })}
                        </Transition>
                    </ul>
                </nav>
                <div class="account">
                    <Transition>
                        {move || Suspend::new(async move {
                            match user.await.ok().flatten() {
                                Some(u) => {
                                    let role = u.role;
                                    let count = unread.await.unwrap_or(0);
                                    view! {
                                        <NotificationBell count=count />
                                        <span class="who" data-testid="who">
                                            <span class="who-name">{u.display_name}</span>
                                            <span class="who-detail">
                                                {u.organisation_code} " · " {move || lang().role_name(role)}
                                            </span>
                                        </span>
                                        <A href="/account/password" attr:class="account-link">{move || t().nav_account}</A>
                                        <button
                                            type="button"
                                            class="header-button"
                                            data-testid="sign-out"
                                            on:click=move |_| { sign_out.dispatch(()); }
                                        >
                                            {move || t().sign_out}
                                        </button>
                                    }
                                        .into_any()
                                }
                                None => view! { <A href="/sign-in" attr:class="account-link">{move || t().sign_in}</A> }.into_any(),
                            }
                        })}
                    </Transition>
                </div>
            </div>
            // Outside the menu: the other language is one press away on
            // every screen.
            <button
                type="button"
                class="header-button lang-switch"
                data-testid="lang-switch"
                lang=move || i18n.lang.get().other().code()
                on:click=switch
            >
                {move || t().switch_language}
            </button>
        </header>
    }
}

/// A header link: where it goes and its label.
type NavLink = (&'static str, fn(&Messages) -> &'static str);

/// The header's links, in order, for a signed-in person of `role` (none for
/// someone not signed in).
fn nav_links(role: Option<Role>) -> Vec<NavLink> {
    let Some(role) = role else {
        return Vec::new();
    };
    let mut links: Vec<NavLink> = vec![
        ("/", |m| m.nav_portfolio),
        ("/services", |m| m.nav_services),
        ("/barriers", |m| m.nav_barriers),
        ("/satisfaction", |m| m.nav_satisfaction),
        ("/organisations", |m| m.nav_organisations),
    ];
    // The same role lists as the pages' guards (`lazy_pages`).
    if lazy_pages::portfolio_readers().contains(&role) {
        links.push(("/overview", |m| m.nav_overview));
        links.push(("/benchmarks", |m| m.nav_benchmarks));
        links.push(("/life-events", |m| m.nav_coverage));
    }
    if role == Role::Reporter {
        links.push(("/reporting", |m| m.nav_reporting));
    }
    links.push(("/notices", |m| m.nav_notices));
    if lazy_pages::admins().contains(&role) {
        links.push(("/admin/users", |m| m.nav_admin_users));
        links.push(("/admin/jurisdictions", |m| m.nav_admin_jurisdictions));
        links.push(("/admin/kpis", |m| m.nav_admin_kpis));
        links.push(("/admin/life-events", |m| m.nav_admin_life_events));
        links.push(("/admin/audit", |m| m.nav_admin_audit));
    }
    if lazy_pages::managing_roles().contains(&role) {
        links.push(("/admin/organisations", |m| m.nav_admin_organisations));
        links.push(("/admin/tokens", |m| m.nav_api_tokens));
    }
    links
}

/// The bell: a link to the notifications with the unread count.
#[component]
fn NotificationBell(count: u64) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    view! {
        <A href="/notifications" attr:class="bell" attr:data-testid="bell">
            <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22" fill="currentColor">
                <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z" />
            </svg>
            <span class="visually-hidden">{move || t().notifications}</span>
            <span class="count-badge" class:hidden=count == 0>
                {count}
                <span class="visually-hidden">" " {move || t().unread}</span>
            </span>
        </A>
    }
}

/// Escapes text for an HTML text node.
fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Keeps the language choice for the next visit (a year-long cookie).
fn remember_lang(lang: Lang) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Ok(doc) = document().dyn_into::<web_sys::HtmlDocument>() {
            let _ = doc.set_cookie(&format!(
                "lang={}; path=/; max-age=31536000; SameSite=Lax",
                lang.code()
            ));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = lang;
}
