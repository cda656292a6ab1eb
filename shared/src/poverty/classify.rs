//! Classification of one household under one standard (standard §3): the income condition,
//! the indicators, the category, the B2 score, the transition.

use chrono::NaiveDate;
use serde::Serialize;

use super::income::{IncomeBasis, income_test};
use super::indicators::{Context, IndicatorResult, Status, evaluate};
use super::standard::PovertyStandard;
use super::transition::{Transition, recently_escaped, transition};
use crate::issue::Issue;
use crate::model::{Category, Household, HouseholdId};

/// The result ward staff sign under.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classification {
    /// The household.
    pub household_id: HouseholdId,
    /// The standard applied.
    pub standard: String,
    /// The standard is provisional: say so wherever the result is shown.
    pub provisional: bool,
    /// Ages were counted on this date.
    pub reference_date: NaiveDate,
    /// The category.
    pub category: Category,
    /// At or below the income line; `None` when unknown.
    pub income_condition: Option<bool>,
    /// What decided the income condition.
    pub income_basis: IncomeBasis,
    /// Phiếu B2 score: 10 × the indicators known to be deprived.
    pub b2_score: u32,
    /// Indicators known to be deprived.
    pub deprived_count: u32,
    /// Indicators with missing answers.
    pub unknown_count: u32,
    /// The indicators, in order.
    pub indicators: Vec<IndicatorResult>,
    /// From last year's category; `None` when either is undetermined.
    pub transition: Option<Transition>,
    /// Within 36 months of a recognised escape from poverty.
    pub recently_escaped: bool,
    /// Warnings from the rules (e.g. B1 and declared income disagree).
    pub warnings: Vec<Issue>,
}

impl Classification {
    /// Numbers of the indicators whose answers are missing.
    pub fn unknown_indicators(&self) -> Vec<u8> {
        self.indicators.iter().filter(|i| i.status == Status::Unknown).map(|i| i.number).collect()
    }
}

/// Classifies a (valid) household under `standard`, counting ages on `reference`.
pub fn classify_household(h: &Household, standard: &PovertyStandard, reference: NaiveDate) -> Classification {
    let ctx = Context { household: h, reference, params: &standard.params };
    let indicators: Vec<IndicatorResult> = standard.indicators.iter().map(|spec| evaluate(spec, &ctx)).collect();
    let count = |s: Status| indicators.iter().filter(|i| i.status == s).count() as u32;
    let (deprived, unknown) = (count(Status::Deprived), count(Status::Unknown));
    let income = income_test(&h.income, &standard.income, h.area.urban);
    let category =
        category(income.condition, income.in_average_band, deprived, unknown, standard.poor_min_deprivations);
    let previous = h.previous.as_ref();
    Classification {
        household_id: h.household_id,
        standard: standard.id.clone(),
        provisional: standard.provisional,
        reference_date: reference,
        category,
        income_condition: income.condition,
        income_basis: income.basis,
        b2_score: 10 * deprived,
        deprived_count: deprived,
        unknown_count: unknown,
        indicators,
        transition: transition(previous, category, reference),
        recently_escaped: recently_escaped(previous, category, reference, standard.params.recently_escaped_months),
        warnings: income.warning.into_iter().collect(),
    }
}

/// The category rule of §3. Unknown answers never count as "not deprived": poor needs
/// `poor_min` known deprivations; near-poor needs known + unknown below `poor_min`.
pub fn category(
    income_condition: Option<bool>,
    in_average_band: Option<bool>,
    deprived: u32,
    unknown: u32,
    poor_min: u32,
) -> Category {
    match income_condition {
        None => Category::Undetermined,
        Some(false) if in_average_band == Some(true) => Category::Average,
        Some(false) => Category::NotPoor,
        Some(true) if deprived >= poor_min => Category::Poor,
        Some(true) if deprived + unknown < poor_min => Category::NearPoor,
        Some(true) => Category::Undetermined,
    }
}
