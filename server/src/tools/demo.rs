//! A realistic synthetic ward: households of a peri-urban ward of Khánh Hòa (the seed plan's
//! Phước Tân), with Vietnamese names, plausible ages, work, schooling, housing and incomes
//! around the poverty lines, some unfinished answers, and children measured by the health
//! station. Deterministic for a seed, so demos, tests and benchmarks are repeatable.
//!
//! Nothing here is real personal data.

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Value, json};

/// SplitMix64: a tiny, well-distributed, seedable generator (no dependency needed).
pub struct Rng(u64);

impl Rng {
    /// A generator for a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 1.0 < p
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A standard normal deviate (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(1e-12);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A random version-4-shaped UUID (deterministic for the seed).
    pub fn uuid(&mut self) -> String {
        let bytes = (u128::from(self.next_u64()) << 64 | u128::from(self.next_u64())).to_be_bytes();
        uuid::Builder::from_random_bytes(bytes).into_uuid().hyphenated().to_string()
    }
}

const FAMILY: &[&str] =
    &["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"];
const MALE_MIDDLE: &[&str] = &["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công"];
const FEMALE_MIDDLE: &[&str] = &["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ"];
const MALE_GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Hùng", "Hải", "Long", "Nam", "Phúc", "Quang", "Sơn", "Tài", "Thắng", "Tuấn",
    "Việt", "Khoa", "Huy",
];
const FEMALE_GIVEN: &[&str] = &[
    "Anh", "Bích", "Chi", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Nhung", "Phương", "Thảo",
    "Trang", "Vy", "Yến",
];

/// Parameters of a demo ward.
#[derive(Debug, Clone)]
pub struct WardSpec {
    /// Number of households.
    pub households: usize,
    /// Seed of the generator.
    pub seed: u64,
    /// Review year; interviews fall in its review window (September–November).
    pub review_year: i32,
    /// Residential groups (tổ dân phố).
    pub groups: usize,
}

impl Default for WardSpec {
    fn default() -> Self {
        WardSpec { households: 60, seed: 2026, review_year: 2026, groups: 8 }
    }
}

/// Generates the ward's households in the dictionary's JSON form.
pub fn generate_ward(spec: &WardSpec) -> Vec<Value> {
    let mut rng = Rng::new(spec.seed);
    (0..spec.households).map(|i| generate_household(&mut rng, spec, i)).collect()
}

fn date_between(rng: &mut Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let days = (to - from).num_days().max(0);
    from + Duration::days(rng.range(0, days))
}

fn birth_for_age(rng: &mut Rng, on: NaiveDate, years: i64) -> NaiveDate {
    let latest = on - Duration::days(years * 365 + years / 4);
    latest - Duration::days(rng.range(0, 364))
}

fn name(rng: &mut Rng, family: &str, male: bool) -> String {
    let (middle, given) = if male { (MALE_MIDDLE, MALE_GIVEN) } else { (FEMALE_MIDDLE, FEMALE_GIVEN) };
    format!("{family} {} {}", rng.pick(middle), rng.pick(given))
}

/// How poor a household is, drawn first so its answers hang together.
#[derive(Clone, Copy, PartialEq)]
enum Means {
    Poor,
    Modest,
    Comfortable,
}

fn generate_household(rng: &mut Rng, spec: &WardSpec, index: usize) -> Value {
    let year = spec.review_year;
    let window = (NaiveDate::from_ymd_opt(year, 9, 5), NaiveDate::from_ymd_opt(year, 11, 25));
    let (Some(from), Some(to)) = window else { unreachable!("review year is a valid year") };
    let interview = date_between(rng, from, to);
    let means = match rng.below(100) {
        0..=17 => Means::Poor,
        18..=45 => Means::Modest,
        _ => Means::Comfortable,
    };
    let group = 1 + (index % spec.groups);
    let family = rng.pick(FAMILY).to_string();
    let ethnicity = match rng.below(100) {
        0..=84 => "Kinh",
        85..=91 => "Raglai",
        92..=96 => "Chăm",
        _ => "Ê Đê",
    };
    let members = generate_members(rng, interview, &family, ethnicity, means);
    let child_ids: Vec<(String, NaiveDate, i64)> = members
        .iter()
        .filter_map(|m| {
            let birth = m["birth_date"].as_str().and_then(shared::model::parse_date)?;
            let age = (interview - birth).num_days() / 365;
            (age < 16).then(|| (m["member_id"].as_str().unwrap_or_default().to_owned(), birth, age))
        })
        .collect();
    let measurements = generate_measurements(rng, &child_ids, &members, interview, means);
    let n = members.len() as f64;
    let poor = means == Means::Poor;
    let area_per_person = match means {
        Means::Poor => 4.0 + rng.unit() * 10.0,
        Means::Modest => 7.0 + rng.unit() * 15.0,
        Means::Comfortable => 12.0 + rng.unit() * 30.0,
    };
    let durability = |rng: &mut Rng, p_weak: f64| if rng.chance(p_weak) { "non_durable" } else { "durable" };
    let p_weak = if poor {
        0.45
    } else if means == Means::Modest {
        0.12
    } else {
        0.02
    };
    let water = if rng.chance(if poor { 0.7 } else { 0.95 }) {
        *rng.pick(&["piped", "piped", "drilled_well", "protected_dug_well", "bottled"])
    } else {
        *rng.pick(&["unprotected_dug_well", "tanker_vendor", "surface_water"])
    };
    let latrine = if rng.chance(if poor { 0.55 } else { 0.93 }) {
        *rng.pick(&["septic", "septic", "semi_septic", "pour_flush"])
    } else {
        *rng.pick(&["simple_pit", "hanging", "shared_public", "none"])
    };
    let income = match means {
        Means::Poor => rng.range(700_000, 2_000_000),
        Means::Modest => rng.range(1_500_000, 3_200_000),
        Means::Comfortable => rng.range(3_000_000, 9_000_000),
    } / 10_000
        * 10_000;
    let smartphone = rng.chance(if poor { 0.6 } else { 0.95 });
    let unfinished = rng.chance(0.06);
    let previous = match means {
        Means::Poor if rng.chance(0.7) => Some(json!({"category": "poor"})),
        Means::Poor => Some(json!({"category": "near_poor"})),
        Means::Modest if rng.chance(0.3) => {
            Some(json!({"category": "poor", "escape_date": format!("{}-12-20", i64::from(year) - 1 - rng.range(0, 3))}))
        }
        Means::Modest if rng.chance(0.4) => Some(json!({"category": "near_poor"})),
        _ => None,
    };
    let mut h = json!({
        "household_id": rng.uuid(),
        "code": format!("PT-{group:02}-{:03}", index + 1),
        "area": {"province": "56", "commune": "22366", "group": format!("TDP-{group:02}"), "urban": true},
        "address": format!("{} đường số {}, tổ {group}", rng.range(1, 250), rng.range(1, 24)),
        "review_year": year,
        "interview_date": interview.to_string(),
        "members": members,
        "dwelling": {
            "walls": durability(rng, p_weak), "columns": durability(rng, p_weak), "roof": durability(rng, p_weak * 1.2),
            "floor_area_m2": ((area_per_person * n).clamp(6.0, 400.0) * 10.0).round() / 10.0,
            "tenure": *rng.pick(&["owned", "owned", "owned", "rented", "borrowed"]),
        },
        "water_source": water,
        "latrine": latrine,
        "internet_use": smartphone && rng.chance(0.9),
        "info_devices": {"tv": rng.chance(if poor { 0.6 } else { 0.93 }), "radio": rng.chance(0.1), "computer": !poor && rng.chance(0.35),
                         "smartphone": smartphone, "tablet": !poor && rng.chance(0.1), "loudspeaker_reach": rng.chance(0.8)},
        "income": {"monthly_per_capita_vnd": income, "source": "declared"},
        "measurements": measurements,
    });
    if let Some(p) = previous {
        h["previous"] = p;
    }
    if poor {
        h["causes_of_poverty"] = json!([*rng.pick(&["no_capital", "no_skills", "illness", "no_labour", "no_land"])]);
        h["support_received"] = json!([*rng.pick(&["health", "education", "credit"])]);
    }
    if rng.chance(0.5) {
        h["phone"] = json!(format!("09{:08}", rng.below(100_000_000)));
    }
    if unfinished {
        // A visit cut short: some answers still open.
        h["latrine"] = Value::Null;
        h["dwelling"]["floor_area_m2"] = Value::Null;
        h["income"] = json!({});
    }
    h
}

fn generate_members(rng: &mut Rng, interview: NaiveDate, family: &str, ethnicity: &str, means: Means) -> Vec<Value> {
    let poor = means == Means::Poor;
    let head_age = rng.range(24, 78);
    let head_male = rng.chance(0.72);
    let mut out = vec![adult(rng, interview, family, ethnicity, head_male, head_age, "head", means)];
    if head_age < 70 && rng.chance(0.8) || head_age >= 70 && rng.chance(0.4) {
        let age = (head_age + rng.range(-6, 4)).clamp(20, 85);
        let spouse_family = *rng.pick(FAMILY);
        out.push(adult(rng, interview, spouse_family, ethnicity, !head_male, age, "spouse", means));
    }
    let kids = if head_age < 55 { rng.range(0, if poor { 4 } else { 3 }) } else { rng.range(0, 1) };
    for _ in 0..kids {
        let max_age = (head_age - 18).clamp(0, 28);
        let age = rng.range(0, max_age);
        let male = rng.chance(0.5);
        if age >= 16 {
            out.push(adult(rng, interview, family, ethnicity, male, age, "child", means));
        } else {
            out.push(child(rng, interview, family, ethnicity, male, age, means));
        }
    }
    if head_age < 50 && rng.chance(0.25) {
        let age = head_age + rng.range(22, 32);
        let male = rng.chance(0.4);
        out.push(adult(rng, interview, family, ethnicity, male, age.min(95), "parent", means));
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn adult(
    rng: &mut Rng,
    interview: NaiveDate,
    family: &str,
    ethnicity: &str,
    male: bool,
    age: i64,
    relation: &str,
    means: Means,
) -> Value {
    let poor = means == Means::Poor;
    let birth = birth_for_age(rng, interview, age);
    let work = if age >= 62 {
        *rng.pick(&["retired", "homemaker", "unable_to_work", "self_employed"])
    } else if age < 23 && rng.chance(0.5) {
        "student"
    } else if poor {
        *rng.pick(&[
            "wage_without_contract",
            "wage_without_contract",
            "self_employed",
            "unemployed",
            "homemaker",
            "wage_with_contract",
        ])
    } else {
        *rng.pick(&[
            "wage_with_contract",
            "wage_with_contract",
            "self_employed",
            "self_employed",
            "homemaker",
            "wage_without_contract",
        ])
    };
    let education = if poor {
        *rng.pick(&["none", "primary", "primary", "lower_secondary", "lower_secondary", "upper_secondary"])
    } else {
        *rng.pick(&[
            "lower_secondary",
            "upper_secondary",
            "upper_secondary",
            "vocational_intermediate",
            "college",
            "university",
        ])
    };
    let mut m = json!({
        "member_id": rng.uuid(), "full_name": name(rng, family, male), "sex": if male { "male" } else { "female" },
        "birth_date": birth.to_string(), "relation": relation, "ethnicity": ethnicity,
        "work": work, "health_insurance": rng.chance(if poor { 0.8 } else { 0.95 }),
        "education": education, "in_school": work == "student", "school_level_ok": Value::Null,
    });
    if age >= 60 && (poor || rng.chance(0.2)) {
        m["monthly_social_allowance"] = json!(rng.chance(0.6));
    }
    if rng.chance(0.04) {
        m["disability"] = json!(*rng.pick(&["mild", "severe"]));
    }
    if rng.chance(0.5) {
        m["id_number"] =
            json!(format!("056{}{:02}{:06}", if male { 0 } else { 1 }, birth.year() % 100, rng.below(1_000_000)));
    }
    m
}

fn child(
    rng: &mut Rng,
    interview: NaiveDate,
    family: &str,
    ethnicity: &str,
    male: bool,
    age: i64,
    means: Means,
) -> Value {
    let poor = means == Means::Poor;
    let school_age = (3..16).contains(&age);
    let in_school = school_age && rng.chance(if poor { 0.88 } else { 0.98 });
    // Most children have a health-station record even when not measured this year.
    let reported = rng.chance(0.85).then(|| rng.chance(if poor { 0.2 } else { 0.03 }));
    let mut child = json!({
        "member_id": rng.uuid(), "full_name": name(rng, family, male), "sex": if male { "male" } else { "female" },
        "birth_date": birth_for_age(rng, interview, age).to_string(), "relation": if rng.chance(0.85) { "child" } else { "grandchild" },
        "ethnicity": ethnicity, "work": "child", "health_insurance": rng.chance(if poor { 0.85 } else { 0.97 }),
        "education": if age >= 11 { "primary" } else { "none" },
        "in_school": if school_age { json!(in_school) } else { json!(false) },
        "school_level_ok": if school_age { json!(in_school && rng.chance(0.95)) } else { Value::Null },
    });
    if let Some(r) = reported {
        child["malnourished_reported"] = json!(r);
    }
    child
}

/// WHO medians at a few ages (sex-averaged), for plausible synthetic measurements.
fn median_height_weight(age_years: f64) -> (f64, f64) {
    let h = if age_years < 2.0 { 50.0 + 37.0 * age_years / 2.0 } else { 87.0 + 6.2 * (age_years - 2.0) };
    let w = if age_years < 2.0 { 3.3 + 8.7 * age_years / 2.0 } else { 12.0 + 2.6 * (age_years - 2.0) };
    (h, w)
}

fn generate_measurements(
    rng: &mut Rng,
    children: &[(String, NaiveDate, i64)],
    _members: &[Value],
    interview: NaiveDate,
    means: Means,
) -> Vec<Value> {
    let mut out = Vec::new();
    for (id, birth, _) in children {
        if !rng.chance(0.6) {
            continue;
        }
        let earliest = (*birth).max(interview - Duration::days(300));
        let on = date_between(rng, earliest, interview);
        let age = (on - *birth).num_days() as f64 / 365.25;
        let (mh, mw) = median_height_weight(age);
        let shift = if means == Means::Poor { -1.0 } else { 0.0 };
        let height = mh * (1.0 + 0.04 * (rng.normal() + shift));
        let weight = mw * (1.0 + 0.11 * (rng.normal() + shift));
        let mut m = json!({
            "measurement_id": rng.uuid(), "member_id": id, "measured_on": on.to_string(),
            "weight_kg": (weight.max(0.6) * 10.0).round() / 10.0, "lenhei_cm": (height.max(40.0) * 10.0).round() / 10.0,
            "measure": if age < 2.0 { "L" } else { "H" }, "oedema": false, "measured_by": "Trạm Y tế Phước Tân",
        });
        if rng.chance(0.02) {
            // A typing slip the health worker will be asked to confirm: 1.2 for 12 kg.
            m["weight_kg"] = json!(((weight / 10.0).max(0.5) * 10.0).round() / 10.0);
        }
        out.push(m);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_generated_household_is_valid_and_the_ward_is_mixed() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 31).expect("date");
        let ward = generate_ward(&WardSpec { households: 500, ..WardSpec::default() });
        let standard = shared::poverty::PovertyStandard::vn2022();
        let mut categories = std::collections::BTreeMap::new();
        for v in &ward {
            let (h, issues) = shared::validate::check_json(v, today);
            let errors: Vec<_> = issues.iter().filter(|i| i.is_error()).collect();
            assert!(errors.is_empty(), "{errors:#?}\n{v}");
            let h = h.expect("valid");
            let c = shared::poverty::classify_household(&h, &standard, h.interview_date);
            *categories.entry(c.category).or_insert(0) += 1;
        }
        for c in shared::model::Category::ALL {
            assert!(categories.get(c).copied().unwrap_or(0) > 0, "no {c} household in {categories:?}");
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_ward() {
        let a = generate_ward(&WardSpec::default());
        let b = generate_ward(&WardSpec::default());
        assert_eq!(a, b);
        assert_ne!(a, generate_ward(&WardSpec { seed: 7, ..WardSpec::default() }));
    }
}
