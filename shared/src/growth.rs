//! WHO growth z-scores: the WHO Child Growth Standards (2006) under 5 years and the WHO Growth
//! Reference 2007 from 5 to 19 years, computed exactly as WHO's R packages `anthro` and
//! `anthroplus` do.
//!
//! The algorithm and the tables are described in `shared/data/who-growth/README.md`, which health
//! staff sign under; comments in this module cite its sections as "README §n". In short:
//!
//! 1. [`compute()`] turns a [`GrowthInput`] (sex, age in days, weight, length/height, position,
//!    oedema) into a [`GrowthResult`]: the reference used, the standardised length/height
//!    (`clenhei`, the 0.7 cm rule), the BMI and the four z-scores HAZ, WAZ, WHZ and BAZ. Each
//!    [`ZScore`] carries its exact value, its value rounded to 2 decimals, and whether it is
//!    biologically implausible (README §9).
//! 2. [`assess`] applies the WHO cut-offs (README §10) to a result and says which conditions hold
//!    (stunting, wasting, thinness, overweight, …), each with a Vietnamese and English label.
//! 3. [`value_at_z`] and [`weight_at_z_for_lenhei`] give the measurement at a given z, the curves
//!    of a growth chart.
//!
//! The LMS tables are compiled into the binary and parsed once, on first use; nothing here does
//! IO or reads a clock. Ages are passed in as whole days: see [`age_days_between`].
//!
//! ```
//! use shared::growth::{GrowthInput, Reference, compute};
//! use shared::model::{Position, Sex};
//!
//! let result = compute(&GrowthInput {
//!     sex: Sex::Female,
//!     age_days: Some(730),
//!     weight_kg: Some(11.0),
//!     lenhei_cm: Some(84.3),
//!     position: Some(Position::Standing),
//!     oedema: false,
//! });
//! assert_eq!(result.reference, Some(Reference::Who2006));
//! assert_eq!(result.haz.map(|z| z.rounded), Some(-0.43));
//! ```

mod classify;
mod compute;
mod lms;
mod tables;
#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::model::{Position, Sex};
use crate::text::Text;

pub use classify::{Assessment, Condition, assess};
pub use compute::{LenheiTable, age_days_between, compute, value_at_z, weight_at_z_for_lenhei};

/// One child's measurement, as the WHO algorithm takes it (README §1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GrowthInput {
    /// The child's sex; WHO has separate tables for boys and girls.
    pub sex: Sex,
    /// Completed days since birth on the day of measurement (day of birth = 0); `None` when the
    /// age is unknown, in which case only WHZ is computed (README §4).
    pub age_days: Option<u32>,
    /// Weight in kg; `None`, ≤ 0 or not finite leaves the weight-based z-scores missing.
    pub weight_kg: Option<f64>,
    /// Length or height in cm as measured, before the 0.7 cm adjustment; `None`, ≤ 0 or not
    /// finite leaves the length-based z-scores missing.
    pub lenhei_cm: Option<f64>,
    /// How length/height was measured; `None` is "unknown" (no 0.7 cm adjustment).
    pub position: Option<Position>,
    /// Bilateral pitting oedema: weight then means nothing, so WAZ, WHZ and BAZ are not computed.
    pub oedema: bool,
}

/// The WHO reference a child's age falls under (README §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reference {
    /// WHO Child Growth Standards (2006), ages 0–1826 days (under 60 months).
    Who2006,
    /// WHO Growth Reference 2007, ages 60–228 months.
    Who2007,
}

impl Reference {
    /// The code used in files and reports: `WHO2006` or `WHO2007`.
    pub fn as_code(self) -> &'static str {
        match self {
            Reference::Who2006 => "WHO2006",
            Reference::Who2007 => "WHO2007",
        }
    }

    /// The reference's name, for screens and reports.
    pub fn label(self) -> Text {
        match self {
            Reference::Who2006 => Text::new(
                "Chuẩn tăng trưởng trẻ em WHO 2006 (dưới 5 tuổi)",
                "WHO Child Growth Standards 2006 (under 5 years)",
            ),
            Reference::Who2007 => {
                Text::new("Quần thể tham chiếu WHO 2007 (5–19 tuổi)", "WHO Growth Reference 2007 (5–19 years)")
            }
        }
    }
}

impl Serialize for Reference {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_code())
    }
}

/// One of the four anthropometric indicators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Indicator {
    /// Length/height-for-age (HAZ).
    Haz,
    /// Weight-for-age (WAZ).
    Waz,
    /// Weight-for-length/height (WHZ); WHO 2006 only.
    Whz,
    /// BMI-for-age (BAZ).
    Baz,
}

impl Indicator {
    /// Every indicator, in the usual reporting order.
    pub const ALL: [Indicator; 4] = [Indicator::Haz, Indicator::Waz, Indicator::Whz, Indicator::Baz];

    /// The short code: `haz`, `waz`, `whz` or `baz`.
    pub fn as_code(self) -> &'static str {
        match self {
            Indicator::Haz => "haz",
            Indicator::Waz => "waz",
            Indicator::Whz => "whz",
            Indicator::Baz => "baz",
        }
    }

    /// The indicator's name.
    pub fn label(self) -> Text {
        match self {
            Indicator::Haz => Text::new("Chiều dài/chiều cao theo tuổi", "length/height-for-age"),
            Indicator::Waz => Text::new("Cân nặng theo tuổi", "weight-for-age"),
            Indicator::Whz => Text::new("Cân nặng theo chiều dài/chiều cao", "weight-for-length/height"),
            Indicator::Baz => Text::new("BMI theo tuổi", "BMI-for-age"),
        }
    }

    /// Whether a rounded z-score is biologically implausible (README §9; WHO/UNICEF 2019
    /// recommendations, as in `anthro/R/z-score.R` and `anthroplus/R/zscores.R`). The cut-offs
    /// are the same in both references.
    pub fn is_implausible(self, rounded: f64) -> bool {
        match self {
            Indicator::Haz => !(-6.0..=6.0).contains(&rounded),
            Indicator::Waz => !(-6.0..=5.0).contains(&rounded),
            Indicator::Whz | Indicator::Baz => !(-5.0..=5.0).contains(&rounded),
        }
    }
}

/// A z-score as WHO reports it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ZScore {
    /// The z-score before rounding.
    pub exact: f64,
    /// Rounded half away from zero to 2 decimals (README §8); classify and report this one.
    pub rounded: f64,
    /// Biologically implausible (README §9, judged on `rounded`): show it as "re-measure" and
    /// leave it out of prevalence and means.
    pub flagged: bool,
}

/// Everything [`compute()`] derives from a [`GrowthInput`]. A missing z-score is `None`: missing
/// input, out of the table's range, oedema, or not defined for the reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GrowthResult {
    /// Age in completed days, as given.
    pub age_days: Option<u32>,
    /// Age in months, `age_days / 30.4375`, unrounded (README §2).
    pub age_months: Option<f64>,
    /// The reference the age falls under; `None` when the age is unknown or beyond 228 months.
    pub reference: Option<Reference>,
    /// Length/height after the 0.7 cm rule (README §3), in cm.
    pub clenhei_cm: Option<f64>,
    /// `weight / (clenhei/100)²`, in kg/m².
    pub bmi: Option<f64>,
    /// Length/height-for-age.
    pub haz: Option<ZScore>,
    /// Weight-for-age.
    pub waz: Option<ZScore>,
    /// Weight-for-length/height.
    pub whz: Option<ZScore>,
    /// BMI-for-age.
    pub baz: Option<ZScore>,
    /// A child under 9 months was recorded as measured standing: the position is distrusted
    /// (README §3).
    pub c9mo_flag: bool,
}

impl GrowthResult {
    /// The z-score of one indicator.
    pub fn z(&self, indicator: Indicator) -> Option<ZScore> {
        match indicator {
            Indicator::Haz => self.haz,
            Indicator::Waz => self.waz,
            Indicator::Whz => self.whz,
            Indicator::Baz => self.baz,
        }
    }
}
