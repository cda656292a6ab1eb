//! Properties that hold for any input: no panic, monotone z-scores, `value_at_z` inverts
//! `compute`.

use proptest::prelude::*;

use super::*;

/// Any sex.
fn sex() -> impl Strategy<Value = Sex> {
    prop_oneof![Just(Sex::Male), Just(Sex::Female)]
}

/// Any position, including unknown.
fn position() -> impl Strategy<Value = Option<Position>> {
    prop_oneof![Just(None), Just(Some(Position::Lying)), Just(Some(Position::Standing))]
}

/// Any f64 a spreadsheet or a bug could produce.
fn any_number() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![Just(None), prop::num::f64::ANY.prop_map(Some), (-10.0..300.0f64).prop_map(Some)]
}

proptest! {
    #[test]
    fn fast_rounding_agrees_with_the_exact_decimal_rounding(x in -20.0f64..20.0, hundredths in -2000i64..2000) {
        use crate::growth::compute::{round_half_away_2dp, round_half_away_2dp_exact};
        prop_assert_eq!(round_half_away_2dp(x).to_bits(), round_half_away_2dp_exact(x).to_bits());
        // Values at and next to the half-hundredths, where the fast path steps aside.
        let tie = (hundredths as f64 + 0.5) / 100.0;
        for y in [tie, f64::from_bits(tie.to_bits() + 1), f64::from_bits(tie.to_bits() - 1)] {
            prop_assert_eq!(round_half_away_2dp(y).to_bits(), round_half_away_2dp_exact(y).to_bits(), "{}", y);
        }
    }

    #[test]
    fn compute_never_panics_and_gives_finite_zscores(
        sex in sex(),
        age_days in prop_oneof![Just(None), (0u32..8000).prop_map(Some), any::<u32>().prop_map(Some)],
        weight_kg in any_number(),
        lenhei_cm in any_number(),
        position in position(),
        oedema in any::<bool>(),
    ) {
        let result = compute(&GrowthInput { sex, age_days, weight_kg, lenhei_cm, position, oedema });
        for indicator in Indicator::ALL {
            if let Some(z) = result.z(indicator) {
                prop_assert!(z.exact.is_finite() && z.rounded.is_finite());
            }
        }
        let _ = assess(&result, oedema);
    }

    #[test]
    fn weight_based_zscores_rise_with_weight(
        sex in sex(),
        age_days in 0u32..6939,
        lenhei in 45.0..180.0f64,
        position in position(),
        weight in 1.0..90.0f64,
        more in 0.01..20.0f64,
    ) {
        let at = |w| compute(&child(sex, Some(age_days), Some(w), Some(lenhei), position));
        let (light, heavy) = (at(weight), at(weight + more));
        for indicator in [Indicator::Waz, Indicator::Whz, Indicator::Baz] {
            if let (Some(a), Some(b)) = (light.z(indicator), heavy.z(indicator)) {
                prop_assert!(a.exact < b.exact, "{:?}: {} !< {}", indicator, a.exact, b.exact);
                prop_assert!(a.rounded <= b.rounded);
            }
        }
    }

    #[test]
    fn haz_rises_with_height(
        sex in sex(),
        age_days in 0u32..6939,
        lenhei in 40.0..190.0f64,
        more in 0.01..20.0f64,
        position in position(),
    ) {
        let at = |cm| compute(&child(sex, Some(age_days), Some(20.0), Some(cm), position)).haz.expect("HAZ");
        prop_assert!(at(lenhei).exact < at(lenhei + more).exact);
    }

    #[test]
    fn value_at_z_is_the_inverse_of_compute(
        sex in sex(),
        age_days in 0u32..6939,
        k in -5.5..5.5f64,
    ) {
        let z_of = |input: GrowthInput, indicator| compute(&input).z(indicator).map(|z| z.exact);
        if let Some(cm) = value_at_z(Indicator::Haz, sex, age_days, k) {
            let z = z_of(child(sex, Some(age_days), None, Some(cm), None), Indicator::Haz);
            prop_assert!(z.is_some_and(|z| (z - k).abs() < 1e-9), "HAZ {:?} vs {}", z, k);
        }
        if let Some(kg) = value_at_z(Indicator::Waz, sex, age_days, k) {
            let z = z_of(child(sex, Some(age_days), Some(kg), None, None), Indicator::Waz);
            prop_assert!(z.is_some_and(|z| (z - k).abs() < 1e-9), "WAZ {:?} vs {}", z, k);
        }
        // A child of exactly 1 m has BMI = weight.
        if let Some(bmi) = value_at_z(Indicator::Baz, sex, age_days, k) {
            let z = z_of(child(sex, Some(age_days), Some(bmi), Some(100.0), None), Indicator::Baz);
            prop_assert!(z.is_some_and(|z| (z - k).abs() < 1e-9), "BAZ {:?} vs {}", z, k);
        }
    }
}
