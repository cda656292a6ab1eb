//! The WHO cut-offs (README §10): which nutritional conditions a child's rounded z-scores show,
//! with oedema counted as below −3 SD on the weight-based indicators (README §7).

use serde::Serialize;

use super::{GrowthResult, Indicator, Reference};
use crate::text::Text;

/// A condition of README §10. The conditions are cumulative, like WHO's prevalence categories:
/// a severely stunted child is also stunted, an obese child also overweight. Use
/// [`Assessment::most_severe`] to show one condition per dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// HAZ < −2 (both references; "short stature" from 5 years).
    Stunting,
    /// HAZ < −3.
    SevereStunting,
    /// WAZ < −2, or oedema (under 5 years; WHO 2007 to 10 years).
    Underweight,
    /// WAZ < −3, or oedema.
    SevereUnderweight,
    /// WHZ < −2, or oedema (under 5 years).
    Wasting,
    /// WHZ < −3, or bilateral oedema: severe acute malnutrition.
    SevereWasting,
    /// WHZ > +1 under 5 years (growth-chart interpretation).
    RiskOfOverweight,
    /// WHZ > +2 under 5 years; BAZ > +1 from 5 years (adult BMI 25 at 19).
    Overweight,
    /// WHZ > +3 under 5 years; BAZ > +2 from 5 years (adult BMI 30 at 19).
    Obesity,
    /// BAZ < −2, from 5 years.
    Thinness,
    /// BAZ < −3, from 5 years.
    SevereThinness,
}

impl Condition {
    /// The condition's name.
    pub fn label(self) -> Text {
        match self {
            Condition::Stunting => Text::new("Suy dinh dưỡng thể thấp còi", "stunting"),
            Condition::SevereStunting => Text::new("Suy dinh dưỡng thể thấp còi nặng", "severe stunting"),
            Condition::Underweight => Text::new("Suy dinh dưỡng thể nhẹ cân", "underweight"),
            Condition::SevereUnderweight => Text::new("Suy dinh dưỡng thể nhẹ cân nặng", "severe underweight"),
            Condition::Wasting => Text::new("Suy dinh dưỡng thể gầy còm", "wasting"),
            Condition::SevereWasting => Text::new("Suy dinh dưỡng thể gầy còm nặng", "severe wasting"),
            Condition::RiskOfOverweight => Text::new("Nguy cơ thừa cân", "possible risk of overweight"),
            Condition::Overweight => Text::new("Thừa cân", "overweight"),
            Condition::Obesity => Text::new("Béo phì", "obesity"),
            Condition::Thinness => Text::new("Gầy", "thinness"),
            Condition::SevereThinness => Text::new("Gầy nặng", "severe thinness"),
        }
    }

    /// The milder condition this one implies, if any (severe stunting implies stunting, …).
    pub fn implies(self) -> Option<Condition> {
        match self {
            Condition::SevereStunting => Some(Condition::Stunting),
            Condition::SevereUnderweight => Some(Condition::Underweight),
            Condition::SevereWasting => Some(Condition::Wasting),
            Condition::SevereThinness => Some(Condition::Thinness),
            Condition::Overweight => Some(Condition::RiskOfOverweight),
            Condition::Obesity => Some(Condition::Overweight),
            _ => None,
        }
    }
}

/// What the WHO cut-offs say about one child.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Assessment {
    /// Every condition that holds, in [`Condition`] order.
    pub conditions: Vec<Condition>,
    /// Indicators whose z-score is flagged as implausible (README §9): they are not classified
    /// and should be re-measured.
    pub implausible: Vec<Indicator>,
}

impl Assessment {
    /// Whether `condition` holds.
    pub fn has(&self, condition: Condition) -> bool {
        self.conditions.contains(&condition)
    }

    /// The conditions without those implied by a more severe one that holds (severe stunting
    /// without stunting, obesity without overweight).
    pub fn most_severe(&self) -> Vec<Condition> {
        let implied: Vec<Condition> = self.conditions.iter().filter_map(|c| c.implies()).collect();
        self.conditions.iter().copied().filter(|c| !implied.contains(c)).collect()
    }

    /// The message shown for an implausible indicator.
    pub fn implausible_label(indicator: Indicator) -> Text {
        let name = indicator.label();
        Text::new(
            format!("{}: giá trị không hợp lý, cần đo lại", name.vi),
            format!("{}: implausible value, re-measure", name.en),
        )
    }
}

/// Which age group's cut-offs apply.
#[derive(Clone, Copy, PartialEq)]
enum Group {
    /// WHO 2006, under 5 years.
    UnderFive,
    /// WHO 2007, 5–19 years; `waz_age` when WAZ is defined (to 120 months).
    SchoolAge { waz_age: bool },
    /// Age unknown: only WHZ exists (README §4), read with the under-5 cut-offs.
    AgeUnknown,
}

/// Applies the WHO cut-offs of README §10 to `result`, on the rounded z-scores. A flagged z-score
/// is not classified but listed as implausible. `oedema` (bilateral pitting oedema) counts as
/// below −3 SD on every weight-based indicator of the child's age group (README §7): under 5
/// years severe wasting and severe underweight; from 5 years severe thinness, and severe
/// underweight up to 120 months. With the age unknown only WHZ and oedema are read, as wasting.
/// Beyond 228 months nothing is classified.
pub fn assess(result: &GrowthResult, oedema: bool) -> Assessment {
    let group = match (result.reference, result.age_months) {
        (Some(Reference::Who2006), _) => Group::UnderFive,
        (Some(Reference::Who2007), months) => Group::SchoolAge { waz_age: months.is_some_and(|m| m <= 120.0) },
        (None, None) => Group::AgeUnknown,
        (None, Some(_)) => return Assessment::default(),
    };
    let mut assessment = Assessment::default();
    let mut z = |indicator: Indicator| -> Option<f64> {
        let score = result.z(indicator)?;
        if score.flagged {
            assessment.implausible.push(indicator);
            return None;
        }
        Some(score.rounded)
    };
    let (haz, waz, whz, bmi_z) = (z(Indicator::Haz), z(Indicator::Waz), z(Indicator::Whz), z(Indicator::Baz));
    let below = |z: Option<f64>, cut: f64| z.is_some_and(|z| z < cut);
    let above = |z: Option<f64>, cut: f64| z.is_some_and(|z| z > cut);

    let mut conditions = Vec::new();
    let mut push = |condition: Condition, holds: bool| {
        if holds {
            conditions.push(condition);
        }
    };
    let under_five = group == Group::UnderFive;
    let whz_read = under_five || group == Group::AgeUnknown;
    let waz_read = under_five || group == (Group::SchoolAge { waz_age: true });
    let baz_read = matches!(group, Group::SchoolAge { .. });
    push(Condition::Stunting, below(haz, -2.0));
    push(Condition::SevereStunting, below(haz, -3.0));
    push(Condition::Underweight, waz_read && (below(waz, -2.0) || oedema));
    push(Condition::SevereUnderweight, waz_read && (below(waz, -3.0) || oedema));
    push(Condition::Wasting, whz_read && (below(whz, -2.0) || oedema));
    push(Condition::SevereWasting, whz_read && (below(whz, -3.0) || oedema));
    push(Condition::RiskOfOverweight, whz_read && above(whz, 1.0));
    push(Condition::Overweight, (whz_read && above(whz, 2.0)) || (baz_read && above(bmi_z, 1.0)));
    push(Condition::Obesity, (whz_read && above(whz, 3.0)) || (baz_read && above(bmi_z, 2.0)));
    push(Condition::Thinness, baz_read && (below(bmi_z, -2.0) || oedema));
    push(Condition::SevereThinness, baz_read && (below(bmi_z, -3.0) || oedema));
    assessment.conditions = conditions;
    assessment
}
