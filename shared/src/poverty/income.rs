//! The income condition (standard §2 and §4 "Income").
//!
//! A Phiếu B1 total, when present, decides (it is what Circular 07/2021 prescribes); otherwise
//! the measured per-capita income does; with neither, the condition is unknown. The condition
//! holds at or below the line (inclusive). A disagreement between the two is a warning.

use serde::Serialize;

use super::standard::IncomeRules;
use crate::issue::Issue;
use crate::model::Income;
use crate::text::Text;

/// What decided the income condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IncomeBasis {
    /// The Phiếu B1 total score.
    B1Score,
    /// The measured monthly income per person.
    MeasuredIncome,
    /// Neither is recorded.
    Missing,
}

/// The income test of one household.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncomeTest {
    /// `Some(true)` at or below the line, `None` unknown.
    pub condition: Option<bool>,
    /// What decided it.
    pub basis: IncomeBasis,
    /// A measured income strictly above the line and within the average band; `None` when the
    /// band is unpublished or no income was measured.
    pub in_average_band: Option<bool>,
    /// B1 and measured income disagree.
    pub warning: Option<Issue>,
}

/// Applies the income rules to a household's income figures.
pub fn income_test(income: &Income, rules: &IncomeRules, urban: bool) -> IncomeTest {
    let line = rules.line(urban);
    let by_income = income.monthly_per_capita_vnd.map(|v| v.get() <= line);
    let by_b1 = income.b1_score.map(|s| s.get() <= rules.b1_cutoff(urban));
    let (condition, basis) = match (by_b1, by_income) {
        (Some(c), _) => (Some(c), IncomeBasis::B1Score),
        (None, Some(c)) => (Some(c), IncomeBasis::MeasuredIncome),
        (None, None) => (None, IncomeBasis::Missing),
    };
    let in_average_band = match (income.monthly_per_capita_vnd, rules.average_upper(urban)) {
        (Some(v), Some(upper)) => Some(v.get() > line && v.get() <= upper),
        _ => None,
    };
    let warning = match (by_b1, by_income) {
        (Some(a), Some(b)) if a != b => Some(Issue::warning(
            "income",
            "income_disagreement",
            Text::new(
                "Điểm phiếu B1 và thu nhập kê khai không thống nhất; dùng điểm B1",
                "B1 and declared income disagree; the B1 score is used",
            ),
        )),
        _ => None,
    };
    IncomeTest { condition, basis, in_average_band, warning }
}
