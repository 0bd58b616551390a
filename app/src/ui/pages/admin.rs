//! Administration pages: users, organisations, jurisdictions, API tokens and
//! the audit log. Every action goes through a server function, so the
//! service layer decides what is allowed; these pages only show it.

use crate::domain::{JurisdictionLevel, OrganisationKind, Role, Scope};
use crate::i18n::{Lang, use_i18n};
use crate::server_fns::admin::*;
use crate::server_fns::organisations::list_organisations;
use crate::ui::auth::error_text;
use crate::ui::components::{FormError, LoadError, Loading};
use crate::wire::admin::*;
use leptos::prelude::*;
use leptos_meta::Title;

/// A labelled text input bound to a signal.
#[component]
fn Text(
    id: &'static str,
    label: Signal<&'static str>,
    value: RwSignal<String>,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id name=id type=kind.unwrap_or("text") required=required bind:value=value />
        </div>
    }
}

/// A labelled `<select>` over an enum's values.
#[component]
fn Choice<T>(
    id: &'static str,
    label: Signal<&'static str>,
    all: &'static [T],
    name: fn(T) -> &'static str,
    text: fn(Lang, T) -> &'static str,
    value: RwSignal<T>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + std::str::FromStr + 'static,
{
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select
                id=id
                name=id
                on:change=move |ev| {
                    if let Ok(v) = event_target_value(&ev).parse::<T>() {
                        value.set(v);
                    }
                }
            >
                {all
                    .iter()
                    .map(|v| {
                        let v = *v;
                        view! {
                            <option value=name(v) selected=move || value.get() == v>
                                {move || text(i18n.lang.get(), v)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// Runs `result`'s outcome into `error` and returns whether it succeeded.
fn settle<T>(result: Result<T, ServerFnError>, error: RwSignal<Option<String>>) -> Option<T> {
    match result {
        Ok(v) => {
            error.set(None);
            Some(v)
        }
        Err(e) => {
            error.set(Some(error_text(&e)));
            None
        }
    }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let users = Resource::new(|| (), |_| list_users());
    let error = RwSignal::new(None::<String>);
    let reset_link = RwSignal::new(None::<(String, String)>);

    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let org = RwSignal::new(String::new());
    let pw = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Reporter);
    let scope = RwSignal::new(Scope::Organisation);
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
        <Title text=move || t().users_title />
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
                    <div class="table-wrap">
                        <table class="data" data-testid="users">
                            <thead>
                                <tr>
                                    <th scope="col">{move || t().email}</th>
                                    <th scope="col">{move || t().display_name}</th>
                                    <th scope="col">{move || t().col_organisation}</th>
                                    <th scope="col">{move || t().role_label}</th>
                                    <th scope="col">{move || t().scope_label}</th>
                                    <th scope="col">{move || t().status_label}</th>
                                    <th scope="col">{move || t().actions}</th>
                                </tr>
                            </thead>
                            <tbody>
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
                            </tbody>
                        </table>
                    </div>
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
            });
        }>
            <Text id="new-email" label=Signal::derive(move || t().email) value=email kind="email" required=true />
            <Text id="new-name" label=Signal::derive(move || t().display_name) value=name required=true />
            <Text id="new-org" label=Signal::derive(move || t().organisation_code) value=org required=true />
            <Choice id="new-role" label=Signal::derive(move || t().role_label) all=Role::ALL name=Role::as_str text=Lang::role_name value=role />
            <Choice id="new-scope" label=Signal::derive(move || t().scope_label) all=Scope::ALL name=Scope::as_str text=Lang::scope_name value=scope />
            <Text id="new-password" label=Signal::derive(move || t().initial_password) value=pw kind="password" required=true />
            <div class="form-actions"><button type="submit" class="primary">{move || t().create}</button></div>
        </form>
    }
}

#[component]
pub fn OrganisationsAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let orgs = Resource::new(|| (), |_| list_organisations());
    let error = RwSignal::new(None::<String>);
    let editing = RwSignal::new(None::<i32>);
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let name_fr = RwSignal::new(String::new());
    let kind = RwSignal::new(OrganisationKind::Ministry);
    let jurisdiction = RwSignal::new(String::new());
    let clear = move || {
        editing.set(None);
        for s in [code, name, name_fr, jurisdiction] {
            s.set(String::new());
        }
    };
    let save = Action::new(move |(id, p): &(Option<i32>, OrganisationParams)| {
        let (id, p) = (*id, p.clone());
        async move {
            match id {
                Some(id) => update_organisation(id, p).await,
                None => create_organisation(p).await,
            }
        }
    });
    Effect::new(move |_| {
        if let Some(r) = save.value().get()
            && settle(r, error).is_some()
        {
            clear();
            orgs.refetch();
        }
    });
    view! {
        <Title text=move || t().organisations_admin_title />
        <h1>{move || t().organisations_admin_title}</h1>
        <p class="lede">{move || t().organisations_admin_intro}</p>
        <FormError error />
        <h2>{move || if editing.get().is_some() { t().edit_organisation } else { t().new_organisation }}</h2>
        <form class="grid-form" on:submit=move |ev| {
            ev.prevent_default();
            let j = jurisdiction.get_untracked();
            let fr = name_fr.get_untracked();
            save.dispatch((editing.get_untracked(), OrganisationParams {
                code: code.get_untracked(),
                name: name.get_untracked(),
                name_fr: (!fr.trim().is_empty()).then_some(fr),
                kind: kind.get_untracked(),
                jurisdiction_code: (!j.trim().is_empty()).then_some(j),
            }));
        }>
            <Text id="org-code" label=Signal::derive(move || t().col_code) value=code required=true />
            <Text id="org-name" label=Signal::derive(move || t().name_en) value=name required=true />
            <Text id="org-name-fr" label=Signal::derive(move || t().name_fr) value=name_fr />
            <Choice id="org-kind" label=Signal::derive(move || t().col_kind) all=OrganisationKind::ALL name=OrganisationKind::as_str text=Lang::kind value=kind />
            <Text id="org-jurisdiction" label=Signal::derive(move || t().jurisdiction_code) value=jurisdiction />
            <div class="form-actions">
                <button type="submit" class="primary">{move || if editing.get().is_some() { t().save } else { t().create }}</button>
                <Show when=move || editing.get().is_some()>
                    <button type="button" class="secondary" on:click=move |_| clear()>{move || t().cancel}</button>
                </Show>
            </div>
        </form>
        <Suspense fallback=Loading>
            {move || orgs.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(list) => view! {
                    <div class="table-wrap">
                        <table class="data">
                            <thead>
                                <tr>
                                    <th scope="col">{move || t().col_code}</th>
                                    <th scope="col">{move || t().col_name}</th>
                                    <th scope="col">{move || t().col_kind}</th>
                                    <th scope="col">{move || t().col_jurisdiction}</th>
                                    <th scope="col">{move || t().actions}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|o| {
                                    let k = o.kind;
                                    let o2 = o.clone();
                                    view! {
                                        <tr>
                                            <td class="code">{o.code.clone()}</td>
                                            <th scope="row">{o.name.clone()}</th>
                                            <td>{move || lang().kind(k)}</td>
                                            <td class="code">{o.jurisdiction.as_ref().map(|j| j.code.clone()).unwrap_or_default()}</td>
                                            <td>
                                                <button type="button" class="secondary small" aria-label=format!("{} {}", t().edit, o.code) on:click=move |_| {
                                                    editing.set(Some(o2.id));
                                                    code.set(o2.code.clone());
                                                    name.set(o2.name.clone());
                                                    name_fr.set(o2.name_fr.clone().unwrap_or_default());
                                                    kind.set(o2.kind);
                                                    jurisdiction.set(o2.jurisdiction.as_ref().map(|j| j.code.clone()).unwrap_or_default());
                                                }>{move || t().edit}</button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn JurisdictionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let list = Resource::new(|| (), |_| list_jurisdictions());
    let error = RwSignal::new(None::<String>);
    let editing = RwSignal::new(None::<i32>);
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let name_fr = RwSignal::new(String::new());
    let level = RwSignal::new(JurisdictionLevel::ProvincialState);
    let country = RwSignal::new(String::new());
    let parent = RwSignal::new(String::new());
    let clear = move || {
        editing.set(None);
        for s in [code, name, name_fr, country, parent] {
            s.set(String::new());
        }
    };
    let save = Action::new(move |(id, p): &(Option<i32>, JurisdictionParams)| {
        let (id, p) = (*id, p.clone());
        async move {
            match id {
                Some(id) => update_jurisdiction(id, p).await,
                None => create_jurisdiction(p).await,
            }
        }
    });
    Effect::new(move |_| {
        if let Some(r) = save.value().get()
            && settle(r, error).is_some()
        {
            clear();
            list.refetch();
        }
    });
    view! {
        <Title text=move || t().jurisdictions_title />
        <h1>{move || t().jurisdictions_title}</h1>
        <p class="lede">{move || t().jurisdictions_intro}</p>
        <FormError error />
        <h2>{move || if editing.get().is_some() { t().edit_jurisdiction } else { t().new_jurisdiction }}</h2>
        <form class="grid-form" on:submit=move |ev| {
            ev.prevent_default();
            let fr = name_fr.get_untracked();
            let p = parent.get_untracked();
            save.dispatch((editing.get_untracked(), JurisdictionParams {
                code: code.get_untracked(),
                name: name.get_untracked(),
                name_fr: (!fr.trim().is_empty()).then_some(fr),
                level: level.get_untracked(),
                country_code: country.get_untracked(),
                parent_code: (!p.trim().is_empty()).then_some(p),
            }));
        }>
            <Text id="j-code" label=Signal::derive(move || t().col_code) value=code required=true />
            <Text id="j-name" label=Signal::derive(move || t().name_en) value=name required=true />
            <Text id="j-name-fr" label=Signal::derive(move || t().name_fr) value=name_fr />
            <Choice id="j-level" label=Signal::derive(move || t().level) all=JurisdictionLevel::ALL name=JurisdictionLevel::as_str text=Lang::level value=level />
            <Text id="j-country" label=Signal::derive(move || t().country_code) value=country required=true />
            <Text id="j-parent" label=Signal::derive(move || t().parent_code) value=parent />
            <div class="form-actions">
                <button type="submit" class="primary">{move || if editing.get().is_some() { t().save } else { t().create }}</button>
                <Show when=move || editing.get().is_some()>
                    <button type="button" class="secondary" on:click=move |_| clear()>{move || t().cancel}</button>
                </Show>
            </div>
        </form>
        <Suspense fallback=Loading>
            {move || list.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(items) => {
                    let codes: std::collections::HashMap<i32, String> = items.iter().map(|j| (j.id, j.code.clone())).collect();
                    view! {
                        <div class="table-wrap">
                            <table class="data">
                                <thead>
                                    <tr>
                                        <th scope="col">{move || t().col_code}</th>
                                        <th scope="col">{move || t().col_name}</th>
                                        <th scope="col">{move || t().level}</th>
                                        <th scope="col">{move || t().country_code}</th>
                                        <th scope="col">{move || t().parent_code}</th>
                                        <th scope="col">{move || t().actions}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {items.into_iter().map(|j| {
                                        let lv = j.level;
                                        let parent_code = j.parent_id.and_then(|p| codes.get(&p).cloned()).unwrap_or_default();
                                        let j2 = j.clone();
                                        let pc = parent_code.clone();
                                        view! {
                                            <tr>
                                                <td class="code">{j.code.clone()}</td>
                                                <th scope="row">{j.name.clone()}</th>
                                                <td>{move || lang().level(lv)}</td>
                                                <td>{j.country_code.clone()}</td>
                                                <td class="code">{parent_code}</td>
                                                <td>
                                                    <button type="button" class="secondary small" aria-label=format!("{} {}", t().edit, j.code) on:click=move |_| {
                                                        editing.set(Some(j2.id));
                                                        code.set(j2.code.clone());
                                                        name.set(j2.name.clone());
                                                        name_fr.set(j2.name_fr.clone().unwrap_or_default());
                                                        level.set(j2.level);
                                                        country.set(j2.country_code.clone());
                                                        parent.set(pc.clone());
                                                    }>{move || t().edit}</button>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn TokensPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let tokens = Resource::new(|| (), |_| list_api_tokens());
    let error = RwSignal::new(None::<String>);
    let issued = RwSignal::new(None::<String>);
    let org = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let days = RwSignal::new("365".to_owned());
    let issue = Action::new(move |p: &IssueTokenParams| issue_api_token(p.clone()));
    let revoke = Action::new(move |id: &i32| revoke_api_token(*id));
    Effect::new(move |_| {
        if let Some(r) = issue.value().get()
            && let Some(v) = settle(r, error)
        {
            issued.set(Some(v.token));
            name.set(String::new());
            tokens.refetch();
        }
    });
    Effect::new(move |_| {
        if let Some(r) = revoke.value().get()
            && settle(r, error).is_some()
        {
            tokens.refetch();
        }
    });
    view! {
        <Title text=move || t().tokens_title />
        <h1>{move || t().tokens_title}</h1>
        <p class="lede">{move || t().tokens_intro}</p>
        <FormError error />
        {move || issued.get().map(|tok| view! {
            <div class="notice" role="status">
                <p>{move || t().token_shown_once}</p>
                <p><code data-testid="issued-token">{tok}</code></p>
            </div>
        })}
        <h2>{move || t().issue_token}</h2>
        <form class="grid-form" on:submit=move |ev| {
            ev.prevent_default();
            issued.set(None);
            match days.get_untracked().trim().parse::<i64>() {
                Ok(d) => { issue.dispatch(IssueTokenParams { organisation_code: org.get_untracked(), name: name.get_untracked(), days: d }); }
                Err(_) => error.set(Some("A token lasts from 1 to 730 days.".into())),
            }
        }>
            <Text id="tok-org" label=Signal::derive(move || t().organisation_code) value=org required=true />
            <Text id="tok-name" label=Signal::derive(move || t().token_name) value=name required=true />
            <Text id="tok-days" label=Signal::derive(move || t().token_days) value=days kind="number" required=true />
            <div class="form-actions"><button type="submit" class="primary">{move || t().issue_token}</button></div>
        </form>
        <Suspense fallback=Loading>
            {move || tokens.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="empty">{move || t().no_tokens}</p> }.into_any(),
                Ok(list) => view! {
                    <div class="table-wrap">
                        <table class="data" data-testid="tokens">
                            <thead>
                                <tr>
                                    <th scope="col">{move || t().display_name}</th>
                                    <th scope="col">{move || t().col_organisation}</th>
                                    <th scope="col">{move || t().expires}</th>
                                    <th scope="col">{move || t().last_used}</th>
                                    <th scope="col">{move || t().status_label}</th>
                                    <th scope="col">{move || t().actions}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|k| {
                                    let id = k.id;
                                    let revoked = k.revoked_at.is_some();
                                    view! {
                                        <tr>
                                            <th scope="row">{k.name.clone()}</th>
                                            <td class="code">{k.organisation_code.clone()}</td>
                                            <td>{k.expires_at.clone()}</td>
                                            <td>{k.last_used_at.unwrap_or_else(|| "—".into())}</td>
                                            <td>{move || if revoked { t().revoked } else { t().enabled }}</td>
                                            <td>
                                                {(!revoked).then(|| view! {
                                                    <button type="button" class="secondary small" on:click=move |_| { revoke.dispatch(id); }>
                                                        {move || t().revoke}
                                                    </button>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            })}
        </Suspense>
    }
}

const AUDIT_PAGE: u64 = 50;

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let action = RwSignal::new(String::new());
    let entity = RwSignal::new(String::new());
    let offset = RwSignal::new(0u64);
    let applied = RwSignal::new((String::new(), String::new()));
    let page = Resource::new(
        move || (applied.get(), offset.get()),
        |((a, e), off)| {
            list_audit(AuditFilters {
                action: (!a.is_empty()).then_some(a),
                entity: (!e.is_empty()).then_some(e),
                actor_id: None,
                limit: Some(AUDIT_PAGE),
                offset: Some(off),
            })
        },
    );
    let json = |v: Option<serde_json::Value>| v.map(|v| v.to_string()).unwrap_or_default();
    view! {
        <Title text=move || t().audit_title />
        <h1>{move || t().audit_title}</h1>
        <p class="lede">{move || t().audit_intro}</p>
        <form class="filters" on:submit=move |ev| {
            ev.prevent_default();
            offset.set(0);
            applied.set((action.get_untracked().trim().to_owned(), entity.get_untracked().trim().to_owned()));
        }>
            <fieldset>
                <legend>{move || t().filter}</legend>
                <Text id="a-action" label=Signal::derive(move || t().action) value=action />
                <Text id="a-entity" label=Signal::derive(move || t().entity) value=entity />
                <button type="submit" class="secondary">{move || t().filter}</button>
            </fieldset>
        </form>
        <Transition fallback=Loading>
            {move || page.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(p) => {
                    let total = p.total;
                    view! {
                        <p class="count">{total} " " {move || t().entries}</p>
                        <div class="table-wrap">
                            <table class="data" data-testid="audit">
                                <thead>
                                    <tr>
                                        <th scope="col">{move || t().when}</th>
                                        <th scope="col">{move || t().who}</th>
                                        <th scope="col">{move || t().action}</th>
                                        <th scope="col">{move || t().entity}</th>
                                        <th scope="col">{move || t().before}</th>
                                        <th scope="col">{move || t().after}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p.items.into_iter().map(|e| view! {
                                        <tr>
                                            <td class="nowrap">{e.at.clone()}</td>
                                            <td>{e.actor_email.clone().unwrap_or_else(|| if e.api_token_id.is_some() { "API".into() } else { "—".into() })}</td>
                                            <td class="code">{e.action.clone()}</td>
                                            <td class="code">{e.entity.clone()} {e.entity_id.map(|i| format!(" #{i}"))}</td>
                                            <td class="json">{json(e.before.clone())}</td>
                                            <td class="json">{json(e.after)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <div class="pager">
                            <button type="button" class="secondary" disabled=move || offset.get() == 0
                                on:click=move |_| offset.update(|o| *o = o.saturating_sub(AUDIT_PAGE))>
                                {move || t().previous}
                            </button>
                            <button type="button" class="secondary" disabled=move || offset.get() + AUDIT_PAGE >= total
                                on:click=move |_| offset.update(|o| *o += AUDIT_PAGE)>
                                {move || t().next}
                            </button>
                        </div>
                    }.into_any()
                }
            })}
        </Transition>
    }
}

/// The KPI catalogue: the standard measures, their names in both
/// languages, unit, direction and whether they aggregate as a ratio.
#[component]
pub fn KpisPage() -> impl IntoView {
    use crate::domain::{KpiDirection, KpiUnit};
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let list = Resource::new(|| (), |_| list_kpis());
    let error = RwSignal::new(None::<String>);
    let editing = RwSignal::new(None::<i32>);
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let name_fr = RwSignal::new(String::new());
    let unit = RwSignal::new(KpiUnit::Percent);
    let direction = RwSignal::new(KpiDirection::HigherIsBetter);
    let is_ratio = RwSignal::new(false);
    let clear = move || {
        editing.set(None);
        for s in [code, name, name_fr] {
            s.set(String::new());
        }
        is_ratio.set(false);
    };
    let save = Action::new(move |(id, p): &(Option<i32>, KpiParams)| {
        let (id, p) = (*id, p.clone());
        async move {
            match id {
                Some(id) => update_kpi(id, p).await,
                None => create_kpi(p).await,
            }
        }
    });
    Effect::new(move |_| {
        if let Some(r) = save.value().get()
            && settle(r, error).is_some()
        {
            clear();
            list.refetch();
        }
    });
    view! {
        <Title text=move || t().kpis_title />
        <h1>{move || t().kpis_title}</h1>
        <p class="lede">{move || t().kpis_intro}</p>
        <FormError error />
        <h2>{move || if editing.get().is_some() { t().edit_kpi } else { t().new_kpi }}</h2>
        <form class="grid-form" data-testid="kpi-form" on:submit=move |ev| {
            ev.prevent_default();
            let fr = name_fr.get_untracked();
            save.dispatch((editing.get_untracked(), KpiParams {
                code: code.get_untracked(),
                name: name.get_untracked(),
                name_fr: (!fr.trim().is_empty()).then_some(fr),
                unit: unit.get_untracked(),
                direction: direction.get_untracked(),
                is_ratio: is_ratio.get_untracked(),
            }));
        }>
            <Text id="k-code" label=Signal::derive(move || t().col_code) value=code required=true />
            <Text id="k-name" label=Signal::derive(move || t().name_en) value=name required=true />
            <Text id="k-name-fr" label=Signal::derive(move || t().name_fr) value=name_fr />
            <Choice id="k-unit" label=Signal::derive(move || t().kpi_unit) all=KpiUnit::ALL name=KpiUnit::as_str text=Lang::kpi_unit value=unit />
            <Choice id="k-direction" label=Signal::derive(move || t().kpi_direction) all=KpiDirection::ALL name=KpiDirection::as_str text=Lang::kpi_direction value=direction />
            <div class="field">
                <label class="inline"><input type="checkbox" prop:checked=move || is_ratio.get()
                    on:change=move |ev| is_ratio.set(event_target_checked(&ev)) />
                    " " {move || t().kpi_ratio}</label>
            </div>
            <div class="form-actions">
                <button type="submit" class="primary">{move || if editing.get().is_some() { t().save } else { t().create }}</button>
                <Show when=move || editing.get().is_some()>
                    <button type="button" class="secondary" on:click=move |_| clear()>{move || t().cancel}</button>
                </Show>
            </div>
        </form>
        <Suspense fallback=Loading>
            {move || list.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(items) => view! {
                    <div class="table-wrap">
                        <table class="data" data-testid="kpis">
                            <thead>
                                <tr>
                                    <th scope="col">{move || t().col_code}</th>
                                    <th scope="col">{move || t().col_name}</th>
                                    <th scope="col">{move || t().kpi_unit}</th>
                                    <th scope="col">{move || t().kpi_direction}</th>
                                    <th scope="col">{move || t().kpi_ratio}</th>
                                    <th scope="col" class="num">{move || t().commitments}</th>
                                    <th scope="col">{move || t().actions}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {items.into_iter().map(|k| {
                                    let (u, d) = (k.unit, k.direction);
                                    let k2 = k.clone();
                                    let label = format!("{} {}", t().edit, k.code);
                                    view! {
                                        <tr>
                                            <td class="code">{k.code.clone()}</td>
                                            <th scope="row">{move || lang().pick_text(&k.name, k.name_fr.as_deref()).to_owned()}</th>
                                            <td>{move || lang().kpi_unit(u)}</td>
                                            <td>{move || lang().kpi_direction(d)}</td>
                                            <td>{if k.is_ratio { "✓" } else { "" }}</td>
                                            <td class="num">{k.commitments}</td>
                                            <td>
                                                <button type="button" class="secondary small" aria-label=label on:click=move |_| {
                                                    editing.set(Some(k2.id));
                                                    code.set(k2.code.clone());
                                                    name.set(k2.name.clone());
                                                    name_fr.set(k2.name_fr.clone().unwrap_or_default());
                                                    unit.set(k2.unit);
                                                    direction.set(k2.direction);
                                                    is_ratio.set(k2.is_ratio);
                                                }>{move || t().edit}</button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            })}
        </Suspense>
    }
}
