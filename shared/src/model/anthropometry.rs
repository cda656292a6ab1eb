//! A household's measurement, seen through the WHO growth computation: the one place that turns
//! a [`Measurement`] of a [`Member`] into z-scores, for validation, the nutrition indicator and
//! the screens alike.

use super::household::{Measurement, Member};
use crate::growth::{GrowthInput, GrowthResult, age_days_between, compute};

/// The z-scores of a measurement of `child`; `None` when the child's full birth date is not
/// known (WHO ages are counted in days, a birth year is not enough) or the measurement predates
/// the birth.
pub fn growth_of(child: &Member, measurement: &Measurement) -> Option<GrowthResult> {
    let birth = child.birth.exact_date()?;
    let age_days = age_days_between(birth, measurement.measured_on)?;
    Some(compute(&GrowthInput {
        sex: child.sex,
        age_days: Some(age_days),
        weight_kg: measurement.weight_kg.map(|w| w.get()),
        lenhei_cm: measurement.lenhei_cm.map(|l| l.get()),
        position: measurement.measure,
        oedema: measurement.oedema,
    }))
}
