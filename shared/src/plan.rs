//! The ward's plan targets (standard §9; seed: plan 286/KH-UBND of Phước Tân, 2023) and how
//! "now" is measured against them. Targets are data: these are the defaults a ward starts
//! with and may edit per year.
//!
//! Each target is measured over the poor and near-poor households as the share **not deprived**
//! on the indicator that asks the same question (standard §4): health insurance (4), school
//! attendance at the right age (6), adult education and training (5), safe water (9), hygienic
//! latrine (10), internet use (11), work (1). Households whose answer is unknown are left out of
//! the share (unknown never counts as met). This is a household-level reading of targets some of
//! which the plan states per person; it is the reading the registry can check for every
//! household from the twelve indicators.

use serde::{Deserialize, Serialize};

use crate::text::Text;

/// How "now" is compared with the target value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// Now ≥ target.
    AtLeast,
    /// Now > target.
    MoreThan,
}

/// One plan target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanTarget {
    /// Stable code.
    pub code: String,
    /// What is measured.
    pub label: Text,
    /// The indicator (§4) whose "not deprived" share measures it.
    pub indicator: u8,
    /// Target share in percent.
    pub percent: f64,
    /// How now is compared with it.
    pub comparison: Comparison,
}

impl PlanTarget {
    /// Whether a share `now` (percent) meets the target.
    pub fn met(&self, now: f64) -> bool {
        match self.comparison {
            Comparison::AtLeast => now >= self.percent,
            Comparison::MoreThan => now > self.percent,
        }
    }
}

/// The share in percent of `met` among `known`; `None` when nothing is known.
pub fn share(met: i64, known: i64) -> Option<f64> {
    (known > 0).then(|| met as f64 * 100.0 / known as f64)
}

fn target(code: &str, vi: &str, en: &str, indicator: u8, percent: f64, comparison: Comparison) -> PlanTarget {
    PlanTarget { code: code.into(), label: Text::new(vi, en), indicator, percent, comparison }
}

/// The §9 targets of the seed plan, in the plan's order.
pub fn default_targets() -> Vec<PlanTarget> {
    use Comparison::*;
    vec![
        target("health_insurance", "Có bảo hiểm y tế", "Health insurance", 4, 100.0, AtLeast),
        target(
            "school_attendance",
            "Trẻ em đi học đúng độ tuổi",
            "Children in school at the right age",
            6,
            100.0,
            AtLeast,
        ),
        target("training", "Lao động được đào tạo", "Workers with training", 5, 60.0, MoreThan),
        target("water", "Nước sinh hoạt hợp vệ sinh", "Hygienic water", 9, 90.0, MoreThan),
        target("latrine", "Nhà tiêu hợp vệ sinh", "Hygienic latrine", 10, 85.0, AtLeast),
        target("internet", "Tiếp cận internet", "Internet access", 11, 90.0, AtLeast),
        target(
            "stable_work",
            "Có người trong độ tuổi lao động có việc làm ổn định",
            "A working-age member in stable work",
            1,
            100.0,
            AtLeast,
        ),
    ]
}

/// The ward's targets: the defaults with the ward's own percentages (`target:<code>` →
/// percent, 0–100) where it set them.
pub fn ward_targets(settings: &std::collections::HashMap<String, String>) -> Vec<PlanTarget> {
    default_targets()
        .into_iter()
        .map(|mut t| {
            if let Some(p) =
                settings.get(&format!("target:{}", t.code)).and_then(|v| v.replace(',', ".").parse::<f64>().ok())
            {
                t.percent = p.clamp(0.0, 100.0);
            }
            t
        })
        .collect()
}

/// The department responsible for indicator `number`: the ward's (`department:<n>`) or the
/// standard's default.
pub fn department_of(settings: &std::collections::HashMap<String, String>, number: u8, default: &Text) -> Text {
    match settings.get(&format!("department:{number}")) {
        Some(name) => Text::new(name.clone(), name.clone()),
        None => default.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_compare_as_the_plan_states_them() {
        let t = default_targets();
        let water = t.iter().find(|t| t.code == "water").expect("water");
        assert!(!water.met(90.0) && water.met(90.1));
        let latrine = t.iter().find(|t| t.code == "latrine").expect("latrine");
        assert!(latrine.met(85.0) && !latrine.met(84.9));
        assert_eq!(share(9, 10), Some(90.0));
        assert_eq!(share(0, 0), None);
        assert_eq!(t.len(), 7);
        let mut ward = std::collections::HashMap::new();
        ward.insert("target:water".to_owned(), "95,5".to_owned());
        ward.insert("department:3".to_owned(), "Trạm Y tế phường".to_owned());
        assert_eq!(ward_targets(&ward).iter().find(|t| t.code == "water").map(|t| t.percent), Some(95.5));
        assert_eq!(department_of(&ward, 3, &Text::new("a", "b")).vi, "Trạm Y tế phường");
        assert_eq!(department_of(&ward, 4, &Text::new("a", "b")).vi, "a");
    }
}
