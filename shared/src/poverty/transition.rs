//! Transitions between review years and the "recently escaped" status (standard §6).

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::model::{Category, Previous};

/// How a household moved from last year's category to this year's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// Poor → near-poor, average or not poor.
    EscapedPoverty,
    /// Near-poor → average or not poor.
    EscapedNearPoverty,
    /// Newly poor (from near-poor, average, not poor or not listed).
    FellIntoPoverty,
    /// Poor again after a recognised escape.
    Relapsed,
    /// Newly near-poor from average, not poor or not listed.
    NewNearPoor,
    /// Same standing as last year.
    Unchanged,
}

impl Transition {
    /// Code as written in reports and JSON.
    pub fn as_code(self) -> &'static str {
        match self {
            Transition::EscapedPoverty => "escaped_poverty",
            Transition::EscapedNearPoverty => "escaped_near_poverty",
            Transition::FellIntoPoverty => "fell_into_poverty",
            Transition::Relapsed => "relapsed",
            Transition::NewNearPoor => "new_near_poor",
            Transition::Unchanged => "unchanged",
        }
    }
}

/// The transition from `previous` (absent: the household was on no list) to `current`.
/// `None` when either year is undetermined. Average and not poor are both "off the lists", so
/// moving between them is `Unchanged`.
pub fn transition(previous: Option<&Previous>, current: Category, reference: NaiveDate) -> Option<Transition> {
    use Category::*;
    let before = previous.map_or(NotPoor, |p| p.category);
    if before == Undetermined || current == Undetermined {
        return None;
    }
    let escaped_before = previous.and_then(|p| p.escape_date).is_some_and(|d| d <= reference);
    Some(match (before, current) {
        (Poor, Poor) | (NearPoor, NearPoor) => Transition::Unchanged,
        (Poor, _) => Transition::EscapedPoverty,
        (_, Poor) if escaped_before => Transition::Relapsed,
        (_, Poor) => Transition::FellIntoPoverty,
        (NearPoor, _) => Transition::EscapedNearPoverty,
        (_, NearPoor) => Transition::NewNearPoor,
        _ => Transition::Unchanged,
    })
}

/// "Mới thoát nghèo": within `months` (default 36) after the date its escape was recognised,
/// and not poor again.
pub fn recently_escaped(previous: Option<&Previous>, current: Category, reference: NaiveDate, months: u32) -> bool {
    let Some(escape) = previous.and_then(|p| p.escape_date) else { return false };
    let until = escape.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX);
    current != Category::Poor && escape <= reference && reference < until
}
