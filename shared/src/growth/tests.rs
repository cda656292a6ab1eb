//! Tests of the WHO growth computation: every worked example of `examples.csv` and the edge of
//! each rule of the README, here; the LMS arithmetic and the tables, the classification cut-offs
//! and properties that hold for any input, in the submodules.

mod classification;
mod lms_and_tables;
mod properties;

use chrono::NaiveDate;

use super::*;
use crate::model::{Position, Sex};

/// The worked examples produced by WHO's own R packages (README, last section).
const EXAMPLES: &str = include_str!("../../data/who-growth/examples.csv");

/// A measurement without oedema.
fn child(
    sex: Sex,
    age_days: Option<u32>,
    weight_kg: Option<f64>,
    lenhei_cm: Option<f64>,
    position: Option<Position>,
) -> GrowthInput {
    GrowthInput { sex, age_days, weight_kg, lenhei_cm, position, oedema: false }
}

fn date(iso: &str) -> NaiveDate {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").expect("test date")
}

/// A cell of examples.csv as the optional value it encodes.
fn optional(cell: &str) -> Option<f64> {
    (!cell.is_empty()).then(|| cell.parse().expect("numeric cell"))
}

/// A value formatted like examples.csv: `decimals` places, empty when missing.
fn cell(value: Option<f64>, decimals: usize) -> String {
    value.map(|v| format!("{v:.decimals$}")).unwrap_or_default()
}

#[test]
fn every_worked_example_is_reproduced_exactly() {
    let mut reader = csv::Reader::from_reader(EXAMPLES.as_bytes());
    let headers = reader.headers().expect("examples.csv has a header").clone();
    let mut rows = 0;
    for record in reader.records() {
        let record = record.expect("examples.csv parses");
        let get = |name: &str| {
            let column = headers.iter().position(|h| h == name).expect("examples.csv column");
            record.get(column).expect("examples.csv cell")
        };
        let case = get("case_id");
        let age_days = age_days_between(date(get("dob")), date(get("measure_date")));
        assert_eq!(age_days.map(|d| d.to_string()).as_deref(), Some(get("age_days")), "{case} age_days");
        let result = compute(&GrowthInput {
            sex: if get("sex") == "1" { Sex::Male } else { Sex::Female },
            age_days,
            weight_kg: optional(get("weight_kg")),
            lenhei_cm: optional(get("lenhei_cm")),
            position: Position::from_code(get("measure")),
            oedema: get("oedema") == "y",
        });
        assert_eq!(result.reference.map_or("", Reference::as_code), get("reference"), "{case} reference");
        assert_eq!(cell(result.age_months, 4), get("age_months"), "{case} age_months");
        assert_eq!(cell(result.clenhei_cm, 2), get("clenhei_cm"), "{case} clenhei_cm");
        assert_eq!(cell(result.bmi, 4), get("bmi"), "{case} bmi");
        for indicator in Indicator::ALL {
            let code = indicator.as_code();
            let z = result.z(indicator);
            assert_eq!(cell(z.map(|z| z.rounded), 2), get(code), "{case} {code}");
            let flag = z.map(|z| if z.flagged { "1" } else { "0" }).unwrap_or_default();
            assert_eq!(flag, get(&format!("{code}_flag")), "{case} {code}_flag");
            let expected_exact = optional(get(&format!("{code}_exact")));
            match (z, expected_exact) {
                (None, None) => {}
                (Some(z), Some(expected)) => {
                    assert!((z.exact - expected).abs() < 1e-6, "{case} {code}_exact: {} vs {expected}", z.exact);
                }
                (z, expected) => {
                    panic!("{case} {code}_exact: computed {z:?}, expected {expected:?}")
                }
            }
        }
        assert_eq!(if result.c9mo_flag { "1" } else { "0" }, get("c9mo_flag"), "{case} c9mo_flag");
        rows += 1;
    }
    assert_eq!(rows, 23);
}
#[test]
fn standing_child_under_nine_months_is_flagged_and_taken_as_measured() {
    let standing = |day| compute(&child(Sex::Male, Some(day), Some(7.0), Some(65.0), Some(Position::Standing)));
    // Day 273 is 8.97 months: the position is distrusted, no +0.7 cm (README §3).
    let day273 = standing(273);
    assert!(day273.c9mo_flag);
    assert_eq!(day273.clenhei_cm, Some(65.0));
    // Day 274 is 9.002 months: a standing measurement is corrected to length.
    let day274 = standing(274);
    assert!(!day274.c9mo_flag);
    assert_eq!(day274.clenhei_cm, Some(65.7));
    let lying = compute(&child(Sex::Male, Some(100), Some(5.0), Some(60.0), Some(Position::Lying)));
    assert!(!lying.c9mo_flag);
    let unknown_age = compute(&child(Sex::Male, None, Some(5.0), Some(60.0), Some(Position::Standing)));
    assert!(!unknown_age.c9mo_flag);
}

#[test]
fn length_and_height_are_standardised_at_day_731() {
    use Position::{Lying, Standing};
    let cases = [
        (Some(730), Some(Lying), 80.0),
        (Some(730), Some(Standing), 80.7),
        (Some(730), None, 80.0),
        (Some(731), Some(Lying), 79.3),
        (Some(731), Some(Standing), 80.0),
        (Some(731), None, 80.0),
        // WHO 2007 has no lying measurement; a lying one loses 0.7 cm as from 24 months.
        (Some(3000), Some(Lying), 79.3),
        (Some(3000), Some(Standing), 80.0),
        (None, Some(Lying), 80.0),
        (None, Some(Standing), 80.0),
    ];
    for (age_days, position, expected) in cases {
        let result = compute(&child(Sex::Female, age_days, Some(10.0), Some(80.0), position));
        let clenhei = result.clenhei_cm.expect("clenhei");
        assert!((clenhei - expected).abs() < 1e-9, "{age_days:?} {position:?}: {clenhei}");
    }
    // The same standardised length gives the same z-scores, however it was measured.
    let standing = compute(&child(Sex::Female, Some(730), Some(10.0), Some(80.0), Some(Standing)));
    let lying = compute(&child(Sex::Female, Some(730), Some(10.0), Some(80.7), Some(Lying)));
    for indicator in Indicator::ALL {
        let (a, b) = (standing.z(indicator).expect("z"), lying.z(indicator).expect("z"));
        assert!((a.exact - b.exact).abs() < 1e-9, "{indicator:?}");
    }
}

#[test]
fn day_1826_is_who2006_and_day_1827_is_who2007() {
    let at = |day| compute(&child(Sex::Male, Some(day), Some(18.0), Some(110.0), Some(Position::Standing)));
    let last_2006 = at(1826);
    assert_eq!(last_2006.reference, Some(Reference::Who2006));
    assert!(last_2006.haz.is_some() && last_2006.waz.is_some() && last_2006.whz.is_some() && last_2006.baz.is_some());
    let first_2007 = at(1827);
    assert_eq!(first_2007.reference, Some(Reference::Who2007));
    assert!(first_2007.haz.is_some() && first_2007.waz.is_some() && first_2007.baz.is_some());
    assert_eq!(first_2007.whz, None, "WHO 2007 has no weight-for-height");
    // Separate fits: the z-scores jump by at most a few hundredths at the seam.
    for indicator in [Indicator::Haz, Indicator::Waz, Indicator::Baz] {
        let jump = last_2006.z(indicator).expect("z").exact - first_2007.z(indicator).expect("z").exact;
        assert!(jump.abs() < 0.1, "{indicator:?} jumps by {jump}");
    }
}

#[test]
fn who2007_weight_for_age_stops_at_120_months() {
    let at = |day| compute(&child(Sex::Female, Some(day), Some(30.0), Some(135.0), Some(Position::Standing)));
    let last = at(3652); // 119.98 months
    assert!(last.waz.is_some() && last.haz.is_some() && last.baz.is_some());
    let after = at(3653); // 120.02 months
    assert_eq!(after.waz, None);
    assert!(after.haz.is_some() && after.baz.is_some());
}

#[test]
fn no_zscore_beyond_228_months() {
    let at = |day| compute(&child(Sex::Male, Some(day), Some(60.0), Some(175.0), Some(Position::Standing)));
    let last = at(6939); // 227.98 months
    assert_eq!(last.reference, Some(Reference::Who2007));
    assert!(last.haz.is_some() && last.baz.is_some());
    let after = at(6940); // 228.01 months
    assert_eq!(after.reference, None);
    assert_eq!((after.haz, after.waz, after.whz, after.baz), (None, None, None, None));
    assert_eq!(after.clenhei_cm, Some(175.0));
    let far = compute(&child(Sex::Male, Some(u32::MAX), Some(60.0), Some(175.0), None));
    assert_eq!((far.reference, far.haz), (None, None));
}

#[test]
fn whz_outside_the_table_range_is_missing_not_flagged() {
    use Position::{Lying, Standing};
    let cases = [
        (100, Lying, 44.9, false),
        (100, Lying, 45.0, true),
        (100, Lying, 110.0, true),
        (100, Lying, 110.1, false),
        (800, Standing, 64.9, false),
        (800, Standing, 65.0, true),
        (800, Standing, 120.0, true),
        (800, Standing, 120.1, false),
    ];
    for (age_days, position, lenhei, has_whz) in cases {
        let result = compute(&child(Sex::Female, Some(age_days), Some(8.0), Some(lenhei), Some(position)));
        assert_eq!(result.whz.is_some(), has_whz, "day {age_days}, {lenhei} cm");
        assert!(result.haz.is_some() && result.waz.is_some() && result.baz.is_some());
    }
}

#[test]
fn child_with_oedema_gets_no_weight_based_zscore() {
    for age_days in [400, 3000] {
        let mut input = child(Sex::Male, Some(age_days), Some(9.0), Some(78.0), Some(Position::Lying));
        input.oedema = true;
        let result = compute(&input);
        assert!(result.haz.is_some(), "HAZ is still computed");
        assert_eq!((result.waz, result.whz, result.baz), (None, None, None));
        assert!(result.bmi.is_some(), "BMI is still reported");
    }
}

#[test]
fn weight_of_zero_or_less_or_not_finite_gives_no_weight_based_zscore() {
    for weight in [0.0, -1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let result = compute(&child(Sex::Female, Some(500), Some(weight), Some(75.0), Some(Position::Lying)));
        assert_eq!((result.waz, result.whz, result.baz, result.bmi), (None, None, None, None), "{weight}");
        assert!(result.haz.is_some());
    }
    for lenhei in [0.0, -75.0, f64::NAN] {
        let result = compute(&child(Sex::Female, Some(500), Some(9.0), Some(lenhei), Some(Position::Lying)));
        assert_eq!((result.haz, result.whz, result.baz, result.clenhei_cm), (None, None, None, None), "{lenhei}");
        assert!(result.waz.is_some());
    }
}

#[test]
fn missing_weight_or_length_leaves_only_the_zscores_that_need_it_empty() {
    let no_weight = compute(&child(Sex::Male, Some(900), None, Some(88.0), Some(Position::Standing)));
    assert!(no_weight.haz.is_some());
    assert_eq!((no_weight.waz, no_weight.whz, no_weight.baz, no_weight.bmi), (None, None, None, None));
    let no_length = compute(&child(Sex::Male, Some(900), Some(12.0), None, None));
    assert!(no_length.waz.is_some());
    assert_eq!((no_length.haz, no_length.whz, no_length.baz, no_length.bmi), (None, None, None, None));
}

#[test]
fn unknown_age_gives_only_whz_with_the_table_chosen_by_position_then_size() {
    let whz = |age_days, position, lenhei| {
        compute(&child(Sex::Female, age_days, Some(10.0), Some(lenhei), position)).whz.map(|z| z.exact)
    };
    use Position::{Lying, Standing};
    // By position: the same as a child whose age selects that table.
    assert_eq!(whz(None, Some(Lying), 70.0), whz(Some(100), Some(Lying), 70.0));
    assert_eq!(whz(None, Some(Standing), 90.0), whz(Some(800), Some(Standing), 90.0));
    assert_eq!(whz(None, Some(Lying), 100.0), whz(Some(700), Some(Lying), 100.0));
    assert_eq!(whz(None, Some(Standing), 64.0), None, "below the height table");
    // By size: below 87 cm length, from 87 cm height.
    assert_eq!(whz(None, None, 86.9), whz(Some(700), Some(Lying), 86.9));
    assert_eq!(whz(None, None, 87.0), whz(Some(800), Some(Standing), 87.0));
    let result = compute(&child(Sex::Female, None, Some(10.0), Some(80.0), None));
    assert_eq!((result.reference, result.age_months), (None, None));
    assert_eq!((result.haz, result.waz, result.baz), (None, None, None));
    assert!(result.whz.is_some() && result.bmi.is_some());
}
#[test]
fn age_is_counted_in_whole_calendar_days() {
    assert_eq!(age_days_between(date("2024-02-28"), date("2024-02-28")), Some(0));
    assert_eq!(age_days_between(date("2024-02-28"), date("2024-03-01")), Some(2), "leap day counts");
    assert_eq!(age_days_between(date("2023-10-17"), date("2025-10-16")), Some(730));
    assert_eq!(age_days_between(date("2025-01-02"), date("2025-01-01")), None);
}
