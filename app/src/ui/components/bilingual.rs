//! Texts people type in both official languages: shown in the reader's
//! language with a visible fallback, and edited side by side.

use crate::i18n::{Lang, use_i18n};
use leptos::prelude::*;

/// A text people type in both official languages: the reader's version, or,
/// when a French reader's is missing, the English one marked as English
/// (`lang="en"`, so that a screen reader pronounces it so) with an
/// "English only" note beside it.
#[component]
pub fn Translated(en: String, fr: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let fr = fr.filter(|f| !f.trim().is_empty());
    let english = en.clone();
    let english_only = move || {
        view! {
            <span lang="en">{english.clone()}</span>
            " "
            <span class="lang-fallback" data-testid="english-only">{i18n.lang.get().t().english_only}</span>
        }
    };
    move || match (i18n.lang.get(), &fr) {
        (Lang::Fr, Some(f)) => f.clone().into_any(),
        (Lang::Fr, None) => english_only().into_any(),
        (Lang::En, _) => en.clone().into_any(),
    }
}

/// One text in both official languages, side by side (stacked when
/// narrow): the English version first, the French one beside it, each input
/// marked with its `lang` so that spelling and speech follow it. The
/// English input has `id`, the French one `{id}-fr`.
#[component]
#[allow(clippy::too_many_arguments)] // one text, two languages, each read and written
pub fn BilingualField(
    #[prop(into)] id: String,
    /// What the text is ("Title"); each input's label adds its language.
    label: Signal<&'static str>,
    en: Signal<String>,
    set_en: Callback<String>,
    fr: Signal<String>,
    set_fr: Callback<String>,
    max_chars: u32,
    /// A textarea of this many rows; a one-line input when 0.
    #[prop(optional)]
    rows: u32,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let id_fr = format!("{id}-fr");
    let id_en = id.clone();
    let caption = move |l: Lang| {
        let t = i18n.lang.get().t();
        let which = if l == Lang::En {
            t.in_english
        } else {
            t.in_french
        };
        format!("{} {which}", label.get())
    };
    let input =
        move |id: String, l: Lang, value: Signal<String>, set: Callback<String>, required: bool| {
            let code = l.code();
            if rows > 0 {
                view! {
                    <textarea id=id rows=rows maxlength=max_chars lang=code required=required
                        prop:value=move || value.get()
                        on:input=move |ev| set.run(event_target_value(&ev))></textarea>
                }
                .into_any()
            } else {
                view! {
                    <input id=id type="text" maxlength=max_chars lang=code required=required
                        prop:value=move || value.get()
                        on:input=move |ev| set.run(event_target_value(&ev)) />
                }
                .into_any()
            }
        };
    view! {
        <div class="bilingual">
            <div class="field">
                <label for=id_en>{move || caption(Lang::En)}</label>
                {input(id, Lang::En, en, set_en, required)}
            </div>
            <div class="field">
                <label for=id_fr.clone()>{move || caption(Lang::Fr)}</label>
                {input(id_fr, Lang::Fr, fr, set_fr, false)}
            </div>
        </div>
    }
}
