//! Uploading a CSV file to an import endpoint (all rows or none), shared
//! by the pages that take one: the file is posted as `text/csv` with the
//! session's cookie; the answer is the count imported or the error of
//! API.md's shape, every bad row by line.

use crate::i18n::use_i18n;
use crate::wire::error::AppError;
use leptos::prelude::*;

/// Posts the chosen file to `url` as CSV; returns the status and body.
#[cfg(feature = "hydrate")]
pub async fn upload_csv(url: String, file: web_sys::File) -> Result<(u16, String), String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let fail = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&file);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let headers = web_sys::Headers::new().map_err(fail)?;
    headers.set("Content-Type", "text/csv").map_err(fail)?;
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(&url, &init).map_err(fail)?;
    let response: web_sys::Response = JsFuture::from(window().fetch_with_request(&request))
        .await
        .map_err(fail)?
        .dyn_into()
        .map_err(fail)?;
    let text = JsFuture::from(response.text().map_err(fail)?)
        .await
        .map_err(fail)?
        .as_string()
        .unwrap_or_default();
    Ok((response.status(), text))
}

/// What an upload came to: `201` with `{"imported": N}` is N rows, any
/// other answer its error.
#[cfg(feature = "hydrate")]
pub fn imported(answer: Result<(u16, String), String>) -> Result<u64, AppError> {
    match answer {
        Ok((201, body)) => Ok(serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["imported"].as_u64())
            .unwrap_or(0)),
        Ok((_, body)) => Err(AppError::from_body(&body)),
        Err(e) => Err(AppError::new(crate::wire::error::UNREACHABLE, e)),
    }
}

/// A form that uploads one CSV file to `url`, then shows how many rows
/// were imported (and calls `done`) or every bad row by line. A page that
/// redraws the form when its data reloads passes its own `outcome`, so the
/// answer outlives the redraw.
#[component]
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
pub fn CsvUpload(
    url: Signal<String>,
    /// The file input's id (its label points at it).
    input_id: &'static str,
    testid: &'static str,
    done: Callback<()>,
    #[prop(optional)] outcome: Option<RwSignal<Option<Result<u64, AppError>>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let file_input = NodeRef::<leptos::html::Input>::new();
    let busy = RwSignal::new(false);
    let outcome = outcome.unwrap_or_else(|| RwSignal::new(None));
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        outcome.set(None);
        #[cfg(feature = "hydrate")]
        {
            let Some(file) = file_input
                .get()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0))
            else {
                outcome.set(Some(Err(AppError::invalid(t().choose_file))));
                return;
            };
            busy.set(true);
            let url = url.get_untracked();
            leptos::task::spawn_local(async move {
                let r = imported(upload_csv(url, file).await);
                busy.set(false);
                if r.is_ok() {
                    done.run(());
                }
                outcome.set(Some(r));
            });
        }
    };
    view! {
        <form class="inline-form" on:submit=send data-testid=testid>
            <div class="field">
                <label for=input_id>{move || t().csv_file}</label>
                <input id=input_id type="file" accept=".csv,text/csv" node_ref=file_input />
            </div>
            <button type="submit" class="secondary" disabled=move || busy.get()>{move || t().upload}</button>
        </form>
        {move || outcome.get().map(|r| match r {
            Ok(n) => view! { <p class="success" role="status" data-testid=format!("{testid}-ok")>{n} " " {move || t().rows_imported}</p> }.into_any(),
            Err(e) => view! {
                <div class="error-summary" role="alert" data-testid=format!("{testid}-errors")>
                    <h3>{e.message.clone()}</h3>
                    <ul>{e.details.iter().map(|d| view! { <li>{d.describe()}</li> }).collect_view()}</ul>
                </div>
            }.into_any(),
        })}
    }
}
