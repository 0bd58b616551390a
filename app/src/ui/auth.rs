//! Who is signed in, as the UI sees it: the current-user resource, the guard
//! that sends anonymous visitors to sign in (and back afterwards), and the
//! sign-in, password-change and password-reset pages.

use crate::domain::Role;
use crate::i18n::use_i18n;
use crate::server_fns::auth::{change_password, current_user, reset_password, sign_in};
use crate::ui::components::PageTitle;
use crate::ui::components::{FormError, Loading};
use crate::wire::auth::UserView;
use crate::wire::error::AppError;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_location, use_query_map};

/// The signed-in user, loaded once per page load.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Result<Option<UserView>, AppError>>);

pub fn provide_current_user() {
    provide_context(CurrentUser(Resource::new(|| (), |_| current_user())));
}

pub fn use_current_user() -> CurrentUser {
    expect_context::<CurrentUser>()
}

/// The sign-in address that comes back to `path` afterwards.
pub fn sign_in_path(path: &str) -> String {
    let encoded: String = path
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("/sign-in?next={encoded}")
}

/// A `next` target that stays on this site: a path from the root, with no
/// `//` (`//evil.example`), no `\\` and no control character (a browser
/// drops the tab of `/\t/evil.example`, leaving `//evil.example`).
fn safe_next(next: Option<String>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.contains("//")
                && !n.contains('\\')
                && !n.chars().any(char::is_control) =>
        {
            n
        }
        _ => "/".to_owned(),
    }
}

/// Shows `children` to a signed-in user with one of `roles` (any role when
/// empty); sends anonymous visitors to sign in, and tells others they may
/// not see the page.
#[component]
pub fn RequireUser(#[prop(optional)] roles: Vec<Role>, children: ChildrenFn) -> impl IntoView {
    let user = use_current_user().0;
    let location = use_location();
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let children = StoredValue::new(children);
    let roles = StoredValue::new(roles);
    view! {
        <Suspense fallback=Loading>
            // Awaited, not read with `.get()`: see `Header` in `ui/mod.rs`.
            {move || Suspend::new(async move {
                match user.await {
                        Ok(Some(u)) if roles.with_value(|r| r.is_empty() || r.contains(&u.role)) => {
                            children.with_value(|c| c()).into_any()
                        }
                        Ok(Some(_)) => {
                            #[cfg(feature = "ssr")]
                            if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
                                r.set_status(http::StatusCode::FORBIDDEN);
                            }
                            view! {
                                <PageTitle text=|l| l.t().forbidden_title.into() />
                                <h1>{move || t().forbidden_title}</h1>
                                <p>{move || t().forbidden_body}</p>
                            }
                                .into_any()
                        }
                        _ => {
                            let here = format!(
                                "{}{}",
                                location.pathname.get_untracked(),
                                location.search.get_untracked(),
                            );
                            view! { <Redirect path=sign_in_path(&here) /> }.into_any()
                        }
                }
            })}
        </Suspense>
    }
}

/// Sends the browser to `path` with a full load, so every part of the page
/// sees the new session.
fn hard_navigate(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// A server-function error as the sentence to show: the message, then
/// each field's problem.
pub fn error_text(e: &AppError) -> String {
    e.sentence()
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let query = use_query_map();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let action = Action::new(|(e, p): &(String, String)| sign_in(e.clone(), p.clone()));
    let error = RwSignal::new(None::<AppError>);
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => hard_navigate(&safe_next(query.get_untracked().get("next"))),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        action.dispatch((email.get_untracked(), password.get_untracked()));
    };
    view! {
        <PageTitle text=|l| l.t().sign_in_title.into() />
        <div class="narrow">
            <h1>{move || t().sign_in_title}</h1>
            <p>{move || t().sign_in_intro}</p>
            <FormError error />
            // Posted (never a GET that would put the password in the URL),
            // to the sign-in function itself should it be sent before the
            // page hydrates.
            <form class="stack" method="post" action="/sfn/auth/sign-in" on:submit=submit>
                <div class="field">
                    <label for="email">{move || t().email}</label>
                    <input
                        id="email"
                        name="email"
                        type="email"
                        autocomplete="username"
                        required
                        bind:value=email
                    />
                </div>
                <div class="field">
                    <label for="password">{move || t().password}</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        bind:value=password
                    />
                </div>
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {move || t().sign_in}
                </button>
            </form>
        </div>
    }
}

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let current = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let action = Action::new(|(c, n): &(String, String)| change_password(c.clone(), n.clone()));
    let error = RwSignal::new(None::<AppError>);
    let done = RwSignal::new(false);
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => {
            done.set(true);
            current.set(String::new());
            new_password.set(String::new());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    view! {
        <PageTitle text=|l| l.t().password_title.into() />
        <RequireUser>
            <div class="narrow">
                <h1>{move || t().password_title}</h1>
                <FormError error />
                <Show when=move || done.get()>
                    <p class="success" role="status">{move || t().password_changed}</p>
                </Show>
                <form
                    class="stack"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        error.set(None);
                        done.set(false);
                        action.dispatch((current.get_untracked(), new_password.get_untracked()));
                    }
                >
                    <div class="field">
                        <label for="current">{move || t().current_password}</label>
                        <input id="current" type="password" autocomplete="current-password" required bind:value=current />
                    </div>
                    <div class="field">
                        <label for="new-password">{move || t().new_password}</label>
                        <input id="new-password" type="password" autocomplete="new-password" minlength="12" required bind:value=new_password />
                    </div>
                    <button type="submit" class="primary">{move || t().save}</button>
                </form>
            </div>
        </RequireUser>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let query = use_query_map();
    let new_password = RwSignal::new(String::new());
    let action = Action::new(|(tok, n): &(String, String)| reset_password(tok.clone(), n.clone()));
    let error = RwSignal::new(None::<AppError>);
    let done = RwSignal::new(false);
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => done.set(true),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    view! {
        <PageTitle text=|l| l.t().reset_title.into() />
        <div class="narrow">
            <h1>{move || t().reset_title}</h1>
            <FormError error />
            <Show
                when=move || done.get()
                fallback=move || view! {
                    <form
                        class="stack"
                        on:submit=move |ev| {
                            ev.prevent_default();
                            error.set(None);
                            let token = query.get_untracked().get("token").unwrap_or_default();
                            action.dispatch((token, new_password.get_untracked()));
                        }
                    >
                        <div class="field">
                            <label for="new-password">{move || t().new_password}</label>
                            <input id="new-password" type="password" autocomplete="new-password" minlength="12" required bind:value=new_password />
                        </div>
                        <button type="submit" class="primary">{move || t().save}</button>
                    </form>
                }
            >
                <p class="success" role="status">{move || t().reset_done}</p>
                <p><a href="/sign-in">{move || t().sign_in}</a></p>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        for (given, want) in [
            ("/agreements/3", "/agreements/3"),
            ("/", "/"),
            ("//evil.example", "/"),
            ("/\t/evil.example", "/"),
            ("/\n/evil.example", "/"),
            ("/\\evil.example", "/"),
            ("https://evil.example", "/"),
            ("/a//b", "/"),
            ("evil.example", "/"),
        ] {
            assert_eq!(safe_next(Some(given.to_owned())), want, "{given:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
