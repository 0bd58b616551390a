//! The API tokens page: tokens a partner's systems use to report, issued
//! and revoked; a token's secret is shown once.

use super::{Text, settle};
use crate::i18n::use_i18n;
use crate::server_fns::admin::*;
use crate::ui::components::PageTitle;
use crate::ui::components::{DataTable, FormError, LoadError, Loading, col};
use crate::wire::admin::*;
use crate::wire::error::AppError;
use leptos::prelude::*;

#[component]
pub fn TokensPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let tokens = Resource::new(|| (), |_| list_api_tokens());
    let error = RwSignal::new(None::<AppError>);
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
        <PageTitle text=|l| l.t().tokens_title.into() />
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
                Err(_) => error.set(Some(AppError {
                    details: vec![crate::wire::error::FieldError::new("days", "A token lasts from 1 to 730 days.")],
                    ..AppError::invalid("A token lasts from 1 to 730 days.")
                })),
            }
        }>
            <Text id="tok-org" label=Signal::derive(move || t().organisation_code) value=org required=true field="organisation_code" problems=error />
            <Text id="tok-name" label=Signal::derive(move || t().token_name) value=name required=true field="name" problems=error />
            <Text id="tok-days" label=Signal::derive(move || t().token_days) value=days kind="number" required=true field="days" problems=error />
            <div class="form-actions"><button type="submit" class="primary">{move || t().issue_token}</button></div>
        </form>
        <Suspense fallback=Loading>
            {move || tokens.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="empty">{move || t().no_tokens}</p> }.into_any(),
                Ok(list) => view! {
                    <DataTable columns=vec![col(|m| m.display_name), col(|m| m.col_organisation), col(|m| m.expires), col(|m| m.last_used), col(|m| m.status_label), col(|m| m.actions)] testid="tokens">
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
                    </DataTable>
                }.into_any(),
            })}
        </Suspense>
    }
}
