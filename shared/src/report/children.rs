//! Table 11 of §8: the deprivations of the children of poor and near-poor households — health
//! insurance (indicator 4), nutrition (indicator 3), school attendance (indicator 6) — each
//! child judged by the indicators' own per-member rules ([`member_verdict`]).

use super::Listed;
use crate::model::Category;
use crate::poverty::{IndicatorRule, Verdict, member_verdict};

/// One deprivation among children: to how many it applies (the indicator's ages), how many are
/// deprived, how many cannot be judged (answers missing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChildCount {
    /// Children the indicator's rule applies to.
    pub applies: i64,
    /// Of them, deprived.
    pub deprived: i64,
    /// Of them, unknown (never counted as not deprived).
    pub unknown: i64,
}

impl ChildCount {
    fn add(&mut self, verdict: Option<Verdict>) {
        let Some(v) = verdict else { return };
        self.applies += 1;
        match v {
            Verdict::Deprived(_) => self.deprived += 1,
            Verdict::Unknown(_) => self.unknown += 1,
            Verdict::Fine => {}
        }
    }

    /// Deprived children as a share of those the rule applies to, percent.
    pub fn percent(&self) -> Option<f64> {
        crate::plan::share(self.deprived, self.applies)
    }
}

/// Table 11 for one list, or both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChildDeprivations {
    /// Children: members under `child_below_years` (16) on the reference date.
    pub children: i64,
    /// Without a valid health-insurance card, among children aged `insurance_min_years` (6)
    /// and over (indicator 4's rule).
    pub insurance: ChildCount,
    /// Stunted or underweight by their latest counting measurement, or as the health station
    /// reported when there is none (indicator 3's rule).
    pub nutrition: ChildCount,
    /// Not attending school at the level for their age, among children aged `school_min_years`
    /// (3) to 15 (indicator 6's rule).
    pub schooling: ChildCount,
}

/// Table 11 (§8): the children of the households on `list` (`None`: poor and near-poor), ages
/// counted on each household's reference date.
pub fn child_deprivations(listed: &[Listed<'_>], list: Option<Category>) -> ChildDeprivations {
    let mut t = ChildDeprivations::default();
    for l in listed.iter().filter(|l| list.is_none_or(|c| l.category == c)) {
        let (h, on, p) = (&l.household, l.reference(), l.params);
        let children = h.members.iter().filter(|m| m.age_years(on).is_some_and(|age| age < p.child_below_years));
        for m in children {
            t.children += 1;
            let verdict = |rule| member_verdict(rule, h, m, on, p);
            t.insurance.add(verdict(IndicatorRule::HealthInsurance));
            t.nutrition.add(verdict(IndicatorRule::Nutrition));
            t.schooling.add(verdict(IndicatorRule::ChildSchooling));
        }
    }
    t
}
