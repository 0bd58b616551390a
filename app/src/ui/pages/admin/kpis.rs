//! The KPI catalogue page: the indicators commitments are measured by.

use super::{Choice, Editor, EditorActions, Text};
use crate::i18n::{Lang, use_i18n};
use crate::server_fns::admin::*;
use crate::ui::components::PageTitle;
use crate::ui::components::{DataTable, FormError, LoadError, Loading, col, num};
use crate::wire::admin::*;
use leptos::prelude::*;

/// The KPI catalogue: the standard measures, their names in both
/// languages, unit, direction and whether they aggregate as a ratio.
#[component]
pub fn KpisPage() -> impl IntoView {
    use crate::domain::{KpiDirection, KpiUnit};
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let list = Resource::new(|| (), |_| list_kpis());
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let name_fr = RwSignal::new(String::new());
    let unit = RwSignal::new(KpiUnit::Percent);
    let direction = RwSignal::new(KpiDirection::HigherIsBetter);
    let is_ratio = RwSignal::new(false);
    let editor = Editor::new(
        create_kpi,
        update_kpi,
        move || {
            for s in [code, name, name_fr] {
                s.set(String::new());
            }
            is_ratio.set(false);
        },
        move || list.refetch(),
    );
    let Editor { editing, error, .. } = editor;
    view! {
        <PageTitle text=|l| l.t().kpis_title.into() />
        <h1>{move || t().kpis_title}</h1>
        <p class="lede">{move || t().kpis_intro}</p>
        <FormError error />
        <h2>{move || if editing.get().is_some() { t().edit_kpi } else { t().new_kpi }}</h2>
        <form class="grid-form" data-testid="kpi-form" on:submit=move |ev| {
            ev.prevent_default();
            let fr = name_fr.get_untracked();
            editor.submit(KpiParams {
                code: code.get_untracked(),
                name: name.get_untracked(),
                name_fr: (!fr.trim().is_empty()).then_some(fr),
                unit: unit.get_untracked(),
                direction: direction.get_untracked(),
                is_ratio: is_ratio.get_untracked(),
            });
        }>
            <Text id="k-code" label=Signal::derive(move || t().col_code) value=code required=true field="code" problems=error />
            <Text id="k-name" label=Signal::derive(move || t().name_en) value=name required=true field="name" problems=error />
            <Text id="k-name-fr" label=Signal::derive(move || t().name_fr) value=name_fr field="name_fr" problems=error />
            <Choice id="k-unit" label=Signal::derive(move || t().kpi_unit) all=KpiUnit::ALL name=KpiUnit::as_str text=Lang::kpi_unit value=unit />
            <Choice id="k-direction" label=Signal::derive(move || t().kpi_direction) all=KpiDirection::ALL name=KpiDirection::as_str text=Lang::kpi_direction value=direction />
            <div class="field">
                <label class="inline"><input type="checkbox" prop:checked=move || is_ratio.get()
                    on:change=move |ev| is_ratio.set(event_target_checked(&ev)) />
                    " " {move || t().kpi_ratio}</label>
            </div>
            <EditorActions editing cancel=editor.reset />
        </form>
        <Suspense fallback=Loading>
            {move || list.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(items) => view! {
                    <DataTable columns=vec![col(|m| m.col_code), col(|m| m.col_name), col(|m| m.kpi_unit), col(|m| m.kpi_direction), col(|m| m.kpi_ratio), num(|m| m.commitments), col(|m| m.actions)] testid="kpis">
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
                    </DataTable>
                }.into_any(),
            })}
        </Suspense>
    }
}
