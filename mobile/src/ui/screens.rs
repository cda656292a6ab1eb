//! Enrolment, the household list, a household's card (conflicts, children and their
//! measurements) and the measurement screen.

use dioxus::prelude::*;
use shared::access::Role;
use shared::growth::{Assessment, Indicator};
use shared::model::{Category, Position};
use shared::poverty::PovertyStandard;
use shared::survey::children_to_measure;
use uuid::Uuid;

use crate::i18n::{K, Lang};
use crate::measure::{Chart, chart_svg};
use crate::store::Filter;
use crate::sync::EnrolError;
use crate::ui::widgets::{Field, Segmented, YesNo, options};
use crate::ui::{Notice, Screen, use_core, use_lang, use_sync, use_ui};

/// Server URL (or pasted link) and code.
#[component]
pub fn Enrol() -> Element {
    let core = use_core();
    let mut ui = use_ui();
    let l = use_lang()();
    let u = ui.read().clone();
    let enrol = move |_| {
        let core = core.clone();
        ui.write().enrolling = true;
        spawn(async move {
            let (server, code) = (ui.read().enrol_server.clone(), ui.read().enrol_code.clone());
            let result = crate::sync::enrol(&core, &server, &code).await;
            let mut u = ui.write();
            u.enrolling = false;
            match result {
                Ok(_) => u.go(Screen::List),
                Err(e) => {
                    u.notice = Some(Notice::Failed(match e {
                        EnrolError::Incomplete => K::EnrolIncomplete,
                        EnrolError::Unreachable => K::EnrolUnreachable,
                        _ => K::EnrolRefused,
                    }))
                }
            }
        });
    };
    rsx! {
        section { class: "card enrol",
            h1 { {K::EnrolTitle.get(l)} }
            p { class: "help", {K::EnrolHelp.get(l)} }
            Field { label: K::ServerUrl.get(l), path: "server", value: u.enrol_server.clone(), kind: "text",
                onset: move |v: String| ui.write().enrol_server = v }
            Field { label: K::EnrolCode.get(l), path: "code", value: u.enrol_code.clone(), kind: "text",
                onset: move |v: String| ui.write().enrol_code = v }
            NoticeLine {}
            button { class: "primary", id: "enrol", disabled: u.enrolling, onclick: enrol,
                if u.enrolling { {K::Enrolling.get(l)} } else { {K::EnrolButton.get(l)} }
            }
        }
    }
}

/// The last action's message.
#[component]
pub fn NoticeLine() -> Element {
    let l = use_lang()();
    let notice = use_ui().read().notice.clone();
    match notice {
        Some(Notice::Ok(k)) => rsx! { div { class: "notice ok", id: "notice", {k.get(l)} } },
        Some(Notice::Failed(k)) => rsx! { div { class: "notice bad", id: "notice", {k.get(l)} } },
        _ => rsx! {},
    }
}

fn filter_label(f: Filter) -> K {
    match f {
        Filter::All => K::FilterAll,
        Filter::NotVisited => K::FilterNotVisited,
        Filter::Poor => K::FilterPoor,
        Filter::NearPoor => K::FilterNearPoor,
        Filter::Undetermined => K::FilterUndetermined,
        Filter::Conflicts => K::FilterConflicts,
        Filter::Unsynced => K::FilterUnsynced,
    }
}

/// A category code in words.
pub fn category_label(code: Option<&str>, l: Lang) -> String {
    code.and_then(Category::from_code)
        .map(|c| c.label().get(l).to_owned())
        .unwrap_or_else(|| K::Unknown.get(l).to_owned())
}

/// Search, filters, the page of households, "new household".
#[component]
pub fn List() -> Element {
    let core = use_core();
    let mut ui = use_ui();
    let l = use_lang()();
    let _refresh = use_sync()().last_success;
    let (query, filter, limit) = {
        let u = ui.read();
        (u.query.clone(), u.filter, u.limit)
    };
    let page = core.list(&query, filter, 0, limit).unwrap_or_default();
    let collector = core.enrolment().is_some_and(|e| e.role() == Role::Collector);
    let add = {
        let core = core.clone();
        move |_| ui.write().new_household(&core)
    };
    rsx! {
        div { class: "list",
            input { class: "search", id: "search", r#type: "search", placeholder: K::Search.get(l), value: "{query}",
                oninput: move |e| ui.write().search(&e.value()) }
            div { class: "filters",
                for f in Filter::ALL {
                    button { key: "{f:?}", class: if f == filter { "chip on" } else { "chip" }, "data-filter": "{f:?}",
                        onclick: move |_| ui.write().pick_filter(f), {filter_label(f).get(l)} }
                }
            }
            div { class: "count", id: "count", "data-total": "{page.total}", "{page.total} {K::Households.get(l)}" }
            if collector {
                button { class: "primary", id: "new-household", onclick: add, {K::NewHousehold.get(l)} }
            }
            if page.rows.is_empty() {
                p { class: "empty", {K::NoHouseholds.get(l)} }
            }
            ul { class: "households",
                for row in page.rows.iter().cloned() {
                    li { key: "{row.household_id}",
                        button { class: "household", "data-id": "{row.household_id}",
                            onclick: move |_| ui.write().go(Screen::Household(row.household_id)),
                            div { class: "name", "{row.head_name}" }
                            div { class: "meta",
                                span { "{row.address}" }
                                if let Some(code) = &row.code { span { class: "code", " · {code}" } }
                            }
                            div { class: "tags",
                                span { class: "tag cat-{row.category.as_deref().unwrap_or(\"none\")}",
                                    {category_label(row.category.as_deref(), l)} }
                                if row.unsynced { span { class: "tag unsynced", {K::FilterUnsynced.get(l)} } }
                                if row.conflicts > 0 { span { class: "tag conflict", "⚠ {row.conflicts}" } }
                            }
                        }
                    }
                }
            }
            if page.total > page.rows.len() {
                button { class: "more", onclick: move |_| ui.write().limit += crate::ui::PAGE, {K::MoreResults.get(l)} }
            }
        }
    }
}

/// One household: category, conflicts, survey button (collector), children (health worker).
#[component]
pub fn HouseholdCard(id: Uuid) -> Element {
    let core = use_core();
    let mut ui = use_ui();
    let l = use_lang()();
    let _refresh = use_sync()().last_success;
    let Ok(Some(opened)) = core.open_household(id) else {
        return rsx! { p { class: "empty", {K::NoHouseholds.get(l)} } };
    };
    let role = core.enrolment().map(|e| e.role()).unwrap_or(Role::Collector);
    let h = &opened.household;
    let today = core.today();
    let params = PovertyStandard::default_for_year(h.review_year.get()).params;
    let children: Vec<_> = children_to_measure(h, today, &params).into_iter().cloned().collect();
    let resume = {
        let core = core.clone();
        move |_| ui.write().resume(&core, id)
    };
    rsx! {
        section { class: "card household-card", id: "household", "data-id": "{id}",
            button { class: "back", onclick: move |_| ui.write().go(Screen::List), {K::Back.get(l)} }
            NoticeLine {}
            h1 { "{opened.row.head_name}" }
            p { class: "meta", "{h.address.as_str()} · {h.area.group.as_str()} · {h.members.len()} {K::Members.get(l)}" }
            div { class: "tags",
                if role != Role::Collector {
                    span { class: "tag big cat-{opened.row.category.as_deref().unwrap_or(\"none\")}",
                        "{K::Category.get(l)}: {category_label(opened.row.category.as_deref(), l)}" }
                }
                if opened.row.unsynced { span { class: "tag unsynced", {K::FilterUnsynced.get(l)} } }
            }
            if !opened.conflicts.is_empty() {
                div { class: "conflicts", id: "conflicts",
                    h2 { {K::Conflicts.get(l)} }
                    for c in opened.conflicts.iter() {
                        div { key: "{c.path}", class: "conflict",
                            code { "{c.path}" }
                            for (i, v) in c.values.iter().enumerate() { span { key: "{i}", class: "value", " {v.value}" } }
                        }
                    }
                }
            }
            if role == Role::Collector {
                button { class: "primary", id: "survey", onclick: resume, {K::ContinueSurvey.get(l)} }
                crate::ui::survey::SummaryStep { draft: crate::draft::Draft::open_at(h.clone(), shared::survey::Step::Summary) }
            }
            if role != Role::Collector {
                h2 { {K::Children.get(l)} }
                if children.is_empty() { p { class: "empty", {K::NoChildren.get(l)} } }
                for child in children {
                    ChildCard { household: id, child: child.member_id.0 }
                }
            }
        }
    }
}

/// One child: age, last z-scores, charts, "measure".
#[component]
fn ChildCard(household: Uuid, child: Uuid) -> Element {
    let core = use_core();
    let mut ui = use_ui();
    let l = use_lang()();
    let Ok(Some(opened)) = core.open_household(household) else { return rsx! {} };
    let member_id = shared::model::MemberId(child);
    let Some(m) = opened.household.member(member_id).cloned() else { return rsx! {} };
    let mine: Vec<&shared::model::Measurement> =
        opened.household.measurements.iter().filter(|x| x.member_id == member_id).collect();
    let age = m.age_years(core.today()).map(|a| format!("{a} {}", K::YearsOld.get(l))).unwrap_or_default();
    let last = mine.iter().max_by_key(|x| x.measured_on).and_then(|x| {
        shared::model::anthropometry::growth_of(&m, x).map(|g| (shared::growth::assess(&g, x.oedema), g))
    });
    let wfa = chart_svg(Chart::WeightForAge, &m, &mine);
    let hfa = chart_svg(Chart::HeightForAge, &m, &mine);
    let measure = {
        let opened = opened.clone();
        move |_| ui.write().start_measure(&core, &opened, member_id)
    };
    rsx! {
        div { class: "child", "data-member": "{child}",
            div { class: "child-head",
                div { strong { "{m.full_name.as_str()}" } span { class: "meta", " · {m.sex.label().get(l)} · {age}" } }
                button { class: "primary small measure", onclick: measure, {K::Measure.get(l)} }
            }
            if let Some((assessment, g)) = last {
                ZScores { growth: g, assessment }
            }
            if !mine.is_empty() {
                div { class: "label", {K::ChartWfa.get(l)} }
                div { class: "chart-box", dangerous_inner_html: "{wfa}" }
                div { class: "label", {K::ChartHfa.get(l)} }
                div { class: "chart-box", dangerous_inner_html: "{hfa}" }
            }
        }
    }
}

/// HAZ, WAZ, WHZ, BAZ with their classification; implausible ones in red.
#[component]
pub fn ZScores(growth: shared::growth::GrowthResult, assessment: Assessment) -> Element {
    let l = use_lang()();
    let conditions: Vec<String> = assessment.most_severe().iter().map(|c| c.label().get(l).to_owned()).collect();
    rsx! {
        table { class: "zscores",
            for ind in Indicator::ALL {
                tr { key: "{ind.as_code()}", class: if growth.z(ind).is_some_and(|z| z.flagged) { "flagged" } else { "" },
                    "data-indicator": "{ind.as_code()}",
                    th { "{ind.as_code().to_uppercase()}" }
                    td { class: "label-cell", "{ind.label().get(l)}" }
                    td { class: "z",
                        match growth.z(ind) {
                            Some(z) => rsx! { "{z.rounded:+.2}" },
                            None => rsx! { {K::NoZscore.get(l)} },
                        }
                    }
                }
            }
        }
        div { class: "conditions", id: "conditions",
            if conditions.is_empty() && assessment.implausible.is_empty() { span { class: "tag ok", {K::Normal.get(l)} } }
            for c in conditions { span { key: "{c}", class: "tag warn", "{c}" } }
            for ind in assessment.implausible.iter() {
                span { key: "{ind.as_code()}", class: "tag flag", {Assessment::implausible_label(*ind).get(l).to_owned()} }
            }
        }
    }
}

/// The measurement form with live z-scores, flags, re-measure or confirm.
#[component]
pub fn Measure(household: Uuid) -> Element {
    let core = use_core();
    let mut ui = use_ui();
    let l = use_lang()();
    let hid = household;
    let Some(form) = ui.read().measure.clone() else { return rsx! {} };
    let Ok(Some(opened)) = core.open_household(hid) else { return rsx! {} };
    let Some(child) = opened.household.member(form.member_id).cloned() else { return rsx! {} };
    let preview = form.preview(&child);
    let err = |f: &str| preview.errors.iter().find(|e| e.0 == f).map(|e| e.1.get(l).to_owned());
    let ready = form.ready(&child).is_some();
    let positions = options(Position::ALL, Position::as_code, Position::label, l);
    let mut set = move |f: &'static str, v: String| {
        if let Some(m) = ui.write().measure.as_mut() {
            m.set(f, &v);
        }
    };
    let save = move |_| ui.write().save_measurement(&core, hid);
    rsx! {
        section { class: "card measure", id: "measure",
            button { class: "back", onclick: move |_| ui.write().go(Screen::Household(hid)), {K::Back.get(l)} }
            h1 { {K::MeasureTitle.get(l)} }
            p { class: "meta", "{child.full_name.as_str()} · {child.sex.label().get(l)}" }
            Field { label: K::MeasuredOn.get(l), path: "measured_on", value: form.measured_on.clone(), kind: "date",
                error: err("measured_on"), onset: move |v| set("measured_on", v) }
            Field { label: K::Weight.get(l), path: "weight_kg", value: form.weight_kg.clone(), kind: "number",
                error: err("weight_kg"), onset: move |v| set("weight_kg", v) }
            Field { label: K::LengthHeight.get(l), path: "lenhei_cm", value: form.lenhei_cm.clone(), kind: "number",
                error: err("lenhei_cm"), onset: move |v| set("lenhei_cm", v) }
            Segmented { label: K::Position.get(l), path: "measure", value: form.measure.clone(), options: positions,
                onset: move |v| set("measure", v) }
            YesNo { label: K::Oedema.get(l), path: "oedema", value: if form.oedema { "yes" } else { "no" },
                onset: move |v| set("oedema", v) }
            if let Some(g) = preview.growth.clone() {
                ZScores { growth: g, assessment: preview.assessment.clone() }
            }
            if preview.flagged() {
                div { class: "flagbox", id: "flagged",
                    p { {K::ImplausibleHelp.get(l)} }
                    div { class: "row",
                        button { class: "secondary", id: "remeasure",
                            onclick: move |_| if let Some(m) = ui.write().measure.as_mut() { m.remeasure() },
                            {K::Remeasure.get(l)} }
                        button { class: if form.confirmed { "secondary on" } else { "secondary" }, id: "confirm-flag",
                            onclick: move |_| if let Some(m) = ui.write().measure.as_mut() { m.confirmed = true },
                            {K::ConfirmKeep.get(l)} }
                    }
                }
            }
            NoticeLine {}
            button { class: "primary", id: "save-measurement", disabled: !ready, onclick: save, {K::SaveMeasurement.get(l)} }
        }
    }
}
