//! The screens rendered to HTML without a webview (VirtualDom + SSR), and the `Ui` state
//! driven through a whole survey with a real store.

use std::sync::Arc;

use dioxus::prelude::*;

use super::*;
use crate::core::Enrolment;
use crate::store::Store;

fn core(enrolled: Option<&str>) -> Arc<Core> {
    let core = Core::with_store(Store::open_in_memory().expect("store"), Some("2026-10-05".parse().expect("date")))
        .expect("core");
    if let Some(role) = enrolled {
        core.set_enrolment(Enrolment {
            server: "http://127.0.0.1:9".into(),
            device_id: "d1".into(),
            token: "t".into(),
            actor_id: "0123456789abcdef0123456789abcdef".into(),
            role: role.into(),
            province: "56".into(),
            commune: "22366".into(),
            groups: vec!["TDP-01".into()],
        })
        .expect("enrolled");
    }
    core
}

fn render(core: &Arc<Core>) -> String {
    let mut dom = VirtualDom::new(App).with_root_context(core.clone());
    dom.rebuild_in_place();
    dioxus_ssr::render(&dom)
}

#[test]
fn an_unenrolled_device_shows_enrolment_in_vietnamese() {
    let html = render(&core(None));
    assert!(html.contains("Đăng ký thiết bị"), "{html}");
    assert!(html.contains("Mã đăng ký"));
    assert!(!html.contains("syncbar"), "no sync bar before enrolment");
}

#[test]
fn english_is_switchable_and_remembered() {
    let c = core(Some("collector"));
    c.set_lang(Lang::En).expect("lang");
    let html = render(&c);
    assert!(html.contains("+ New household"), "{html}");
    assert!(html.contains("Not visited this year"));
}

#[test]
fn a_collector_sees_the_list_with_filters_sync_bar_and_new_household() {
    let html = render(&core(Some("collector")));
    for text in ["Chưa rà soát năm nay", "Có xung đột", "+ Thêm hộ mới", "0 chờ gửi", "chưa đồng bộ"]
    {
        assert!(html.contains(text), "missing {text}: {html}");
    }
}

#[test]
fn a_health_worker_cannot_create_households() {
    let html = render(&core(Some("health")));
    assert!(!html.contains("+ Thêm hộ mới"));
    assert!(html.contains("Cán bộ y tế"));
}

#[test]
fn a_survey_saved_step_by_step_resumes_where_it_was_left_and_classifies() {
    let c = core(Some("collector"));
    let mut ui = Ui::new(&c);
    ui.new_household(&c);
    ui.next(&c);
    assert!(matches!(ui.notice, Some(Notice::Blocked(_))), "no address: blocked, nothing saved");
    assert_eq!(c.list("", Filter::All, 0, 10).expect("list").total, 0);
    let d = ui.draft.as_mut().expect("draft");
    d.set("address", "12 đường số 3");
    ui.next(&c);
    assert_eq!(ui.draft.as_ref().expect("draft").step, Step::Members);
    let d = ui.draft.as_mut().expect("draft");
    d.edit_member(None);
    let f = d.member_form.as_mut().expect("form");
    for (k, v) in [("full_name", "Nguyễn Văn An"), ("sex", "male"), ("birth", "1980-01-01"), ("relation", "head")] {
        f.set(k, v);
    }
    d.save_member();
    ui.next(&c);
    let id = ui.draft.as_ref().expect("draft").household.household_id.0;
    let page = c.list("nguyen van an", Filter::Unsynced, 0, 10).expect("list");
    assert_eq!(page.total, 1, "saved, searchable without diacritics, pending sync");
    assert_eq!(c.sync_status().pending, 1);
    ui.go(Screen::List);
    ui.resume(&c, id);
    assert_eq!(ui.draft.as_ref().expect("draft").step, Step::Employment, "resumes at the step reached");
    ui.draft.as_mut().expect("draft").step = Step::Summary;
    let html = {
        let mut dom =
            VirtualDom::new_with_props(SummaryHost, SummaryHostProps { draft: ui.draft.clone().expect("draft") });
        dom.rebuild_in_place();
        dioxus_ssr::render(&dom)
    };
    assert_eq!(html.matches("data-status").count(), 12, "{html}");
    assert!(html.contains("Phân loại"));
}

#[component]
fn SummaryHost(draft: crate::draft::Draft) -> Element {
    use_context_provider(|| Signal::new(Lang::Vi));
    rsx! { survey::SummaryStep { draft } }
}
