//! Tests of the poverty rules: every indicator's boundaries, the unknown-answer logic, income
//! lines, categories, transitions, and the monotonicity of the category in deprivations.

use serde_json::{Value, json};

use super::*;
use crate::model::Category;
use crate::testing::*;

fn classify(v: &Value) -> Classification {
    let h = household(v);
    classify_household(&h, &PovertyStandard::vn2022(), h.interview_date)
}

fn classify_on(v: &Value, reference: &str) -> Classification {
    classify_household(&household(v), &PovertyStandard::vn2022(), date(reference))
}

/// `Some(true)` deprived, `Some(false)` not, `None` unknown, for indicator `number`.
fn indicator(c: &Classification, number: u8) -> Option<bool> {
    c.indicators[usize::from(number) - 1].status.as_option()
}

fn deprived_numbers(c: &Classification) -> Vec<u8> {
    c.indicators.iter().filter(|i| i.status == Status::Deprived).map(|i| i.number).collect()
}

#[test]
fn dictionary_example_is_poor_on_indicators_1_4_8_10() {
    let c = classify(&example());
    assert_eq!(deprived_numbers(&c), vec![1, 4, 8, 10]);
    assert_eq!(c.category, Category::Poor);
    assert_eq!(c.b2_score, 40);
    assert_eq!(c.unknown_count, 0);
    assert_eq!(c.income_condition, Some(true));
    assert!(!c.provisional);
    let insurance = &c.indicators[3];
    assert_eq!(insurance.reason.vi, "Trần Thị Bé, 7 tuổi, chưa có thẻ BHYT");
    assert_eq!(insurance.reason.en, "Trần Thị Bé, 7 years, no health-insurance card");
    assert_eq!(c.indicators[7].reason.en, "14 m² ÷ 2 people = 7.0 m² per person");
}

#[test]
fn comfortable_household_is_deprived_on_nothing() {
    let c = classify(&comfortable());
    assert_eq!(deprived_numbers(&c), Vec::<u8>::new());
    assert_eq!(c.unknown_count, 0);
    assert_eq!(c.category, Category::NearPoor, "income 1.0 M is under the urban line");
}

// ---- Indicator 8: floor area per person -------------------------------------------------

#[test]
fn exactly_8_square_metres_per_person_is_not_deprived() {
    for (area, expected) in [(16.0, Some(false)), (15.9, Some(true)), (16.1, Some(false)), (24.0, Some(false))] {
        let v = set(example(), "/dwelling/floor_area_m2", json!(area));
        assert_eq!(indicator(&classify(&v), 8), expected, "{area} m² for 2 people");
    }
    let v = set(example(), "/dwelling/floor_area_m2", Value::Null);
    assert_eq!(indicator(&classify(&v), 8), None);
}

// ---- Ages: a child turning 16 on the reference date -------------------------------------

fn with_teen(in_school: bool, level_ok: bool, education: &str) -> Value {
    let mut teen = member(50, "Lê Thị Mai", "female", "2010-10-05", "child");
    teen["in_school"] = json!(in_school);
    teen["school_level_ok"] = json!(level_ok);
    teen["education"] = json!(education);
    teen["work"] = json!("homemaker");
    push(comfortable(), "/members", teen)
}

#[test]
fn child_turning_16_on_the_reference_date_is_no_longer_a_school_child() {
    let v = with_teen(false, false, "lower_secondary");
    let day_before = classify_on(&v, "2026-10-04");
    assert_eq!(indicator(&day_before, 6), Some(true), "15 years: school attendance applies");
    assert_eq!(indicator(&day_before, 5), Some(false), "15 years: adult education does not apply");
    assert_eq!(indicator(&day_before, 2), Some(false), "1 dependant of 2 is 50 %");
    let birthday = classify_on(&v, "2026-10-05");
    assert_eq!(indicator(&birthday, 6), Some(false), "16 years: no child aged 3–15");
    assert_eq!(indicator(&birthday, 5), Some(false), "16 years with lower secondary is qualified");
    let v = with_teen(false, false, "primary");
    assert_eq!(indicator(&classify_on(&v, "2026-10-05"), 5), Some(true), "16 with primary only");
    assert_eq!(indicator(&classify_on(&v, "2026-10-04"), 5), Some(false), "15: not yet covered");
}

#[test]
fn reference_date_defaults_to_the_interview_date() {
    let v = set(with_teen(false, false, "lower_secondary"), "/interview_date", json!("2026-10-05"));
    assert_eq!(classify(&v).reference_date, date("2026-10-05"));
    assert_eq!(indicator(&classify(&v), 6), Some(false));
}

// ---- Indicator 2: dependants ---------------------------------------------------------------

fn household_of(adults: usize, children: usize) -> Value {
    let mut v = comfortable();
    for i in 1..adults {
        v = push(v, "/members", member(100 + i as u32, "Người lớn", "female", "1985-03-03", "spouse"));
    }
    for i in 0..children {
        v = push(v, "/members", member(200 + i as u32, "Trẻ", "male", "2018-06-01", "child"));
    }
    v
}

#[test]
fn dependants_at_50_percent_are_not_deprived_above_50_they_are() {
    let c = |a, k| indicator(&classify(&household_of(a, k)), 2);
    assert_eq!(c(2, 2), Some(false), "2 of 4 = 50 %");
    assert_eq!(c(2, 3), Some(true), "3 of 5 = 60 %");
    assert_eq!(c(1, 1), Some(false), "1 of 2 = 50 %");
    assert_eq!(c(2, 1), Some(false), "1 of 3");
    assert_eq!(c(1, 2), Some(true), "2 of 3");
    // 15 of 30 = 50 % and 16 of 31 would be over the member limit: 15 of 29 = 51.7 %.
    assert_eq!(c(15, 15), Some(false), "15 of 30 = 50 %");
    assert_eq!(c(14, 15), Some(true), "15 of 29 = 51.7 %");
}

#[test]
fn elderly_or_disabled_count_as_dependants_only_with_monthly_allowance() {
    let elder = |allowance: Option<bool>, birth: &str, disability: Option<&str>| {
        let mut m = member(300, "Bà Nội", "female", birth, "parent");
        if let Some(a) = allowance {
            m["monthly_social_allowance"] = json!(a);
        }
        if let Some(d) = disability {
            m["disability"] = json!(d);
        }
        // 1 head + 1 child + the elder: deprived iff the elder is a dependant (2 of 3).
        let v = push(household_of(1, 1), "/members", m);
        indicator(&classify(&v), 2)
    };
    assert_eq!(elder(Some(true), "1960-01-01", None), Some(true), "66 with allowance");
    assert_eq!(elder(Some(false), "1960-01-01", None), Some(false), "66 without allowance");
    assert_eq!(elder(None, "1960-01-01", None), Some(false), "absent flag means no");
    assert_eq!(elder(Some(true), "1966-10-06", None), Some(false), "59 with allowance, no disability");
    assert_eq!(elder(Some(true), "1966-10-05", None), Some(true), "60 on the day");
    assert_eq!(elder(Some(true), "1986-01-01", Some("mild")), Some(true), "40, disabled, allowance");
    assert_eq!(elder(Some(true), "1986-01-01", Some("none")), Some(false), "40, disability none");
}

// ---- Indicator 1: working age and retirement -------------------------------------------

/// A household whose only working-age candidate is an unemployed member born on `birth`.
fn unemployed(sex: &str, birth: &str, interview: &str) -> Option<bool> {
    let mut m = member(400, "Phạm Văn Tư", sex, birth, "parent");
    m["work"] = json!("unemployed");
    let v = push(comfortable(), "/members", m);
    let v = set(v, "/interview_date", json!(interview));
    let v = set(v, "/review_year", json!(interview[..4].parse::<i32>().expect("year")));
    indicator(&classify(&v), 1)
}

#[test]
fn retirement_age_depends_on_sex_and_the_reference_year() {
    // 2026: men 61 y 6 m; women 57 y 0 m.
    assert_eq!(unemployed("male", "1965-04-06", "2026-10-05"), Some(true), "man 61 y 5 m");
    assert_eq!(unemployed("male", "1965-04-05", "2026-10-05"), Some(false), "man exactly 61 y 6 m");
    assert_eq!(unemployed("female", "1969-10-06", "2026-10-05"), Some(true), "woman 56 y 11 m");
    assert_eq!(unemployed("female", "1969-10-05", "2026-10-05"), Some(false), "woman exactly 57 y");
    // 2024: men 61 y 0 m; women 56 y 4 m.
    assert_eq!(unemployed("male", "1963-10-06", "2024-10-05"), Some(true), "man 60 y 11 m in 2024");
    assert_eq!(unemployed("male", "1963-10-05", "2024-10-05"), Some(false), "man 61 y in 2024");
    assert_eq!(unemployed("female", "1968-06-05", "2024-10-05"), Some(false), "woman 56 y 4 m in 2024");
    assert_eq!(unemployed("female", "1968-06-06", "2024-10-05"), Some(true), "woman 56 y 3 m in 2024");
    // 2025: men 61 y 3 m; women 56 y 8 m.
    assert_eq!(unemployed("male", "1964-07-05", "2025-10-05"), Some(false), "man 61 y 3 m in 2025");
    assert_eq!(unemployed("female", "1969-02-06", "2025-10-05"), Some(true), "woman 56 y 7 m in 2025");
}

#[test]
fn retirement_schedule_matches_the_labour_code() {
    let p = PovertyStandard::vn2022().params;
    let ym = |y: u32, m: u32| y * 12 + m;
    use crate::model::Sex::*;
    for (year, men, women) in [
        (2021, ym(60, 3), ym(55, 4)),
        (2024, ym(61, 0), ym(56, 4)),
        (2025, ym(61, 3), ym(56, 8)),
        (2026, ym(61, 6), ym(57, 0)),
        (2028, ym(62, 0), ym(57, 8)),
        (2035, ym(62, 0), ym(60, 0)),
        (2040, ym(62, 0), ym(60, 0)),
    ] {
        assert_eq!(p.retirement_months(Male, year), men, "men {year}");
        assert_eq!(p.retirement_months(Female, year), women, "women {year}");
    }
}

#[test]
fn working_age_starts_at_15() {
    assert_eq!(unemployed("male", "2011-10-05", "2026-10-05"), Some(true), "15 on the day");
    assert_eq!(unemployed("male", "2011-10-06", "2026-10-05"), Some(false), "one day short of 15");
}

#[test]
fn member_verdicts_apply_only_within_each_rules_ages() {
    use crate::model::Sex;
    let p = PovertyStandard::vn2022().params;
    let h = household(&example());
    let on = date("2026-10-05");
    let child = &h.members[1]; // born 2019-08-20: 7 years, no card
    assert_eq!(
        member_verdict(IndicatorRule::HealthInsurance, &h, child, on, &p),
        Some(Verdict::Deprived(crate::text::Text::new("chưa có thẻ BHYT", "no health-insurance card")))
    );
    assert_eq!(member_verdict(IndicatorRule::HealthInsurance, &h, child, date("2025-08-19"), &p), None, "5 years");
    assert_eq!(member_verdict(IndicatorRule::ChildSchooling, &h, child, on, &p), Some(Verdict::Fine));
    assert_eq!(member_verdict(IndicatorRule::Employment, &h, child, on, &p), None);
    assert_eq!(member_verdict(IndicatorRule::HousingArea, &h, child, on, &p), None, "not a person-level rule");
    assert_eq!(member_verdict(IndicatorRule::Nutrition, &h, child, date("2019-08-19"), &p), None, "not born yet");
    let head = &h.members[0]; // man born 1979-04-02
    assert!(working_age(head, on, &p));
    assert_eq!(head.sex, Sex::Male);
    assert!(!working_age(head, date("2041-04-02"), &p), "62 years in 2041: retired");
}

#[test]
fn wage_work_without_contract_deprives_and_unanswered_work_is_unknown() {
    let v = set(comfortable(), "/members/0/work", json!("wage_without_contract"));
    assert_eq!(indicator(&classify(&v), 1), Some(true));
    let v = set(comfortable(), "/members/0/work", Value::Null);
    let c = classify(&v);
    assert_eq!(indicator(&c, 1), None);
    assert_eq!(c.indicators[0].reason.en, "Lê Văn An, 46 years, not answered: work");
    let v = set(comfortable(), "/members/0/work", json!("retired"));
    assert_eq!(indicator(&classify(&v), 1), Some(false));
}

// ---- Income ----------------------------------------------------------------------------------

fn with_income(urban: bool, income: Value) -> Classification {
    let v = set(comfortable(), "/area/urban", json!(urban));
    classify(&set(v, "/income", income))
}

#[test]
fn the_income_line_is_inclusive_and_the_average_band_follows() {
    use Category::*;
    for (urban, vnd, expected) in [
        (true, 2_000_000, NearPoor),
        (true, 2_000_001, Average),
        (true, 3_000_000, Average),
        (true, 3_000_001, NotPoor),
        (false, 1_500_000, NearPoor),
        (false, 1_500_001, Average),
        (false, 2_250_000, Average),
        (false, 2_250_001, NotPoor),
        (false, 0, NearPoor),
    ] {
        let c = with_income(urban, json!({"monthly_per_capita_vnd": vnd}));
        assert_eq!(c.category, expected, "urban={urban} income={vnd}");
        assert_eq!(c.income_basis, IncomeBasis::MeasuredIncome);
    }
}

#[test]
fn b1_score_decides_over_measured_income_and_disagreement_warns() {
    use Category::*;
    let c = with_income(true, json!({"b1_score": 175}));
    assert_eq!((c.category, c.income_basis), (NearPoor, IncomeBasis::B1Score));
    assert_eq!(with_income(true, json!({"b1_score": 176})).category, NotPoor, "no income to place in the band");
    assert_eq!(with_income(false, json!({"b1_score": 140})).category, NearPoor);
    assert_eq!(with_income(false, json!({"b1_score": 141})).category, NotPoor);
    let c = with_income(true, json!({"b1_score": 200, "monthly_per_capita_vnd": 1_000_000}));
    assert_eq!(c.category, NotPoor, "B1 says above the line; the measured income is not in the band");
    assert_eq!(c.warnings.len(), 1);
    assert_eq!(c.warnings[0].code, "income_disagreement");
    let c = with_income(true, json!({"b1_score": 200, "monthly_per_capita_vnd": 2_500_000}));
    assert_eq!((c.category, c.warnings.len()), (Average, 0));
    let c = with_income(true, json!({"b1_score": 100, "monthly_per_capita_vnd": 5_000_000}));
    assert_eq!((c.category, c.warnings.len()), (NearPoor, 1));
}

#[test]
fn missing_income_is_undetermined() {
    let c = with_income(true, json!({}));
    assert_eq!((c.category, c.income_condition, c.income_basis), (Category::Undetermined, None, IncomeBasis::Missing));
}

// ---- Categories and unknown answers ---------------------------------------------------------

#[test]
fn category_rule_treats_unknown_answers_as_possibly_deprived() {
    use Category::*;
    for (income, band, d, u, expected) in [
        (Some(true), None, 3, 0, Poor),
        (Some(true), None, 3, 5, Poor),
        (Some(true), None, 2, 0, NearPoor),
        (Some(true), None, 2, 1, Undetermined),
        (Some(true), None, 1, 1, NearPoor),
        (Some(true), None, 0, 2, NearPoor),
        (Some(true), None, 0, 3, Undetermined),
        (Some(false), Some(true), 5, 5, Average),
        (Some(false), Some(false), 0, 0, NotPoor),
        (Some(false), None, 12, 0, NotPoor),
        (None, None, 12, 0, Undetermined),
    ] {
        assert_eq!(category(income, band, d, u, 3), expected, "{income:?} {band:?} D={d} U={u}");
    }
}

#[test]
fn b2_counts_known_deprivations_even_when_undetermined() {
    // The example (deprived on 1, 4, 8, 10) with income unknown.
    let c = classify(&set(example(), "/income", json!({})));
    assert_eq!((c.category, c.b2_score, c.deprived_count), (Category::Undetermined, 40, 4));
    // Two deprivations and one unknown with the income condition holding.
    let v = set(comfortable(), "/latrine", json!("hanging"));
    let v = set(v, "/water_source", json!("surface_water"));
    let v = set(v, "/internet_use", Value::Null);
    let c = classify(&v);
    assert_eq!((c.category, c.b2_score, c.unknown_indicators()), (Category::Undetermined, 20, vec![11]));
    let c = classify(&set(v, "/internet_use", json!(false)));
    assert_eq!((c.category, c.b2_score), (Category::Poor, 30));
}

// ---- Indicator 3: nutrition --------------------------------------------------------------

/// The example with its only measurement replaced.
fn measured(measured_on: &str, weight: Value, height: Value, oedema: bool) -> Value {
    let m = json!({"measurement_id":"0193a5a2-7c1e-7b7a-9a55-0c0ffee00004","member_id":"0193a5a2-7c1e-7b7a-9a55-0c0ffee00003",
                   "measured_on": measured_on, "weight_kg": weight, "lenhei_cm": height, "measure":"H", "oedema": oedema});
    set(example(), "/measurements", json!([m]))
}

#[test]
fn nutrition_uses_haz_or_waz_below_minus_two() {
    // Girl born 2019-08-20, 7 y 1 m on 2026-09-30 (WHO 2007: WAZ defined to 10 years).
    assert_eq!(indicator(&classify(&measured("2026-09-30", json!(22.0), json!(121.0), false)), 3), Some(false));
    let c = classify(&measured("2026-09-30", json!(22.0), json!(108.0), false));
    assert_eq!(indicator(&c, 3), Some(true), "108 cm at 7 years is stunted");
    assert!(c.indicators[2].reason.en.contains("stunted (HAZ"), "{}", c.indicators[2].reason.en);
    let c = classify(&measured("2026-09-30", json!(15.5), json!(121.0), false));
    assert_eq!(indicator(&c, 3), Some(true), "15.5 kg at 7 years is underweight");
    assert!(c.indicators[2].reason.en.contains("underweight (WAZ"));
}

#[test]
fn nutrition_window_is_twelve_months_inclusive() {
    // Stunted measurement, reference 2026-10-05.
    let stunted = |on: &str| indicator(&classify(&measured(on, Value::Null, json!(105.0), false)), 3);
    assert_eq!(stunted("2025-10-05"), Some(true), "exactly 12 months before counts");
    assert_eq!(stunted("2025-10-04"), None, "older does not: nothing reported either");
    assert_eq!(stunted("2026-10-05"), Some(true), "the reference date itself counts");
}

#[test]
fn oedema_counts_as_malnourished() {
    let c = classify(&measured("2026-09-30", json!(22.0), json!(121.0), true));
    assert_eq!(indicator(&c, 3), Some(true));
    assert!(c.indicators[2].reason.en.contains("oedema"));
}

#[test]
fn flagged_zscores_are_ignored_and_the_other_still_counts() {
    // 1.2 kg at 7 years: WAZ implausible (flagged); HAZ normal → not deprived.
    assert_eq!(indicator(&classify(&measured("2026-09-30", json!(1.2), json!(121.0), false)), 3), Some(false));
    // Both implausible: no usable measurement, nothing reported → unknown, and the reason says
    // the measurement exists but cannot be used.
    let c = classify(&measured("2026-09-30", json!(1.2), json!(60.0), false));
    assert_eq!(indicator(&c, 3), None);
    assert!(c.indicators[2].reason.en.contains("unusable"), "{}", c.indicators[2].reason.en);
    let v =
        set(measured("2026-09-30", json!(1.2), json!(60.0), false), "/members/1/malnourished_reported", json!(false));
    assert_eq!(indicator(&classify(&v), 3), Some(false), "then the health-station record decides");
}

#[test]
fn latest_counting_measurement_decides() {
    let mut v = measured("2026-09-30", json!(22.0), json!(121.0), false);
    let older = json!({"measurement_id":"0193a5a2-7c1e-7b7a-9a55-0c0ffee00005","member_id":"0193a5a2-7c1e-7b7a-9a55-0c0ffee00003",
                       "measured_on":"2026-03-01","weight_kg":15.0,"lenhei_cm":105.0,"measure":"H","oedema":false});
    v = push(v, "/measurements", older);
    assert_eq!(indicator(&classify(&v), 3), Some(false), "the recent normal one wins over the old stunted one");
    let v = set(v, "/measurements/0/measured_on", json!("2026-02-01"));
    assert_eq!(indicator(&classify(&v), 3), Some(true), "now the stunted one is the latest");
}

#[test]
fn without_measurement_the_health_station_record_decides() {
    let v = set(example(), "/measurements", json!([]));
    assert_eq!(indicator(&classify(&v), 3), None);
    assert_eq!(indicator(&classify(&set(v.clone(), "/members/1/malnourished_reported", json!(true))), 3), Some(true));
    assert_eq!(indicator(&classify(&set(v, "/members/1/malnourished_reported", json!(false))), 3), Some(false));
}

#[test]
fn after_ten_years_only_haz_decides() {
    // A girl of 12: WAZ does not exist in WHO 2007 past 120 months, so a very low weight
    // alone does not deprive.
    let mut girl = member(500, "Trần Thị Lan", "female", "2014-03-01", "child");
    girl["malnourished_reported"] = json!(false);
    let m = json!({"measurement_id":"0193a5a2-7c1e-7b7a-9a55-0c0ffee00006","member_id":"0193a5a2-7c1e-7b7a-9a55-000000000500",
                   "measured_on":"2026-09-01","weight_kg":25.0,"lenhei_cm":150.0,"measure":"H","oedema":false});
    let v = push(push(comfortable(), "/members", girl), "/measurements", m);
    assert_eq!(indicator(&classify(&v), 3), Some(false));
    let v = set(v, "/measurements/0/lenhei_cm", json!(135.0));
    assert_eq!(indicator(&classify(&v), 3), Some(true), "135 cm at 12.5 years is stunted");
}

// ---- Indicators 4–7, 9–12 ------------------------------------------------------------------

#[test]
fn health_insurance_applies_from_age_six() {
    let mut small = member(600, "Bé Na", "female", "2021-10-06", "child");
    small["health_insurance"] = json!(false);
    let v = push(comfortable(), "/members", small);
    assert_eq!(indicator(&classify(&v), 4), Some(false), "4 years: no card needed");
    assert_eq!(indicator(&classify_on(&v, "2027-10-06"), 4), Some(true), "6 on the day");
    assert_eq!(indicator(&classify(&set(comfortable(), "/members/0/health_insurance", Value::Null)), 4), None);
}

#[test]
fn adult_education_reads_school_and_qualification() {
    // Head aged 25 (born 2001-06-01) — cases: (in_school, education, ojt) → expected.
    for (in_school, education, ojt, expected) in [
        (json!(true), json!("none"), None, Some(false)),
        (json!(false), json!("upper_secondary"), None, Some(false)),
        (json!(false), json!("vocational_elementary"), None, Some(false)),
        (json!(false), json!("lower_secondary"), None, Some(true)),
        (json!(false), json!("lower_secondary"), Some(true), Some(false)),
        (json!(false), Value::Null, Some(true), Some(false)),
        (json!(false), Value::Null, None, None),
        (Value::Null, json!("lower_secondary"), None, None),
        (Value::Null, json!("university"), None, Some(false)),
    ] {
        let mut v = set(comfortable(), "/members/0/birth_date", json!("2001-06-01"));
        v = set(v, "/members/0/in_school", in_school.clone());
        v = set(v, "/members/0/education", education.clone());
        if let Some(o) = ojt {
            v = set(v, "/members/0/on_job_training_certified", json!(o));
        }
        assert_eq!(indicator(&classify(&v), 5), expected, "{in_school} {education} {ojt:?}");
    }
}

#[test]
fn on_job_training_does_not_qualify_a_16_year_old() {
    let mut teen = member(700, "Lê Văn Tí", "male", "2010-01-01", "child");
    teen["in_school"] = json!(false);
    teen["education"] = json!("primary");
    teen["on_job_training_certified"] = json!(true);
    assert_eq!(indicator(&classify(&push(comfortable(), "/members", teen)), 5), Some(true));
}

#[test]
fn child_schooling_is_three_valued_and_the_contradiction_deprives() {
    for (in_school, level_ok, expected) in [
        (json!(true), json!(true), Some(false)),
        (json!(false), json!(true), Some(true)),
        (json!(true), json!(false), Some(true)),
        (json!(true), Value::Null, None),
        (Value::Null, json!(true), None),
        (Value::Null, json!(false), Some(true)),
    ] {
        let mut kid = member(800, "Bé Ba", "male", "2018-01-01", "child");
        kid["in_school"] = in_school.clone();
        kid["school_level_ok"] = level_ok.clone();
        assert_eq!(indicator(&classify(&push(comfortable(), "/members", kid)), 6), expected, "{in_school} {level_ok}");
    }
    let mut toddler = member(801, "Bé Út", "male", "2024-01-01", "child");
    toddler["in_school"] = json!(false);
    assert_eq!(
        indicator(&classify(&push(comfortable(), "/members", toddler)), 6),
        Some(false),
        "2 years: not school age"
    );
}

#[test]
fn housing_quality_is_decided_by_two_known_structures() {
    let d = |w: Value, c: Value, r: Value| {
        let v = set(comfortable(), "/dwelling/walls", w);
        let v = set(v, "/dwelling/columns", c);
        indicator(&classify(&set(v, "/dwelling/roof", r)), 7)
    };
    let (dur, non, null) = (json!("durable"), json!("non_durable"), Value::Null);
    assert_eq!(d(non.clone(), non.clone(), dur.clone()), Some(true));
    assert_eq!(d(non.clone(), dur.clone(), dur.clone()), Some(false));
    assert_eq!(d(non.clone(), non.clone(), null.clone()), Some(true), "two known non-durable suffice");
    assert_eq!(d(dur.clone(), dur.clone(), null.clone()), Some(false), "two known durable suffice");
    assert_eq!(d(non.clone(), dur.clone(), null.clone()), None);
    assert_eq!(d(null.clone(), null.clone(), non.clone()), None);
}

#[test]
fn water_and_latrine_use_the_safe_lists() {
    for (water, expected) in [
        ("piped", false),
        ("drilled_well", false),
        ("rainwater", false),
        ("bottled", false),
        ("protected_spring", false),
        ("protected_dug_well", false),
        ("unprotected_dug_well", true),
        ("unprotected_spring", true),
        ("tanker_vendor", true),
        ("surface_water", true),
        ("other", true),
    ] {
        assert_eq!(
            indicator(&classify(&set(comfortable(), "/water_source", json!(water))), 9),
            Some(expected),
            "{water}"
        );
    }
    for (latrine, expected) in [
        ("septic", false),
        ("semi_septic", false),
        ("pour_flush", false),
        ("ventilated_pit", false),
        ("double_vault", false),
        ("biogas", false),
        ("simple_pit", true),
        ("hanging", true),
        ("shared_public", true),
        ("none", true),
    ] {
        assert_eq!(
            indicator(&classify(&set(comfortable(), "/latrine", json!(latrine))), 10),
            Some(expected),
            "{latrine}"
        );
    }
    assert_eq!(indicator(&classify(&set(comfortable(), "/water_source", Value::Null)), 9), None);
    assert_eq!(indicator(&classify(&set(comfortable(), "/latrine", Value::Null)), 10), None);
}

#[test]
fn information_access_is_three_valued() {
    let devices = |tv: Value, phone: Value, speaker: Value| {
        let d = json!({"tv": tv, "radio": false, "computer": false, "smartphone": phone, "tablet": false, "loudspeaker_reach": speaker});
        indicator(&classify(&set(comfortable(), "/info_devices", d)), 12)
    };
    let (t, f, n) = (json!(true), json!(false), Value::Null);
    assert_eq!(devices(f.clone(), f.clone(), f.clone()), Some(true));
    assert_eq!(devices(f.clone(), f.clone(), t.clone()), Some(false), "loudspeaker reach is enough");
    assert_eq!(devices(n.clone(), t.clone(), n.clone()), Some(false), "one device is enough");
    assert_eq!(devices(f.clone(), n.clone(), f.clone()), None);
    assert_eq!(indicator(&classify(&set(comfortable(), "/internet_use", json!(false))), 11), Some(true));
}

#[test]
fn a_person_indicator_with_nobody_it_applies_to_is_not_deprived() {
    let c = classify(&comfortable());
    for n in [3, 6] {
        assert_eq!(indicator(&c, n), Some(false));
    }
    assert_eq!(c.indicators[2].reason.en, "No child under 16 in the household");
}

// ---- Transitions ----------------------------------------------------------------------------

#[test]
fn transitions_between_review_years() {
    use Category::*;
    use Transition::*;
    let r = date("2026-10-05");
    let prev =
        |c: Category, escape: Option<&str>| crate::model::Previous { category: c, escape_date: escape.map(date) };
    for (before, after, expected) in [
        (Some(prev(Poor, None)), Poor, Some(Unchanged)),
        (Some(prev(Poor, None)), NearPoor, Some(EscapedPoverty)),
        (Some(prev(Poor, None)), NotPoor, Some(EscapedPoverty)),
        (Some(prev(NearPoor, None)), Average, Some(EscapedNearPoverty)),
        (Some(prev(NearPoor, None)), Poor, Some(FellIntoPoverty)),
        (Some(prev(NotPoor, None)), Poor, Some(FellIntoPoverty)),
        (None, Poor, Some(FellIntoPoverty)),
        (Some(prev(NearPoor, Some("2024-12-20"))), Poor, Some(Relapsed)),
        (Some(prev(Average, None)), NearPoor, Some(NewNearPoor)),
        (None, NearPoor, Some(NewNearPoor)),
        (Some(prev(Average, None)), NotPoor, Some(Unchanged)),
        (Some(prev(Undetermined, None)), Poor, None),
        (Some(prev(Poor, None)), Undetermined, None),
    ] {
        assert_eq!(transition(before.as_ref(), after, r), expected, "{before:?} → {after:?}");
    }
}

#[test]
fn recently_escaped_lasts_36_months() {
    let p = Some(crate::model::Previous { category: Category::NearPoor, escape_date: Some(date("2023-12-15")) });
    assert!(recently_escaped(p.as_ref(), Category::NearPoor, date("2026-12-14"), 36));
    assert!(!recently_escaped(p.as_ref(), Category::NearPoor, date("2026-12-15"), 36));
    assert!(!recently_escaped(p.as_ref(), Category::Poor, date("2026-10-05"), 36), "poor again is a relapse");
    assert!(!recently_escaped(None, Category::NotPoor, date("2026-10-05"), 36));
}

// ---- Standards -------------------------------------------------------------------------------

#[test]
fn vn2027_is_provisional_with_new_lines_and_indicators() {
    let h = household(&comfortable());
    let s = PovertyStandard::vn2027();
    let c = classify_household(&h, &s, h.interview_date);
    assert!(c.provisional);
    assert_eq!(c.standard, "VN-2027");
    assert_eq!(c.indicators.len(), 12);
    assert_eq!(c.indicators[11].code, "waste_handling");
    assert_eq!(c.indicators[11].status, Status::Unknown);
    assert_eq!(c.indicators[10].code, "digital_service_use");
    let v = set(comfortable(), "/income", json!({"monthly_per_capita_vnd": 2_800_000}));
    let c = classify_household(&household(&v), &s, h.interview_date);
    assert_eq!(c.category, Category::NearPoor, "2.8 M is on the urban line");
    let v = set(comfortable(), "/income", json!({"monthly_per_capita_vnd": 2_800_001}));
    assert_eq!(
        classify_household(&household(&v), &s, h.interview_date).category,
        Category::NotPoor,
        "no average band published"
    );
    assert_eq!(PovertyStandard::default_for_year(2027).id, "VN-2022", "provisional is never the default");
}

#[test]
fn a_standard_round_trips_as_json_data() {
    let s = PovertyStandard::vn2022();
    let json = serde_json::to_string(&s).expect("serialises");
    let back: PovertyStandard = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(back, s);
    assert_eq!(PovertyStandard::by_id("vn-2027").map(|s| s.provisional), Some(true));
}

// ---- Properties ----------------------------------------------------------------------------

mod properties {
    use proptest::prelude::*;

    use super::*;

    /// A category's rank: lower is worse-off. Undetermined sits with whatever it could become.
    fn no_better(before: Category, after: Category) -> bool {
        use Category::*;
        match before {
            Poor => after == Poor,
            NearPoor => matches!(after, NearPoor | Poor | Undetermined),
            Undetermined => matches!(after, Poor | Undetermined),
            Average | NotPoor => after == before,
        }
    }

    fn answer<T: Clone + std::fmt::Debug + 'static>(options: Vec<T>) -> impl Strategy<Value = Option<T>> {
        prop_oneof![Just(None), proptest::sample::select(options).prop_map(Some)]
    }

    prop_compose! {
        fn household_answers()(
            water in answer(vec!["piped", "surface_water"]),
            latrine in answer(vec!["septic", "none"]),
            internet in answer(vec![true, false]),
            walls in answer(vec!["durable", "non_durable"]),
            roof in answer(vec!["durable", "non_durable"]),
            area in answer(vec![5.0, 60.0]),
            insured in answer(vec![true, false]),
            work in answer(vec!["wage_with_contract", "unemployed"]),
            income in 0i64..4_000_000,
        ) -> Value {
            let v = set(comfortable(), "/water_source", json!(water));
            let v = set(v, "/latrine", json!(latrine));
            let v = set(v, "/internet_use", json!(internet));
            let v = set(v, "/dwelling/walls", json!(walls));
            let v = set(v, "/dwelling/roof", json!(roof));
            let v = set(v, "/dwelling/floor_area_m2", json!(area));
            let v = set(v, "/members/0/health_insurance", json!(insured));
            let v = set(v, "/members/0/work", json!(work));
            set(v, "/income", json!({"monthly_per_capita_vnd": income}))
        }
    }

    proptest! {
        #[test]
        fn adding_a_deprivation_never_improves_the_category(
            v in household_answers(),
            field in 0usize..6,
        ) {
            let (pointer, deprived) = [
                ("/water_source", json!("surface_water")),
                ("/latrine", json!("none")),
                ("/internet_use", json!(false)),
                ("/dwelling/floor_area_m2", json!(5.0)),
                ("/members/0/health_insurance", json!(false)),
                ("/members/0/work", json!("unemployed")),
            ][field].clone();
            let before = classify(&v);
            let after = classify(&set(v, pointer, deprived));
            prop_assert!(after.deprived_count >= before.deprived_count);
            prop_assert!(no_better(before.category, after.category), "{:?} → {:?}", before.category, after.category);
        }

        #[test]
        fn category_is_monotone_in_counts(d in 0u32..12, u in 0u32..12, income: Option<bool>, band: Option<bool>) {
            let base = category(income, band, d, u, 3);
            prop_assert!(no_better(base, category(income, band, d + 1, u, 3)));
            if u > 0 {
                // An unknown answer resolved as deprived never improves the category.
                prop_assert!(no_better(base, category(income, band, d + 1, u - 1, 3)));
            }
        }
    }
}
