//! The LMS arithmetic, rounding and flags, and the embedded tables with their interpolation.

use super::super::compute::round_half_away_2dp;
use super::super::lms::{sd, value_at, z_score, z_score_restricted};
use super::super::tables::{Lms, tables};
use super::*;

#[test]
fn lms_with_l_zero_is_the_logarithmic_limit() {
    let log = Lms { l: 0.0, m: 10.0, s: 0.1 };
    let tiny = Lms { l: 1e-9, ..log };
    assert!((z_score(12.0, log) - 1.2f64.ln() / 0.1).abs() < 1e-12);
    assert!((z_score(12.0, log) - z_score(12.0, tiny)).abs() < 1e-6);
    assert!((sd(log, 2.0) - 10.0 * 0.2f64.exp()).abs() < 1e-12);
    assert!((sd(log, -1.5) - sd(tiny, -1.5)).abs() < 1e-6);
}

#[test]
fn beyond_3_sd_weight_counts_in_units_of_the_2_to_3_sd_gap() {
    let p = Lms { l: -0.35, m: 10.0, s: 0.1 };
    let (sd2, sd3) = (sd(p, 2.0), sd(p, 3.0));
    assert!((z_score_restricted(sd3 + (sd3 - sd2), p) - 4.0).abs() < 1e-12);
    let (sd2_neg, sd3_neg) = (sd(p, -2.0), sd(p, -3.0));
    assert!((z_score_restricted(sd3_neg - 2.0 * (sd2_neg - sd3_neg), p) + 5.0).abs() < 1e-12);
    // Inside ±3 SD the restricted z is the LMS z.
    assert_eq!(z_score_restricted(11.0, p), z_score(11.0, p));
    for k in [-6.0, -4.5, -3.0, -1.0, 0.0, 2.5, 3.5, 7.0] {
        assert!((z_score_restricted(value_at(p, k, true), p) - k).abs() < 1e-9, "k = {k}");
    }
}

#[test]
fn rounding_is_half_away_from_zero_on_the_decimal_value() {
    let cases = [
        (0.125, 0.13),
        (-0.125, -0.13),
        (0.375, 0.38),
        (1.005, 1.0), // the double is 1.00499999999999989…
        (2.675, 2.67),
        (-2.675, -2.67),
        (0.994999, 0.99),
        (-3.285148, -3.29),
        (6.0049, 6.0),
        (123.456, 123.46),
    ];
    for (x, expected) in cases {
        assert_eq!(round_half_away_2dp(x), expected, "{x}");
    }
    let minus_zero = round_half_away_2dp(-0.004);
    assert!(minus_zero == 0.0 && minus_zero.is_sign_positive(), "no -0.00");
    assert!(round_half_away_2dp(f64::NAN).is_nan());
}

#[test]
fn flags_are_judged_on_the_rounded_zscore() {
    let cases = [
        (Indicator::Haz, 6.004, false),
        (Indicator::Haz, 6.0051, true),
        (Indicator::Haz, -6.004, false),
        (Indicator::Haz, -6.006, true),
        (Indicator::Waz, 5.004, false),
        (Indicator::Waz, 5.006, true),
        (Indicator::Waz, -6.004, false),
        (Indicator::Waz, -6.006, true),
        (Indicator::Whz, 5.004, false),
        (Indicator::Whz, -5.006, true),
        (Indicator::Baz, -5.004, false),
        (Indicator::Baz, 5.006, true),
    ];
    for (indicator, exact, flagged) in cases {
        let z = ZScore::from_exact(indicator, exact).expect("finite");
        assert_eq!(z.flagged, flagged, "{indicator:?} {exact}");
    }
    assert_eq!(ZScore::from_exact(Indicator::Haz, f64::NAN), None);
}

#[test]
fn tables_have_the_documented_ranges_and_published_medians() {
    let t = tables();
    for (table, range) in [
        (&t.wfa_day, (0, 1826)),
        (&t.lhfa_day, (0, 1826)),
        (&t.bmifa_day, (0, 1826)),
        (&t.wfl, (450, 1100)),
        (&t.wfh, (650, 1200)),
        (&t.hfa_month, (60, 228)),
        (&t.bfa_month, (60, 228)),
        (&t.wfa_month, (60, 120)),
    ] {
        assert_eq!(table.key_range(), range);
    }
    let median = |lms: Option<Lms>| lms.expect("row").m;
    assert_eq!(median(t.wfa_day.at_day(Sex::Male, 0)), 3.3464);
    assert_eq!(median(t.lhfa_day.at_day(Sex::Male, 0)), 49.8842);
    assert_eq!(median(t.lhfa_day.at_day(Sex::Female, 0)), 49.1477);
    assert_eq!(median(t.hfa_month.at_month(Sex::Male, 61.0)), 110.2647);
    assert_eq!(median(t.hfa_month.at_month(Sex::Female, 228.0)), 163.1548);
    assert_eq!(t.wfa_day.at_day(Sex::Male, 1827), None);
    assert_eq!(t.hfa_month.at_month(Sex::Male, 228.5), None, "month 229 is not in the table");
}

#[test]
fn interpolation_reads_grid_points_exactly_and_lerps_between() {
    let t = tables();
    let row = |tenths| t.wfl.row(Sex::Female, tenths).expect("row");
    assert_eq!(t.wfl.at_lenhei(Sex::Female, 85.3), Some(row(853)));
    assert_eq!(t.wfl.at_lenhei(Sex::Female, 84.3 + 0.7), Some(row(850)));
    assert_eq!(t.wfl.at_lenhei(Sex::Female, 110.0), Some(row(1100)));
    let half = t.wfl.at_lenhei(Sex::Female, 85.35).expect("interpolated");
    assert!((half.m - (row(853).m + row(854).m) / 2.0).abs() < 1e-9);
    let month = |m| t.bfa_month.row(Sex::Male, m).expect("row");
    let quarter = t.bfa_month.at_month(Sex::Male, 100.25).expect("interpolated");
    assert!((quarter.s - (month(100).s + 0.25 * (month(101).s - month(100).s))).abs() < 1e-12);
}

#[test]
fn value_at_z_gives_the_growth_chart_curves() {
    assert_eq!(value_at_z(Indicator::Waz, Sex::Male, 0, 0.0), Some(3.3464));
    assert_eq!(value_at_z(Indicator::Haz, Sex::Female, 0, 0.0), Some(49.1477));
    let minus2 = value_at_z(Indicator::Haz, Sex::Female, 0, -2.0).expect("curve");
    assert!((minus2 - 49.1477 * (1.0 - 2.0 * 0.0379)).abs() < 1e-9);
    assert_eq!(value_at_z(Indicator::Whz, Sex::Male, 100, 0.0), None);
    assert_eq!(value_at_z(Indicator::Waz, Sex::Male, 3653, 0.0), None, "no WAZ after 120 months");
    assert_eq!(value_at_z(Indicator::Haz, Sex::Male, 6940, 0.0), None, "no reference after 228 months");
    let median = weight_at_z_for_lenhei(Sex::Male, LenheiTable::Length, 45.0, 0.0);
    assert_eq!(median, Some(2.441));
    assert_eq!(weight_at_z_for_lenhei(Sex::Male, LenheiTable::Height, 64.9, 0.0), None);
}
