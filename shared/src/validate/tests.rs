//! Tests of reading and validating records: every error of the dictionary's list, all reported
//! at once with their paths, and the warnings a collector may confirm.

use serde_json::{Value, json};

use super::*;
use crate::issue::Severity;
use crate::model::read_household_json;
use crate::testing::*;

/// (path, code) of every error, then of every warning.
/// (path, code) pairs.
type Found = Vec<(String, &'static str)>;

fn problems(v: &Value) -> (Found, Found) {
    let (_, issues) = check_json(v, today());
    let pick = |sev: Severity| issues.iter().filter(|i| i.severity == sev).map(|i| (i.path.clone(), i.code)).collect();
    (pick(Severity::Error), pick(Severity::Warning))
}

fn errors(v: &Value) -> Found {
    problems(v).0
}

fn warnings(v: &Value) -> Found {
    problems(v).1
}

fn one(path: &str, code: &'static str) -> Found {
    vec![(path.to_owned(), code)]
}

#[test]
fn the_dictionary_example_is_valid_without_warnings() {
    assert_eq!(problems(&example()), (vec![], vec![]));
    assert_eq!(problems(&comfortable()), (vec![], vec![]));
}

#[test]
fn each_error_of_the_dictionary_is_reported_with_its_path() {
    for (pointer, value, path, code) in [
        ("/household_id", json!("not-a-uuid"), "household_id", "malformed_uuid"),
        ("/review_year", json!("2026"), "review_year", "wrong_type"),
        ("/review_year", json!(2021), "review_year", "out_of_range"),
        ("/water_source", json!("lake"), "water_source", "unknown_code"),
        ("/interview_date", json!("2026-02-30"), "interview_date", "bad_date"),
        ("/interview_date", json!("2026-12-01"), "interview_date", "in_future"),
        ("/members/0/birth_date", json!("2026-10-06"), "members[0].birth_date", "after_interview"),
        ("/members/0/birth_date", json!("1900-01-01"), "members[0].birth_date", "too_old"),
        ("/members/0/id_number", json!("12345"), "members[0].id_number", "bad_format"),
        ("/members/0/id_number", json!("097123456789"), "members[0].id_number", "bad_format"),
        ("/members/0/sex", json!("M"), "members[0].sex", "unknown_code"),
        ("/members/0/full_name", json!(""), "members[0].full_name", "too_short"),
        ("/dwelling/floor_area_m2", json!(-5), "dwelling.floor_area_m2", "out_of_range"),
        (
            "/measurements/0/member_id",
            json!("0193a5a2-7c1e-7b7a-9a55-0c0ffee00099"),
            "measurements[0].member_id",
            "unknown_member",
        ),
        ("/measurements/0/measured_on", json!("2026-10-06"), "measurements[0].measured_on", "after_interview"),
        ("/measurements/0/measured_on", json!("2019-08-19"), "measurements[0].measured_on", "before_birth"),
        ("/measurements/0/weight_kg", json!(0.2), "measurements[0].weight_kg", "out_of_range"),
        ("/income/monthly_per_capita_vnd", json!(-1), "income.monthly_per_capita_vnd", "out_of_range"),
        ("/income/b1_score", json!(1001), "income.b1_score", "out_of_range"),
        ("/phone", json!("09x1234567"), "phone", "bad_format"),
        ("/gps", json!({"lat": 91, "lon": 106.8, "accuracy_m": 5}), "gps.lat", "out_of_range"),
        ("/members/0/relation", json!("spouse"), "members", "head_count"),
        ("/members/1/relation", json!("head"), "members", "head_count"),
        ("/members", json!("two"), "members", "wrong_type"),
        ("/area", json!(null), "area", "missing"),
        ("/income", json!([]), "income", "wrong_type"),
    ] {
        let v = set(example(), pointer, value.clone());
        assert_eq!(errors(&v), one(path, code), "{pointer} = {value}");
    }
}

#[test]
fn a_household_without_members_is_an_error() {
    assert_eq!(errors(&set(comfortable(), "/members", json!([]))), one("members", "empty"));
}

#[test]
fn missing_required_fields_are_errors_and_missing_nullable_answers_are_not() {
    assert_eq!(errors(&remove(example(), "/address")), one("address", "missing"));
    assert_eq!(errors(&remove(example(), "/measurements")), one("measurements", "missing"));
    assert_eq!(errors(&remove(example(), "/members/0/birth_date")), one("members[0].birth_date", "missing"));
    assert_eq!(errors(&remove(example(), "/members/0/work")), vec![], "absent nullable answer = not answered");
    assert_eq!(errors(&remove(example(), "/water_source")), vec![]);
    let v = set(remove(example(), "/members/0/birth_date"), "/members/0/birth_year", json!(1979));
    assert_eq!(problems(&v), (vec![], vec![]), "a birth year is enough");
}

#[test]
fn every_problem_is_reported_at_once() {
    let v = set(example(), "/household_id", json!(42));
    let v = set(v, "/members/0/sex", json!("x"));
    let v = set(v, "/members/1/birth_date", json!("2019-13-01"));
    let v = set(v, "/dwelling/floor_area_m2", json!(0));
    let v = set(v, "/latrine", json!(true));
    let v = set(v, "/measurements/0/lenhei_cm", json!(300));
    assert_eq!(
        errors(&v),
        vec![
            ("household_id".to_owned(), "wrong_type"),
            ("members[0].sex".to_owned(), "unknown_code"),
            ("members[1].birth_date".to_owned(), "bad_date"),
            ("dwelling.floor_area_m2".to_owned(), "out_of_range"),
            ("latrine".to_owned(), "wrong_type"),
            ("measurements[0].lenhei_cm".to_owned(), "out_of_range"),
        ]
    );
}

#[test]
fn cross_field_rules_still_run_when_an_answer_is_malformed() {
    let v = set(example(), "/latrine", json!("bucket"));
    let v = set(v, "/interview_date", json!("2026-12-25"));
    assert_eq!(errors(&v), vec![("latrine".to_owned(), "unknown_code"), ("interview_date".to_owned(), "in_future")]);
}

#[test]
fn malformed_json_and_non_objects_are_single_errors() {
    let (h, issues) = read_household_json("{\"household_id\": ");
    assert!(h.is_none());
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].code, "malformed_json");
    assert!(issues[0].message.en.starts_with("Not valid JSON (line 1"), "{}", issues[0].message.en);
    assert_eq!(errors(&json!([1, 2])), one("", "wrong_type"));
}

#[test]
fn messages_are_in_vietnamese_and_english() {
    let v = set(example(), "/members/1/birth_date", json!("2026-10-06"));
    let (_, issues) = check_json(&v, today());
    assert_eq!(issues[0].message.vi, "Ngày sinh sau ngày phỏng vấn");
    assert_eq!(issues[0].message.en, "Birth date is after the interview date");
}

#[test]
fn plausibility_problems_are_warnings_the_collector_can_keep() {
    let old_child = {
        let mut m = member(900, "Trần Văn Già", "male", "1956-01-01", "child");
        m["work"] = json!("retired");
        push(example(), "/members", m)
    };
    assert_eq!(warnings(&old_child), one("members[2].relation", "old_child"));
    assert_eq!(errors(&old_child), vec![]);
    let big = set(example(), "/dwelling/floor_area_m2", json!(250.0));
    assert_eq!(warnings(&big), one("dwelling.floor_area_m2", "large_area"));
    let light = set(example(), "/measurements/0/weight_kg", json!(1.2));
    let w = warnings(&light);
    assert!(w.contains(&("measurements[0].weight_kg".to_owned(), "implausible")), "{w:?}");
    assert_eq!(errors(&light), vec![]);
    let contradiction = set(example(), "/members/1/in_school", json!(false));
    assert_eq!(warnings(&contradiction), one("members[1].school_level_ok", "contradiction"));
    let typo = set(example(), "/dwelling/floor_area_m2", json!(14.25));
    assert_eq!(warnings(&typo), one("dwelling.floor_area_m2", "precision"));
    let late = set(example(), "/interview_date", json!("2025-10-05"));
    let late = set(late, "/measurements/0/measured_on", json!("2025-09-30"));
    assert_eq!(warnings(&late), one("interview_date", "outside_review_year"));
    assert_eq!(warnings(&set(example(), "/extra", json!(1))), one("extra", "unknown_field"));
}

#[test]
fn names_are_stored_in_nfc() {
    // "Nguyễn" typed with combining marks (NFD) is stored precomposed.
    let nfd = "Nguye\u{302}\u{303}n Va\u{306}n An";
    let h = household(&set(example(), "/members/0/full_name", json!(nfd)));
    assert_eq!(h.members[0].full_name.as_str(), "Nguyễn Văn An");
}

#[test]
fn a_household_round_trips_through_its_json_form() {
    for v in [
        example(),
        comfortable(),
        set(remove(example(), "/members/0/birth_date"), "/members/0/birth_year", json!(1979)),
    ] {
        let h = household(&v);
        let json = h.to_json();
        assert_eq!(household(&json), h);
        let text = serde_json::to_string(&h).expect("serialises");
        let back: crate::model::Household = serde_json::from_str(&text).expect("deserialises");
        assert_eq!(back, h);
    }
    // The canonical form writes every nullable answer, `null` when not answered.
    let canonical = set(example(), "/members/0/school_level_ok", Value::Null);
    assert_eq!(household(&example()).to_json(), canonical);
}
