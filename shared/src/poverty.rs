//! The multidimensional poverty standard (`poverty-standard.md`).
//!
//! - [`standard`] — rule sets as values: `VN-2022` (default), `VN-2027` (provisional).
//! - [`indicators`] — the twelve indicators, each deprived / not deprived / unknown with a reason;
//!   [`member_verdict`] judges one member on a person-level rule, [`working_age`] (indicator 1).
//! - [`nutrition`] — indicator 3's choice of measurement.
//! - [`income`] — the income condition from B1 or measured income.
//! - [`classify`] — category and B2 score.
//! - [`transition`] — movement between review years; "recently escaped".
//!
//! Classification is pure: `(household, standard, reference date) → Classification`.

pub mod classify;
pub mod income;
pub mod indicators;
mod nutrition;
pub mod standard;
pub mod transition;

pub use classify::{Classification, category, classify_household};
pub use income::{IncomeBasis, IncomeTest, income_test};
pub use indicators::{IndicatorResult, Status, Verdict, member_verdict, working_age};
pub use standard::{IndicatorRule, IndicatorSpec, Params, PovertyStandard};
pub use transition::{Transition, recently_escaped, transition};

#[cfg(test)]
mod tests;
