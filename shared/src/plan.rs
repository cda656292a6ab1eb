//! The ward's plan targets (standard §9; seed: plan 286/KH-UBND of Phước Tân, 2023) and how
//! "now" is measured against them. Targets are data: these are the defaults a ward starts
//! with and may edit per year.
//!
//! §9 measures some targets over persons and the others over households ("over poor +
//! near-poor households (persons where stated)"):
//! - **persons** — health insurance: members of poor and near-poor households to whom indicator
//!   4 applies (aged 6 and over; younger children hold a free card by law, and the survey does
//!   not ask); school attendance: children to whom indicator 6 applies (3 to under 16), judged by
//!   indicator 6's own rule; training: the workers (working age, indicator 1's definition) of
//!   poor, near-poor **and recently escaped** households, with the sub-target of those holding
//!   a diploma or certificate ([`PersonCounts`]);
//! - **households** — the share **not deprived** on the indicator that asks the same question
//!   (§4): safe water (9), hygienic latrine (10), internet use (11), work (1).
//!
//! Persons or households whose answer is unknown are left out of a share (unknown never counts
//! as met).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{Education, Household};
use crate::poverty::{IndicatorRule, Params, Verdict, member_verdict, working_age};
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
    /// What "now" is the share of.
    pub measure: Measure,
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

/// What a target's "now" is the share of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Poor and near-poor households not deprived on this indicator (§4), among those whose
    /// result is known.
    Households(u8),
    /// Persons, counted by [`person_counts`].
    Persons(PersonMeasure),
}

/// The per-person measures of §9.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonMeasure {
    /// Members (indicator 4's ages) holding a health-insurance card.
    Insured,
    /// Children (indicator 6's ages) attending school at the level for their age.
    Schooled,
    /// Workers with vocational training.
    Trained,
    /// Workers with a diploma or certificate.
    Diploma,
}

/// One household's persons counted for the per-person targets: for each measure, how many
/// meet it and how many have a known answer (the share's denominator).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PersonCounts {
    /// Members holding a card.
    pub insured: u32,
    /// Members whose card is known (indicator 4 applies and was answered).
    pub insurance_known: u32,
    /// Children at school at the right level.
    pub schooled: u32,
    /// Children whose schooling is known.
    pub schooling_known: u32,
    /// Workers with training (diploma, certificate, or certified on-the-job training).
    pub trained: u32,
    /// Workers with a diploma or certificate from a training institution.
    pub diploma: u32,
    /// Workers whose training is known.
    pub training_known: u32,
}

impl PersonCounts {
    /// (met, known) of one measure.
    pub fn of(&self, m: PersonMeasure) -> (u32, u32) {
        match m {
            PersonMeasure::Insured => (self.insured, self.insurance_known),
            PersonMeasure::Schooled => (self.schooled, self.schooling_known),
            PersonMeasure::Trained => (self.trained, self.training_known),
            PersonMeasure::Diploma => (self.diploma, self.training_known),
        }
    }
}

/// Counts a (valid) household's persons for the per-person targets, ages on `reference`.
///
/// Insurance and schooling are judged by the indicators' own per-member rules
/// ([`member_verdict`] of indicators 4 and 6), so the target and the indicator never disagree.
/// Training is our reading of the plan's "lao động qua đào tạo … có bằng cấp, chứng chỉ" (the
/// standard does not define it): a worker is a member of working age ([`working_age`]); a
/// vocational qualification of any level, college or university is a diploma or certificate
/// (văn bằng, chứng chỉ); certified on-the-job training by an employer is training without
/// one; any other known `education` is no training; `education` not answered and no
/// on-the-job training is unknown.
pub fn person_counts(h: &Household, reference: NaiveDate, p: &Params) -> PersonCounts {
    let mut c = PersonCounts::default();
    for m in &h.members {
        match member_verdict(IndicatorRule::HealthInsurance, h, m, reference, p) {
            Some(Verdict::Fine) => (c.insured, c.insurance_known) = (c.insured + 1, c.insurance_known + 1),
            Some(Verdict::Deprived(_)) => c.insurance_known += 1,
            Some(Verdict::Unknown(_)) | None => {}
        }
        match member_verdict(IndicatorRule::ChildSchooling, h, m, reference, p) {
            Some(Verdict::Fine) => (c.schooled, c.schooling_known) = (c.schooled + 1, c.schooling_known + 1),
            Some(Verdict::Deprived(_)) => c.schooling_known += 1,
            Some(Verdict::Unknown(_)) | None => {}
        }
        if working_age(m, reference, p) {
            let diploma = matches!(
                m.education,
                Some(
                    Education::VocationalElementary
                        | Education::VocationalIntermediate
                        | Education::College
                        | Education::University
                )
            );
            let on_the_job = m.on_job_training_certified == Some(true);
            if diploma || on_the_job || m.education.is_some() {
                c.training_known += 1;
            }
            if diploma || on_the_job {
                c.trained += 1;
            }
            if diploma {
                c.diploma += 1;
            }
        }
    }
    c
}

/// The share in percent of `met` among `known`; `None` when nothing is known.
pub fn share(met: i64, known: i64) -> Option<f64> {
    (known > 0).then(|| met as f64 * 100.0 / known as f64)
}

fn target(code: &str, vi: &str, en: &str, measure: Measure, percent: f64, comparison: Comparison) -> PlanTarget {
    PlanTarget { code: code.into(), label: Text::new(vi, en), measure, percent, comparison }
}

/// The §9 targets of the seed plan, in the plan's order.
pub fn default_targets() -> Vec<PlanTarget> {
    use Comparison::*;
    use Measure::*;
    use PersonMeasure::*;
    vec![
        target(
            "health_insurance",
            "Người có bảo hiểm y tế",
            "Persons with health insurance",
            Persons(Insured),
            100.0,
            AtLeast,
        ),
        target(
            "school_attendance",
            "Trẻ em đi học đúng độ tuổi",
            "Children in school at the right age",
            Persons(Schooled),
            100.0,
            AtLeast,
        ),
        target(
            "training",
            "Lao động được đào tạo (gồm hộ mới thoát nghèo)",
            "Workers with training (incl. recently escaped households)",
            Persons(Trained),
            60.0,
            MoreThan,
        ),
        target(
            "training_diploma",
            "Lao động có bằng cấp, chứng chỉ",
            "Workers with a diploma or certificate",
            Persons(Diploma),
            21.0,
            AtLeast,
        ),
        target(
            "water",
            "Hộ dùng nước sinh hoạt hợp vệ sinh",
            "Households with hygienic water",
            Households(9),
            90.0,
            MoreThan,
        ),
        target(
            "latrine",
            "Hộ có nhà tiêu hợp vệ sinh",
            "Households with a hygienic latrine",
            Households(10),
            85.0,
            AtLeast,
        ),
        target("internet", "Hộ tiếp cận internet", "Households with internet access", Households(11), 90.0, AtLeast),
        target(
            "stable_work",
            "Hộ có người trong độ tuổi lao động có việc làm ổn định",
            "Households with a working-age member in stable work",
            Households(1),
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
        assert_eq!(t.len(), 8);
        let mut ward = std::collections::HashMap::new();
        ward.insert("target:water".to_owned(), "95,5".to_owned());
        ward.insert("department:3".to_owned(), "Trạm Y tế phường".to_owned());
        assert_eq!(ward_targets(&ward).iter().find(|t| t.code == "water").map(|t| t.percent), Some(95.5));
        assert_eq!(department_of(&ward, 3, &Text::new("a", "b")).vi, "Trạm Y tế phường");
        assert_eq!(department_of(&ward, 4, &Text::new("a", "b")).vi, "a");
    }

    #[test]
    fn person_counts_follow_the_indicators_ages_and_rules() {
        use crate::testing::{date, household, member, push, set};
        use serde_json::json;
        let reference = date("2026-10-05");
        let p = &crate::poverty::PovertyStandard::vn2022().params;
        let base = json!({"household_id": "0193a5a2-7c1e-7b7a-9a55-0c0ffee20001",
            "area": {"province": "56", "commune": "22366", "group": "TDP-01", "urban": true},
            "address": "1 đường số 1", "review_year": 2026, "interview_date": "2026-10-05",
            "members": [], "dwelling": {"walls": "durable", "columns": "durable", "roof": "durable",
            "floor_area_m2": 40.0}, "water_source": null, "latrine": null, "internet_use": null,
            "info_devices": {}, "income": {}, "measurements": []});
        let mut v = base;
        let people = [
            // Head, 46, trained with a diploma, insured.
            set(
                set(member(1, "Chủ hộ", "male", "1980-01-15", "head"), "/education", json!("vocational_intermediate")),
                "/work",
                json!("self_employed"),
            ),
            // Spouse, 40, on-the-job training, no card.
            set(
                set(
                    set(member(2, "Vợ", "female", "1986-03-01", "spouse"), "/education", json!("lower_secondary")),
                    "/on_job_training_certified",
                    json!(true),
                ),
                "/health_insurance",
                json!(false),
            ),
            // Grandfather past retirement age: not a worker; card not answered.
            set(member(3, "Ông", "male", "1950-01-01", "parent"), "/health_insurance", json!(null)),
            // Child aged exactly 6 today: insurance applies; at school at the right level.
            set(
                set(member(4, "Bé A", "female", "2020-10-05", "child"), "/in_school", json!(true)),
                "/school_level_ok",
                json!(true),
            ),
            // Child of 5 (insurance does not apply), at preschool but the wrong level.
            set(
                set(member(5, "Bé B", "male", "2021-06-01", "child"), "/in_school", json!(true)),
                "/school_level_ok",
                json!(false),
            ),
            // A worker of 20 whose education is not answered: training unknown.
            set(member(6, "Con lớn", "male", "2006-02-01", "child"), "/education", json!(null)),
        ];
        for m in people {
            v = push(v, "/members", m);
        }
        let c = person_counts(&household(&v), reference, p);
        // Insurance: head, grandfather (unknown), child of 6, worker of 20 apply; spouse has none.
        assert_eq!((c.insured, c.insurance_known), (3, 4));
        // Schooling: the two children (3 to under 16).
        assert_eq!((c.schooled, c.schooling_known), (1, 2));
        // Workers: head (diploma), spouse (on the job), the 20-year-old (unknown).
        assert_eq!((c.trained, c.diploma, c.training_known), (2, 1, 2));
        assert_eq!(c.of(PersonMeasure::Diploma), (1, 2));
    }
}
