//! Building blocks with big touch targets (at least 48 px high): a segmented choice for short
//! lists and yes/no, a select for long code lists, a labelled text field, and the problem list
//! with its "confirm" buttons. Each takes the current value and an `onset` handler, so the same
//! widget edits the survey draft, the member form or the measurement.

use dioxus::prelude::*;
use shared::issue::Issue;

use crate::i18n::{K, Lang};
use crate::ui::use_lang;

/// Yes / No (tap the chosen one again to clear it: "not answered").
#[component]
pub fn YesNo(label: String, path: String, value: String, onset: EventHandler<String>) -> Element {
    let l = use_lang()();
    let options = vec![("yes".to_owned(), K::Yes.get(l).to_owned()), ("no".to_owned(), K::No.get(l).to_owned())];
    rsx! { Segmented { label, path, value, options, onset } }
}

/// A row of big buttons, one per option; the chosen one is highlighted.
#[component]
pub fn Segmented(
    label: String,
    path: String,
    value: String,
    options: Vec<(String, String)>,
    onset: EventHandler<String>,
) -> Element {
    rsx! {
        div { class: "field", "data-path": "{path}",
            div { class: "label", "{label}" }
            div { class: "segmented",
                for (code, text) in options {
                    button {
                        key: "{code}",
                        class: if value == code { "opt on" } else { "opt" },
                        "data-value": "{code}",
                        onclick: {
                            let again = value == code;
                            let code = code.clone();
                            move |_| onset.call(if again { String::new() } else { code.clone() })
                        },
                        "{text}"
                    }
                }
            }
        }
    }
}

/// A select for a long code list; the first entry is "not answered".
#[component]
pub fn Select(
    label: String,
    path: String,
    value: String,
    options: Vec<(String, String)>,
    onset: EventHandler<String>,
) -> Element {
    let l = use_lang()();
    rsx! {
        label { class: "field",
            div { class: "label", "{label}" }
            select {
                name: "{path}",
                onchange: move |e| onset.call(e.value()),
                option { value: "", selected: value.is_empty(), {K::Choose.get(l)} }
                for (code, text) in options {
                    option { key: "{code}", value: "{code}", selected: value == code, "{text}" }
                }
            }
        }
    }
}

/// A labelled text field; `kind` is the input type (`text`, `date`, `number`, `tel`).
#[component]
pub fn Field(
    label: String,
    path: String,
    value: String,
    kind: String,
    error: Option<String>,
    onset: EventHandler<String>,
) -> Element {
    let mode = match kind.as_str() {
        "number" => "decimal",
        "tel" => "tel",
        _ => "text",
    };
    let input_type = if kind == "number" { "text" } else { kind.as_str() };
    rsx! {
        label { class: if error.is_some() { "field bad" } else { "field" },
            div { class: "label", "{label}" }
            input {
                name: "{path}",
                r#type: "{input_type}",
                inputmode: "{mode}",
                value: "{value}",
                oninput: move |e| onset.call(e.value()),
            }
            if let Some(e) = error.as_ref() {
                div { class: "error", "{e}" }
            }
        }
    }
}

/// Problems: errors in red; warnings in amber with a "confirm" button until confirmed.
#[component]
pub fn Problems(issues: Vec<(Issue, bool)>, onconfirm: EventHandler<(String, String)>) -> Element {
    let l = use_lang()();
    if issues.is_empty() {
        return rsx! {};
    }
    rsx! {
        ul { class: "problems",
            for (i, (issue, confirmed)) in issues.into_iter().enumerate() {
                li {
                    key: "{i}",
                    class: if issue.is_error() { "error" } else { "warning" },
                    "data-path": "{issue.path}",
                    span { "{issue.message.get(l)}" }
                    if !issue.is_error() {
                        if confirmed {
                            span { class: "confirmed", {K::Confirmed.get(l)} }
                        } else {
                            button {
                                class: "confirm",
                                onclick: {
                                    let key = (issue.path.clone(), issue.code.to_owned());
                                    move |_| onconfirm.call(key.clone())
                                },
                                {K::Confirm.get(l)}
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Code list options from a `shared` code enum's labels.
pub fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> shared::text::Text,
    l: Lang,
) -> Vec<(String, String)> {
    all.iter().map(|v| (code(*v).to_owned(), label(*v).get(l).to_owned())).collect()
}
