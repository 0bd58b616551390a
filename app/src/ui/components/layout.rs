//! The structure pages share: a titled section that says when it has
//! nothing to show, and the data table (a scrolling wrapper, a header row
//! of translated column names, the rows the page gives).

use crate::i18n::{Messages, use_i18n};
use leptos::prelude::*;

/// A column name, read from the messages of the current language.
pub type Label = fn(&Messages) -> &'static str;

/// A column of a [`DataTable`]: its name and what it holds.
#[derive(Clone, Copy)]
pub struct Column {
    label: Label,
    holds: Holds,
}

#[derive(Clone, Copy, PartialEq)]
enum Holds {
    Text,
    /// Numbers, right-aligned.
    Numbers,
    /// A button on each row: the name is for screen readers only, and the
    /// column is not printed.
    Action,
}

/// A column of text.
pub const fn col(label: Label) -> Column {
    Column {
        label,
        holds: Holds::Text,
    }
}

/// A column of numbers.
pub const fn num(label: Label) -> Column {
    Column {
        label,
        holds: Holds::Numbers,
    }
}

/// A column of row actions (a delete button, say).
pub const fn action(label: Label) -> Column {
    Column {
        label,
        holds: Holds::Action,
    }
}

/// A table of `columns` whose body is `children` (the `<tr>`s).
#[component]
pub fn DataTable(
    columns: Vec<Column>,
    /// `data-testid` of the `<table>`.
    #[prop(optional, into)]
    testid: Option<String>,
    /// The table's caption, if it has one.
    #[prop(optional, into)]
    caption: Option<ViewFn>,
    /// What to say, in one row across the table, when it has no rows
    /// (`is_empty`): why, and what to do next.
    #[prop(optional)]
    empty: Option<Label>,
    #[prop(optional)] is_empty: bool,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    // Empty: the caption and why, in the page's width, instead of a table
    // of headings that would scroll sideways on a phone.
    if let Some(empty) = empty.filter(|_| is_empty) {
        return view! {
            <div class="table-empty" data-testid=testid>
                {caption.map(|c| view! { <p class="caption">{move || c.run()}</p> })}
                <p class="empty" data-testid="table-empty">{move || empty(i18n.lang.get().t())}</p>
            </div>
        }
        .into_any();
    }
    view! {
        <TableRegion>
            <table class="data" data-testid=testid>
                {caption.map(|c| view! { <caption>{move || c.run()}</caption> })}
                <thead>
                    <tr>
                        {columns
                            .into_iter()
                            .map(|c| {
                                let label = move || (c.label)(i18n.lang.get().t());
                                match c.holds {
                                    Holds::Text => view! { <th scope="col">{label}</th> }.into_any(),
                                    Holds::Numbers => {
                                        view! { <th scope="col" class="num">{label}</th> }.into_any()
                                    }
                                    Holds::Action => {
                                        view! {
                                            <th scope="col" class="no-print">
                                                <span class="visually-hidden">{label}</span>
                                            </th>
                                        }
                                            .into_any()
                                    }
                                }
                            })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </TableRegion>
    }
    .into_any()
}

/// The region a table scrolls in, sideways, when it is wider than the
/// screen: the page itself never does. Named and focusable, so that a
/// keyboard can scroll it and a screen reader says what it is.
#[component]
pub fn TableRegion(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap" role="region" tabindex="0" aria-label=move || i18n.lang.get().t().table_region>
            {children()}
        </div>
    }
}

/// A section of a page under its `<h2>` (whose id is `id`): `children`, or
/// the `empty` sentence when `is_empty`; then the `note`, if any.
#[component]
pub fn Section(
    id: &'static str,
    title: Label,
    empty: Label,
    is_empty: bool,
    #[prop(optional)] note: Option<Label>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    view! {
        <section aria-labelledby=id>
            <h2 id=id>{move || title(t())}</h2>
            {if is_empty {
                view! { <p>{move || empty(t())}</p> }.into_any()
            } else {
                children()
            }}
            {note.map(|note| view! { <p class="note">{move || note(t())}</p> })}
        </section>
    }
}

/// Heads every printed page of an agreement's pages with its `reference`
/// and the day, in the reader's language: style/main.css prints the
/// `--print-head` custom property of the root element in the top margin of
/// each page (`@page`). It is set on the element's style object, which the
/// Content-Security-Policy allows (a `style` attribute it would not), once
/// the page is interactive, and taken away when the page goes.
#[component]
pub fn PrintHead(reference: String) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        let lang = i18n.lang.get();
        format!(
            "{reference} · {} {}",
            lang.t().printed_on,
            lang.date(crate::clock::today())
        )
    };
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        fn root_style() -> Option<leptos::web_sys::CssStyleDeclaration> {
            document()
                .document_element()
                .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok())
                .map(|e| e.style())
        }
        Effect::new(move |_| {
            if let Some(style) = root_style() {
                let _ = style.set_property("--print-head", &css_string(&text()));
            }
        });
        on_cleanup(|| {
            if let Some(style) = root_style() {
                let _ = style.remove_property("--print-head");
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}

/// `text` as a CSS string: quoted, with quotes, backslashes and line breaks
/// escaped.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push_str("\\a "),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::css_string;

    #[test]
    fn a_css_string_escapes_what_would_end_it() {
        assert_eq!(css_string("AGR-1 · printed"), "\"AGR-1 · printed\"");
        assert_eq!(css_string("a\"b\\c\nd"), "\"a\\\"b\\\\c\\a d\"");
    }
}
