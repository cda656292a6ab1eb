//! The lenient reader: dictionary JSON → [`Household`], reporting **every** problem at once.
//!
//! serde's derive stops at the first error; a collector or an importer needs the whole list,
//! each with its field path. This reader walks a `serde_json::Value`, records each problem as an
//! [`Issue`], and still builds the household when only nullable or optional values were bad
//! (they become "not answered"), so the cross-field rules of [`crate::validate`] can run too and
//! report the rest.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::codes::*;
use super::household::*;
use super::ids::{HouseholdId, MeasurementId, MemberId};
use super::units::*;
use crate::issue::{Issue, index_path, join_path};
use crate::text::Text;

/// Reads one household. Returns the household (when its required parts could be read) and the
/// problems found while reading; any `Severity::Error` among them means the record is invalid.
pub fn read_household(value: &Value) -> (Option<Household>, Vec<Issue>) {
    let mut issues = Vec::new();
    let household = sub(value, "", &mut issues, |o| o.household());
    (household, issues)
}

/// Reads one household from a line of JSON text; malformed JSON is one error.
pub fn read_household_json(text: &str) -> (Option<Household>, Vec<Issue>) {
    match serde_json::from_str::<Value>(text) {
        Ok(value) => read_household(&value),
        Err(e) => (
            None,
            vec![Issue::error(
                "",
                "malformed_json",
                Text::new(
                    format!("Không phải JSON hợp lệ (dòng {}, cột {})", e.line(), e.column()),
                    format!("Not valid JSON (line {}, column {}): {e}", e.line(), e.column()),
                ),
            )],
        ),
    }
}

/// A JSON object being read, with its path and the shared problem list.
struct Obj<'v, 'i> {
    map: &'v Map<String, Value>,
    path: String,
    issues: &'i mut Vec<Issue>,
    known: Vec<&'static str>,
}

/// A field's state: absent, explicitly null, or a value.
enum Slot<'v> {
    Absent,
    Null,
    Present(&'v Value),
}

impl<'v, 'i> Obj<'v, 'i> {
    fn open(value: &'v Value, path: &str, issues: &'i mut Vec<Issue>) -> Option<Self> {
        match value {
            Value::Object(map) => Some(Obj { map, path: path.to_owned(), issues, known: Vec::new() }),
            other => {
                issues.push(wrong_type(path, "một đối tượng", "an object", other));
                None
            }
        }
    }

    fn slot(&mut self, key: &'static str) -> Slot<'v> {
        self.known.push(key);
        match self.map.get(key) {
            None => Slot::Absent,
            Some(Value::Null) => Slot::Null,
            Some(v) => Slot::Present(v),
        }
    }

    fn field_path(&self, key: &str) -> String {
        join_path(&self.path, key)
    }

    /// A required, non-nullable field: absent or null is an error.
    fn required<T>(&mut self, key: &'static str, conv: Conv<'_, T>) -> Option<T> {
        let path = self.field_path(key);
        match self.slot(key) {
            Slot::Present(v) => conv(v, &path, self.issues),
            Slot::Absent | Slot::Null => {
                self.issues.push(missing(&path));
                None
            }
        }
    }

    /// A required but nullable answer: absent or null both mean "not answered" (standard §4
    /// "Absent fields"); a bad value is reported and read as not answered.
    fn nullable<T>(&mut self, key: &'static str, conv: Conv<'_, T>) -> Option<T> {
        let path = self.field_path(key);
        match self.slot(key) {
            Slot::Present(v) => conv(v, &path, self.issues),
            Slot::Absent | Slot::Null => None,
        }
    }

    /// An optional (`?`) field: absent and null mean absent.
    fn optional<T>(&mut self, key: &'static str, conv: Conv<'_, T>) -> Option<T> {
        self.nullable(key, conv)
    }

    /// Warns about fields the dictionary does not define (they would be dropped on save).
    fn finish(self) {
        for key in self.map.keys() {
            if !self.known.iter().any(|k| k == key) {
                self.issues.push(Issue::warning(
                    join_path(&self.path, key),
                    "unknown_field",
                    Text::new(
                        "Trường không có trong từ điển dữ liệu, sẽ bị bỏ qua",
                        "Field not in the data dictionary; it will be ignored",
                    ),
                ));
            }
        }
    }

    fn household(&mut self) -> Option<Household> {
        let household_id = self.required("household_id", &|v, p, i| uuid(v, p, i).map(HouseholdId));
        let code = self.optional("code", &|v, p, i| text(v, p, i, HouseholdCode::new));
        let area = self.required("area", &|v, p, i| sub(v, p, i, |o| o.area()));
        let address = self.required("address", &|v, p, i| text(v, p, i, Address::new));
        let gps = self.optional("gps", &|v, p, i| sub(v, p, i, |o| o.gps()));
        let phone = self.optional("phone", &|v, p, i| text(v, p, i, Phone::new));
        let review_year = self.required("review_year", &|v, p, i| int(v, p, i, ReviewYear::new));
        let interview_date = self.required("interview_date", &date);
        let members = self.required("members", &|v, p, i| list(v, p, i, &|v, p, i| sub(v, p, i, |o| o.member())));
        let dwelling = self.required("dwelling", &|v, p, i| sub(v, p, i, |o| o.dwelling()));
        let water_source = self.nullable("water_source", &code_of::<WaterSource>);
        let latrine = self.nullable("latrine", &code_of::<Latrine>);
        let internet_use = self.nullable("internet_use", &boolean);
        let info_devices = self.required("info_devices", &|v, p, i| sub(v, p, i, |o| o.info_devices()));
        let income = self.required("income", &|v, p, i| sub(v, p, i, |o| o.income()));
        let causes_of_poverty =
            self.optional("causes_of_poverty", &|v, p, i| list(v, p, i, &|v, p, i| code_of::<CauseOfPoverty>(v, p, i)));
        let support_received =
            self.optional("support_received", &|v, p, i| list(v, p, i, &|v, p, i| code_of::<Support>(v, p, i)));
        let previous = self.optional("previous", &|v, p, i| sub(v, p, i, |o| o.previous()));
        let request_filed = self.optional("request_filed", &boolean);
        let notes = self.optional("notes", &|v, p, i| text(v, p, i, Notes::new));
        let measurements =
            self.required("measurements", &|v, p, i| list(v, p, i, &|v, p, i| sub(v, p, i, |o| o.measurement())));
        Some(Household {
            household_id: household_id?,
            code,
            area: area?,
            address: address?,
            gps,
            phone,
            review_year: review_year?,
            interview_date: interview_date?,
            members: members?,
            dwelling: dwelling?,
            water_source,
            latrine,
            internet_use,
            info_devices: info_devices?,
            income: income?,
            causes_of_poverty,
            support_received,
            previous,
            request_filed,
            notes,
            measurements: measurements?,
        })
    }

    fn area(&mut self) -> Option<Area> {
        let province = self.required("province", &|v, p, i| text(v, p, i, AreaCode::new));
        let commune = self.required("commune", &|v, p, i| text(v, p, i, AreaCode::new));
        let group = self.required("group", &|v, p, i| text(v, p, i, AreaCode::new));
        let urban = self.required("urban", &boolean);
        Some(Area { province: province?, commune: commune?, group: group?, urban: urban? })
    }

    fn gps(&mut self) -> Option<Gps> {
        let lat = self.required("lat", &|v, p, i| number(v, p, i, Latitude::new));
        let lon = self.required("lon", &|v, p, i| number(v, p, i, Longitude::new));
        let accuracy_m = self.required("accuracy_m", &|v, p, i| number(v, p, i, AccuracyM::new));
        Some(Gps { lat: lat?, lon: lon?, accuracy_m: accuracy_m? })
    }

    fn member(&mut self) -> Option<Member> {
        let member_id = self.required("member_id", &|v, p, i| uuid(v, p, i).map(MemberId));
        let full_name = self.required("full_name", &|v, p, i| text(v, p, i, PersonName::new));
        let sex = self.required("sex", &code_of::<Sex>);
        let birth = self.birth();
        let relation = self.required("relation", &code_of::<Relation>);
        let id_number = self.optional("id_number", &|v, p, i| text(v, p, i, CitizenId::new));
        let ethnicity = self.optional("ethnicity", &|v, p, i| text(v, p, i, ShortText::new));
        let disability = self.optional("disability", &code_of::<Disability>);
        let monthly_social_allowance = self.optional("monthly_social_allowance", &boolean);
        let person_of_merit = self.optional("person_of_merit", &boolean);
        let work = self.nullable("work", &code_of::<Work>);
        let health_insurance = self.nullable("health_insurance", &boolean);
        let education = self.nullable("education", &code_of::<Education>);
        let in_school = self.nullable("in_school", &boolean);
        let school_level_ok = self.nullable("school_level_ok", &boolean);
        let on_job_training_certified = self.optional("on_job_training_certified", &boolean);
        let malnourished_reported = self.optional("malnourished_reported", &boolean);
        Some(Member {
            member_id: member_id?,
            full_name: full_name?,
            sex: sex?,
            birth: birth?,
            relation: relation?,
            id_number,
            ethnicity,
            disability,
            monthly_social_allowance,
            person_of_merit,
            work,
            health_insurance,
            education,
            in_school,
            school_level_ok,
            on_job_training_certified,
            malnourished_reported,
        })
    }

    /// `birth_date` or `birth_year`: one of the two is required; with both, the date wins and a
    /// disagreeing year is a warning.
    fn birth(&mut self) -> Option<Birth> {
        let date = self.optional("birth_date", &date);
        let year = self.optional("birth_year", &|v, p, i| int(v, p, i, Ok::<i64, ValueError>));
        let had_date = self.map.get("birth_date").is_some_and(|v| !v.is_null());
        let had_year = self.map.get("birth_year").is_some_and(|v| !v.is_null());
        match (date, year) {
            (Some(d), Some(y)) if i64::from(chrono::Datelike::year(&d)) != y => {
                self.issues.push(Issue::warning(
                    self.field_path("birth_year"),
                    "inconsistent",
                    Text::new(
                        "Năm sinh không khớp với ngày sinh; dùng ngày sinh",
                        "Birth year does not match the birth date; the birth date is used",
                    ),
                ));
                Some(Birth::Date(d))
            }
            (Some(d), _) => Some(Birth::Date(d)),
            (None, Some(y)) => i32::try_from(y).ok().map(Birth::Year),
            (None, None) => {
                if !had_date && !had_year {
                    self.issues.push(Issue::error(
                        self.field_path("birth_date"),
                        "missing",
                        Text::new("Cần ngày sinh hoặc năm sinh", "A birth date or a birth year is required"),
                    ));
                }
                None
            }
        }
    }

    fn dwelling(&mut self) -> Option<Dwelling> {
        let walls = self.nullable("walls", &code_of::<Durability>);
        let columns = self.nullable("columns", &code_of::<Durability>);
        let roof = self.nullable("roof", &code_of::<Durability>);
        let floor_area_m2 = self.nullable("floor_area_m2", &|v, p, i| number(v, p, i, FloorAreaM2::new));
        let tenure = self.optional("tenure", &code_of::<Tenure>);
        Some(Dwelling { walls, columns, roof, floor_area_m2, tenure })
    }

    fn info_devices(&mut self) -> Option<InfoDevices> {
        Some(InfoDevices {
            tv: self.nullable("tv", &boolean),
            radio: self.nullable("radio", &boolean),
            computer: self.nullable("computer", &boolean),
            smartphone: self.nullable("smartphone", &boolean),
            tablet: self.nullable("tablet", &boolean),
            loudspeaker_reach: self.nullable("loudspeaker_reach", &boolean),
        })
    }

    fn income(&mut self) -> Option<Income> {
        Some(Income {
            monthly_per_capita_vnd: self.optional("monthly_per_capita_vnd", &|v, p, i| int(v, p, i, Vnd::new)),
            b1_score: self.optional("b1_score", &|v, p, i| int(v, p, i, B1Score::new)),
            source: self.optional("source", &code_of::<IncomeSource>),
        })
    }

    fn previous(&mut self) -> Option<Previous> {
        let category = self.required("category", &code_of::<Category>);
        let escape_date = self.optional("escape_date", &date);
        Some(Previous { category: category?, escape_date })
    }

    fn measurement(&mut self) -> Option<Measurement> {
        let measurement_id = self.required("measurement_id", &|v, p, i| uuid(v, p, i).map(MeasurementId));
        let member_id = self.required("member_id", &|v, p, i| uuid(v, p, i).map(MemberId));
        let measured_on = self.required("measured_on", &date);
        let weight_kg = self.nullable("weight_kg", &|v, p, i| number(v, p, i, WeightKg::new));
        let lenhei_cm = self.nullable("lenhei_cm", &|v, p, i| number(v, p, i, LengthCm::new));
        let measure = self.nullable("measure", &code_of::<Position>);
        let oedema = self.required("oedema", &boolean);
        let measured_by = self.optional("measured_by", &|v, p, i| text(v, p, i, ShortText::new));
        Some(Measurement {
            measurement_id: measurement_id?,
            member_id: member_id?,
            measured_on: measured_on?,
            weight_kg,
            lenhei_cm,
            measure,
            oedema: oedema?,
            measured_by,
        })
    }
}

/// Converts one JSON value at a path, recording problems.
type Conv<'a, T> = &'a dyn Fn(&Value, &str, &mut Vec<Issue>) -> Option<T>;

/// Reads a nested object with `read`, then reports its unknown fields.
fn sub<T>(
    value: &Value,
    path: &str,
    issues: &mut Vec<Issue>,
    read: impl FnOnce(&mut Obj<'_, '_>) -> Option<T>,
) -> Option<T> {
    let mut obj = Obj::open(value, path, issues)?;
    let result = read(&mut obj);
    obj.finish();
    result
}

/// Reads an array; every element is read (and reported) even after a bad one.
fn list<T>(value: &Value, path: &str, issues: &mut Vec<Issue>, read: Conv<'_, T>) -> Option<Vec<T>> {
    let Value::Array(items) = value else {
        issues.push(wrong_type(path, "một danh sách", "an array", value));
        return None;
    };
    let mut out = Vec::with_capacity(items.len());
    let mut all_ok = true;
    for (index, item) in items.iter().enumerate() {
        match read(item, &index_path(path, index), issues) {
            Some(v) => out.push(v),
            None => all_ok = false,
        }
    }
    all_ok.then_some(out)
}

fn uuid(value: &Value, path: &str, issues: &mut Vec<Issue>) -> Option<uuid::Uuid> {
    let s = string(value, path, issues)?;
    match uuid::Uuid::try_parse(s) {
        Ok(u) => Some(u),
        Err(_) => {
            issues.push(Issue::error(
                path,
                "malformed_uuid",
                Text::new(
                    format!("Mã định danh {s:?} không đúng dạng UUID"),
                    format!("Identifier {s:?} is not a valid UUID"),
                ),
            ));
            None
        }
    }
}

fn string<'a>(value: &'a Value, path: &str, issues: &mut Vec<Issue>) -> Option<&'a str> {
    match value {
        Value::String(s) => Some(s),
        other => {
            issues.push(wrong_type(path, "một chuỗi ký tự", "a string", other));
            None
        }
    }
}

fn text<T>(
    value: &Value,
    path: &str,
    issues: &mut Vec<Issue>,
    make: impl Fn(&str) -> Result<T, ValueError>,
) -> Option<T> {
    let s = string(value, path, issues)?;
    make(s).map_err(|e| issues.push(value_error(path, &e))).ok()
}

fn boolean(value: &Value, path: &str, issues: &mut Vec<Issue>) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        other => {
            issues.push(wrong_type(path, "đúng/sai (true/false)", "true or false", other));
            None
        }
    }
}

fn number<T>(
    value: &Value,
    path: &str,
    issues: &mut Vec<Issue>,
    make: impl Fn(f64) -> Result<T, ValueError>,
) -> Option<T> {
    let Some(n) = value.as_f64() else {
        issues.push(wrong_type(path, "một số", "a number", value));
        return None;
    };
    make(n).map_err(|e| issues.push(value_error(path, &e))).ok()
}

fn int<T>(
    value: &Value,
    path: &str,
    issues: &mut Vec<Issue>,
    make: impl Fn(i64) -> Result<T, ValueError>,
) -> Option<T> {
    let n = match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            // 2026.0 is an integer written as a float; 2026.5 is not.
            n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15).map(|f| f as i64)
        }),
        _ => None,
    };
    let Some(n) = n else {
        issues.push(wrong_type(path, "một số nguyên", "an integer", value));
        return None;
    };
    make(n).map_err(|e| issues.push(value_error(path, &e))).ok()
}

fn date(value: &Value, path: &str, issues: &mut Vec<Issue>) -> Option<NaiveDate> {
    let s = string(value, path, issues)?;
    match parse_date(s) {
        Some(d) => Some(d),
        None => {
            issues.push(Issue::error(
                path,
                "bad_date",
                Text::new(
                    format!("Ngày {s:?} không hợp lệ (cần dạng NNNN-TT-NN, ví dụ 2026-10-05)"),
                    format!("Date {s:?} is not a valid date (expected YYYY-MM-DD, e.g. 2026-10-05)"),
                ),
            ));
            None
        }
    }
}

/// Parses a strict `YYYY-MM-DD` calendar date; impossible dates (2026-02-30) are `None`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn code_of<C: CodeParse>(value: &Value, path: &str, issues: &mut Vec<Issue>) -> Option<C> {
    let s = string(value, path, issues)?;
    match C::parse_code(s) {
        Some(c) => Some(c),
        None => {
            issues.push(Issue::error(
                path,
                "unknown_code",
                Text::new(
                    format!("Mã {s:?} không hợp lệ; các mã hợp lệ: {}", C::valid_codes()),
                    format!("Unknown code {s:?}; valid codes: {}", C::valid_codes()),
                ),
            ));
            None
        }
    }
}

/// The code enums, as the reader needs them.
trait CodeParse: Sized {
    fn parse_code(s: &str) -> Option<Self>;
    fn valid_codes() -> String;
}

macro_rules! code_parse {
    ($($t:ty),+) => {$(
        impl CodeParse for $t {
            fn parse_code(s: &str) -> Option<Self> { <$t>::from_code(s) }
            fn valid_codes() -> String { <$t>::codes_list() }
        }
    )+};
}
code_parse!(
    Sex,
    Relation,
    Disability,
    Work,
    Education,
    Durability,
    Tenure,
    WaterSource,
    Latrine,
    IncomeSource,
    CauseOfPoverty,
    Support,
    Category,
    Position
);

fn missing(path: &str) -> Issue {
    Issue::error(path, "missing", Text::new("Thiếu thông tin bắt buộc", "Required field is missing"))
}

fn wrong_type(path: &str, expected_vi: &str, expected_en: &str, got: &Value) -> Issue {
    let (got_vi, got_en) = match got {
        Value::Null => ("rỗng (null)", "null"),
        Value::Bool(_) => ("đúng/sai", "a boolean"),
        Value::Number(_) => ("một số", "a number"),
        Value::String(_) => ("một chuỗi ký tự", "a string"),
        Value::Array(_) => ("một danh sách", "an array"),
        Value::Object(_) => ("một đối tượng", "an object"),
    };
    Issue::error(
        path,
        "wrong_type",
        Text::new(
            format!("Cần {expected_vi}, nhưng nhận được {got_vi}"),
            format!("Expected {expected_en}, got {got_en}"),
        ),
    )
}

fn value_error(path: &str, e: &ValueError) -> Issue {
    Issue::error(path, e.code(), e.message())
}
