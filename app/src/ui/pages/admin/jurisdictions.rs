//! The jurisdictions page: the governments organisations belong to.

use super::{Choice, Editor, EditorActions, Text};
use crate::domain::JurisdictionLevel;
use crate::i18n::{Lang, use_i18n};
use crate::server_fns::admin::*;
use crate::server_fns::notices::{add_holiday, load_holidays, remove_holiday};
use crate::ui::components::PageTitle;
use crate::ui::components::{DataTable, FormError, LoadError, Loading, col};
use crate::wire::admin::*;
use crate::wire::notices::{HolidayParams, HolidayView};
use leptos::prelude::*;

#[component]
pub fn JurisdictionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let list = Resource::new(|| (), |_| list_jurisdictions());
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let name_fr = RwSignal::new(String::new());
    let level = RwSignal::new(JurisdictionLevel::ProvincialState);
    let country = RwSignal::new(String::new());
    let parent = RwSignal::new(String::new());
    let editor = Editor::new(
        create_jurisdiction,
        update_jurisdiction,
        move || {
            for s in [code, name, name_fr, country, parent] {
                s.set(String::new());
            }
        },
        move || list.refetch(),
    );
    let Editor { editing, error, .. } = editor;
    let holidays_of = RwSignal::new(None::<(i32, String)>);
    view! {
        <PageTitle text=|l| l.t().jurisdictions_title.into() />
        <h1>{move || t().jurisdictions_title}</h1>
        <p class="lede">{move || t().jurisdictions_intro}</p>
        <FormError error />
        <h2>{move || if editing.get().is_some() { t().edit_jurisdiction } else { t().new_jurisdiction }}</h2>
        <form class="grid-form" on:submit=move |ev| {
            ev.prevent_default();
            let fr = name_fr.get_untracked();
            let p = parent.get_untracked();
            editor.submit(JurisdictionParams {
                code: code.get_untracked(),
                name: name.get_untracked(),
                name_fr: (!fr.trim().is_empty()).then_some(fr),
                level: level.get_untracked(),
                country_code: country.get_untracked(),
                parent_code: (!p.trim().is_empty()).then_some(p),
            });
        }>
            <Text id="j-code" label=Signal::derive(move || t().col_code) value=code required=true field="code" problems=error />
            <Text id="j-name" label=Signal::derive(move || t().name_en) value=name required=true field="name" problems=error />
            <Text id="j-name-fr" label=Signal::derive(move || t().name_fr) value=name_fr field="name_fr" problems=error />
            <Choice id="j-level" label=Signal::derive(move || t().level) all=JurisdictionLevel::ALL name=JurisdictionLevel::as_str text=Lang::level value=level />
            <Text id="j-country" label=Signal::derive(move || t().country_code) value=country required=true field="country_code" problems=error />
            <Text id="j-parent" label=Signal::derive(move || t().parent_code) value=parent field="parent_code" problems=error />
            <EditorActions editing cancel=editor.reset />
        </form>
        <Suspense fallback=Loading>
            {move || list.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(items) => {
                    let codes: std::collections::HashMap<i32, String> = items.iter().map(|j| (j.id, j.code.clone())).collect();
                    view! {
                        <DataTable columns=vec![col(|m| m.col_code), col(|m| m.col_name), col(|m| m.level), col(|m| m.country_code), col(|m| m.parent_code), col(|m| m.actions)]>
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
                                            {
                                                let (id, code) = (j.id, j.code);
                                                view! {
                                                    <button type="button" class="secondary small" data-testid="holidays-button"
                                                        aria-label=format!("{} {}", t().holidays_title, code)
                                                        on:click=move |_| holidays_of.set(Some((id, code.clone())))>{move || t().holidays_title}</button>
                                                }
                                            }
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </DataTable>
                    }.into_any()
                }
            })}
        </Suspense>
        {move || holidays_of.get().map(|(id, code)| view! { <Holidays id code /> })}
    }
}

/// A jurisdiction's holidays from this year on, to add to or remove from.
#[component]
fn Holidays(id: i32, code: String) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let refresh = RwSignal::new(0u32);
    let list = Resource::new(move || (id, refresh.get()), |(id, _)| load_holidays(id));
    let day = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let name_fr = RwSignal::new(String::new());
    let error = RwSignal::new(None::<crate::wire::error::AppError>);
    let add = Action::new(move |p: &HolidayParams| add_holiday(id, p.clone()));
    let remove = Action::new(move |h: &i32| remove_holiday(id, *h));
    Effect::new(move |_| match add.value().get() {
        Some(Ok(_)) => {
            error.set(None);
            day.set(String::new());
            name.set(String::new());
            name_fr.set(String::new());
            refresh.update(|n| *n += 1);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => refresh.update(|n| *n += 1),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let this_year = chrono::Datelike::year(&crate::clock::today());
    view! {
        <section aria-labelledby="h-holidays" data-testid="holidays">
            <h2 id="h-holidays">{move || t().holidays_title} " — " {code}</h2>
            <p class="note">{move || t().holidays_intro}</p>
            <FormError error />
            <form class="grid-form" on:submit=move |ev| {
                ev.prevent_default();
                let fr = name_fr.get_untracked();
                add.dispatch(HolidayParams {
                    day: day.get_untracked(),
                    name: name.get_untracked(),
                    name_fr: (!fr.trim().is_empty()).then_some(fr),
                });
            }>
                <div class="field">
                    <label for="h-day">{move || t().holiday_day}</label>
                    <input id="h-day" type="date" required prop:value=move || day.get() on:input=move |ev| day.set(event_target_value(&ev)) />
                </div>
                <Text id="h-name" label=Signal::derive(move || t().holiday_name) value=name required=true field="name" problems=error />
                <Text id="h-name-fr" label=Signal::derive(move || t().holiday_name_fr) value=name_fr field="name_fr" problems=error />
                <div class="actions"><button type="submit" class="primary" disabled=move || add.pending().get()>{move || t().add_holiday}</button></div>
            </form>
            <Transition fallback=Loading>
                {move || list.get().map(|r| match r {
                    Err(_) => view! { <LoadError /> }.into_any(),
                    Ok(items) => {
                        let items: Vec<HolidayView> = items.into_iter().filter(|h| chrono::Datelike::year(&h.day) >= this_year).collect();
                        if items.is_empty() {
                            return view! { <p class="empty">{move || t().holidays_empty}</p> }.into_any();
                        }
                        view! {
                            <DataTable columns=vec![col(|m| m.holiday_day), col(|m| m.holiday_name), col(|m| m.actions)]>
                                {items.into_iter().map(|h| {
                                    let hid = h.id;
                                    let label = format!("{} {}", t().remove, h.day);
                                    view! {
                                        <tr>
                                            <td class="nowrap">{move || lang().date(h.day)}</td>
                                            <th scope="row">{move || lang().pick_text(&h.name, h.name_fr.as_deref()).to_owned()}</th>
                                            <td><button type="button" class="secondary small" aria-label=label
                                                on:click=move |_| { remove.dispatch(hid); }>{move || t().remove}</button></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </DataTable>
                        }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}
