//! The survey as a collector asks it: the steps, one per dimension of the standard (issue 4:
//! members → employment → health insurance → education → housing → water and sanitation →
//! information → income), which questions apply to which member, and which field paths belong
//! to a step so each step shows (and is blocked by) its own problems only.
//!
//! The ages come from the standard's [`Params`] (standard §4), so "ask the school questions of
//! children aged 3–15" is the same fact as "indicator 6 looks at children aged 3–15".

use chrono::NaiveDate;

use crate::issue::Issue;
use crate::model::{Household, Member};
use crate::poverty::Params;
use crate::text::Text;

/// One screen of the survey flow, in the order asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    /// Code, address, residential group, interview date, phone.
    Household,
    /// Who lives here: name, sex, birth, relation (standard §4 "members").
    Members,
    /// Indicator 1: work of the working-age members.
    Employment,
    /// Indicator 4: health-insurance cards.
    HealthInsurance,
    /// Indicators 5 and 6: schooling of children 3–15, qualifications of members 16–30.
    Education,
    /// Indicators 7 and 8: structures and floor area.
    Housing,
    /// Indicators 9 and 10: water source and latrine.
    WaterSanitation,
    /// Indicators 11 and 12: internet and information devices.
    Information,
    /// The income condition (§2): declared income or the B1 score.
    Income,
    /// The live classification; nothing asked.
    Summary,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 10] = [
        Step::Household,
        Step::Members,
        Step::Employment,
        Step::HealthInsurance,
        Step::Education,
        Step::Housing,
        Step::WaterSanitation,
        Step::Information,
        Step::Income,
        Step::Summary,
    ];

    /// Position in [`Step::ALL`] (stored on the device to resume).
    pub fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// The step at `index`, clamped to the last.
    pub fn from_index(index: usize) -> Step {
        Step::ALL[index.min(Step::ALL.len() - 1)]
    }

    /// The next step (the summary is last).
    pub fn next(self) -> Step {
        Step::from_index(self.index() + 1)
    }

    /// The previous step (the first stays first).
    pub fn previous(self) -> Step {
        Step::from_index(self.index().saturating_sub(1))
    }

    /// The step's title.
    pub fn label(self) -> Text {
        match self {
            Step::Household => Text::new("Thông tin hộ", "Household"),
            Step::Members => Text::new("Thành viên", "Members"),
            Step::Employment => Text::new("Việc làm", "Employment"),
            Step::HealthInsurance => Text::new("Bảo hiểm y tế", "Health insurance"),
            Step::Education => Text::new("Giáo dục", "Education"),
            Step::Housing => Text::new("Nhà ở", "Housing"),
            Step::WaterSanitation => Text::new("Nước sạch và vệ sinh", "Water and sanitation"),
            Step::Information => Text::new("Thông tin", "Information"),
            Step::Income => Text::new("Thu nhập", "Income"),
            Step::Summary => Text::new("Kết quả", "Summary"),
        }
    }

    /// The step a field path (the validation's `members[2].work`, `dwelling.roof`) is asked in.
    pub fn of_path(path: &str) -> Step {
        let head = path.split(['.', '[']).next().unwrap_or_default();
        match head {
            "members" => member_field_step(path.split_once("].").map(|(_, f)| f).unwrap_or_default()),
            "dwelling" => Step::Housing,
            "water_source" | "latrine" => Step::WaterSanitation,
            "internet_use" | "info_devices" => Step::Information,
            "income" | "causes_of_poverty" | "support_received" => Step::Income,
            "measurements" | "" => Step::Summary,
            _ => Step::Household,
        }
    }

    /// The problems among `issues` that belong to this step (the summary shows them all).
    pub fn issues(self, issues: &[Issue]) -> Vec<&Issue> {
        issues.iter().filter(|i| self == Step::Summary || Step::of_path(&i.path) == self).collect()
    }
}

fn member_field_step(field: &str) -> Step {
    match field.split('.').next().unwrap_or_default() {
        "work" => Step::Employment,
        "health_insurance" => Step::HealthInsurance,
        "education" | "in_school" | "school_level_ok" | "on_job_training_certified" => Step::Education,
        _ => Step::Members,
    }
}

/// Which questions apply to one member on the reference date (only relevant questions are
/// asked; the rest stay "not answered").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MemberQuestions {
    /// Main work: from working age (indicator 1 reads it up to retirement; a retired member's
    /// answer is still asked so that it is on record).
    pub work: bool,
    /// Health-insurance card: from `insurance_min_years` (indicator 4).
    pub health_insurance: bool,
    /// In school and at the level for the age: `school_min_years` to under
    /// `child_below_years` (indicator 6).
    pub school: bool,
    /// Highest qualification, in school, certified on-the-job training: ages
    /// `adult_education_min_years`–`adult_education_max_years` (indicator 5).
    pub adult_education: bool,
    /// A child for indicator 3 (nutrition): under `child_below_years`.
    pub child: bool,
}

/// The questions for `m`, counting ages on `reference` (unknown age: ask everything but the
/// child-only questions, so nothing is silently skipped).
pub fn member_questions(m: &Member, reference: NaiveDate, p: &Params) -> MemberQuestions {
    let Some(age) = m.age_years(reference) else {
        return MemberQuestions { work: true, health_insurance: true, ..MemberQuestions::default() };
    };
    MemberQuestions {
        work: age >= p.working_age_min_years,
        health_insurance: age >= p.insurance_min_years,
        school: age >= p.school_min_years && age < p.child_below_years,
        adult_education: (p.adult_education_min_years..=p.adult_education_max_years).contains(&age),
        child: age < p.child_below_years,
    }
}

/// Whether any member of `h` is asked something in `step` (a step with no question is skipped).
pub fn step_applies(step: Step, h: &Household, p: &Params) -> bool {
    let any = |f: fn(&MemberQuestions) -> bool| h.members.iter().any(|m| f(&member_questions(m, h.interview_date, p)));
    match step {
        Step::Employment => any(|q| q.work),
        Step::HealthInsurance => any(|q| q.health_insurance),
        Step::Education => any(|q| q.school || q.adult_education),
        _ => true,
    }
}

/// The children a health worker measures: members under `child_below_years` on `on`
/// (indicator 3's children), oldest first as on the household card.
pub fn children_to_measure<'a>(h: &'a Household, on: NaiveDate, p: &Params) -> Vec<&'a Member> {
    h.members.iter().filter(|m| member_questions(m, on, p).child).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Birth, MemberId, PersonName, Relation, Sex};
    use crate::poverty::PovertyStandard;
    use crate::text::Text;

    fn born(date: &str) -> Member {
        Member::new(
            MemberId(uuid::Uuid::nil()),
            PersonName::new("Trần Thị Bé").expect("name"),
            Sex::Female,
            Birth::Date(date.parse().expect("date")),
            Relation::Child,
        )
    }

    fn check(birth: &str, expected: MemberQuestions) {
        let p = PovertyStandard::vn2022().params;
        let on = "2026-10-05".parse().expect("date");
        assert_eq!(member_questions(&born(birth), on, &p), expected, "born {birth}");
    }

    #[test]
    fn questions_follow_the_ages_of_the_standard() {
        let q = |work, health_insurance, school, adult_education, child| MemberQuestions {
            work,
            health_insurance,
            school,
            adult_education,
            child,
        };
        check("2024-01-01", q(false, false, false, false, true)); // 2: nothing but nutrition
        check("2023-10-05", q(false, false, true, false, true)); // 3 today: school
        check("2019-08-20", q(false, true, true, false, true)); // 7: card and school
        check("2011-10-05", q(true, true, true, false, true)); // 15: work, and still school age
        check("2010-10-05", q(true, true, false, true, false)); // 16: adult education
        check("1996-10-06", q(true, true, false, true, false)); // 29
        check("1979-04-02", q(true, true, false, false, false)); // 47
    }

    #[test]
    fn every_validation_path_belongs_to_the_step_that_asks_it() {
        for (path, step) in [
            ("members", Step::Members),
            ("members[2].birth_date", Step::Members),
            ("members[0].work", Step::Employment),
            ("members[1].health_insurance", Step::HealthInsurance),
            ("members[1].school_level_ok", Step::Education),
            ("dwelling.floor_area_m2", Step::Housing),
            ("latrine", Step::WaterSanitation),
            ("info_devices.tv", Step::Information),
            ("income.b1_score", Step::Income),
            ("interview_date", Step::Household),
            ("address", Step::Household),
            ("measurements[0].weight_kg", Step::Summary),
        ] {
            assert_eq!(Step::of_path(path), step, "{path}");
        }
        let issues = [Issue::error("latrine", "x", Text::new("a", "b"))];
        assert_eq!(Step::WaterSanitation.issues(&issues).len(), 1);
        assert!(Step::Housing.issues(&issues).is_empty());
        assert_eq!(Step::Summary.issues(&issues).len(), 1);
    }

    #[test]
    fn steps_go_forward_and_back_within_bounds() {
        assert_eq!(Step::Household.previous(), Step::Household);
        assert_eq!(Step::Income.next(), Step::Summary);
        assert_eq!(Step::Summary.next(), Step::Summary);
        assert_eq!(Step::from_index(Step::Education.index()), Step::Education);
    }
}
