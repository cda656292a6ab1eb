//! The survey: one screen per dimension, only the questions that apply, the step's problems
//! from `shared::validate`, "Next" saves; the last step is the live classification.

use dioxus::prelude::*;
use shared::model::*;
use shared::poverty::Status;
use shared::survey::Step;

use crate::draft::{Blocked, Draft, MemberForm};
use crate::i18n::{K, Lang};
use crate::ui::screens::{NoticeLine, category_label};
use crate::ui::widgets::{Field, Problems, Segmented, Select, YesNo, options};
use crate::ui::{Notice, use_core, use_lang, use_ui};

/// Sets a draft field: the one-liner behind every answer.
fn setter(mut ui: Signal<crate::ui::Ui>, path: String) -> EventHandler<String> {
    EventHandler::new(move |v: String| {
        if let Some(d) = ui.write().draft.as_mut() {
            d.set(&path, &v);
        }
    })
}

/// The survey screen.
#[component]
pub fn Survey() -> Element {
    let core = use_core();
    let mut ui = use_ui();
    let l = use_lang()();
    let Some(draft) = ui.read().draft.clone() else { return rsx! {} };
    let today = core.today();
    let step = draft.step;
    let issues: Vec<(shared::issue::Issue, bool)> = draft
        .step_issues(today)
        .into_iter()
        .map(|i| {
            let c = draft.is_confirmed(&i);
            (named(&draft, i), c)
        })
        .collect();
    // After a refused "Next", say why — for as long as it is still true.
    let tried = matches!(ui.read().notice, Some(Notice::Blocked(_)));
    let blocked = match draft.check_step(today) {
        Err(Blocked::Errors(_)) if tried => Some(K::FixErrors),
        Err(Blocked::Unconfirmed(_)) if tried => Some(K::ConfirmWarnings),
        _ => None,
    };
    let next = move |_| ui.write().next(&core);
    rsx! {
        section { class: "card survey", id: "survey-step", "data-step": "{step.index()}",
            div { class: "steps",
                span { class: "stepno", "{K::StepOf.get(l)} {step.index() + 1}/{Step::ALL.len()}" }
                h1 { "{step.label().get(l)}" }
                div { class: "progress", div { class: "bar", style: "width: {(step.index() + 1) * 10}%" } }
            }
            StepBody { draft: draft.clone() }
            Problems { issues, onconfirm: move |(p, c): (String, String)| if let Some(d) = ui.write().draft.as_mut() { d.confirm(&p, &c) } }
            if let Some(k) = blocked { div { class: "notice bad", id: "blocked", {k.get(l)} } }
            NoticeLine {}
            div { class: "nav",
                button { class: "secondary", id: "back", onclick: move |_| ui.write().back(), {K::Back.get(l)} }
                if step == Step::Summary {
                    button { class: "primary", id: "finish", onclick: move |_| ui.write().finish(), {K::Finish.get(l)} }
                } else if draft.member_form.is_none() {
                    button { class: "primary", id: "next", onclick: next, {K::Next.get(l)} }
                }
            }
        }
    }
}

/// A member's problem names the member ("Trần Thị Bé: …"); the confirmation key stays the path.
fn named(draft: &Draft, mut issue: shared::issue::Issue) -> shared::issue::Issue {
    let index =
        issue.path.strip_prefix("members[").and_then(|r| r.split(']').next()).and_then(|i| i.parse::<usize>().ok());
    if let Some(m) = index.and_then(|i| draft.household.members.get(i)) {
        let name = m.full_name.as_str();
        issue.message =
            shared::text::Text::new(format!("{name}: {}", issue.message.vi), format!("{name}: {}", issue.message.en));
    }
    issue
}

#[component]
fn StepBody(draft: Draft) -> Element {
    match draft.step {
        Step::Household => rsx! { HouseholdStep { draft } },
        Step::Members => rsx! { MembersStep { draft } },
        Step::Employment | Step::HealthInsurance | Step::Education => rsx! { PerMemberStep { draft } },
        Step::Housing => rsx! { HousingStep { draft } },
        Step::WaterSanitation => rsx! { WaterStep { draft } },
        Step::Information => rsx! { InformationStep { draft } },
        Step::Income => rsx! { IncomeStep { draft } },
        Step::Summary => rsx! { SummaryStep { draft } },
    }
}

fn error_of(draft: &Draft, path: &str, l: Lang) -> Option<String> {
    draft
        .issues(chrono::NaiveDate::MAX)
        .into_iter()
        .find(|i| i.path == path && i.is_error())
        .map(|i| i.message.get(l).to_owned())
}

#[component]
fn HouseholdStep(draft: Draft) -> Element {
    let ui = use_ui();
    let l = use_lang()();
    let groups = use_core().enrolment().map(|e| e.groups).unwrap_or_default();
    let group_options: Vec<(String, String)> = groups.iter().map(|g| (g.clone(), g.clone())).collect();
    rsx! {
        Field { label: K::Address.get(l), path: "address", value: draft.input("address"), kind: "text",
            error: error_of(&draft, "address", l), onset: setter(ui, "address".into()) }
        Field { label: K::HouseholdCode.get(l), path: "code", value: draft.input("code"), kind: "text",
            error: None::<String>, onset: setter(ui, "code".into()) }
        if group_options.len() > 1 {
            Select { label: K::Group.get(l), path: "area.group", value: draft.choice("area.group"), options: group_options,
                onset: setter(ui, "area.group".into()) }
        }
        Field { label: K::InterviewDate.get(l), path: "interview_date", value: draft.input("interview_date"), kind: "date",
            error: None::<String>, onset: setter(ui, "interview_date".into()) }
        Field { label: K::Phone.get(l), path: "phone", value: draft.input("phone"), kind: "tel",
            error: None::<String>, onset: setter(ui, "phone".into()) }
    }
}

#[component]
fn MembersStep(draft: Draft) -> Element {
    let mut ui = use_ui();
    let l = use_lang()();
    if let Some(form) = draft.member_form.clone() {
        return rsx! { MemberFormView { form } };
    }
    let on = draft.household.interview_date;
    rsx! {
        ul { class: "members",
            for (i, m) in draft.household.members.iter().enumerate() {
                li { key: "{m.member_id}", class: "member",
                    div {
                        strong { "{m.full_name.as_str()}" }
                        div { class: "meta", "{m.relation.label().get(l)} · {m.sex.label().get(l)} · {m.age_years(on).map(|a| a.to_string()).unwrap_or_default()} {K::YearsOld.get(l)}" }
                    }
                    div { class: "row",
                        button { class: "secondary small", onclick: move |_| if let Some(d) = ui.write().draft.as_mut() { d.edit_member(Some(i)) }, {K::EditMember.get(l)} }
                        button { class: "secondary small", onclick: move |_| if let Some(d) = ui.write().draft.as_mut() { d.remove_member(i) }, {K::RemoveMember.get(l)} }
                    }
                }
            }
        }
        button { class: "secondary wide", id: "add-member", onclick: move |_| if let Some(d) = ui.write().draft.as_mut() { d.edit_member(None) }, {K::AddMember.get(l)} }
    }
}

#[component]
fn MemberFormView(form: MemberForm) -> Element {
    let mut ui = use_ui();
    let l = use_lang()();
    let set = move |field: &'static str| {
        EventHandler::new(move |v: String| {
            if let Some(f) = ui.write().draft.as_mut().and_then(|d| d.member_form.as_mut()) {
                f.set(field, &v);
            }
        })
    };
    let err = |f: &str| form.errors.get(f).map(|t| t.get(l).to_owned());
    rsx! {
        div { class: "member-form", id: "member-form",
            Field { label: question("full_name", l), path: "full_name", value: form.full_name.clone(), kind: "text", error: err("full_name"), onset: set("full_name") }
            Segmented { label: question("sex", l), path: "sex", value: form.sex.clone(), options: options(Sex::ALL, Sex::as_code, Sex::label, l), onset: set("sex") }
            Field { label: question("birth_date", l), path: "birth", value: form.birth.clone(), kind: "text", error: err("birth"), onset: set("birth") }
            Select { label: question("relation", l), path: "relation", value: form.relation.clone(), options: options(Relation::ALL, Relation::as_code, Relation::label, l), onset: set("relation") }
            if err("relation").is_some() || err("sex").is_some() { div { class: "error", {K::Required.get(l)} } }
            Field { label: question("id_number", l), path: "id_number", value: form.id_number.clone(), kind: "number", error: err("id_number"), onset: set("id_number") }
            Select { label: question("disability", l), path: "disability", value: form.disability.clone(), options: options(Disability::ALL, Disability::as_code, Disability::label, l), onset: set("disability") }
            div { class: "row",
                button { class: "secondary", onclick: move |_| if let Some(d) = ui.write().draft.as_mut() { d.member_form = None }, {K::Cancel.get(l)} }
                button { class: "primary", id: "save-member", onclick: move |_| if let Some(d) = ui.write().draft.as_mut() { d.save_member() }, {K::SaveMember.get(l)} }
            }
        }
    }
}

#[component]
fn PerMemberStep(draft: Draft) -> Element {
    let ui = use_ui();
    let l = use_lang()();
    let step = draft.step;
    let asked = draft.asked(match step {
        Step::Employment => |q| q.work,
        Step::HealthInsurance => |q| q.health_insurance,
        _ => |q| q.school || q.adult_education,
    });
    let params = shared::poverty::PovertyStandard::default_for_year(draft.household.review_year.get()).params;
    if asked.is_empty() {
        return rsx! { p { class: "empty", {K::NoQuestion.get(l)} } };
    }
    rsx! {
        for (i, m, age) in asked.into_iter().map(|(i, m, a)| (i, m.clone(), a)) {
            div { key: "{m.member_id}", class: "member-block",
                div { class: "who", strong { "{m.full_name.as_str()}" } span { class: "meta", " · {age.map(|a| a.to_string()).unwrap_or_default()} {K::YearsOld.get(l)}" } }
                match step {
                    Step::Employment => rsx! {
                        Select { label: question("work", l), path: "members.{i}.work", value: draft.choice(&format!("members.{i}.work")),
                            options: options(Work::ALL, Work::as_code, Work::label, l), onset: setter(ui, format!("members.{i}.work")) }
                    },
                    Step::HealthInsurance => rsx! {
                        YesNo { label: question("health_insurance", l), path: "members.{i}.health_insurance", value: draft.choice(&format!("members.{i}.health_insurance")),
                            onset: setter(ui, format!("members.{i}.health_insurance")) }
                    },
                    _ => {
                        let q = shared::survey::member_questions(&m, draft.household.interview_date, &params);
                        rsx! {
                            YesNo { label: question("in_school", l), path: "members.{i}.in_school", value: draft.choice(&format!("members.{i}.in_school")),
                                onset: setter(ui, format!("members.{i}.in_school")) }
                            if q.school {
                                YesNo { label: question("school_level_ok", l), path: "members.{i}.school_level_ok", value: draft.choice(&format!("members.{i}.school_level_ok")),
                                    onset: setter(ui, format!("members.{i}.school_level_ok")) }
                            }
                            if q.adult_education {
                                Select { label: question("education", l), path: "members.{i}.education", value: draft.choice(&format!("members.{i}.education")),
                                    options: options(Education::ALL, Education::as_code, Education::label, l), onset: setter(ui, format!("members.{i}.education")) }
                                YesNo { label: question("on_job_training_certified", l), path: "members.{i}.on_job_training_certified", value: draft.choice(&format!("members.{i}.on_job_training_certified")),
                                    onset: setter(ui, format!("members.{i}.on_job_training_certified")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[component]
fn HousingStep(draft: Draft) -> Element {
    let ui = use_ui();
    let l = use_lang()();
    let durability = options(Durability::ALL, Durability::as_code, Durability::label, l);
    rsx! {
        for path in ["dwelling.walls", "dwelling.columns", "dwelling.roof"] {
            Segmented { key: "{path}", label: question(path, l), path, value: draft.choice(path), options: durability.clone(), onset: setter(ui, path.into()) }
        }
        Field { label: question("dwelling.floor_area_m2", l), path: "dwelling.floor_area_m2", value: draft.input("dwelling.floor_area_m2"), kind: "number",
            error: error_of(&draft, "dwelling.floor_area_m2", l), onset: setter(ui, "dwelling.floor_area_m2".into()) }
        Select { label: question("dwelling.tenure", l), path: "dwelling.tenure", value: draft.choice("dwelling.tenure"),
            options: options(Tenure::ALL, Tenure::as_code, Tenure::label, l), onset: setter(ui, "dwelling.tenure".into()) }
    }
}

#[component]
fn WaterStep(draft: Draft) -> Element {
    let ui = use_ui();
    let l = use_lang()();
    rsx! {
        Select { label: question("water_source", l), path: "water_source", value: draft.choice("water_source"),
            options: options(WaterSource::ALL, WaterSource::as_code, WaterSource::label, l), onset: setter(ui, "water_source".into()) }
        Select { label: question("latrine", l), path: "latrine", value: draft.choice("latrine"),
            options: options(Latrine::ALL, Latrine::as_code, Latrine::label, l), onset: setter(ui, "latrine".into()) }
    }
}

#[component]
fn InformationStep(draft: Draft) -> Element {
    let ui = use_ui();
    let l = use_lang()();
    let devices = [
        "info_devices.tv",
        "info_devices.radio",
        "info_devices.computer",
        "info_devices.smartphone",
        "info_devices.tablet",
        "info_devices.loudspeaker_reach",
    ];
    rsx! {
        YesNo { label: question("internet_use", l), path: "internet_use", value: draft.choice("internet_use"), onset: setter(ui, "internet_use".into()) }
        for path in devices {
            YesNo { key: "{path}", label: question(path, l), path, value: draft.choice(path), onset: setter(ui, path.into()) }
        }
    }
}

#[component]
fn IncomeStep(draft: Draft) -> Element {
    let ui = use_ui();
    let l = use_lang()();
    rsx! {
        Field { label: question("income.monthly_per_capita_vnd", l), path: "income.monthly_per_capita_vnd", value: draft.input("income.monthly_per_capita_vnd"), kind: "number",
            error: error_of(&draft, "income.monthly_per_capita_vnd", l), onset: setter(ui, "income.monthly_per_capita_vnd".into()) }
        Field { label: question("income.b1_score", l), path: "income.b1_score", value: draft.input("income.b1_score"), kind: "number",
            error: error_of(&draft, "income.b1_score", l), onset: setter(ui, "income.b1_score".into()) }
        Segmented { label: question("income.source", l), path: "income.source", value: draft.choice("income.source"),
            options: options(IncomeSource::ALL, IncomeSource::as_code, IncomeSource::label, l), onset: setter(ui, "income.source".into()) }
    }
}

/// The live classification: category, B2 score, the 12 indicators with their reasons.
#[component]
pub fn SummaryStep(draft: Draft) -> Element {
    let l = use_lang()();
    let c = crate::record::classify(&draft.household);
    let code = c.category.as_code();
    rsx! {
        div { class: "summary",
            div { class: "tag big cat-{code}", id: "category", "data-category": "{code}", "{K::Category.get(l)}: {category_label(Some(code), l)}" }
            if c.provisional { div { class: "meta", {K::Provisional.get(l)} } }
            div { class: "meta", "{K::B2Score.get(l)}: {c.b2_score} · {c.standard}" }
            h2 { {K::Indicators.get(l)} }
            ol { class: "indicators", id: "indicators",
                for ind in c.indicators.iter() {
                    li { key: "{ind.number}", class: match ind.status { Status::Deprived => "deprived", Status::NotDeprived => "ok", Status::Unknown => "unknown" },
                        "data-status": "{ind.status.as_option().map(|b| b.to_string()).unwrap_or_default()}",
                        span { class: "num", "{ind.number}" }
                        div {
                            strong { match ind.status { Status::Deprived => K::Deprived.get(l), Status::NotDeprived => K::NotDeprived.get(l), Status::Unknown => K::Unknown.get(l) } }
                            div { class: "reason", "{ind.reason.get(l)}" }
                        }
                    }
                }
            }
        }
    }
}

/// The question a field asks, from the one catalogue the registry also uses
/// (`shared::answers`).
fn question(path: &str, l: Lang) -> String {
    shared::answers::question(path).map(|t| t.get(l).to_owned()).unwrap_or_else(|| path.to_owned())
}
