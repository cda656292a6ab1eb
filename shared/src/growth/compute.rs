//! The WHO algorithm end to end (README §1–§9): age → reference, the 0.7 cm rule, table lookup,
//! LMS z-scores, rounding and flags; and its inverse for growth charts.

use chrono::NaiveDate;

use super::lms::{value_at, z_score, z_score_restricted};
use super::tables::{Lms, Table, tables};
use super::{GrowthInput, GrowthResult, Indicator, Reference, ZScore};
use crate::model::{Position, Sex};

/// Days in a month, 365.25 / 12 (README §2).
const DAYS_PER_MONTH: f64 = 30.4375;
/// The last day of WHO 2006: `age_months < 60` ⇔ `age_days ≤ 1826` (README §2).
const LAST_DAY_WHO2006: u32 = 1826;
/// The last month of the WHO 2007 height and BMI tables (README §2, §4).
const LAST_MONTH_WHO2007: f64 = 228.0;
/// The last month of the WHO 2007 weight-for-age table: 10 years (README §4).
const LAST_MONTH_WFA_WHO2007: f64 = 120.0;
/// From this day on WHO 2006 expects standing height, before it recumbent length (README §3).
const FIRST_HEIGHT_DAY: u32 = 731;
/// Standing height is on average 0.7 cm less than recumbent length (README §3).
const LENGTH_HEIGHT_OFFSET_CM: f64 = 0.7;
/// A standing measurement before 9 months is distrusted (README §3, `anthro` 1.1.0).
const FIRST_STANDING_MONTH: f64 = 9.0;
/// Unknown age and position: weight-for-length below this `clenhei`, else weight-for-height
/// (README §4).
const LENGTH_TABLE_BELOW_CM: f64 = 87.0;

/// Completed days from `dob` to `on` (README §2: whole calendar days, day of birth = 0);
/// `None` when `on` is before `dob`, which WHO's code refuses.
pub fn age_days_between(dob: NaiveDate, on: NaiveDate) -> Option<u32> {
    u32::try_from((on - dob).num_days()).ok()
}

/// Computes the z-scores of one measurement, as WHO's `anthro` (under 60 months) and
/// `anthroplus` (60–228 months) do. Never panics: values that are missing, ≤ 0, NaN or
/// infinite leave the z-scores that need them missing.
pub fn compute(input: &GrowthInput) -> GrowthResult {
    // README §1: a weight or length ≤ 0 gives a missing z-score, like an empty one.
    let weight = input.weight_kg.filter(|w| w.is_finite() && *w > 0.0);
    let lenhei = input.lenhei_cm.filter(|l| l.is_finite() && *l > 0.0);
    let age_days = input.age_days;
    let age_months = age_days.map(|days| f64::from(days) / DAYS_PER_MONTH);
    let reference = age_days.and_then(reference_for);

    // README §3: a standing measurement under 9 months is flagged and its position ignored.
    let c9mo_flag =
        input.position == Some(Position::Standing) && age_months.is_some_and(|months| months < FIRST_STANDING_MONTH);
    let position = if c9mo_flag { None } else { input.position };
    let clenhei = lenhei.map(|cm| standardise_lenhei(cm, age_days, position));
    let positive_clenhei = clenhei.filter(|cm| *cm > 0.0);
    let bmi = weight.zip(positive_clenhei).map(|(kg, cm)| kg / ((cm / 100.0) * (cm / 100.0)));

    // README §7: with oedema the weight-based z-scores are not computed; BMI is still reported.
    let weight_z = weight.filter(|_| !input.oedema);
    let bmi_z = bmi.filter(|_| !input.oedema);
    let measures = Measures { sex: input.sex, clenhei: positive_clenhei, weight: weight_z, bmi: bmi_z };

    let scores = match (reference, age_days, age_months) {
        (Some(Reference::Who2006), Some(days), _) => measures.who2006(days, position),
        (Some(Reference::Who2007), _, Some(months)) => measures.who2007(months),
        // README §4: with the age unknown only WHZ is computed.
        (None, None, _) => Scores { whz: measures.whz(None, position), ..Scores::default() },
        // Beyond 228 months there is no reference (README §2).
        _ => Scores::default(),
    };
    GrowthResult {
        age_days,
        age_months,
        reference,
        clenhei_cm: clenhei,
        bmi,
        haz: scores.haz,
        waz: scores.waz,
        whz: scores.whz,
        baz: scores.baz,
        c9mo_flag,
    }
}

/// The reference for an age (README §2): WHO 2006 to day 1826, WHO 2007 to 228 months, then none.
fn reference_for(age_days: u32) -> Option<Reference> {
    if age_days <= LAST_DAY_WHO2006 {
        Some(Reference::Who2006)
    } else if f64::from(age_days) / DAYS_PER_MONTH <= LAST_MONTH_WHO2007 {
        Some(Reference::Who2007)
    } else {
        None
    }
}

/// The 0.7 cm rule (README §3; `adjust_lenhei` in `anthro/R/z-score-helper.R`): length before
/// 731 days, height from 731 days. A lying measurement from 731 days loses 0.7 cm at every age,
/// also under WHO 2007, whose tool does not adjust: README §3 calls that the natural choice for
/// the (discouraged) lying measurement of a child over 5, and it keeps `clenhei` one quantity.
/// An unknown position, or a distrusted one (c9mo), is taken as measured.
fn standardise_lenhei(cm: f64, age_days: Option<u32>, position: Option<Position>) -> f64 {
    match (age_days, position) {
        (Some(days), Some(Position::Standing)) if days < FIRST_HEIGHT_DAY => cm + LENGTH_HEIGHT_OFFSET_CM,
        (Some(days), Some(Position::Lying)) if days >= FIRST_HEIGHT_DAY => cm - LENGTH_HEIGHT_OFFSET_CM,
        _ => cm,
    }
}

/// The four z-scores, each possibly missing.
#[derive(Default)]
struct Scores {
    haz: Option<ZScore>,
    waz: Option<ZScore>,
    whz: Option<ZScore>,
    baz: Option<ZScore>,
}

/// The measurements that enter the z-scores, already cleaned: positive, standardised, and the
/// weight-based ones removed under oedema.
struct Measures {
    sex: Sex,
    clenhei: Option<f64>,
    weight: Option<f64>,
    bmi: Option<f64>,
}

impl Measures {
    /// WHO 2006: the day tables (README §4), and WHZ chosen by age.
    fn who2006(&self, age_days: u32, position: Option<Position>) -> Scores {
        let t = tables();
        Scores {
            haz: score(Indicator::Haz, self.clenhei, t.lhfa_day.at_day(self.sex, age_days)),
            waz: score(Indicator::Waz, self.weight, t.wfa_day.at_day(self.sex, age_days)),
            whz: self.whz(Some(age_days), position),
            baz: score(Indicator::Baz, self.bmi, t.bmifa_day.at_day(self.sex, age_days)),
        }
    }

    /// WHO 2007: the month tables, interpolated (README §4). WAZ stops at 120 months; there is
    /// no WHZ.
    fn who2007(&self, age_months: f64) -> Scores {
        let t = tables();
        let waz = (age_months <= LAST_MONTH_WFA_WHO2007)
            .then(|| score(Indicator::Waz, self.weight, t.wfa_month.at_month(self.sex, age_months)))
            .flatten();
        Scores {
            haz: score(Indicator::Haz, self.clenhei, t.hfa_month.at_month(self.sex, age_months)),
            waz,
            whz: None,
            baz: score(Indicator::Baz, self.bmi, t.bfa_month.at_month(self.sex, age_months)),
        }
    }

    /// Weight-for-length/height (README §4): missing, not flagged, outside the table's range.
    fn whz(&self, age_days: Option<u32>, position: Option<Position>) -> Option<ZScore> {
        let clenhei = self.clenhei?;
        let table = LenheiTable::choose(age_days, position, clenhei);
        let lms = table.contains(clenhei).then(|| table.table().at_lenhei(self.sex, clenhei)).flatten();
        score(Indicator::Whz, self.weight, lms)
    }
}

/// The z-score of `y` against `lms`: plain LMS for HAZ, restricted beyond ±3 SD for the
/// weight-based indicators (README §6).
fn score(indicator: Indicator, y: Option<f64>, lms: Option<Lms>) -> Option<ZScore> {
    let (y, lms) = (y?, lms?);
    let exact = match indicator {
        Indicator::Haz => z_score(y, lms),
        Indicator::Waz | Indicator::Whz | Indicator::Baz => z_score_restricted(y, lms),
    };
    ZScore::from_exact(indicator, exact)
}

impl ZScore {
    /// A z-score from its exact value: rounded (README §8) and flagged on the rounded value
    /// (README §9). `None` when `exact` is not finite.
    pub fn from_exact(indicator: Indicator, exact: f64) -> Option<ZScore> {
        if !exact.is_finite() {
            return None;
        }
        let rounded = round_half_away_2dp(exact);
        Some(ZScore { exact, rounded, flagged: indicator.is_implausible(rounded) })
    }
}

/// Rounds to 2 decimals, half away from zero, on the decimal value of `x` (README §8: R's
/// `round(z, 2)` except on exact binary ties). The decision is taken on the exact decimal
/// expansion of the double, so 1.005 (stored as 1.00499999999999989…) gives 1.0 and 0.125 gives
/// 0.13. Never returns −0.0.
pub(super) fn round_half_away_2dp(x: f64) -> f64 {
    // Beyond 1e12 a double has no hundredths to round; NaN and infinities pass through.
    if !x.is_finite() || x.abs() >= 1e12 {
        return x;
    }
    // Fast path: away from a half-hundredth the product's rounding error (~1e-13 here) cannot
    // change the result, so plain arithmetic decides. Only near-ties take the exact path.
    let scaled = x.abs() * 100.0;
    let fraction = scaled - scaled.floor();
    if (fraction - 0.5).abs() > 1e-6 {
        let hundredths = scaled.round();
        return if hundredths == 0.0 { 0.0 } else { (hundredths / 100.0).copysign(x) };
    }
    round_half_away_2dp_exact(x)
}

/// [`round_half_away_2dp`] decided on the full decimal expansion of `x` (finite, |x| < 1e12).
pub(super) fn round_half_away_2dp_exact(x: f64) -> f64 {
    // 40 decimals hold the expansion far enough that no value short of a tie prints as one.
    let digits = format!("{:.40}", x.abs());
    let (whole, fraction) = digits.split_once('.').expect("invariant: {:.40} prints a decimal point");
    let digit = |i: usize| u64::from(fraction.as_bytes()[i] - b'0');
    let whole: u64 = whole.parse().expect("invariant: a finite |x| < 1e12 prints as an integer");
    let hundredths = whole * 100 + digit(0) * 10 + digit(1) + u64::from(digit(2) >= 5);
    let rounded = hundredths as f64 / 100.0;
    if hundredths == 0 {
        0.0
    } else if x < 0.0 {
        -rounded
    } else {
        rounded
    }
}

/// The weight-for-length/height table of WHO 2006 (README §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LenheiTable {
    /// Weight-for-length (`wfl_45_110cm.csv`), 45.0–110.0 cm: children under 731 days.
    Length,
    /// Weight-for-height (`wfh_65_120cm.csv`), 65.0–120.0 cm: children from 731 days.
    Height,
}

impl LenheiTable {
    /// README §4: by age when it is known (length below 731 days); only when the age is unknown
    /// by the position measured, and failing that by size (`clenhei` < 87 cm → length).
    pub fn choose(age_days: Option<u32>, position: Option<Position>, clenhei_cm: f64) -> LenheiTable {
        match (age_days, position) {
            (Some(days), _) if days < FIRST_HEIGHT_DAY => LenheiTable::Length,
            (Some(_), _) => LenheiTable::Height,
            (None, Some(Position::Lying)) => LenheiTable::Length,
            (None, Some(Position::Standing)) => LenheiTable::Height,
            (None, None) if clenhei_cm < LENGTH_TABLE_BELOW_CM => LenheiTable::Length,
            (None, None) => LenheiTable::Height,
        }
    }

    /// The valid range of `clenhei`, in cm, inclusive.
    pub fn range_cm(self) -> (f64, f64) {
        match self {
            LenheiTable::Length => (45.0, 110.0),
            LenheiTable::Height => (65.0, 120.0),
        }
    }

    /// Whether `clenhei_cm` lies in the table's range (outside it WHZ is missing, not flagged).
    pub fn contains(self, clenhei_cm: f64) -> bool {
        let (low, high) = self.range_cm();
        (low..=high).contains(&clenhei_cm)
    }

    fn table(self) -> &'static Table {
        match self {
            LenheiTable::Length => &tables().wfl,
            LenheiTable::Height => &tables().wfh,
        }
    }
}

/// The measurement at `z = k` for an age-based indicator (HAZ: cm, WAZ: kg, BAZ: kg/m²) and an
/// age in days: the SD(k) curve of a growth chart, the inverse of [`compute()`]. Beyond ±3 SD the
/// weight-based curves follow WHO's restricted computation (README §6), so that a measurement on
/// the curve gets z = k back. The HAZ curve is in length before 731 days and in height after.
/// `None` for WHZ (use [`weight_at_z_for_lenhei`]), outside the reference's ages, for WAZ after
/// 120 months, or when `k` is so extreme that the curve is undefined.
pub fn value_at_z(indicator: Indicator, sex: Sex, age_days: u32, k: f64) -> Option<f64> {
    let t = tables();
    let months = f64::from(age_days) / DAYS_PER_MONTH;
    let lms = match (reference_for(age_days)?, indicator) {
        (_, Indicator::Whz) => None,
        (Reference::Who2006, Indicator::Haz) => t.lhfa_day.at_day(sex, age_days),
        (Reference::Who2006, Indicator::Waz) => t.wfa_day.at_day(sex, age_days),
        (Reference::Who2006, Indicator::Baz) => t.bmifa_day.at_day(sex, age_days),
        (Reference::Who2007, Indicator::Haz) => t.hfa_month.at_month(sex, months),
        (Reference::Who2007, Indicator::Waz) if months <= LAST_MONTH_WFA_WHO2007 => t.wfa_month.at_month(sex, months),
        (Reference::Who2007, Indicator::Waz) => None,
        (Reference::Who2007, Indicator::Baz) => t.bfa_month.at_month(sex, months),
    }?;
    positive(value_at(lms, k, indicator != Indicator::Haz))
}

/// The weight (kg) at `z = k` of weight-for-length/height at `clenhei_cm`, restricted beyond
/// ±3 SD like WHZ itself; `None` outside the table's range.
pub fn weight_at_z_for_lenhei(sex: Sex, table: LenheiTable, clenhei_cm: f64, k: f64) -> Option<f64> {
    if !table.contains(clenhei_cm) {
        return None;
    }
    positive(value_at(table.table().at_lenhei(sex, clenhei_cm)?, k, true))
}

/// `Some(x)` for a finite positive measurement.
fn positive(x: f64) -> Option<f64> {
    (x.is_finite() && x > 0.0).then_some(x)
}
