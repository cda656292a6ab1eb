//! The ward's report tables (standard §8) as data: which rows and columns each table has and
//! how its percentages are computed, so every export (XLSX, CSV, screen) shows the same
//! figures under the same Vietnamese headings.
//!
//! Tables 1–7 and 12–13 are counted from the registry's columns; tables 8–11 and 14–15 read the
//! households themselves ([`Listed`]), with pure functions:
//! - [`target_groups`] (table 8), [`by_ethnicity`] (9), [`by_cause`] (10) — `target_groups.rs`;
//! - [`child_deprivations`] (11) — `children.rs`, judging each child with the indicators' own
//!   per-member rules;
//! - [`member_lines`] (14–15) — `members.rs`.

mod children;
mod members;
mod target_groups;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;

pub use children::{ChildCount, ChildDeprivations, child_deprivations};
pub use members::{HouseholdCells, MemberLine, member_lines, member_list_headings};
pub use target_groups::{
    CountRow, CountTable, by_cause, by_ethnicity, ethnic_minority, ethnicity_key, no_working_capacity, target_groups,
};

use crate::model::{Category, Household};
use crate::poverty::Params;
use crate::text::Text;

/// A household on the poor or near-poor list, as tables 8–11 and 14–15 read it: this year's
/// category, the record (the registry keeps it in the dictionary's JSON form; read it back with
/// [`crate::model::read_household_json`]) and the thresholds of the standard it was classified
/// under.
#[derive(Debug, Clone)]
pub struct Listed<'a> {
    /// This year's category ([`Category::Poor`] or [`Category::NearPoor`]).
    pub category: Category,
    /// The household.
    pub household: Household,
    /// The thresholds of its standard.
    pub params: &'a Params,
}

impl Listed<'_> {
    /// The date ages are counted on: the household's interview date, the reference date its
    /// classification used (§4).
    pub fn reference(&self) -> NaiveDate {
        self.household.interview_date
    }
}

/// Households of each list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PerList {
    /// Poor households.
    pub poor: i64,
    /// Near-poor households.
    pub near_poor: i64,
}

impl PerList {
    /// Counts one household of `category` (other categories are on neither list).
    pub fn add(&mut self, category: Category) {
        match category {
            Category::Poor => self.poor += 1,
            Category::NearPoor => self.near_poor += 1,
            _ => {}
        }
    }

    /// Both lists.
    pub fn total(&self) -> i64 {
        self.poor + self.near_poor
    }

    /// Each count as a share of the lists' sizes `of`, percent: (poor, near-poor).
    pub fn shares(&self, of: PerList) -> (Option<f64>, Option<f64>) {
        (crate::plan::share(self.poor, of.poor), crate::plan::share(self.near_poor, of.near_poor))
    }
}

/// Table 1's columns after the residential group: the categories counted (§8.1).
pub const RESULT_CATEGORIES: [Category; 5] =
    [Category::Poor, Category::NearPoor, Category::Average, Category::NotPoor, Category::Undetermined];

/// One row of tables 4–7: deprivation on one indicator among poor and near-poor households.
#[derive(Debug, Clone, PartialEq)]
pub struct DeprivationRow {
    /// Indicator number.
    pub number: u8,
    /// Indicator name.
    pub name: Text,
    /// Poor households deprived on it.
    pub poor: i64,
    /// Their share of poor households, percent (`None` when there are none).
    pub poor_percent: Option<f64>,
    /// Near-poor households deprived on it.
    pub near_poor: i64,
    /// Their share of near-poor households, percent.
    pub near_poor_percent: Option<f64>,
}

/// Tables 4–7 (§8): for each indicator, deprived counts and shares among poor and near-poor
/// households. `poor` and `near_poor` are (indicator number, deprived count) pairs.
pub fn deprivation_table(
    indicators: &[(u8, Text)],
    poor: &[(i64, i64)],
    poor_total: i64,
    near_poor: &[(i64, i64)],
    near_poor_total: i64,
) -> Vec<DeprivationRow> {
    let count = |rows: &[(i64, i64)], n: u8| rows.iter().find(|(m, _)| *m == i64::from(n)).map_or(0, |(_, c)| *c);
    indicators
        .iter()
        .map(|(n, name)| {
            let (p, np) = (count(poor, *n), count(near_poor, *n));
            DeprivationRow {
                number: *n,
                name: name.clone(),
                poor: p,
                poor_percent: crate::plan::share(p, poor_total),
                near_poor: np,
                near_poor_percent: crate::plan::share(np, near_poor_total),
            }
        })
        .collect()
}

/// The headings of the household lists (tables 12–13 and the filtered list), Vietnamese and
/// English, in column order.
pub fn list_headings() -> Vec<Text> {
    [
        ("STT", "No."),
        ("Mã hộ", "Code"),
        ("Họ tên chủ hộ", "Head of household"),
        ("Địa chỉ", "Address"),
        ("Tổ dân phố", "Residential group"),
        ("Số nhân khẩu", "Members"),
        ("Phân loại", "Category"),
        ("Số chỉ số thiếu hụt", "Deprivations"),
        ("Phân loại năm trước", "Last year's category"),
        ("Trạng thái rà soát", "Review status"),
    ]
    .into_iter()
    .map(|(vi, en)| Text::new(vi, en))
    .collect()
}

/// Households counted by their standing in the two review years: last year's category
/// (`None`: on no list), this year's (`None`: not classified yet), whether the household is
/// poor again after a recognised escape ([`crate::poverty::Transition::Relapsed`]), and how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandingCount {
    /// Last year's category.
    pub previous: Option<Category>,
    /// This year's category.
    pub current: Option<Category>,
    /// Poor again after a recognised escape.
    pub relapsed: bool,
    /// Households.
    pub households: i64,
}

/// One row of tables 2–3 (§8.2, §8.3): how one list (poor, or near-poor) changed over the year.
/// `end = start − escaped − worsened − undetermined + fell_in + relapsed + improved_in`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearChanges {
    /// On the list at the start of the year (last year's result).
    pub start: i64,
    /// Left it for a better standing (poor → near-poor, average or not poor; near-poor →
    /// average or not poor).
    pub escaped: i64,
    /// Left it for a worse standing (near-poor → poor).
    pub worsened: i64,
    /// On it last year, not classified yet this year.
    pub undetermined: i64,
    /// Newly on it from a better standing or from no list (not a relapse).
    pub fell_in: i64,
    /// Poor again after a recognised escape (poor list only).
    pub relapsed: i64,
    /// On it from a worse standing (poor → near-poor, near-poor list only).
    pub improved_in: i64,
    /// On the list now.
    pub end: i64,
}

impl YearChanges {
    /// `part` as a percentage of the start of the year (`None` when the list was empty).
    pub fn percent_of_start(&self, part: i64) -> Option<f64> {
        crate::plan::share(part, self.start)
    }
}

/// Rank of a standing: lower is worse. Average and not poor are both "off the lists" (§6).
fn rank(c: Option<Category>) -> u8 {
    match c {
        Some(Category::Poor) => 0,
        Some(Category::NearPoor) => 1,
        _ => 2,
    }
}

/// Tables 2–3 (§8.2–8.3): the changes of `list` (`Category::Poor` or `Category::NearPoor`)
/// over the year, from households counted by standing. A household undetermined last year
/// counts as on no list (as in the transitions of §6).
pub fn year_changes(list: Category, counts: &[StandingCount]) -> YearChanges {
    let mut out = YearChanges::default();
    for c in counts {
        let previous = c.previous.filter(|p| *p != Category::Undetermined);
        let current = c.current;
        let was = previous == Some(list);
        let is = current == Some(list);
        let n = c.households;
        if was {
            out.start += n;
        }
        if is {
            out.end += n;
        }
        match (was, is) {
            (true, false) => match current {
                None | Some(Category::Undetermined) => out.undetermined += n,
                _ if rank(current) > rank(Some(list)) => out.escaped += n,
                _ => out.worsened += n,
            },
            (false, true) if list == Category::Poor && c.relapsed => out.relapsed += n,
            (false, true) if rank(previous) > rank(Some(list)) => out.fell_in += n,
            (false, true) => out.improved_in += n,
            _ => {}
        }
    }
    out
}
