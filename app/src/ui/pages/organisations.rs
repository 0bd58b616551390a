//! The organisations directory: kind, sector and jurisdiction of every party.

use crate::i18n::use_i18n;
use crate::server_fns::organisations::list_organisations;
use crate::ui::components::PageTitle;
use crate::ui::components::{DataTable, LoadError, Loading, col};
use leptos::prelude::*;

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let organisations = Resource::new(|| (), |_| list_organisations());
    view! {
        <PageTitle text=|l| l.t().organisations_title.into() />
        <h1>{move || t().organisations_title}</h1>
        <p class="lede">{move || t().organisations_intro}</p>
        <Suspense fallback=Loading>
            {move || organisations.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(list) => {
                    let count = list.len();
                    view! {
                        <p class="count">{count} " " {move || t().organisations_count}</p>
                        <DataTable columns=vec![col(|m| m.col_code), col(|m| m.col_name), col(|m| m.col_kind), col(|m| m.col_sector), col(|m| m.col_jurisdiction)] testid="organisations">
                            {list.into_iter().map(|o| {
                                let (kind, sector) = (o.kind, o.sector);
                                let j = o.jurisdiction.clone();
                                view! {
                                    <tr>
                                        <td class="code">{o.code.clone()}</td>
                                        <th scope="row">{move || lang().pick_text(&o.name, o.name_fr.as_deref()).to_owned()}</th>
                                        <td>{move || lang().kind(kind)}</td>
                                        <td>{move || lang().sector(sector)}</td>
                                        <td>
                                            {move || j.as_ref().map_or_else(|| "—".to_owned(), |j| format!(
                                                "{} ({})",
                                                lang().pick_text(&j.name, j.name_fr.as_deref()),
                                                lang().level(j.level),
                                            ))}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </DataTable>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
