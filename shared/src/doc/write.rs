//! Dictionary JSON → document with the smallest edit: a value equal to the stored one is not
//! put again (a put of the same value would still be a new operation, and a "conflict" with
//! any concurrent put), missing keys are deleted, entries are matched by id.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ReadDoc, ScalarValue, Value as AmValue};
use serde_json::{Map, Value};

use super::DocError;
use super::layout::{Kind, ORDER_KEY, child_kind, scalar_of};
use super::read::entry_kind;

/// Brings the map `obj` to `json`: deletes keys `json` lacks (except `keep`), reconciles the rest.
pub(super) fn reconcile_map(
    doc: &mut AutoCommit,
    obj: &ObjId,
    kind: Option<Kind>,
    json: &Map<String, Value>,
    keep: &[&str],
) -> Result<(), DocError> {
    let stale: Vec<String> = doc.keys(obj).filter(|k| !json.contains_key(k) && !keep.contains(&k.as_str())).collect();
    for key in stale {
        doc.delete(obj, key.as_str())?;
    }
    for (key, value) in json {
        reconcile_prop(doc, obj, key, child_kind(kind, key), value)?;
    }
    Ok(())
}

/// Brings one key of `obj` to `value`, creating or replacing the stored value only if needed.
fn reconcile_prop(
    doc: &mut AutoCommit,
    obj: &ObjId,
    key: &str,
    kind: Option<Kind>,
    value: &Value,
) -> Result<(), DocError> {
    if let Some(scalar) = scalar_of(kind, value) {
        let same = matches!(doc.get(obj, key)?, Some((AmValue::Scalar(s), _)) if *s == scalar);
        if !same {
            doc.put(obj, key, scalar)?;
        }
        return Ok(());
    }
    match (kind, value) {
        (Some(Kind::Keyed { id, fields }), Value::Array(items)) => {
            let map = map_at(doc, obj, key)?;
            reconcile_keyed(doc, &map, id, Kind::Object(fields), items)
        }
        (Some(Kind::Set { .. }), Value::Array(codes)) => {
            let map = map_at(doc, obj, key)?;
            reconcile_set(doc, &map, codes)
        }
        (_, Value::Object(fields)) => {
            let map = map_at(doc, obj, key)?;
            reconcile_map(doc, &map, kind, fields, &[])
        }
        // An array the layout does not know: replace it when it differs.
        _ => {
            let current = doc.get(obj, key)?.map(|(v, id)| super::read::value_json(doc, &v, &id, kind));
            if current.as_ref() != Some(value) { put_fresh(doc, obj, key, kind, value) } else { Ok(()) }
        }
    }
}

/// The map stored at `key`, created (replacing any other value) if there is none.
fn map_at(doc: &mut AutoCommit, obj: &ObjId, key: &str) -> Result<ObjId, DocError> {
    match doc.get(obj, key)? {
        Some((AmValue::Object(ObjType::Map), id)) => Ok(id),
        _ => Ok(doc.put_object(obj, key, ObjType::Map)?),
    }
}

/// Brings a keyed map to `items`: entries matched by id, new ones placed after the others
/// (`order` = max + 1), and every `order` renumbered only if the stored order is not `items`'s.
fn reconcile_keyed(
    doc: &mut AutoCommit,
    map: &ObjId,
    id_key: &str,
    entry: Kind,
    items: &[Value],
) -> Result<(), DocError> {
    let ids: Vec<&str> = items.iter().map(|i| i.get(id_key).and_then(Value::as_str).unwrap_or_default()).collect();
    if let Some(bad) = ids.iter().find(|id| id.is_empty() || id.contains('.')) {
        return Err(DocError::BadValue { path: id_key.into(), reason: format!("entry id {bad:?} is not usable") });
    }
    let stale: Vec<String> = doc.keys(map).filter(|k| !ids.contains(&k.as_str())).collect();
    for key in stale {
        doc.delete(map, key.as_str())?;
    }
    let mut next = next_order(doc, map)?;
    let mut orders = Vec::with_capacity(items.len());
    for (item, id) in items.iter().zip(&ids) {
        let fields = item.as_object().map(|o| without(o, id_key)).unwrap_or_default();
        let (entry_obj, order) = match doc.get(map, *id)? {
            Some((AmValue::Object(ObjType::Map), obj)) => {
                let order = order_of(doc, &obj)?;
                (obj, order)
            }
            _ => {
                let obj = doc.put_object(map, *id, ObjType::Map)?;
                doc.put(&obj, ORDER_KEY, next)?;
                next += 1;
                (obj, Some(next - 1))
            }
        };
        reconcile_map(doc, &entry_obj, Some(entry), &fields, &[ORDER_KEY])?;
        orders.push((order.unwrap_or(i64::MAX), *id, entry_obj));
    }
    let in_order = orders.windows(2).all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1));
    if !in_order {
        for (position, (order, _, obj)) in (0_i64..).zip(&orders) {
            if *order != position {
                doc.put(obj, ORDER_KEY, position)?;
            }
        }
    }
    Ok(())
}

/// An entry's JSON without its id key (the id is the map key).
fn without(fields: &Map<String, Value>, id_key: &str) -> Map<String, Value> {
    fields.iter().filter(|(k, _)| *k != id_key).map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// The stored `order` of an entry.
fn order_of(doc: &AutoCommit, entry: &ObjId) -> Result<Option<i64>, DocError> {
    Ok(match doc.get(entry, ORDER_KEY)? {
        Some((AmValue::Scalar(s), _)) => s.as_i64(),
        _ => None,
    })
}

/// One more than the largest `order` in a keyed map (0 when empty).
pub(super) fn next_order(doc: &AutoCommit, map: &ObjId) -> Result<i64, DocError> {
    let mut max = -1;
    for key in doc.keys(map).collect::<Vec<_>>() {
        if let Some((AmValue::Object(_), entry)) = doc.get(map, key.as_str())? {
            max = max.max(order_of(doc, &entry)?.unwrap_or(-1));
        }
    }
    Ok(max + 1)
}

/// Brings a set map to `codes`: each code a key holding `true`.
fn reconcile_set(doc: &mut AutoCommit, map: &ObjId, codes: &[Value]) -> Result<(), DocError> {
    let codes: Vec<&str> = codes.iter().filter_map(Value::as_str).collect();
    let stale: Vec<String> = doc.keys(map).filter(|k| !codes.contains(&k.as_str())).collect();
    for key in stale {
        doc.delete(map, key.as_str())?;
    }
    for code in codes {
        let present = matches!(doc.get(map, code)?, Some((AmValue::Scalar(s), _)) if *s == ScalarValue::Boolean(true));
        if !present {
            doc.put(map, code, true)?;
        }
    }
    Ok(())
}

/// Puts `value` at `key` unconditionally (a new operation that supersedes every value it has
/// seen there), in the layout of `kind`.
pub(super) fn put_fresh(
    doc: &mut AutoCommit,
    obj: &ObjId,
    key: &str,
    kind: Option<Kind>,
    value: &Value,
) -> Result<(), DocError> {
    if let Some(scalar) = scalar_of(kind, value) {
        doc.put(obj, key, scalar)?;
        return Ok(());
    }
    match (kind, value) {
        (_, Value::Array(items)) if !matches!(kind, Some(Kind::Keyed { .. } | Kind::Set { .. })) => {
            let list = doc.put_object(obj, key, ObjType::List)?;
            for (index, item) in items.iter().enumerate() {
                match scalar_of(None, item) {
                    Some(s) => doc.insert(&list, index, s)?,
                    None => {
                        let child = doc.insert_object(&list, index, ObjType::Map)?;
                        if let Value::Object(fields) = item {
                            reconcile_map(doc, &child, None, fields, &[])?;
                        }
                    }
                }
            }
            Ok(())
        }
        _ => {
            // A fresh map, then filled: `reconcile_prop` finds it and puts every value.
            doc.put_object(obj, key, ObjType::Map)?;
            reconcile_prop(doc, obj, key, kind, value)
        }
    }
}

/// Puts one entry of a keyed map afresh (conflict resolution), keeping its display position.
pub(super) fn put_entry(
    doc: &mut AutoCommit,
    map: &ObjId,
    id: &str,
    keyed: Kind,
    value: &Value,
) -> Result<(), DocError> {
    let Kind::Keyed { id: id_key, .. } = keyed else { return Err(DocError::UnknownPath(id.into())) };
    let Value::Object(fields) = value else {
        return Err(DocError::BadValue { path: id.into(), reason: "an entry must be an object".into() });
    };
    if fields.get(id_key).is_some_and(|v| v.as_str() != Some(id)) {
        return Err(DocError::BadValue { path: id.into(), reason: format!("{id_key} differs from the entry id") });
    }
    let order = match doc.get(map, id)? {
        Some((AmValue::Object(_), entry)) => order_of(doc, &entry)?,
        _ => None,
    };
    let order = match order {
        Some(o) => o,
        None => next_order(doc, map)?,
    };
    let entry = doc.put_object(map, id, ObjType::Map)?;
    doc.put(&entry, ORDER_KEY, order)?;
    reconcile_map(doc, &entry, Some(entry_kind(keyed)), &without(fields, id_key), &[ORDER_KEY])
}
