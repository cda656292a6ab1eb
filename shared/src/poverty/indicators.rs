//! The indicators of standard §4, each evaluated to deprived / not deprived / unknown with a
//! reason that names the member or the fact, so a ward officer can check it.
//!
//! Unknown answers never count as "not deprived" (§3). A person-level indicator with no member
//! it applies to is not deprived (§4 "Precise readings").

use chrono::NaiveDate;
use serde::Serialize;

use chrono::Datelike;

use super::nutrition::child_nutrition;
use super::standard::{IndicatorRule, IndicatorSpec, Params};
use crate::model::{Durability, Education, Household, Member, MemberId, Work};
use crate::text::Text;

/// The value of one indicator for one household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The household lacks this.
    Deprived,
    /// The household does not lack this.
    NotDeprived,
    /// Missing answers: could be either.
    Unknown,
}

impl Status {
    /// `Some(true)` deprived, `Some(false)` not deprived, `None` unknown (the JSON form).
    pub fn as_option(self) -> Option<bool> {
        match self {
            Status::Deprived => Some(true),
            Status::NotDeprived => Some(false),
            Status::Unknown => None,
        }
    }
}

/// One indicator's result, with its reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorResult {
    /// Official number, 1–12.
    pub number: u8,
    /// Stable code.
    pub code: String,
    /// Deprived, not deprived or unknown.
    pub status: Status,
    /// Why, naming the member or the fact.
    pub reason: Text,
    /// Members who meet the deprivation condition (for the departments' action lists).
    pub members: Vec<MemberId>,
}

/// What the rules need besides the household: the reference date and the thresholds.
pub struct Context<'a> {
    /// The household.
    pub household: &'a Household,
    /// Ages are counted on this date.
    pub reference: NaiveDate,
    /// The standard's thresholds.
    pub params: &'a Params,
}

impl Context<'_> {
    fn age(&self, m: &Member) -> Option<u32> {
        m.age_years(self.reference)
    }
}

/// A person-level rule's verdict on one member (see [`member_verdict`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Meets the deprivation condition, because …
    Deprived(Text),
    /// Does not.
    Fine,
    /// Cannot tell: this answer is missing.
    Unknown(Text),
}

struct Outcome {
    status: Status,
    reason: Text,
    members: Vec<MemberId>,
}

impl Outcome {
    fn household(status: Status, reason: Text) -> Self {
        Outcome { status, reason, members: Vec::new() }
    }
}

/// Evaluates one indicator.
pub fn evaluate(spec: &IndicatorSpec, ctx: &Context<'_>) -> IndicatorResult {
    use IndicatorRule::*;
    let outcome = match spec.rule {
        Employment => employment(ctx),
        Dependants => dependants(ctx),
        Nutrition => nutrition(ctx),
        HealthInsurance => health_insurance(ctx),
        AdultEducation => adult_education(ctx),
        ChildSchooling => child_schooling(ctx),
        HousingQuality => housing_quality(ctx),
        HousingArea => housing_area(ctx),
        DomesticWater => domestic_water(ctx),
        HygienicLatrine => hygienic_latrine(ctx),
        InternetUse => internet_use(ctx),
        InformationAccess => information_access(ctx),
        WasteHandling => Outcome::household(
            Status::Unknown,
            Text::new(
                "Chưa có câu hỏi về xử lý rác thải (chuẩn VN-2027 tạm thời)",
                "No question on waste handling yet (provisional VN-2027 standard)",
            ),
        ),
    };
    IndicatorResult {
        number: spec.number,
        code: spec.code.clone(),
        status: outcome.status,
        reason: outcome.reason,
        members: outcome.members,
    }
}

/// "Name, 7 tuổi" / "Name, 7 years".
fn who(m: &Member, age: u32) -> Text {
    Text::new(format!("{}, {age} tuổi", m.full_name), format!("{}, {age} years", m.full_name))
}

fn join(parts: Vec<Text>) -> Text {
    Text::new(
        parts.iter().map(|t| t.vi.as_str()).collect::<Vec<_>>().join("; "),
        parts.iter().map(|t| t.en.as_str()).collect::<Vec<_>>().join("; "),
    )
}

fn with_who(m: &Member, age: u32, why: &Text) -> Text {
    let w = who(m, age);
    Text::new(format!("{}, {}", w.vi, why.vi), format!("{}, {}", w.en, why.en))
}

/// Combines member verdicts (§3, §4): any deprived member → deprived; else any unknown →
/// unknown; else not deprived (also when no member qualifies).
fn per_member(ctx: &Context<'_>, rule: IndicatorRule, fine: Text, nobody: Text) -> Outcome {
    let mut deprived = Vec::new();
    let mut members = Vec::new();
    let mut unknown = Vec::new();
    let mut any = false;
    for m in &ctx.household.members {
        let Some(age) = ctx.age(m) else { continue };
        let Some(verdict) = member_verdict(rule, ctx.household, m, ctx.reference, ctx.params) else { continue };
        any = true;
        match verdict {
            Verdict::Deprived(why) => {
                deprived.push(with_who(m, age, &why));
                members.push(m.member_id);
            }
            Verdict::Unknown(what) => unknown.push(with_who(m, age, &what)),
            Verdict::Fine => {}
        }
    }
    if !deprived.is_empty() {
        Outcome { status: Status::Deprived, reason: join(deprived), members }
    } else if !unknown.is_empty() {
        Outcome::household(Status::Unknown, join(unknown))
    } else if any {
        Outcome::household(Status::NotDeprived, fine)
    } else {
        Outcome::household(Status::NotDeprived, nobody)
    }
}

/// The verdict of a person-level indicator (employment, nutrition, health insurance, adult
/// education, child schooling) on one member, ages counted on `reference`; `None` when the rule
/// does not apply to the member (outside its ages, or born after `reference`) or is not a
/// person-level rule. The indicators and the report's per-child counts (§8 table 11) both call
/// this, so a member is judged once, the same way everywhere.
pub fn member_verdict(
    rule: IndicatorRule,
    h: &Household,
    m: &Member,
    reference: NaiveDate,
    p: &Params,
) -> Option<Verdict> {
    use IndicatorRule::*;
    let age = m.age_years(reference)?;
    match rule {
        Employment => working_age(m, reference, p).then(|| employment_verdict(m)),
        Nutrition => (age < p.child_below_years).then(|| child_nutrition(h, m, reference, p)),
        HealthInsurance => (age >= p.insurance_min_years).then(|| insurance_verdict(m)),
        AdultEducation => (p.adult_education_min_years..=p.adult_education_max_years)
            .contains(&age)
            .then(|| adult_education_verdict(m, age, p)),
        ChildSchooling => (age >= p.school_min_years && age < p.child_below_years).then(|| schooling_verdict(m)),
        Dependants | HousingQuality | HousingArea | DomesticWater | HygienicLatrine | InternetUse
        | InformationAccess | WasteHandling => None,
    }
}

/// Working age (indicator 1, §4 "Precise readings"): at least `working_age_min_years` completed
/// years and below the retirement age of the reference date's calendar year, compared in
/// completed months — someone who has exactly reached it is no longer of working age (Labour
/// Code 2019 Art. 169, Decree 135/2020/NĐ-CP). Born after `reference`: not of working age.
pub fn working_age(m: &Member, reference: NaiveDate, p: &Params) -> bool {
    let (Some(age), Some(months)) = (m.age_years(reference), m.age_months(reference)) else { return false };
    age >= p.working_age_min_years && months < p.retirement_months(m.sex, reference.year())
}

fn missing(vi: &str, en: &str) -> Verdict {
    Verdict::Unknown(Text::new(format!("chưa trả lời: {vi}"), format!("not answered: {en}")))
}

/// Indicator 1: a member of working age (see [`working_age`]) is unemployed or works for
/// wages without a contract.
fn employment(ctx: &Context<'_>) -> Outcome {
    per_member(
        ctx,
        IndicatorRule::Employment,
        Text::new(
            "Mọi người trong độ tuổi lao động đều có việc làm ổn định",
            "Every working-age member has stable work",
        ),
        Text::new("Không có ai trong độ tuổi lao động", "No member of working age"),
    )
}

fn employment_verdict(m: &Member) -> Verdict {
    match m.work {
        Some(w @ (Work::Unemployed | Work::WageWithoutContract)) => Verdict::Deprived(w.label()),
        Some(_) => Verdict::Fine,
        None => missing("việc làm", "work"),
    }
}

/// Indicator 2: dependants (under 16; or on monthly social allowance and aged 60+ or
/// disabled) are more than 50 % of members.
fn dependants(ctx: &Context<'_>) -> Outcome {
    let p = ctx.params;
    let h = ctx.household;
    let mut names = Vec::new();
    let mut ids = Vec::new();
    for m in &h.members {
        let Some(age) = ctx.age(m) else { continue };
        let allowance = m.receives_social_allowance() && (age >= p.elderly_min_years || m.has_disability());
        if age < p.child_below_years || allowance {
            names.push(m.full_name.to_string());
            ids.push(m.member_id);
        }
    }
    let (d, n) = (ids.len(), h.members.len());
    let deprived = (d as u64) * 100 > u64::from(p.dependants_max_percent) * n as u64;
    let reason = Text::new(
        format!("{d}/{n} thành viên là người phụ thuộc{}", list_names(&names)),
        format!("{d} of {n} members are dependants{}", list_names(&names)),
    );
    if deprived {
        Outcome { status: Status::Deprived, reason, members: ids }
    } else {
        Outcome::household(Status::NotDeprived, reason)
    }
}

fn list_names(names: &[String]) -> String {
    if names.is_empty() { String::new() } else { format!(" ({})", names.join(", ")) }
}

/// Indicator 3: a child under 16 stunted or underweight (see [`child_nutrition`]).
fn nutrition(ctx: &Context<'_>) -> Outcome {
    per_member(
        ctx,
        IndicatorRule::Nutrition,
        Text::new("Không có trẻ dưới 16 tuổi bị suy dinh dưỡng", "No child under 16 is stunted or underweight"),
        Text::new("Hộ không có trẻ dưới 16 tuổi", "No child under 16 in the household"),
    )
}

/// Indicator 4: a member aged 6 or over without a valid health-insurance card.
fn health_insurance(ctx: &Context<'_>) -> Outcome {
    per_member(
        ctx,
        IndicatorRule::HealthInsurance,
        Text::new("Mọi người từ 6 tuổi đều có thẻ BHYT", "Everyone aged 6 or over has a health-insurance card"),
        Text::new("Không có ai từ 6 tuổi trở lên", "No member aged 6 or over"),
    )
}

fn insurance_verdict(m: &Member) -> Verdict {
    match m.health_insurance {
        Some(false) => Verdict::Deprived(Text::new("chưa có thẻ BHYT", "no health-insurance card")),
        Some(true) => Verdict::Fine,
        None => missing("thẻ BHYT", "health-insurance card"),
    }
}

/// Indicator 5: a member aged 16–30 neither in school nor qualified. Aged 16–17: any education
/// above primary; aged 18–30: upper secondary, any vocational level, college, university, or
/// certified on-the-job training.
fn adult_education(ctx: &Context<'_>) -> Outcome {
    per_member(
        ctx,
        IndicatorRule::AdultEducation,
        Text::new(
            "Mọi người 16–30 tuổi đang đi học hoặc đã đạt trình độ",
            "Everyone aged 16–30 is in school or qualified",
        ),
        Text::new("Không có ai 16–30 tuổi", "No member aged 16–30"),
    )
}

fn adult_education_verdict(m: &Member, age: u32, p: &Params) -> Verdict {
    let upper = age >= p.adult_education_upper_from_years;
    let qualified = m.education.map(|e| {
        if upper {
            qualifies_upper(e) || m.has_certified_training()
        } else {
            !matches!(e, Education::None | Education::Primary)
        }
    });
    // On-the-job training qualifies an 18–30-year-old even when `education` is unanswered.
    let qualified = if upper && m.has_certified_training() { Some(true) } else { qualified };
    match (m.in_school, qualified) {
        (Some(true), _) | (_, Some(true)) => Verdict::Fine,
        (Some(false), Some(false)) => Verdict::Deprived(Text::new(
            format!("không đi học, trình độ {}", edu_label(m).vi),
            format!("not in school, education {}", edu_label(m).en),
        )),
        (None, _) => missing("đang đi học", "in school"),
        (Some(false), None) => missing("trình độ học vấn", "education"),
    }
}

fn qualifies_upper(e: Education) -> bool {
    use Education::*;
    matches!(e, UpperSecondary | VocationalElementary | VocationalIntermediate | College | University)
}

fn edu_label(m: &Member) -> Text {
    m.education.map_or_else(|| Text::new("?", "?"), |e| e.label())
}

/// Indicator 6: a child aged 3 to under 16 not attending school at the level for their age.
fn child_schooling(ctx: &Context<'_>) -> Outcome {
    per_member(
        ctx,
        IndicatorRule::ChildSchooling,
        Text::new("Mọi trẻ 3–15 tuổi đều đi học đúng cấp", "Every child aged 3–15 attends the right school level"),
        Text::new("Không có trẻ 3–15 tuổi", "No child aged 3–15"),
    )
}

fn schooling_verdict(m: &Member) -> Verdict {
    match (m.in_school, m.school_level_ok) {
        (Some(false), _) => Verdict::Deprived(Text::new("không đi học", "not in school")),
        (_, Some(false)) => {
            Verdict::Deprived(Text::new("không học đúng cấp học theo độ tuổi", "not at the school level for their age"))
        }
        (Some(true), Some(true)) => Verdict::Fine,
        (None, _) => missing("đang đi học", "in school"),
        (_, None) => missing("học đúng cấp", "school level"),
    }
}

/// Indicator 7: at least two of walls, columns, roof non-durable; decided as soon as two known
/// structures agree (§4 "Household-level answers").
fn housing_quality(ctx: &Context<'_>) -> Outcome {
    let d = &ctx.household.dwelling;
    let parts = [("tường", "walls", d.walls), ("cột", "columns", d.columns), ("mái", "roof", d.roof)];
    let count = |want: Durability| parts.iter().filter(|(_, _, v)| *v == Some(want)).count() as u32;
    let (weak, strong) = (count(Durability::NonDurable), count(Durability::Durable));
    let names = |want: Option<Durability>| -> (String, String) {
        let sel: Vec<_> = parts.iter().filter(|(_, _, v)| *v == want).collect();
        (sel.iter().map(|p| p.0).collect::<Vec<_>>().join(", "), sel.iter().map(|p| p.1).collect::<Vec<_>>().join(", "))
    };
    let need = ctx.params.housing_min_non_durable;
    if weak >= need {
        let (vi, en) = names(Some(Durability::NonDurable));
        Outcome::household(
            Status::Deprived,
            Text::new(format!("Kết cấu không bền chắc: {vi}"), format!("Non-durable: {en}")),
        )
    } else if strong > 3 - need {
        let (vi, en) = names(Some(Durability::NonDurable));
        let extra = |s: String| if s.is_empty() { s } else { format!(" (không bền chắc: {s})") };
        let extra_en = |s: String| if s.is_empty() { s } else { format!(" (non-durable: {s})") };
        Outcome::household(
            Status::NotDeprived,
            Text::new(
                format!("Nhà có ít nhất 2 kết cấu bền chắc{}", extra(vi)),
                format!("At least two durable structures{}", extra_en(en)),
            ),
        )
    } else {
        let (vi, en) = names(None);
        Outcome::household(Status::Unknown, Text::new(format!("chưa trả lời: {vi}"), format!("not answered: {en}")))
    }
}

/// Indicator 8: floor area ÷ members below 8 m² (exactly 8 is not deprived). Compared in
/// tenths of m² so 16.0 m² for 2 people is exactly 8.
fn housing_area(ctx: &Context<'_>) -> Outcome {
    let h = ctx.household;
    let n = h.members.len().max(1);
    let Some(area) = h.dwelling.floor_area_m2 else {
        return Outcome::household(
            Status::Unknown,
            Text::new("chưa trả lời: diện tích nhà ở", "not answered: floor area"),
        );
    };
    let tenths = (area.get() * 10.0).round() as i64;
    let min_tenths = (ctx.params.min_m2_per_person * 10.0).round() as i64;
    let per_person = area.get() / n as f64;
    let reason = Text::new(
        format!("{} m² ÷ {n} người = {:.1} m²/người", area.get(), per_person),
        format!("{} m² ÷ {n} people = {:.1} m² per person", area.get(), per_person),
    );
    let deprived = tenths < min_tenths * n as i64;
    Outcome::household(if deprived { Status::Deprived } else { Status::NotDeprived }, reason)
}

/// Indicator 9: the main water source is not a safe one.
fn domestic_water(ctx: &Context<'_>) -> Outcome {
    let answer = ctx.household.water_source.map(|w| (ctx.params.safe_water_sources.contains(&w), w.label()));
    listed_answer(
        answer,
        ("nguồn nước", "water source"),
        ("Nguồn nước", "water source"),
        ("hợp vệ sinh", "Safe", "Unsafe"),
    )
}

/// Indicator 10: the latrine is not hygienic.
fn hygienic_latrine(ctx: &Context<'_>) -> Outcome {
    let answer = ctx.household.latrine.map(|l| (ctx.params.hygienic_latrines.contains(&l), l.label()));
    listed_answer(answer, ("nhà tiêu", "latrine"), ("Nhà tiêu", "latrine"), ("hợp vệ sinh", "Hygienic", "Unhygienic"))
}

/// A household answer judged by a list of acceptable codes (indicators 9 and 10): `answer` is
/// (acceptable, the answer's label); `None` is unanswered.
fn listed_answer(
    answer: Option<(bool, Text)>,
    (missing_vi, missing_en): (&str, &str),
    (noun_vi, noun_en): (&str, &str),
    (good_vi, good_en, bad_en): (&str, &str, &str),
) -> Outcome {
    match answer {
        None => Outcome::household(
            Status::Unknown,
            Text::new(format!("chưa trả lời: {missing_vi}"), format!("not answered: {missing_en}")),
        ),
        Some((true, l)) => Outcome::household(
            Status::NotDeprived,
            Text::new(format!("{noun_vi} {good_vi}: {}", l.vi), format!("{good_en} {noun_en}: {}", l.en)),
        ),
        Some((false, l)) => Outcome::household(
            Status::Deprived,
            Text::new(format!("{noun_vi} không {good_vi}: {}", l.vi), format!("{bad_en} {noun_en}: {}", l.en)),
        ),
    }
}

/// Indicator 11: no member uses the internet.
fn internet_use(ctx: &Context<'_>) -> Outcome {
    match ctx.household.internet_use {
        None => Outcome::household(
            Status::Unknown,
            Text::new("chưa trả lời: sử dụng internet", "not answered: internet use"),
        ),
        Some(true) => Outcome::household(
            Status::NotDeprived,
            Text::new("Có thành viên sử dụng internet", "A member uses the internet"),
        ),
        Some(false) => Outcome::household(
            Status::Deprived,
            Text::new("Không ai trong hộ sử dụng internet", "No member uses the internet"),
        ),
    }
}

/// Indicator 12: none of TV, radio, computer, smartphone, tablet, and no loudspeaker reach.
/// Three-valued: one `true` anywhere settles "not deprived"; all `false` settles "deprived".
fn information_access(ctx: &Context<'_>) -> Outcome {
    let d = &ctx.household.info_devices;
    let items = [
        ("ti vi", "TV", d.tv),
        ("radio", "radio", d.radio),
        ("máy vi tính", "computer", d.computer),
        ("điện thoại thông minh", "smartphone", d.smartphone),
        ("máy tính bảng", "tablet", d.tablet),
        ("loa truyền thanh", "loudspeaker", d.loudspeaker_reach),
    ];
    let pick = |want: Option<bool>| -> (String, String) {
        let sel: Vec<_> = items.iter().filter(|i| i.2 == want).collect();
        (sel.iter().map(|i| i.0).collect::<Vec<_>>().join(", "), sel.iter().map(|i| i.1).collect::<Vec<_>>().join(", "))
    };
    if items.iter().any(|i| i.2 == Some(true)) {
        let (vi, en) = pick(Some(true));
        Outcome::household(Status::NotDeprived, Text::new(format!("Có: {vi}"), format!("Has: {en}")))
    } else if items.iter().all(|i| i.2 == Some(false)) {
        Outcome::household(
            Status::Deprived,
            Text::new(
                "Không có phương tiện nào và không nghe được loa truyền thanh",
                "No information device and no loudspeaker reach",
            ),
        )
    } else {
        let (vi, en) = pick(None);
        Outcome::household(Status::Unknown, Text::new(format!("chưa trả lời: {vi}"), format!("not answered: {en}")))
    }
}
