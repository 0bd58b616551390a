//! The users page: everyone who may sign in, their role and scope; adding
//! a user, changing a role, disabling an account, resetting a password.

use super::{Choice, Text, settle};
use crate::domain::{Role, Scope};
use crate::i18n::{Lang, use_i18n};
use crate::server_fns::admin::*;
use crate::ui::components::PageTitle;
use crate::ui::components::{DataTable, FormError, LoadError, Loading, col};
use crate::wire::admin::*;
use crate::wire::error::AppError;
use leptos::prelude::*;

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let users = Resource::new(|| (), |_| list_users());
    let error = RwSignal::new(None::<AppError>);
    let reset_link = RwSignal::new(None::<(String, String)>);

    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let org = RwSignal::new(String::new());
    let pw = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Reporter);
    let scope = RwSignal::new(Scope::Organisation);
    let user_lang = RwSignal::new(Lang::En);
    let create = Action::new(move |p: &CreateUserParams| create_user(p.clone()));
    Effect::new(move |_| {
        if let Some(r) = create.value().get()
            && settle(r, error).is_some()
        {
            for s in [email, name, org, pw] {
                s.set(String::new());
            }
            users.refetch();
        }
    });
    let update = Action::new(move |(id, p): &(i32, UpdateUserParams)| update_user(*id, p.clone()));
    let unlock = Action::new(move |id: &i32| unlock_user(*id));
    let reset = Action::new(move |id: &i32| issue_reset_link(*id));
    Effect::new(move |_| {
        let done = [
            update.value().get().map(|r| r.map(|_| ())),
            unlock.value().get().map(|r| r.map(|_| ())),
        ];
        if done
            .into_iter()
            .flatten()
            .any(|r| settle(r, error).is_some())
        {
            users.refetch();
        }
    });
    Effect::new(move |_| {
        if let Some(r) = reset.value().get()
            && let Some(link) = settle(r, error)
        {
            let origin = {
                #[cfg(feature = "hydrate")]
                {
                    window().location().origin().unwrap_or_default()
                }
                #[cfg(not(feature = "hydrate"))]
                {
                    String::new()
                }
            };
            reset_link.set(Some((format!("{origin}{}", link.path), link.expires_at)));
        }
    });

    view! {
        <PageTitle text=|l| l.t().users_title.into() />
        <h1>{move || t().users_title}</h1>
        <p class="lede">{move || t().users_intro}</p>
        <FormError error />
        {move || reset_link.get().map(|(link, expires)| view! {
            <div class="notice" role="status">
                <p>{move || t().reset_link_shown_once}</p>
                <p><code data-testid="reset-link">{link}</code></p>
                <p class="muted">{move || t().expires} " " {expires}</p>
            </div>
        })}
        <Suspense fallback=Loading>
            {move || users.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(list) => view! {
                    <DataTable columns=vec![col(|m| m.email), col(|m| m.display_name), col(|m| m.col_organisation), col(|m| m.role_label), col(|m| m.scope_label), col(|m| m.status_label), col(|m| m.actions)] testid="users">
                        {list.into_iter().map(|u| {
                            let id = u.id;
                            let locked = u.locked_until.clone();
                            let disabled = u.disabled;
                            let label = u.email.clone();
                            view! {
                                <tr>
                                    <th scope="row">{u.email.clone()}</th>
                                    <td>{u.display_name.clone()}</td>
                                    <td class="code">{u.organisation_code.clone()}</td>
                                    <td>
                                        <select
                                            aria-label=format!("{} — {}", t().role_label, label)
                                            on:change=move |ev| {
                                                if let Ok(r) = event_target_value(&ev).parse::<Role>() {
                                                    update.dispatch((id, UpdateUserParams { role: Some(r), ..Default::default() }));
                                                }
                                            }
                                        >
                                            {Role::ALL.iter().map(|r| {
                                                let r = *r;
                                                view! { <option value=r.as_str() selected=u.role == r>{move || lang().role_name(r)}</option> }
                                            }).collect_view()}
                                        </select>
                                    </td>
                                    <td>
                                        <select
                                            aria-label=format!("{} — {}", t().scope_label, u.email)
                                            on:change=move |ev| {
                                                if let Ok(s) = event_target_value(&ev).parse::<Scope>() {
                                                    update.dispatch((id, UpdateUserParams { scope: Some(s), ..Default::default() }));
                                                }
                                            }
                                        >
                                            {Scope::ALL.iter().map(|s| {
                                                let s = *s;
                                                view! { <option value=s.as_str() selected=u.scope == s>{move || lang().scope_name(s)}</option> }
                                            }).collect_view()}
                                        </select>
                                    </td>
                                    <td>
                                        {if disabled { t().disabled } else { t().enabled }}
                                        {locked.clone().map(|l| view! { <br /><span class="warn">{move || t().locked_until} " " {l}</span> })}
                                    </td>
                                    <td class="actions">
                                        <button type="button" class="secondary small" on:click=move |_| {
                                            update.dispatch((id, UpdateUserParams { disabled: Some(!disabled), ..Default::default() }));
                                        }>
                                            {move || if disabled { t().enable } else { t().disable }}
                                        </button>
                                        <button type="button" class="secondary small" on:click=move |_| { reset.dispatch(id); }>
                                            {move || t().reset_link}
                                        </button>
                                        {locked.is_some().then(|| view! {
                                            <button type="button" class="secondary small" on:click=move |_| { unlock.dispatch(id); }>
                                                {move || t().unlock}
                                            </button>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                }.into_any(),
            })}
        </Suspense>
        <h2>{move || t().create_user}</h2>
        <form class="grid-form" on:submit=move |ev| {
            ev.prevent_default();
            create.dispatch(CreateUserParams {
                email: email.get_untracked(),
                display_name: name.get_untracked(),
                role: role.get_untracked(),
                scope: scope.get_untracked(),
                organisation_code: org.get_untracked(),
                password: pw.get_untracked(),
                lang: user_lang.get_untracked(),
            });
        }>
            <Text id="new-email" label=Signal::derive(move || t().email) value=email kind="email" required=true field="email" problems=error />
            <Text id="new-name" label=Signal::derive(move || t().display_name) value=name required=true field="display_name" problems=error />
            <Text id="new-org" label=Signal::derive(move || t().organisation_code) value=org required=true field="organisation_code" problems=error />
            <Choice id="new-role" label=Signal::derive(move || t().role_label) all=Role::ALL name=Role::as_str text=Lang::role_name value=role />
            <Choice id="new-scope" label=Signal::derive(move || t().scope_label) all=Scope::ALL name=Scope::as_str text=Lang::scope_name value=scope />
            <Choice id="new-lang" label=Signal::derive(move || t().language_label) all=Lang::ALL name=Lang::code text=Lang::language_name value=user_lang />
            <Text id="new-password" label=Signal::derive(move || t().initial_password) value=pw kind="password" required=true field="password" problems=error />
            <div class="form-actions"><button type="submit" class="primary">{move || t().create}</button></div>
        </form>
    }
}
