//! The key layout, as data: which dictionary key is stored as which kind of Automerge value.
//!
//! Reading, writing, conflicts and changed paths all walk the document with these tables, so
//! the layout is written down once. A key the tables do not know (a document written by a
//! future app of the same schema, or a stray key) is read by its stored type and reported by
//! the lenient reader as an unknown field.

use automerge::ScalarValue;
use serde_json::Value;

use crate::model::{CauseOfPoverty, Support};

/// How one key of a map is stored.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kind {
    /// A string scalar (texts, codes, dates, UUIDs).
    Text,
    /// An integer scalar, kept `Int`.
    Int,
    /// A number kept `F64` even when whole, so `14.0` reads back as `14.0`.
    Float,
    /// A boolean scalar.
    Bool,
    /// A nested map with these fields.
    Object(&'static [Field]),
    /// A JSON array of objects, stored as a map keyed by each object's `id` field; each entry
    /// holds the other `fields` plus [`ORDER_KEY`].
    Keyed {
        /// The identifying field (`member_id`, `measurement_id`), not stored in the entry.
        id: &'static str,
        /// The entry's fields.
        fields: &'static [Field],
    },
    /// A JSON array of codes, stored as a map code → `true`; `rank` gives the dictionary order.
    Set {
        /// Position of a code in the dictionary's code list; `None` for an unknown code.
        rank: fn(&str) -> Option<usize>,
    },
}

/// One dictionary key and how it is stored.
#[derive(Debug, Clone, Copy)]
pub(super) struct Field {
    /// The dictionary key.
    pub name: &'static str,
    /// Its storage.
    pub kind: Kind,
}

/// The root key holding the schema version (not a dictionary field).
pub(super) const SCHEMA_KEY: &str = "schema";

/// The key of a member's or measurement's display position inside its entry.
pub(super) const ORDER_KEY: &str = "order";

const fn f(name: &'static str, kind: Kind) -> Field {
    Field { name, kind }
}

use Kind::{Bool, Float, Int, Text};

const AREA: &[Field] = &[f("province", Text), f("commune", Text), f("group", Text), f("urban", Bool)];
const GPS: &[Field] = &[f("lat", Float), f("lon", Float), f("accuracy_m", Float)];
const DWELLING: &[Field] =
    &[f("walls", Text), f("columns", Text), f("roof", Text), f("floor_area_m2", Float), f("tenure", Text)];
const INFO_DEVICES: &[Field] = &[
    f("tv", Bool),
    f("radio", Bool),
    f("computer", Bool),
    f("smartphone", Bool),
    f("tablet", Bool),
    f("loudspeaker_reach", Bool),
];
const INCOME: &[Field] = &[f("monthly_per_capita_vnd", Int), f("b1_score", Int), f("source", Text)];
const PREVIOUS: &[Field] = &[f("category", Text), f("escape_date", Text)];
const MEMBER: &[Field] = &[
    f("full_name", Text),
    f("sex", Text),
    f("birth_date", Text),
    f("birth_year", Int),
    f("relation", Text),
    f("id_number", Text),
    f("ethnicity", Text),
    f("disability", Text),
    f("monthly_social_allowance", Bool),
    f("person_of_merit", Bool),
    f("work", Text),
    f("health_insurance", Bool),
    f("education", Text),
    f("in_school", Bool),
    f("school_level_ok", Bool),
    f("on_job_training_certified", Bool),
    f("malnourished_reported", Bool),
];
const MEASUREMENT: &[Field] = &[
    f("member_id", Text),
    f("measured_on", Text),
    f("weight_kg", Float),
    f("lenhei_cm", Float),
    f("measure", Text),
    f("oedema", Bool),
    f("measured_by", Text),
];

fn cause_rank(code: &str) -> Option<usize> {
    CauseOfPoverty::ALL.iter().position(|c| c.as_code() == code)
}

fn support_rank(code: &str) -> Option<usize> {
    Support::ALL.iter().position(|c| c.as_code() == code)
}

/// The household's keys: the root map of the document (plus [`SCHEMA_KEY`]).
pub(super) const HOUSEHOLD: &[Field] = &[
    f("household_id", Text),
    f("code", Text),
    f("area", Kind::Object(AREA)),
    f("address", Text),
    f("gps", Kind::Object(GPS)),
    f("phone", Text),
    f("review_year", Int),
    f("interview_date", Text),
    f("members", Kind::Keyed { id: "member_id", fields: MEMBER }),
    f("dwelling", Kind::Object(DWELLING)),
    f("water_source", Text),
    f("latrine", Text),
    f("internet_use", Bool),
    f("info_devices", Kind::Object(INFO_DEVICES)),
    f("income", Kind::Object(INCOME)),
    f("causes_of_poverty", Kind::Set { rank: cause_rank }),
    f("support_received", Kind::Set { rank: support_rank }),
    f("previous", Kind::Object(PREVIOUS)),
    f("request_filed", Bool),
    f("notes", Text),
    f("measurements", Kind::Keyed { id: "measurement_id", fields: MEASUREMENT }),
];

/// The root, seen as an object.
pub(super) const ROOT_KIND: Kind = Kind::Object(HOUSEHOLD);

/// How `key` is stored inside a map of kind `parent` (`None`: not in the layout).
pub(super) fn child_kind(parent: Option<Kind>, key: &str) -> Option<Kind> {
    match parent? {
        Kind::Object(fields) | Kind::Keyed { fields, .. } => fields.iter().find(|f| f.name == key).map(|f| f.kind),
        _ => None,
    }
}

/// The scalar stored for a JSON scalar in a key of kind `kind`; `None` for arrays and objects.
///
/// Numbers follow the layout (`Float` keys get `F64`, `Int` keys get `Int` when the number is
/// whole), so a value typed as `20` in a float field is still stored as `20.0`.
pub(super) fn scalar_of(kind: Option<Kind>, value: &Value) -> Option<ScalarValue> {
    Some(match value {
        Value::Null => ScalarValue::Null,
        Value::Bool(b) => ScalarValue::Boolean(*b),
        Value::String(s) => ScalarValue::Str(s.as_str().into()),
        Value::Number(n) => match (kind, n.as_i64(), n.as_f64()) {
            (Some(Kind::Float), _, Some(x)) => ScalarValue::F64(x),
            (_, Some(i), _) => ScalarValue::Int(i),
            (Some(Kind::Int), None, Some(x)) if x.fract() == 0.0 && x.abs() < 9.0e15 => ScalarValue::Int(x as i64),
            (_, None, Some(x)) => ScalarValue::F64(x),
            (_, None, None) => ScalarValue::Null,
        },
        Value::Array(_) | Value::Object(_) => return None,
    })
}

/// The JSON form of a stored scalar. Types the layout never writes (bytes, values from a future
/// Automerge) read as `null`.
pub(super) fn json_of(scalar: &ScalarValue) -> Value {
    match scalar {
        ScalarValue::Str(s) => Value::String(s.to_string()),
        ScalarValue::Int(i) => Value::from(*i),
        ScalarValue::Uint(u) => Value::from(*u),
        ScalarValue::F64(x) => serde_json::Number::from_f64(*x).map_or(Value::Null, Value::Number),
        ScalarValue::Boolean(b) => Value::Bool(*b),
        ScalarValue::Counter(c) => Value::from(i64::from(c)),
        ScalarValue::Timestamp(t) => Value::from(*t),
        ScalarValue::Null | ScalarValue::Bytes(_) | ScalarValue::Unknown { .. } => Value::Null,
    }
}

/// Whether `value` has the JSON type a key of kind `kind` holds (`null` fits every scalar).
pub(super) fn fits(kind: Kind, value: &Value) -> bool {
    match (kind, value) {
        (Text | Int | Float | Bool, Value::Null) => true,
        (Text, Value::String(_)) | (Bool, Value::Bool(_)) | (Float, Value::Number(_)) => true,
        (Int, Value::Number(n)) => n.as_i64().is_some() || n.as_f64().is_some_and(|x| x.fract() == 0.0),
        (Kind::Object(_), Value::Object(_)) => true,
        (Kind::Keyed { id, .. }, Value::Array(items)) => {
            items.iter().all(|i| i.get(id).and_then(Value::as_str).is_some_and(|s| !s.is_empty() && !s.contains('.')))
        }
        (Kind::Set { rank }, Value::Array(codes)) => {
            codes.iter().all(|c| c.as_str().is_some_and(|s| rank(s).is_some()))
        }
        _ => false,
    }
}
