//! The household record of `data-dictionary.md`, as Rust types.
//!
//! Conventions, from the dictionary: `Option<T>` on a *nullable* field means "not answered"
//! (serialised as `null`, never "no"); `Option<T>` on an *optional* (`?`) field means absent
//! (not serialised). Optional flags keep their absence so a record round-trips exactly; the
//! accessors (`Member::receives_social_allowance`, …) apply the dictionary's default.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::codes::*;
use super::ids::{HouseholdId, MeasurementId, MemberId};
use super::units::*;

/// One household: the unit of survey, sync, review and export.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Household {
    /// Assigned on the device that created the household.
    pub household_id: HouseholdId,
    /// The ward's own household code, unique within the ward.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<HouseholdCode>,
    /// Where the household lives.
    pub area: Area,
    /// Street address.
    pub address: Address,
    /// Location of the dwelling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gps: Option<Gps>,
    /// Contact phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<Phone>,
    /// The annual review this record belongs to.
    pub review_year: ReviewYear,
    /// The day of the interview; the default reference date for ages.
    pub interview_date: NaiveDate,
    /// Everyone who lives in the household; exactly one head.
    pub members: Vec<Member>,
    /// The dwelling's structures and area.
    pub dwelling: Dwelling,
    /// Main drinking/domestic water source (nullable).
    pub water_source: Option<WaterSource>,
    /// Latrine type (nullable).
    pub latrine: Option<Latrine>,
    /// Any member used the internet in the last 12 months (nullable).
    pub internet_use: Option<bool>,
    /// Devices for access to information.
    pub info_devices: InfoDevices,
    /// Income figures.
    pub income: Income,
    /// Causes of poverty given by the household.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub causes_of_poverty: Option<Vec<CauseOfPoverty>>,
    /// Support already received.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_received: Option<Vec<Support>>,
    /// Last year's result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<Previous>,
    /// Filed a request to be reviewed (Mẫu số 01); absent means no.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_filed: Option<bool>,
    /// Collector's notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<Notes>,
    /// Child anthropometry.
    pub measurements: Vec<Measurement>,
}

/// Administrative location.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Area {
    /// Province code.
    pub province: AreaCode,
    /// Commune (ward) code.
    pub commune: AreaCode,
    /// Residential group (tổ dân phố / thôn) code.
    pub group: AreaCode,
    /// Urban commune: picks the urban income line (standard §2).
    pub urban: bool,
}

/// GPS position.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Gps {
    /// Latitude, degrees.
    pub lat: Latitude,
    /// Longitude, degrees.
    pub lon: Longitude,
    /// Accuracy radius, metres.
    pub accuracy_m: AccuracyM,
}

/// A member's birth: a full date, or only a year (then taken as 1 January, standard §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Birth {
    /// Known date of birth.
    Date(NaiveDate),
    /// Only the year is known.
    Year(i32),
}

impl Birth {
    /// The date ages are counted from: the birth date, or 1 January of the birth year.
    pub fn reference_date(self) -> NaiveDate {
        match self {
            Birth::Date(d) => d,
            Birth::Year(y) => NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(NaiveDate::MIN),
        }
    }

    /// The full date of birth, when known (WHO z-scores need it).
    pub fn exact_date(self) -> Option<NaiveDate> {
        match self {
            Birth::Date(d) => Some(d),
            Birth::Year(_) => None,
        }
    }

    /// The year of birth.
    pub fn year(self) -> i32 {
        match self {
            Birth::Date(d) => d.year(),
            Birth::Year(y) => y,
        }
    }
}

/// One person of the household.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    /// Stable across edits.
    pub member_id: MemberId,
    /// Full name as typed, NFC.
    pub full_name: PersonName,
    /// Sex.
    pub sex: Sex,
    /// Date or year of birth.
    #[serde(flatten, serialize_with = "serialize_birth")]
    pub birth: Birth,
    /// Relation to the head.
    pub relation: Relation,
    /// Citizen identity number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_number: Option<CitizenId>,
    /// Ethnic group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ethnicity: Option<ShortText>,
    /// Disability; absent means none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disability: Option<Disability>,
    /// Receives monthly social assistance (Decree 20/2021/NĐ-CP); absent means no.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_social_allowance: Option<bool>,
    /// Person of merit with the revolution; absent means no.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person_of_merit: Option<bool>,
    /// Main work status (nullable).
    pub work: Option<Work>,
    /// Holds a valid health-insurance card today (nullable).
    pub health_insurance: Option<bool>,
    /// Highest completed education (nullable).
    pub education: Option<Education>,
    /// Currently enrolled (nullable).
    pub in_school: Option<bool>,
    /// Ages 3–15: attends the level appropriate to age (nullable).
    pub school_level_ok: Option<bool>,
    /// Ages 16–30: certified on-the-job training; absent means no.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_job_training_certified: Option<bool>,
    /// Under 16: the health station's record says stunted or underweight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub malnourished_reported: Option<bool>,
}

fn serialize_birth<S: serde::Serializer>(birth: &Birth, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(1))?;
    match birth {
        Birth::Date(d) => map.serialize_entry("birth_date", d)?,
        Birth::Year(y) => map.serialize_entry("birth_year", y)?,
    }
    map.end()
}

impl Member {
    /// A member as first entered: who they are, every answer about them not yet given (`None`).
    pub fn new(member_id: MemberId, full_name: PersonName, sex: Sex, birth: Birth, relation: Relation) -> Member {
        Member {
            member_id,
            full_name,
            sex,
            birth,
            relation,
            id_number: None,
            ethnicity: None,
            disability: None,
            monthly_social_allowance: None,
            person_of_merit: None,
            work: None,
            health_insurance: None,
            education: None,
            in_school: None,
            school_level_ok: None,
            on_job_training_certified: None,
            malnourished_reported: None,
        }
    }

    /// Disability other than `none` (standard §4, indicator 2).
    pub fn has_disability(&self) -> bool {
        !matches!(self.disability, None | Some(Disability::None))
    }

    /// Receives monthly social assistance; absent means no (standard §4 "Absent fields").
    pub fn receives_social_allowance(&self) -> bool {
        self.monthly_social_allowance.unwrap_or(false)
    }

    /// Has certified on-the-job training; absent means no.
    pub fn has_certified_training(&self) -> bool {
        self.on_job_training_certified.unwrap_or(false)
    }

    /// A person of merit with the revolution; absent means no (standard §4 "Absent fields").
    pub fn is_person_of_merit(&self) -> bool {
        self.person_of_merit.unwrap_or(false)
    }

    /// Completed years of age on `on` (`None` if born after `on`).
    pub fn age_years(&self, on: NaiveDate) -> Option<u32> {
        crate::age::completed_years(self.birth.reference_date(), on)
    }

    /// Completed months of age on `on` (`None` if born after `on`).
    pub fn age_months(&self, on: NaiveDate) -> Option<u32> {
        crate::age::completed_months(self.birth.reference_date(), on)
    }
}

/// The dwelling.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dwelling {
    /// Walls (nullable).
    pub walls: Option<Durability>,
    /// Columns (nullable).
    pub columns: Option<Durability>,
    /// Roof (nullable).
    pub roof: Option<Durability>,
    /// Floor area (nullable).
    pub floor_area_m2: Option<FloorAreaM2>,
    /// Tenure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenure: Option<Tenure>,
}

/// Devices for access to information (each nullable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct InfoDevices {
    /// Television.
    pub tv: Option<bool>,
    /// Radio.
    pub radio: Option<bool>,
    /// Desktop or laptop computer.
    pub computer: Option<bool>,
    /// Smartphone.
    pub smartphone: Option<bool>,
    /// Tablet.
    pub tablet: Option<bool>,
    /// Can hear the ward/village loudspeaker system.
    pub loudspeaker_reach: Option<bool>,
}

/// Income figures; either or both may be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Income {
    /// Measured income per person per month, đồng.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_per_capita_vnd: Option<Vnd>,
    /// Phiếu B1 total score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b1_score: Option<B1Score>,
    /// How the income was obtained.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<IncomeSource>,
}

/// Last year's result for this household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Previous {
    /// Last year's category.
    pub category: Category,
    /// Date the escape from poverty was recognised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escape_date: Option<NaiveDate>,
}

/// One anthropometric measurement of a child.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measurement {
    /// Identity of this measurement.
    pub measurement_id: MeasurementId,
    /// The child measured.
    pub member_id: MemberId,
    /// Day of measurement.
    pub measured_on: NaiveDate,
    /// Weight (nullable).
    pub weight_kg: Option<WeightKg>,
    /// Length/height as measured (nullable).
    pub lenhei_cm: Option<LengthCm>,
    /// Lying or standing (nullable = unknown).
    pub measure: Option<Position>,
    /// Bilateral pitting oedema.
    pub oedema: bool,
    /// Who measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measured_by: Option<ShortText>,
}

impl Household {
    /// The member with this id.
    pub fn member(&self, id: MemberId) -> Option<&Member> {
        self.members.iter().find(|m| m.member_id == id)
    }

    /// Serialises to the dictionary's JSON form.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a household always serialises: plain data, string keys")
    }
}
