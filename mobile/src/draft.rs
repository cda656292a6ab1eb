//! The survey in progress: one household edited step by step. Every answer goes through the
//! dictionary's newtype constructors and `shared::validate`, so the problems shown are the
//! server's own (errors block the step, warnings are confirmed and kept). Fields are addressed
//! by their dictionary path (`dwelling.roof`, `members.2.work`), which keeps every event handler
//! a one-liner and the whole flow testable without a screen.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use shared::issue::Issue;
use shared::model::*;
use shared::poverty::PovertyStandard;
use shared::survey::{Step, member_questions, step_applies};
use shared::text::Text;
use uuid::Uuid;

use crate::i18n::{K, Lang};

/// A household being surveyed.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The record as answered so far.
    pub household: Household,
    /// The step on screen.
    pub step: Step,
    /// Raw text of typed fields (numbers, dates, address) as the collector typed them.
    inputs: BTreeMap<String, String>,
    /// Typed values the newtypes refused, by path.
    input_errors: BTreeMap<String, Text>,
    /// Warnings the collector confirmed: (path, code).
    confirmed: BTreeSet<(String, String)>,
    /// The member being added or edited.
    pub member_form: Option<MemberForm>,
    /// Saved at least once (exists on the device).
    pub saved: bool,
}

/// Why the survey cannot leave a step.
#[derive(Debug, Clone, PartialEq)]
pub enum Blocked {
    /// Errors: fix them.
    Errors(Vec<Issue>),
    /// Warnings not yet confirmed.
    Unconfirmed(Vec<Issue>),
}

/// Placeholder address of a household whose address is not typed yet (never saved: the
/// household step requires an address).
const NO_ADDRESS: &str = "-";

pub(crate) fn text(k: K) -> Text {
    Text::new(k.get(Lang::Vi), k.get(Lang::En))
}

impl Draft {
    /// A new household in `group` of the enrolled commune, interviewed `today`.
    pub fn new(province: &str, commune: &str, group: &str, urban: bool, today: NaiveDate) -> Draft {
        let code = |s: &str| AreaCode::new(if s.is_empty() { "-" } else { s }).expect("a non-empty code of ≤ 50 chars");
        let household = Household {
            household_id: HouseholdId(Uuid::new_v4()),
            code: None,
            area: Area { province: code(province), commune: code(commune), group: code(group), urban },
            address: Address::new(NO_ADDRESS).expect("placeholder address is valid"),
            gps: None,
            phone: None,
            review_year: ReviewYear::new(i64::from(today.year())).unwrap_or(ReviewYear::new(2026).expect("in range")),
            interview_date: today,
            members: Vec::new(),
            dwelling: Dwelling { walls: None, columns: None, roof: None, floor_area_m2: None, tenure: None },
            water_source: None,
            latrine: None,
            internet_use: None,
            info_devices: InfoDevices::default(),
            income: Income::default(),
            causes_of_poverty: None,
            support_received: None,
            previous: None,
            request_filed: None,
            notes: None,
            measurements: Vec::new(),
        };
        let mut draft = Draft::open_at(household, Step::Household);
        draft.saved = false;
        draft.inputs.insert("address".to_owned(), String::new());
        draft
    }

    /// An existing household, resumed at `step`.
    pub fn open_at(household: Household, step: Step) -> Draft {
        Draft {
            household,
            step,
            inputs: BTreeMap::new(),
            input_errors: BTreeMap::new(),
            confirmed: BTreeSet::new(),
            member_form: None,
            saved: true,
        }
    }

    /// The text shown in a typed field.
    pub fn input(&self, path: &str) -> String {
        if let Some(raw) = self.inputs.get(path) {
            return raw.clone();
        }
        let h = &self.household;
        match path {
            "code" => h.code.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default(),
            "address" => h.address.as_str().to_owned(),
            "phone" => h.phone.as_ref().map(|p| p.as_str().to_owned()).unwrap_or_default(),
            "interview_date" => h.interview_date.to_string(),
            "dwelling.floor_area_m2" => h.dwelling.floor_area_m2.map(|a| a.get().to_string()).unwrap_or_default(),
            "income.monthly_per_capita_vnd" => {
                h.income.monthly_per_capita_vnd.map(|v| v.get().to_string()).unwrap_or_default()
            }
            "income.b1_score" => h.income.b1_score.map(|v| v.get().to_string()).unwrap_or_default(),
            _ => String::new(),
        }
    }

    /// The code or yes/no of a choice field (`""` when not answered).
    pub fn choice(&self, path: &str) -> String {
        let h = &self.household;
        let yn = |b: Option<bool>| match b {
            Some(true) => "yes".to_owned(),
            Some(false) => "no".to_owned(),
            None => String::new(),
        };
        let code = |c: Option<&str>| c.unwrap_or_default().to_owned();
        if let Some((i, field)) = member_path(path) {
            let Some(m) = h.members.get(i) else { return String::new() };
            return match field {
                "work" => code(m.work.map(|w| w.as_code())),
                "health_insurance" => yn(m.health_insurance),
                "education" => code(m.education.map(|e| e.as_code())),
                "in_school" => yn(m.in_school),
                "school_level_ok" => yn(m.school_level_ok),
                "on_job_training_certified" => yn(m.on_job_training_certified),
                _ => String::new(),
            };
        }
        match path {
            "area.group" => h.area.group.as_str().to_owned(),
            "dwelling.walls" => code(h.dwelling.walls.map(|d| d.as_code())),
            "dwelling.columns" => code(h.dwelling.columns.map(|d| d.as_code())),
            "dwelling.roof" => code(h.dwelling.roof.map(|d| d.as_code())),
            "dwelling.tenure" => code(h.dwelling.tenure.map(|d| d.as_code())),
            "water_source" => code(h.water_source.map(|d| d.as_code())),
            "latrine" => code(h.latrine.map(|d| d.as_code())),
            "internet_use" => yn(h.internet_use),
            "income.source" => code(h.income.source.map(|d| d.as_code())),
            p => match p.strip_prefix("info_devices.") {
                Some(device) => yn(*device_slot(&h.info_devices, device).unwrap_or(&None)),
                None => String::new(),
            },
        }
    }

    /// Sets a field from what the collector typed or picked (`""` clears a nullable answer).
    pub fn set(&mut self, path: &str, value: &str) {
        self.input_errors.remove(path);
        let result = if let Some((i, field)) = member_path(path) {
            self.set_member(i, field, value)
        } else {
            self.set_household(path, value)
        };
        if let Err(message) = result {
            self.input_errors.insert(path.to_owned(), message);
        }
    }

    fn set_household(&mut self, path: &str, value: &str) -> Result<(), Text> {
        let v = value.trim();
        let h = &mut self.household;
        match path {
            "code"
            | "address"
            | "phone"
            | "interview_date"
            | "dwelling.floor_area_m2"
            | "income.monthly_per_capita_vnd"
            | "income.b1_score" => {
                self.inputs.insert(path.to_owned(), value.to_owned());
            }
            _ => {}
        }
        match path {
            "code" => h.code = optional(v, |s| HouseholdCode::new(s).map_err(msg))?,
            "address" => h.address = Address::new(v).map_err(|_| text(K::Required))?,
            "phone" => h.phone = optional(v, |s| Phone::new(s).map_err(msg))?,
            "interview_date" => {
                h.interview_date = parse_date(v).ok_or_else(|| text(K::InvalidDate))?;
                h.review_year = ReviewYear::new(i64::from(h.interview_date.year())).map_err(|e| e.message())?;
            }
            "area.group" => h.area.group = AreaCode::new(v).map_err(|_| text(K::Required))?,
            "dwelling.walls" => h.dwelling.walls = Durability::from_code(v),
            "dwelling.columns" => h.dwelling.columns = Durability::from_code(v),
            "dwelling.roof" => h.dwelling.roof = Durability::from_code(v),
            "dwelling.tenure" => h.dwelling.tenure = Tenure::from_code(v),
            "dwelling.floor_area_m2" => {
                h.dwelling.floor_area_m2 = optional(v, |s| FloorAreaM2::new(number(s)?).map_err(msg))?
            }
            "water_source" => h.water_source = WaterSource::from_code(v),
            "latrine" => h.latrine = Latrine::from_code(v),
            "internet_use" => h.internet_use = yes_no(v),
            "income.monthly_per_capita_vnd" => {
                h.income.monthly_per_capita_vnd = optional(v, |s| Vnd::new(integer(s)?).map_err(msg))?;
            }
            "income.b1_score" => h.income.b1_score = optional(v, |s| B1Score::new(integer(s)?).map_err(msg))?,
            "income.source" => h.income.source = IncomeSource::from_code(v),
            p => {
                if let Some(slot) =
                    p.strip_prefix("info_devices.").and_then(|d| device_slot_mut(&mut h.info_devices, d))
                {
                    *slot = yes_no(v);
                }
            }
        }
        Ok(())
    }

    fn set_member(&mut self, i: usize, field: &str, v: &str) -> Result<(), Text> {
        let Some(m) = self.household.members.get_mut(i) else { return Ok(()) };
        match field {
            "work" => m.work = Work::from_code(v),
            "health_insurance" => m.health_insurance = yes_no(v),
            "education" => m.education = Education::from_code(v),
            "in_school" => m.in_school = yes_no(v),
            "school_level_ok" => m.school_level_ok = yes_no(v),
            "on_job_training_certified" => m.on_job_training_certified = yes_no(v),
            _ => {}
        }
        Ok(())
    }

    /// Every problem of the record now: typed values refused, then `shared::validate`'s.
    pub fn issues(&self, today: NaiveDate) -> Vec<Issue> {
        let mut out: Vec<Issue> = self
            .input_errors
            .iter()
            .map(|(p, m)| Issue::error(dictionary_path(p), "invalid_input", m.clone()))
            .collect();
        if self.household.address.as_str() == NO_ADDRESS {
            out.push(Issue::error("address", "missing", text(K::Required)));
        }
        out.extend(shared::validate::validate_household(&self.household, today));
        out
    }

    /// The problems of the step on screen.
    pub fn step_issues(&self, today: NaiveDate) -> Vec<Issue> {
        let all = self.issues(today);
        self.step.issues(&all).into_iter().cloned().collect()
    }

    /// Whether a warning was confirmed.
    pub fn is_confirmed(&self, issue: &Issue) -> bool {
        self.confirmed.contains(&(issue.path.clone(), issue.code.to_owned()))
    }

    /// Confirms a warning: the collector checked and keeps the value.
    pub fn confirm(&mut self, path: &str, code: &str) {
        self.confirmed.insert((path.to_owned(), code.to_owned()));
    }

    /// Whether the step may be left forward.
    pub fn check_step(&self, today: NaiveDate) -> Result<(), Blocked> {
        let issues = self.step_issues(today);
        let (errors, warnings): (Vec<Issue>, Vec<Issue>) = issues.into_iter().partition(Issue::is_error);
        if !errors.is_empty() {
            return Err(Blocked::Errors(errors));
        }
        let open: Vec<Issue> = warnings.into_iter().filter(|w| !self.is_confirmed(w)).collect();
        if open.is_empty() { Ok(()) } else { Err(Blocked::Unconfirmed(open)) }
    }

    /// Moves to the next step that asks something of this household.
    pub fn advance(&mut self) {
        let params = &PovertyStandard::default_for_year(self.household.review_year.get()).params;
        let mut step = self.step.next();
        while step != Step::Summary && !step_applies(step, &self.household, params) {
            step = step.next();
        }
        self.step = step;
    }

    /// Moves back to the previous step that asks something.
    pub fn back(&mut self) {
        let params = &PovertyStandard::default_for_year(self.household.review_year.get()).params;
        let mut step = self.step.previous();
        while step != Step::Household && !step_applies(step, &self.household, params) {
            step = step.previous();
        }
        self.step = step;
    }

    /// The members asked a question, with their index and age (for the per-member steps).
    pub fn asked(&self, pick: fn(&shared::survey::MemberQuestions) -> bool) -> Vec<(usize, &Member, Option<u32>)> {
        let params = PovertyStandard::default_for_year(self.household.review_year.get()).params;
        let on = self.household.interview_date;
        self.household
            .members
            .iter()
            .enumerate()
            .filter(|(_, m)| pick(&member_questions(m, on, &params)))
            .map(|(i, m)| (i, m, m.age_years(on)))
            .collect()
    }

    /// Opens the member form: `None` adds a member.
    pub fn edit_member(&mut self, index: Option<usize>) {
        let form = match index.and_then(|i| self.household.members.get(i)) {
            Some(m) => MemberForm::from_member(m, index),
            None => MemberForm {
                relation: if self.household.members.is_empty() { "head".into() } else { String::new() },
                ..MemberForm::default()
            },
        };
        self.member_form = Some(form);
    }

    /// Saves the member form into the household; keeps the form open with its errors if any.
    pub fn save_member(&mut self) {
        let Some(form) = self.member_form.as_mut() else { return };
        let existing = form.index.and_then(|i| self.household.members.get(i).cloned());
        match form.to_member(existing) {
            Ok(member) => {
                match form.index {
                    Some(i) if i < self.household.members.len() => self.household.members[i] = member,
                    _ => self.household.members.push(member),
                }
                self.member_form = None;
            }
            Err(errors) => form.errors = errors,
        }
    }

    /// Removes a member (and their measurements).
    pub fn remove_member(&mut self, index: usize) {
        if index < self.household.members.len() {
            let id = self.household.members.remove(index).member_id;
            self.household.measurements.retain(|m| m.member_id != id);
        }
    }
}

/// The member being added or edited, as typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MemberForm {
    /// Index in the member list; `None` for a new member.
    pub index: Option<usize>,
    /// Full name.
    pub full_name: String,
    /// `male` / `female`.
    pub sex: String,
    /// `YYYY-MM-DD` or `YYYY`.
    pub birth: String,
    /// Relation code.
    pub relation: String,
    /// Citizen ID (optional).
    pub id_number: String,
    /// Disability code (optional).
    pub disability: String,
    /// Problems, by field name.
    pub errors: BTreeMap<String, Text>,
}

impl MemberForm {
    fn from_member(m: &Member, index: Option<usize>) -> MemberForm {
        MemberForm {
            index,
            full_name: m.full_name.as_str().to_owned(),
            sex: m.sex.as_code().to_owned(),
            birth: match m.birth {
                Birth::Date(d) => d.to_string(),
                Birth::Year(y) => y.to_string(),
            },
            relation: m.relation.as_code().to_owned(),
            id_number: m.id_number.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default(),
            disability: m.disability.map(|d| d.as_code().to_owned()).unwrap_or_default(),
            errors: BTreeMap::new(),
        }
    }

    /// Sets a field of the form.
    pub fn set(&mut self, field: &str, value: &str) {
        let slot = match field {
            "full_name" => &mut self.full_name,
            "sex" => &mut self.sex,
            "birth" => &mut self.birth,
            "relation" => &mut self.relation,
            "id_number" => &mut self.id_number,
            "disability" => &mut self.disability,
            _ => return,
        };
        *slot = value.to_owned();
        self.errors.remove(field);
    }

    /// The member, or every problem of the form by field.
    pub fn to_member(&self, existing: Option<Member>) -> Result<Member, BTreeMap<String, Text>> {
        let mut errors = BTreeMap::new();
        let mut err = |f: &str, t: Text| {
            errors.insert(f.to_owned(), t);
        };
        let name = PersonName::new(self.full_name.trim()).map_err(|_| err("full_name", text(K::Required))).ok();
        let sex = Sex::from_code(&self.sex);
        if sex.is_none() {
            err("sex", text(K::Required));
        }
        let relation = Relation::from_code(&self.relation);
        if relation.is_none() {
            err("relation", text(K::Required));
        }
        let b = self.birth.trim();
        let birth = match (parse_date(b), b.len() == 4, b.parse::<i32>()) {
            (Some(d), _, _) => Some(Birth::Date(d)),
            (None, true, Ok(y)) => Some(Birth::Year(y)),
            _ => {
                err("birth", text(K::InvalidDate));
                None
            }
        };
        let id_number = optional(self.id_number.trim(), |s| CitizenId::new(s).map_err(msg))
            .map_err(|t| err("id_number", t))
            .ok()
            .flatten();
        let (Some(full_name), Some(sex), Some(relation), Some(birth)) = (name, sex, relation, birth) else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let base =
            existing.unwrap_or_else(|| Member::new(MemberId(Uuid::new_v4()), full_name.clone(), sex, birth, relation));
        Ok(Member {
            full_name,
            sex,
            birth,
            relation,
            id_number,
            disability: Disability::from_code(&self.disability),
            ..base
        })
    }
}

/// `members.2.work` → (2, "work").
fn member_path(path: &str) -> Option<(usize, &str)> {
    let rest = path.strip_prefix("members.")?;
    let (i, field) = rest.split_once('.')?;
    Some((i.parse().ok()?, field))
}

/// The validation's form of a path: `members.2.work` → `members[2].work`.
fn dictionary_path(path: &str) -> String {
    match member_path(path) {
        Some((i, f)) => format!("members[{i}].{f}"),
        None => path.to_owned(),
    }
}

fn optional<T>(v: &str, parse: impl FnOnce(&str) -> Result<T, Text>) -> Result<Option<T>, Text> {
    if v.is_empty() { Ok(None) } else { parse(v).map(Some) }
}

fn msg(e: ValueError) -> Text {
    e.message()
}

fn number(s: &str) -> Result<f64, Text> {
    s.replace(',', ".").parse::<f64>().map_err(|_| text(K::InvalidNumber))
}

fn integer(s: &str) -> Result<i64, Text> {
    s.replace(['.', ' ', ','], "").parse::<i64>().map_err(|_| text(K::InvalidNumber))
}

fn yes_no(v: &str) -> Option<bool> {
    match v {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

fn device_slot<'a>(d: &'a InfoDevices, name: &str) -> Option<&'a Option<bool>> {
    Some(match name {
        "tv" => &d.tv,
        "radio" => &d.radio,
        "computer" => &d.computer,
        "smartphone" => &d.smartphone,
        "tablet" => &d.tablet,
        "loudspeaker_reach" => &d.loudspeaker_reach,
        _ => return None,
    })
}

fn device_slot_mut<'a>(d: &'a mut InfoDevices, name: &str) -> Option<&'a mut Option<bool>> {
    Some(match name {
        "tv" => &mut d.tv,
        "radio" => &mut d.radio,
        "computer" => &mut d.computer,
        "smartphone" => &mut d.smartphone,
        "tablet" => &mut d.tablet,
        "loudspeaker_reach" => &mut d.loudspeaker_reach,
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
