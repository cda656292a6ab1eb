//! Poverty standards as versioned values (standard §1): income lines, B1 cut-offs, the twelve
//! indicators and every `[default]` threshold are fields, so a ward can load a corrected rule set
//! (JSON) without a new release.

use serde::{Deserialize, Serialize};

use crate::model::{Latrine, Sex, WaterSource};
use crate::text::Text;

/// A poverty standard: a complete, versioned rule set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PovertyStandard {
    /// Stable id, e.g. `VN-2022`.
    pub id: String,
    /// Legal basis, for reports.
    pub legal_basis: String,
    /// First review year the standard applies to.
    pub first_year: i32,
    /// Last review year the standard applies to.
    pub last_year: i32,
    /// Some thresholds are not yet published: every output says so.
    pub provisional: bool,
    /// Income lines and B1 cut-offs.
    pub income: IncomeRules,
    /// A household meeting the income condition is poor with at least this many deprivations
    /// (Decree 07/2021 Art. 3: 3).
    pub poor_min_deprivations: u32,
    /// The indicators, in official order (numbers 1–12).
    pub indicators: Vec<IndicatorSpec>,
    /// Thresholds of the indicators.
    pub params: Params,
}

/// Income lines per person per month, in đồng, and Phiếu B1 cut-offs (standard §2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncomeRules {
    /// Rural income line (inclusive).
    pub line_rural_vnd: i64,
    /// Urban income line (inclusive).
    pub line_urban_vnd: i64,
    /// Upper end (inclusive) of the rural average-living-standard band; `None` when unpublished.
    pub average_upper_rural_vnd: Option<i64>,
    /// Upper end (inclusive) of the urban average-living-standard band; `None` when unpublished.
    pub average_upper_urban_vnd: Option<i64>,
    /// Rural B1 cut-off: the income condition holds at or below it.
    pub b1_cutoff_rural: u16,
    /// Urban B1 cut-off.
    pub b1_cutoff_urban: u16,
}

impl IncomeRules {
    /// The income line for the area.
    pub fn line(&self, urban: bool) -> i64 {
        if urban { self.line_urban_vnd } else { self.line_rural_vnd }
    }

    /// The upper end of the average band for the area, when published.
    pub fn average_upper(&self, urban: bool) -> Option<i64> {
        if urban { self.average_upper_urban_vnd } else { self.average_upper_rural_vnd }
    }

    /// The B1 cut-off for the area.
    pub fn b1_cutoff(&self, urban: bool) -> u16 {
        if urban { self.b1_cutoff_urban } else { self.b1_cutoff_rural }
    }
}

/// Which rule an indicator applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorRule {
    /// 1: a working-age member unemployed or working for wages without a contract.
    Employment,
    /// 2: dependants more than the allowed share of members.
    Dependants,
    /// 3: a child under 16 stunted or underweight.
    Nutrition,
    /// 4: a member aged 6+ without a valid health-insurance card.
    HealthInsurance,
    /// 5: a member aged 16–30 neither in school nor qualified.
    AdultEducation,
    /// 6: a child aged 3–15 not attending the right school level.
    ChildSchooling,
    /// 7: at least two of walls, columns, roof non-durable.
    HousingQuality,
    /// 8: floor area per person below the minimum.
    HousingArea,
    /// 9: no safe water source.
    DomesticWater,
    /// 10: no hygienic latrine.
    HygienicLatrine,
    /// 11: no member uses the internet (VN-2022 telecom use; VN-2027 digital services).
    InternetUse,
    /// 12 (VN-2022): no information device and no loudspeaker reach.
    InformationAccess,
    /// 12 (VN-2027): household waste handling — no question in the dictionary yet, so unknown.
    WasteHandling,
}

/// One indicator of a standard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorSpec {
    /// Official number, 1–12.
    pub number: u8,
    /// Stable code.
    pub code: String,
    /// The rule applied.
    pub rule: IndicatorRule,
    /// Dimension (Việc làm, Y tế, …).
    pub dimension: Text,
    /// Indicator name.
    pub name: Text,
    /// The ward unit responsible for acting on it (ward plan; editable).
    pub department: Text,
}

/// A retirement-age schedule for one sex (Labour Code 2019 Art. 169, Decree 135/2020/NĐ-CP):
/// `base_months` in `base_year`, rising by `step_months` a year up to `max_months`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetirementSchedule {
    /// The year the schedule starts.
    pub base_year: i32,
    /// Retirement age in months in `base_year`.
    pub base_months: u32,
    /// Months added each following year.
    pub step_months: u32,
    /// The final retirement age in months.
    pub max_months: u32,
    /// Retirement age before `base_year`.
    pub before_months: u32,
}

impl RetirementSchedule {
    /// Retirement age in completed months for a calendar year.
    pub fn months_in(&self, year: i32) -> u32 {
        if year < self.base_year {
            return self.before_months;
        }
        let steps = u32::try_from(year - self.base_year).unwrap_or(u32::MAX);
        self.base_months.saturating_add(steps.saturating_mul(self.step_months)).min(self.max_months)
    }
}

/// The thresholds of the indicators (`[default]` in the spec unless marked `[law]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Params {
    /// Indicator 1: working age starts at this many completed years.
    pub working_age_min_years: u32,
    /// Indicator 1: men's retirement age.
    pub retirement_men: RetirementSchedule,
    /// Indicator 1: women's retirement age.
    pub retirement_women: RetirementSchedule,
    /// Indicator 2: deprived when dependants exceed this percentage of members.
    pub dependants_max_percent: u32,
    /// Indicators 2, 3: children are members under this age in years.
    pub child_below_years: u32,
    /// Indicator 2: members on monthly social allowance count as dependants from this age.
    pub elderly_min_years: u32,
    /// Indicator 3: a measurement counts within this many months before the reference date.
    pub nutrition_window_months: u32,
    /// Indicator 3: stunted / underweight below this z-score (rounded to 2 decimals).
    pub nutrition_z_cutoff: f64,
    /// Indicator 4: members from this age need a health-insurance card.
    pub insurance_min_years: u32,
    /// Indicator 5: youngest age covered.
    pub adult_education_min_years: u32,
    /// Indicator 5: from this age an upper-secondary or vocational qualification is needed.
    pub adult_education_upper_from_years: u32,
    /// Indicator 5: oldest age covered.
    pub adult_education_max_years: u32,
    /// Indicator 6: youngest school age.
    pub school_min_years: u32,
    /// Indicator 7: deprived when at least this many main structures are non-durable.
    pub housing_min_non_durable: u32,
    /// Indicator 8: deprived below this many m² per person.
    pub min_m2_per_person: f64,
    /// Indicator 9: safe water sources.
    pub safe_water_sources: Vec<WaterSource>,
    /// Indicator 10: hygienic latrines.
    pub hygienic_latrines: Vec<Latrine>,
    /// Transitions: months a household stays "recently escaped" after recognition (§6).
    pub recently_escaped_months: u32,
}

impl Params {
    /// Retirement age in months for a sex in a calendar year.
    pub fn retirement_months(&self, sex: Sex, year: i32) -> u32 {
        match sex {
            Sex::Male => self.retirement_men.months_in(year),
            Sex::Female => self.retirement_women.months_in(year),
        }
    }
}

fn spec(
    number: u8,
    code: &str,
    rule: IndicatorRule,
    dimension: (&str, &str),
    name: (&str, &str),
    department: (&str, &str),
) -> IndicatorSpec {
    IndicatorSpec {
        number,
        code: code.to_owned(),
        rule,
        dimension: Text::new(dimension.0, dimension.1),
        name: Text::new(name.0, name.1),
        department: Text::new(department.0, department.1),
    }
}

const EMPLOYMENT: (&str, &str) = ("Việc làm", "Employment");
const HEALTH: (&str, &str) = ("Y tế", "Health");
const EDUCATION: (&str, &str) = ("Giáo dục", "Education");
const HOUSING: (&str, &str) = ("Nhà ở", "Housing");
const INFORMATION: (&str, &str) = ("Thông tin", "Information");
const LABOUR_DEPT: (&str, &str) = ("Lao động – Thương binh và Xã hội", "Labour, Invalids and Social Affairs");
const HEALTH_STATION: (&str, &str) = ("Trạm Y tế", "Health station");
const SCHOOLS: (&str, &str) = ("Các trường học trên địa bàn", "Schools in the ward");
const URBAN_MGMT: (&str, &str) = ("Quản lý đô thị", "Urban management");
const CULTURE_INFO: (&str, &str) = ("Văn hóa – Thông tin", "Culture and information");

/// Indicators 1–10, common to both standards (§4; §5 keeps employment, dependants, nutrition).
fn common_indicators(water_dimension: (&'static str, &'static str)) -> Vec<IndicatorSpec> {
    use IndicatorRule::*;
    vec![
        spec(1, "employment", Employment, EMPLOYMENT, ("Việc làm", "Employment"), LABOUR_DEPT),
        spec(
            2,
            "dependants",
            Dependants,
            EMPLOYMENT,
            ("Người phụ thuộc trong hộ gia đình", "Dependants in the household"),
            LABOUR_DEPT,
        ),
        spec(3, "nutrition", Nutrition, HEALTH, ("Dinh dưỡng", "Nutrition"), HEALTH_STATION),
        spec(
            4,
            "health_insurance",
            HealthInsurance,
            HEALTH,
            ("Bảo hiểm y tế", "Health insurance"),
            (
                "Lao động – Thương binh và Xã hội, phối hợp Trạm Y tế",
                "Labour and social affairs, with the health station",
            ),
        ),
        spec(
            5,
            "adult_education",
            AdultEducation,
            EDUCATION,
            ("Trình độ giáo dục của người lớn", "Adult education"),
            SCHOOLS,
        ),
        spec(
            6,
            "child_schooling",
            ChildSchooling,
            EDUCATION,
            ("Tình trạng đi học của trẻ em", "School attendance of children"),
            SCHOOLS,
        ),
        spec(7, "housing_quality", HousingQuality, HOUSING, ("Chất lượng nhà ở", "Housing quality"), URBAN_MGMT),
        spec(
            8,
            "housing_area",
            HousingArea,
            HOUSING,
            ("Diện tích nhà ở bình quân đầu người", "Floor area per person"),
            URBAN_MGMT,
        ),
        spec(
            9,
            "domestic_water",
            DomesticWater,
            water_dimension,
            ("Nguồn nước sinh hoạt", "Domestic water source"),
            LABOUR_DEPT,
        ),
        spec(
            10,
            "hygienic_latrine",
            HygienicLatrine,
            water_dimension,
            ("Nhà tiêu hợp vệ sinh", "Hygienic latrine"),
            LABOUR_DEPT,
        ),
    ]
}

fn vn2022_params() -> Params {
    use Latrine::*;
    use WaterSource::*;
    Params {
        working_age_min_years: 15,
        // Men 60 y 3 m in 2021, +3 months a year to 62 y; women 55 y 4 m, +4 months to 60 y.
        retirement_men: RetirementSchedule {
            base_year: 2021,
            base_months: 60 * 12 + 3,
            step_months: 3,
            max_months: 62 * 12,
            before_months: 60 * 12,
        },
        retirement_women: RetirementSchedule {
            base_year: 2021,
            base_months: 55 * 12 + 4,
            step_months: 4,
            max_months: 60 * 12,
            before_months: 55 * 12,
        },
        dependants_max_percent: 50,
        child_below_years: 16,
        elderly_min_years: 60,
        nutrition_window_months: 12,
        nutrition_z_cutoff: -2.0,
        insurance_min_years: 6,
        adult_education_min_years: 16,
        adult_education_upper_from_years: 18,
        adult_education_max_years: 30,
        school_min_years: 3,
        housing_min_non_durable: 2,
        min_m2_per_person: 8.0,
        safe_water_sources: vec![Piped, DrilledWell, ProtectedDugWell, ProtectedSpring, Rainwater, Bottled],
        hygienic_latrines: vec![Septic, SemiSeptic, PourFlush, VentilatedPit, DoubleVault, Biogas],
        recently_escaped_months: 36,
    }
}

impl PovertyStandard {
    /// `VN-2022`: Decree 07/2021/NĐ-CP, in force for review years 2022–2026 (Decree 351/2025
    /// extends it through 2026). Complete; the default.
    pub fn vn2022() -> Self {
        let mut indicators = common_indicators(("Nước sinh hoạt và vệ sinh", "Water and sanitation"));
        indicators.push(spec(
            11,
            "telecom_use",
            IndicatorRule::InternetUse,
            INFORMATION,
            ("Sử dụng dịch vụ viễn thông", "Use of telecommunication services"),
            CULTURE_INFO,
        ));
        indicators.push(spec(
            12,
            "information_access",
            IndicatorRule::InformationAccess,
            INFORMATION,
            ("Phương tiện phục vụ tiếp cận thông tin", "Means of access to information"),
            CULTURE_INFO,
        ));
        PovertyStandard {
            id: "VN-2022".into(),
            legal_basis: "Nghị định 07/2021/NĐ-CP; Nghị định 351/2025/NĐ-CP; Thông tư 07/2021/TT-BLĐTBXH".into(),
            first_year: 2022,
            last_year: 2026,
            provisional: false,
            income: IncomeRules {
                line_rural_vnd: 1_500_000,
                line_urban_vnd: 2_000_000,
                average_upper_rural_vnd: Some(2_250_000),
                average_upper_urban_vnd: Some(3_000_000),
                b1_cutoff_rural: 140,
                b1_cutoff_urban: 175,
            },
            poor_min_deprivations: 3,
            indicators,
            params: vn2022_params(),
        }
    }

    /// `VN-2027` (provisional, §5): income lines 2.2 M rural / 2.8 M urban are law; the
    /// information-devices indicator is replaced by digital-service use and household waste
    /// handling enters. Unpublished thresholds (B1 cut-offs, the average band, indicator
    /// parameters) take the `VN-2022` values or stay unknown.
    pub fn vn2027() -> Self {
        let mut indicators =
            common_indicators(("Nước sinh hoạt, vệ sinh và môi trường", "Water, sanitation and environment"));
        indicators.push(spec(
            11,
            "digital_service_use",
            IndicatorRule::InternetUse,
            INFORMATION,
            ("Sử dụng dịch vụ số, internet", "Use of digital services and the internet"),
            CULTURE_INFO,
        ));
        indicators.push(spec(
            12,
            "waste_handling",
            IndicatorRule::WasteHandling,
            ("Nước sinh hoạt, vệ sinh và môi trường", "Water, sanitation and environment"),
            ("Thu gom, xử lý rác thải sinh hoạt", "Household waste handling"),
            URBAN_MGMT,
        ));
        let base = Self::vn2022();
        PovertyStandard {
            id: "VN-2027".into(),
            legal_basis: "Dự thảo chuẩn nghèo đa chiều giai đoạn 2026–2030 (provisional)".into(),
            first_year: 2027,
            last_year: 2030,
            provisional: true,
            income: IncomeRules {
                line_rural_vnd: 2_200_000,
                line_urban_vnd: 2_800_000,
                average_upper_rural_vnd: None,
                average_upper_urban_vnd: None,
                ..base.income
            },
            indicators,
            ..base
        }
    }

    /// The standards shipped with the software.
    pub fn builtin() -> Vec<PovertyStandard> {
        vec![Self::vn2022(), Self::vn2027()]
    }

    /// A shipped standard by id (`VN-2022`, `VN-2027`), case-insensitive.
    pub fn by_id(id: &str) -> Option<PovertyStandard> {
        Self::builtin().into_iter().find(|s| s.id.eq_ignore_ascii_case(id))
    }

    /// The standard used when none is chosen: `VN-2022`. A provisional standard is never
    /// picked by default (§1), whatever the review year; it must be selected explicitly.
    pub fn default_for_year(_review_year: i32) -> PovertyStandard {
        Self::vn2022()
    }

    /// Whether the standard's validity covers a review year.
    pub fn covers(&self, review_year: i32) -> bool {
        (self.first_year..=self.last_year).contains(&review_year)
    }
}
