//! The cross-field rules of the dictionary's "Validation" section.
//!
//! Single values (ranges, formats, codes) are checked where they are read — by the newtypes of
//! [`crate::model::units`] through [`crate::model::reader`] — so this module checks what needs
//! the whole record: one head, dates against the interview and `today`, ages, references from
//! measurements to members, and the plausibility warnings a collector may confirm.
//!
//! [`check_json`] is the entry point for untrusted input: read, then validate, every problem
//! at once.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};

use crate::issue::{Issue, index_path, join_path};
use crate::model::anthropometry::growth_of;
use crate::model::units::has_at_most_decimals;
use crate::model::{Household, Measurement, Member, Relation, Work, read_household};
use crate::text::Text;

/// Maximum members in one household (dictionary: 1–30).
pub const MAX_MEMBERS: usize = 30;
/// Maximum plausible age in years (dictionary: age ≤ 120).
pub const MAX_AGE_YEARS: u32 = 120;
/// Measurements are for children and adolescents: under 19 on the day measured.
pub const MAX_MEASURED_AGE_YEARS: u32 = 19;
/// Floor area per person above which the area is questioned (a warning, not an error).
pub const SUSPICIOUS_M2_PER_PERSON: f64 = 100.0;

/// Reads and validates a record in the dictionary's JSON form: every problem at once.
/// The household is returned only when there is no error.
pub fn check_json(value: &serde_json::Value, today: NaiveDate) -> (Option<Household>, Vec<Issue>) {
    let (household, mut issues) = read_household(value);
    if let Some(h) = &household {
        issues.extend(validate_household(h, today));
    }
    let ok = !issues.iter().any(Issue::is_error);
    (household.filter(|_| ok), issues)
}

/// Every cross-field problem of a household, errors and warnings.
pub fn validate_household(h: &Household, today: NaiveDate) -> Vec<Issue> {
    let mut issues = Vec::new();
    check_interview(h, today, &mut issues);
    check_member_list(h, &mut issues);
    for (i, member) in h.members.iter().enumerate() {
        check_member(h, member, &index_path("members", i), &mut issues);
    }
    check_measurements(h, &mut issues);
    check_dwelling(h, &mut issues);
    check_previous(h, &mut issues);
    issues
}

fn check_interview(h: &Household, today: NaiveDate, issues: &mut Vec<Issue>) {
    if h.interview_date > today {
        issues.push(Issue::error(
            "interview_date",
            "in_future",
            Text::new("Ngày phỏng vấn ở sau ngày hôm nay", "The interview date is after today"),
        ));
    }
    // The review window is 1 September – 14 December of the review year (Decision
    // 24/2021/QĐ-TTg); a date in another year is probably a typo, but may be a late visit.
    if h.interview_date.year() != h.review_year.get() {
        issues.push(Issue::warning(
            "interview_date",
            "outside_review_year",
            Text::new(
                format!("Ngày phỏng vấn không thuộc năm rà soát {}", h.review_year.get()),
                format!("The interview date is not in review year {}", h.review_year.get()),
            ),
        ));
    }
}

fn check_member_list(h: &Household, issues: &mut Vec<Issue>) {
    if h.members.is_empty() {
        issues.push(Issue::error(
            "members",
            "empty",
            Text::new("Hộ phải có ít nhất một thành viên", "A household needs at least one member"),
        ));
    }
    if h.members.len() > MAX_MEMBERS {
        issues.push(Issue::error(
            "members",
            "too_many",
            Text::new(format!("Hộ có quá {MAX_MEMBERS} thành viên"), format!("More than {MAX_MEMBERS} members")),
        ));
    }
    let heads = h.members.iter().filter(|m| m.relation == Relation::Head).count();
    if !h.members.is_empty() && heads != 1 {
        issues.push(Issue::error(
            "members",
            "head_count",
            Text::new(
                format!("Hộ phải có đúng một chủ hộ (đang có {heads})"),
                format!("A household needs exactly one head (found {heads})"),
            ),
        ));
    }
    let mut seen = HashSet::new();
    for (i, m) in h.members.iter().enumerate() {
        if !seen.insert(m.member_id) {
            issues.push(Issue::error(
                join_path(&index_path("members", i), "member_id"),
                "duplicate_id",
                Text::new("Mã thành viên bị trùng", "Duplicate member id"),
            ));
        }
    }
    let mut ids = HashSet::new();
    for (i, m) in h.members.iter().enumerate() {
        if let Some(id) = &m.id_number
            && !ids.insert(id.as_str())
        {
            issues.push(Issue::warning(
                join_path(&index_path("members", i), "id_number"),
                "duplicate_id_number",
                Text::new("Số CCCD trùng với một thành viên khác", "Citizen ID is the same as another member's"),
            ));
        }
    }
}

fn birth_path(member: &Member, path: &str) -> String {
    match member.birth {
        crate::model::Birth::Date(_) => join_path(path, "birth_date"),
        crate::model::Birth::Year(_) => join_path(path, "birth_year"),
    }
}

fn check_member(h: &Household, m: &Member, path: &str, issues: &mut Vec<Issue>) {
    let Some(age) = m.age_years(h.interview_date) else {
        issues.push(Issue::error(
            birth_path(m, path),
            "after_interview",
            Text::new("Ngày sinh sau ngày phỏng vấn", "Birth date is after the interview date"),
        ));
        return;
    };
    if age > MAX_AGE_YEARS {
        issues.push(Issue::error(
            birth_path(m, path),
            "too_old",
            Text::new(format!("Tuổi {age} lớn hơn {MAX_AGE_YEARS}"), format!("Age {age} is over {MAX_AGE_YEARS}")),
        ));
    }
    check_member_plausibility(h, m, age, path, issues);
}

fn check_member_plausibility(h: &Household, m: &Member, age: u32, path: &str, issues: &mut Vec<Issue>) {
    let mut warn = |field: &str, code: &'static str, vi: String, en: String| {
        issues.push(Issue::warning(join_path(path, field), code, Text::new(vi, en)));
    };
    let name = m.full_name.as_str();
    if m.relation == Relation::Head && age < 15 {
        warn("relation", "young_head", format!("Chủ hộ {name} mới {age} tuổi"), format!("Head {name} is only {age}"));
    }
    if m.relation == Relation::Child
        && let Some(head_age) =
            h.members.iter().find(|x| x.relation == Relation::Head).and_then(|head| head.age_years(h.interview_date))
        && age + 12 > head_age
    {
        warn(
            "relation",
            "old_child",
            format!("{name} ({age} tuổi) là con nhưng chủ hộ chỉ {head_age} tuổi"),
            format!("{name} ({age}) is a child of a head aged only {head_age}"),
        );
    }
    if m.work == Some(Work::Child) && age >= 15 {
        warn(
            "work",
            "adult_as_child",
            format!("{name} {age} tuổi nhưng ghi là trẻ em"),
            format!("{name} is {age} but recorded as a child"),
        );
    }
    let working = matches!(
        m.work,
        Some(Work::WageWithContract | Work::WageWithoutContract | Work::SelfEmployed | Work::Unemployed)
    );
    if working && age < 15 {
        warn(
            "work",
            "child_working",
            format!("{name} mới {age} tuổi nhưng ghi là đang làm việc/tìm việc"),
            format!("{name} is {age} but recorded as working or job-seeking"),
        );
    }
    // Poverty standard §4, indicator 6: contradictory, scored as deprived, but flagged.
    if m.in_school == Some(false) && m.school_level_ok == Some(true) {
        warn(
            "school_level_ok",
            "contradiction",
            format!("{name} không đi học nhưng ghi là học đúng cấp"),
            format!("{name} is not in school but recorded as at the right level"),
        );
    }
}

fn check_measurements(h: &Household, issues: &mut Vec<Issue>) {
    let mut seen = HashSet::new();
    for (i, m) in h.measurements.iter().enumerate() {
        let path = index_path("measurements", i);
        if !seen.insert(m.measurement_id) {
            issues.push(Issue::error(
                join_path(&path, "measurement_id"),
                "duplicate_id",
                Text::new("Mã lần đo bị trùng", "Duplicate measurement id"),
            ));
        }
        if m.measured_on > h.interview_date {
            issues.push(Issue::error(
                join_path(&path, "measured_on"),
                "after_interview",
                Text::new("Ngày đo sau ngày phỏng vấn", "Measurement date is after the interview date"),
            ));
        }
        match h.member(m.member_id) {
            None => issues.push(Issue::error(
                join_path(&path, "member_id"),
                "unknown_member",
                Text::new(
                    "Trẻ được đo không có trong danh sách thành viên của hộ",
                    "The measured child is not a member of this household",
                ),
            )),
            Some(child) => check_measured_child(child, m, &path, issues),
        }
        check_measurement_precision(m, &path, issues);
    }
}

fn check_measured_child(child: &Member, m: &Measurement, path: &str, issues: &mut Vec<Issue>) {
    let name = child.full_name.as_str();
    match child.age_years(m.measured_on) {
        None => {
            issues.push(Issue::error(
                join_path(path, "measured_on"),
                "before_birth",
                Text::new(
                    format!("Ngày đo trước ngày sinh của {name}"),
                    format!("Measurement date is before {name}'s birth"),
                ),
            ));
            return;
        }
        Some(age) if age >= MAX_MEASURED_AGE_YEARS => issues.push(Issue::error(
            join_path(path, "member_id"),
            "too_old",
            Text::new(
                format!("{name} đã {age} tuổi khi đo; chỉ đo trẻ dưới {MAX_MEASURED_AGE_YEARS} tuổi"),
                format!("{name} was {age} when measured; only under-{MAX_MEASURED_AGE_YEARS}s are measured"),
            ),
        )),
        Some(_) => {}
    }
    if child.birth.exact_date().is_none() {
        issues.push(Issue::warning(
            join_path(path, "member_id"),
            "no_birth_date",
            Text::new(
                format!("Cần ngày sinh đầy đủ của {name} để tính chỉ số Z"),
                format!("{name}'s full birth date is needed for z-scores"),
            ),
        ));
        return;
    }
    if let Some(growth) = growth_of(child, m) {
        for (field, label, z) in [
            ("lenhei_cm", "HAZ", growth.haz),
            ("weight_kg", "WAZ", growth.waz),
            ("weight_kg", "WHZ", growth.whz),
            ("weight_kg", "BAZ", growth.baz),
        ] {
            if let Some(z) = z.filter(|z| z.flagged) {
                issues.push(Issue::warning(
                    join_path(path, field),
                    "implausible",
                    Text::new(
                        format!("{label} = {:.2} không hợp lý: đo lại hoặc xác nhận", z.rounded),
                        format!("{label} = {:.2} is implausible: re-measure or confirm", z.rounded),
                    ),
                ));
            }
        }
        if growth.c9mo_flag {
            issues.push(Issue::warning(
                join_path(path, "measure"),
                "standing_under_9_months",
                Text::new(
                    "Trẻ dưới 9 tháng không thể đo tư thế đứng",
                    "A child under 9 months cannot be measured standing",
                ),
            ));
        }
    }
}

fn check_measurement_precision(m: &Measurement, path: &str, issues: &mut Vec<Issue>) {
    if m.weight_kg.is_some_and(|w| !has_at_most_decimals(w.get(), 2)) {
        issues.push(precision_warning(join_path(path, "weight_kg"), 2));
    }
    if m.lenhei_cm.is_some_and(|l| !has_at_most_decimals(l.get(), 1)) {
        issues.push(precision_warning(join_path(path, "lenhei_cm"), 1));
    }
    if m.weight_kg.is_none() && m.lenhei_cm.is_none() && !m.oedema {
        issues.push(Issue::warning(
            path,
            "empty_measurement",
            Text::new("Lần đo chưa có cân nặng và chiều cao", "The measurement has neither weight nor length/height"),
        ));
    }
}

fn precision_warning(path: String, places: u32) -> Issue {
    Issue::warning(
        path,
        "precision",
        Text::new(
            format!("Chỉ ghi tối đa {places} chữ số thập phân"),
            format!("Record at most {places} decimal places"),
        ),
    )
}

fn check_dwelling(h: &Household, issues: &mut Vec<Issue>) {
    let Some(area) = h.dwelling.floor_area_m2 else { return };
    if !has_at_most_decimals(area.get(), 1) {
        issues.push(precision_warning("dwelling.floor_area_m2".into(), 1));
    }
    let persons = h.members.len().max(1) as f64;
    if area.get() / persons > SUSPICIOUS_M2_PER_PERSON {
        issues.push(Issue::warning(
            "dwelling.floor_area_m2",
            "large_area",
            Text::new(
                format!("{} m² cho {} người: diện tích rất lớn, kiểm tra lại", area.get(), h.members.len()),
                format!("{} m² for {} people is unusually large: please check", area.get(), h.members.len()),
            ),
        ));
    }
}

fn check_previous(h: &Household, issues: &mut Vec<Issue>) {
    if let Some(escape) = h.previous.and_then(|p| p.escape_date)
        && escape > h.interview_date
    {
        issues.push(Issue::warning(
            "previous.escape_date",
            "after_interview",
            Text::new("Ngày công nhận thoát nghèo sau ngày phỏng vấn", "The escape date is after the interview date"),
        ));
    }
}

#[cfg(test)]
mod tests;
