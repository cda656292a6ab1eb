//! The survey flow as plain state: answers, step validation, relevance, resume.

use super::*;

fn today() -> NaiveDate {
    "2026-10-05".parse().expect("date")
}

fn member(d: &mut Draft, name: &str, sex: &str, birth: &str, relation: &str) {
    d.edit_member(None);
    let form = d.member_form.as_mut().expect("form open");
    form.set("full_name", name);
    form.set("sex", sex);
    form.set("birth", birth);
    form.set("relation", relation);
    d.save_member();
    assert!(d.member_form.is_none(), "member saved: {:?}", d.member_form);
}

fn three_members() -> Draft {
    let mut d = Draft::new("56", "22366", "TDP-01", true, today());
    d.set("address", "12 đường số 3, tổ 5");
    member(&mut d, "Trần Văn Hùng", "male", "1979-04-02", "head");
    member(&mut d, "Lê Thị Mai", "female", "1982", "spouse");
    member(&mut d, "Trần Thị Bé", "female", "2019-08-20", "child");
    d
}

#[test]
fn a_new_household_cannot_leave_the_first_step_without_an_address() {
    let mut d = Draft::new("56", "22366", "TDP-01", true, today());
    assert!(matches!(d.check_step(today()), Err(Blocked::Errors(_))));
    d.set("address", "12 đường số 3");
    assert_eq!(d.check_step(today()), Ok(()));
}

#[test]
fn the_members_step_needs_exactly_one_head() {
    let mut d = Draft::new("56", "22366", "TDP-01", true, today());
    d.set("address", "x");
    d.step = Step::Members;
    let Err(Blocked::Errors(errors)) = d.check_step(today()) else { panic!("no members must block") };
    assert_eq!(errors[0].path, "members");
    member(&mut d, "Trần Văn Hùng", "male", "1979-04-02", "head");
    assert_eq!(d.check_step(today()), Ok(()));
}

#[test]
fn a_member_form_reports_every_missing_field() {
    let mut d = Draft::new("56", "22366", "TDP-01", true, today());
    d.edit_member(None);
    d.member_form.as_mut().expect("form").set("relation", "");
    d.save_member();
    let form = d.member_form.as_ref().expect("still open");
    let fields: Vec<&str> = form.errors.keys().map(String::as_str).collect();
    assert_eq!(fields, ["birth", "full_name", "relation", "sex"]);
}

#[test]
fn only_relevant_members_are_asked_and_irrelevant_steps_are_skipped() {
    let mut d = Draft::new("56", "22366", "TDP-01", true, today());
    d.set("address", "x");
    member(&mut d, "Bà Năm", "female", "1950", "head");
    d.step = Step::Members;
    d.advance();
    assert_eq!(d.step, Step::Employment);
    d.advance();
    assert_eq!(d.step, Step::HealthInsurance);
    d.advance();
    assert_eq!(d.step, Step::Housing, "no one aged 3–30: the education step is skipped");
    let d = three_members();
    let school: Vec<&str> = d.asked(|q| q.school).iter().map(|(_, m, _)| m.full_name.as_str()).collect();
    assert_eq!(school, ["Trần Thị Bé"]);
    assert!(d.asked(|q| q.adult_education).is_empty());
}

#[test]
fn a_typed_value_out_of_range_is_an_error_of_its_step_and_clears_when_fixed() {
    let mut d = three_members();
    d.step = Step::Housing;
    d.set("dwelling.floor_area_m2", "-3");
    assert!(matches!(d.check_step(today()), Err(Blocked::Errors(_))));
    assert_eq!(d.input("dwelling.floor_area_m2"), "-3", "what was typed stays on screen");
    d.set("dwelling.floor_area_m2", "14,5");
    assert_eq!(d.check_step(today()), Ok(()));
    assert_eq!(d.household.dwelling.floor_area_m2.map(|a| a.get()), Some(14.5));
}

#[test]
fn a_warning_blocks_until_confirmed() {
    let mut d = three_members();
    d.step = Step::Housing;
    d.set("dwelling.floor_area_m2", "1500");
    let Err(Blocked::Unconfirmed(w)) = d.check_step(today()) else { panic!("expected a warning") };
    d.confirm(&w[0].path, w[0].code);
    assert_eq!(d.check_step(today()), Ok(()));
}

#[test]
fn answers_set_by_path_read_back_as_choices() {
    let mut d = three_members();
    for (path, value) in [
        ("members.0.work", "wage_without_contract"),
        ("members.2.health_insurance", "no"),
        ("dwelling.roof", "non_durable"),
        ("water_source", "piped"),
        ("info_devices.tv", "yes"),
        ("internet_use", "yes"),
        ("income.source", "declared"),
    ] {
        d.set(path, value);
        assert_eq!(d.choice(path), value, "{path}");
    }
    d.set("members.2.health_insurance", "");
    assert_eq!(d.household.members[2].health_insurance, None, "an empty answer is 'not answered'");
}

#[test]
fn the_dictionary_example_classifies_poor_live() {
    let mut d = three_members();
    d.remove_member(1);
    for (path, value) in [
        ("members.0.work", "wage_without_contract"),
        ("members.0.health_insurance", "yes"),
        ("members.1.health_insurance", "no"),
        ("members.1.in_school", "yes"),
        ("members.1.school_level_ok", "yes"),
        ("dwelling.walls", "durable"),
        ("dwelling.columns", "durable"),
        ("dwelling.roof", "non_durable"),
        ("dwelling.floor_area_m2", "14"),
        ("water_source", "piped"),
        ("latrine", "simple_pit"),
        ("internet_use", "yes"),
        ("info_devices.tv", "yes"),
        ("info_devices.smartphone", "yes"),
        ("income.monthly_per_capita_vnd", "1.800.000"),
        ("income.source", "declared"),
    ] {
        d.set(path, value);
    }
    d.household.members[0].education = Some(Education::LowerSecondary);
    let c = crate::record::classify(&d.household);
    assert_eq!(c.category, Category::Poor, "{:#?}", c.indicators);
    assert_eq!(c.indicators.len(), 12);
}
