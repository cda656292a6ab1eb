//! The WHO cut-offs of README §10 applied by `assess`.

use super::*;

/// A result with the given z-scores (exact values; rounded and flagged as `compute` does).
fn scored(reference: Option<Reference>, age_months: Option<f64>, z: [Option<f64>; 4]) -> GrowthResult {
    let score = |indicator, exact: Option<f64>| exact.and_then(|e| ZScore::from_exact(indicator, e));
    GrowthResult {
        age_days: age_months.map(|m| (m * 30.4375) as u32),
        age_months,
        reference,
        clenhei_cm: None,
        bmi: None,
        haz: score(Indicator::Haz, z[0]),
        waz: score(Indicator::Waz, z[1]),
        whz: score(Indicator::Whz, z[2]),
        baz: score(Indicator::Baz, z[3]),
        c9mo_flag: false,
    }
}

/// An age group as `assess` sees it: the reference and the age in months.
type Age = (Option<Reference>, Option<f64>);

const UNDER_5: Age = (Some(Reference::Who2006), Some(30.0));
const AGE_8: Age = (Some(Reference::Who2007), Some(100.0));
const AGE_13: Age = (Some(Reference::Who2007), Some(160.0));
const AGE_UNKNOWN: Age = (None, None);

/// Asserts the conditions `assess` finds for z-scores `[haz, waz, whz, baz]`.
fn check_conditions((reference, months): Age, z: [Option<f64>; 4], oedema: bool, expected: &[Condition]) {
    let assessment = assess(&scored(reference, months, z), oedema);
    assert_eq!(assessment.conditions, expected, "{reference:?} {months:?} {z:?} oedema={oedema}");
    assert!(assessment.implausible.is_empty());
}

#[test]
fn who_cut_offs_classify_the_rounded_zscores() {
    use Condition::*;
    check_conditions(UNDER_5, [Some(-2.5), Some(0.0), Some(0.0), Some(0.0)], false, &[Stunting]);
    check_conditions(UNDER_5, [Some(-3.5), None, None, None], false, &[Stunting, SevereStunting]);
    // −2.004 rounds to −2.00, which is not < −2.
    check_conditions(UNDER_5, [Some(-2.004), None, None, None], false, &[]);
    check_conditions(UNDER_5, [None, Some(-2.1), Some(-3.1), None], false, &[Underweight, Wasting, SevereWasting]);
    check_conditions(UNDER_5, [None, None, Some(1.5), None], false, &[RiskOfOverweight]);
    check_conditions(UNDER_5, [None, None, Some(3.5), Some(3.5)], false, &[RiskOfOverweight, Overweight, Obesity]);
    // Under 5 the individual cut-offs read WHZ, not BAZ.
    check_conditions(UNDER_5, [None, None, Some(0.0), Some(2.5)], false, &[]);
    check_conditions(AGE_8, [Some(-2.2), Some(-2.2), None, Some(-2.2)], false, &[Stunting, Underweight, Thinness]);
    check_conditions(AGE_8, [None, None, None, Some(1.5)], false, &[Overweight]);
    check_conditions(AGE_8, [None, None, None, Some(2.5)], false, &[Overweight, Obesity]);
    check_conditions(AGE_13, [None, None, None, Some(-3.2)], false, &[Thinness, SevereThinness]);
    check_conditions(AGE_UNKNOWN, [None, None, Some(-2.5), None], false, &[Wasting]);
}

#[test]
fn oedema_counts_as_below_minus_3_sd_on_the_weight_based_indicators() {
    use Condition::*;
    let under_5 = [Underweight, SevereUnderweight, Wasting, SevereWasting];
    check_conditions(UNDER_5, [Some(-1.0), None, None, None], true, &under_5);
    check_conditions(
        AGE_8,
        [Some(0.0), None, None, None],
        true,
        &[Underweight, SevereUnderweight, Thinness, SevereThinness],
    );
    // No WHO 2007 weight-for-age after 10 years.
    check_conditions(AGE_13, [Some(0.0), None, None, None], true, &[Thinness, SevereThinness]);
    check_conditions(AGE_UNKNOWN, [None, None, None, None], true, &[Wasting, SevereWasting]);
    // Beyond 228 months nothing is classified.
    check_conditions((None, Some(230.0)), [None, None, None, None], true, &[]);
}

#[test]
fn flagged_zscore_is_reported_implausible_not_classified() {
    let result = scored(Some(Reference::Who2006), Some(40.0), [Some(-7.8), Some(-3.2), Some(5.2), Some(3.7)]);
    let assessment = assess(&result, false);
    assert_eq!(assessment.implausible, vec![Indicator::Haz, Indicator::Whz]);
    assert_eq!(assessment.conditions, vec![Condition::Underweight, Condition::SevereUnderweight]);
    assert_eq!(assessment.most_severe(), vec![Condition::SevereUnderweight]);
    assert_eq!(Condition::SevereWasting.label().vi, "Suy dinh dưỡng thể gầy còm nặng");
}
