//! Document → the dictionary's JSON form: nested maps become objects, keyed maps become arrays
//! in display order, sets become code arrays in dictionary order.

use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, Value as AmValue};
use serde_json::{Map, Value};

use super::DocError;
use super::layout::{Kind, ORDER_KEY, ROOT_KIND, SCHEMA_KEY, child_kind, json_of};

/// The schema version stored in the document's root.
pub(super) fn schema_of(doc: &impl ReadDoc) -> Result<i64, DocError> {
    match doc.get(automerge::ROOT, SCHEMA_KEY)? {
        Some((AmValue::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Int(v) => Ok(*v),
            ScalarValue::Uint(v) => i64::try_from(*v).map_err(|_| DocError::NotHousehold(format!("schema {v}"))),
            other => Err(DocError::NotHousehold(format!("schema is {other}, not an integer"))),
        },
        Some((AmValue::Object(t), _)) => Err(DocError::NotHousehold(format!("schema is a {t:?} object"))),
        None => Err(DocError::NotHousehold("no schema key".into())),
    }
}

/// The whole household as dictionary JSON, after checking the schema version is readable.
pub(super) fn household_json(doc: &impl ReadDoc) -> Result<Value, DocError> {
    let schema = schema_of(doc)?;
    if schema > super::SCHEMA_VERSION {
        return Err(DocError::SchemaTooNew { found: schema, supported: super::SCHEMA_VERSION });
    }
    let mut json = map_json(doc, &automerge::ROOT, Some(ROOT_KIND));
    json.remove(SCHEMA_KEY);
    json.remove(super::review::REVIEW_KEY);
    Ok(Value::Object(json))
}

/// The JSON form of one stored value (the winner, if `(value, id)` came from `get`).
pub(super) fn value_json(doc: &impl ReadDoc, value: &AmValue<'_>, id: &ObjId, kind: Option<Kind>) -> Value {
    match value {
        AmValue::Scalar(s) => json_of(s),
        AmValue::Object(ObjType::Map | ObjType::Table) => match kind {
            Some(keyed @ Kind::Keyed { .. }) => keyed_json(doc, id, keyed),
            Some(Kind::Set { rank }) => set_json(doc, id, rank),
            _ => Value::Object(map_json(doc, id, kind)),
        },
        AmValue::Object(ObjType::Text) => doc.text(id).map_or(Value::Null, Value::String),
        AmValue::Object(ObjType::List) => Value::Array(
            (0..doc.length(id))
                .filter_map(|i| doc.get(id, i).ok().flatten())
                .map(|(v, child)| value_json(doc, &v, &child, None))
                .collect(),
        ),
    }
}

/// A map's keys and values, each child read with its layout kind.
fn map_json(doc: &impl ReadDoc, obj: &ObjId, kind: Option<Kind>) -> Map<String, Value> {
    let mut out = Map::new();
    for key in doc.keys(obj) {
        if let Ok(Some((value, id))) = doc.get(obj, key.as_str()) {
            let json = value_json(doc, &value, &id, child_kind(kind, &key));
            out.insert(key, json);
        }
    }
    out
}

/// A keyed map as an array sorted by (`order`, id).
fn keyed_json(doc: &impl ReadDoc, obj: &ObjId, keyed: Kind) -> Value {
    let mut entries: Vec<(i64, String, Value)> = Vec::new();
    for key in doc.keys(obj) {
        let Ok(Some((value, id))) = doc.get(obj, key.as_str()) else { continue };
        let (order, json) = entry_json(doc, &value, &id, keyed, &key);
        entries.push((order, key, json));
    }
    entries.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    Value::Array(entries.into_iter().map(|(_, _, json)| json).collect())
}

/// One entry `key` of a keyed map in the dictionary's form (its id put back, `order` taken
/// out), with its `order` (`i64::MAX` when missing).
pub(super) fn entry_json(doc: &impl ReadDoc, value: &AmValue<'_>, id: &ObjId, keyed: Kind, key: &str) -> (i64, Value) {
    let mut json = value_json(doc, value, id, Some(entry_kind(keyed)));
    let Value::Object(fields) = &mut json else { return (i64::MAX, json) };
    let order = fields.remove(ORDER_KEY).and_then(|o| o.as_i64()).unwrap_or(i64::MAX);
    if let Kind::Keyed { id: id_key, .. } = keyed {
        fields.insert(id_key.to_owned(), Value::String(key.to_owned()));
    }
    (order, json)
}

/// The object kind of one entry of a keyed map.
pub(super) fn entry_kind(keyed: Kind) -> Kind {
    match keyed {
        Kind::Keyed { fields, .. } => Kind::Object(fields),
        other => other,
    }
}

/// A set's codes (keys holding `true`), in dictionary order; unknown codes last, sorted.
fn set_json(doc: &impl ReadDoc, obj: &ObjId, rank: fn(&str) -> Option<usize>) -> Value {
    let mut codes: Vec<String> = doc
        .keys(obj)
        .filter(|k| {
            matches!(doc.get(obj, k.as_str()), Ok(Some((AmValue::Scalar(s), _))) if *s == ScalarValue::Boolean(true))
        })
        .collect();
    codes.sort_by_key(|c| (rank(c).unwrap_or(usize::MAX), c.clone()));
    Value::Array(codes.into_iter().map(Value::String).collect())
}
