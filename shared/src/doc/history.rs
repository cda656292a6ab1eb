//! Field paths over the history: the fields concurrent edits left with several values, settling
//! one, the fields a range of changes touched (for the server's access check), and the change
//! log itself — who wrote each change, when, and which fields it touched (the registry's
//! history page reads it from the document, not from a separate log that could disagree).

use std::collections::BTreeSet;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, Automerge, ChangeHash, ObjId, ObjType, PatchAction, Prop, ReadDoc, Value as AmValue};
use serde::Serialize;
use serde_json::Value;

use super::layout::{Kind, ORDER_KEY, ROOT_KIND, SCHEMA_KEY, child_kind, fits};
use super::read::{entry_json, entry_kind, value_json};
use super::{DocError, History};

/// A field where concurrent edits left several values (Automerge keeps them all).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    /// The field path (`dwelling.floor_area_m2`, `members.<id>.work`, `gps`).
    pub path: String,
    /// Every value, in Automerge's order; the last is the winner that [`super::to_json`] shows.
    pub values: Vec<ConflictValue>,
}

/// One of a conflicted field's values, and who wrote it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConflictValue {
    /// The value in the dictionary's JSON form (an object for a conflicted `gps`, say).
    pub value: Value,
    /// The writing actor, hex.
    pub actor: String,
    /// When the change that wrote it was committed (Unix seconds), if it carries a time.
    pub timestamp: Option<i64>,
}

/// Every conflicted field, in document order. A key whose concurrent values are all equal (two
/// collectors typing the same area) is not a conflict; `order` and `schema` are layout, not
/// answers, and are never reported. Inside a conflicted object only the winner is visited.
pub fn conflicts(doc: &impl History) -> Vec<Conflict> {
    let mut out = Vec::new();
    walk_conflicts(doc, &automerge::ROOT, ROOT_KIND, "", false, &mut out);
    out
}

/// Reports the conflicts of map `obj` (of layout `kind`; `entry`: a member or measurement).
fn walk_conflicts(doc: &impl History, obj: &ObjId, kind: Kind, prefix: &str, entry: bool, out: &mut Vec<Conflict>) {
    for key in doc.keys(obj) {
        let layout_key = (prefix.is_empty() && key == SCHEMA_KEY) || (entry && key == ORDER_KEY);
        if layout_key {
            continue;
        }
        let path = join(prefix, &key);
        let child = match kind {
            Kind::Keyed { .. } => Some(entry_kind(kind)),
            _ => child_kind(Some(kind), &key),
        };
        let all = doc.get_all(obj, key.as_str()).unwrap_or_default();
        if all.len() > 1 {
            let values: Vec<ConflictValue> = all.iter().map(|(v, id)| conflict_value(doc, v, id, kind, &key)).collect();
            if values.iter().any(|v| v.value != values[0].value) {
                out.push(Conflict { path: path.clone(), values });
            }
        }
        if let Ok(Some((AmValue::Object(ObjType::Map), id))) = doc.get(obj, key.as_str()) {
            let entry = matches!(kind, Kind::Keyed { .. });
            walk_conflicts(doc, &id, child.unwrap_or(Kind::Object(&[])), &path, entry, out);
        }
    }
}

/// One of the values at `key` of a map of layout `parent`, with its author.
fn conflict_value(doc: &impl History, value: &AmValue<'_>, id: &ObjId, parent: Kind, key: &str) -> ConflictValue {
    let actor = match id {
        ObjId::Id(_, actor, _) => actor.to_hex_string(),
        ObjId::Root => String::new(),
    };
    let timestamp = doc
        .change_of(id)
        .and_then(|hash| doc.get_change_by_hash(&hash))
        .map(|change| change.timestamp())
        .filter(|t| *t != 0);
    let value = match parent {
        Kind::Keyed { .. } => entry_json(doc, value, id, parent, key).1,
        _ => value_json(doc, value, id, child_kind(Some(parent), key)),
    };
    ConflictValue { value, actor, timestamp }
}

/// Sets one field by path with a new operation, which supersedes every value it has seen there
/// (how ward staff settle a conflict, even by choosing the value that already wins).
///
/// - a field (`dwelling.floor_area_m2`, `gps`, `members.<id>.work`): `value` must fit the
///   field's type (`null` fits every scalar); numbers are stored as the layout says;
/// - an entry (`members.<id>`): `value` is the whole member or measurement; it keeps its place;
/// - a set element (`causes_of_poverty.illness`): `true` adds the code, `false` or `null`
///   removes it.
///
/// Does not commit.
pub fn set_field(doc: &mut AutoCommit, path: &str, value: &Value) -> Result<(), DocError> {
    let target = resolve(doc, path)?;
    let bad = |reason: &str| DocError::BadValue { path: path.into(), reason: reason.into() };
    match target.slot {
        Slot::Field(kind) if fits(kind, value) => {
            super::write::put_fresh(doc, &target.parent, &target.key, Some(kind), value)
        }
        Slot::Field(_) => Err(bad("wrong type for this field")),
        Slot::Entry(keyed) => super::write::put_entry(doc, &target.parent, &target.key, keyed, value),
        Slot::Element => match value {
            Value::Bool(true) => Ok(doc.put(&target.parent, target.key.as_str(), true)?),
            Value::Bool(false) | Value::Null => {
                if doc.get(&target.parent, target.key.as_str())?.is_some() {
                    doc.delete(&target.parent, target.key.as_str())?;
                }
                Ok(())
            }
            _ => Err(bad("a set element is true (present) or false (absent)")),
        },
    }
}

/// What the last key of a path is.
enum Slot {
    /// A field of a map, stored as this kind.
    Field(Kind),
    /// A whole entry of this keyed map.
    Entry(Kind),
    /// A code of a set.
    Element,
}

/// Where a path points: the map holding its last key.
struct Target {
    parent: ObjId,
    key: String,
    slot: Slot,
}

fn resolve(doc: &impl ReadDoc, path: &str) -> Result<Target, DocError> {
    let unknown = || DocError::UnknownPath(path.into());
    let keys: Vec<&str> = path.split('.').collect();
    let (mut obj, mut kind) = (automerge::ROOT, ROOT_KIND);
    for (depth, key) in keys.iter().enumerate() {
        let slot = match kind {
            Kind::Object(_) => Slot::Field(child_kind(Some(kind), key).ok_or_else(unknown)?),
            Kind::Keyed { .. } => Slot::Entry(kind),
            Kind::Set { rank } => rank(key).map(|_| Slot::Element).ok_or_else(unknown)?,
            _ => return Err(unknown()),
        };
        if depth + 1 == keys.len() {
            return Ok(Target { parent: obj, key: (*key).to_owned(), slot });
        }
        kind = match slot {
            Slot::Field(k) => k,
            Slot::Entry(k) => entry_kind(k),
            Slot::Element => return Err(unknown()),
        };
        obj = match doc.get(&obj, *key)? {
            Some((AmValue::Object(ObjType::Map), id)) => id,
            _ => return Err(DocError::Missing(keys[..=depth].join("."))),
        };
    }
    Err(unknown())
}

/// The field paths whose values differ between two points of the history, sorted.
///
/// From Automerge's diff of the two states: a put, a delete or a new conflict at a key names
/// that key's path. An added or removed member or measurement names the entry
/// (`members.<id>`); an added entry also names each of its fields. A nested map that appears
/// where there was nothing (a new `gps`) is named through its fields (`gps.lat`, …), or by its own
/// path if it is empty — except `members` and `measurements`, whose creation with the document
/// names nothing. A map that replaces an existing value is named by its own path and its fields
/// (so replacing `measurements` wholesale is seen as touching measurements). An entry's `order`
/// is named as the entry; `schema` as itself.
pub fn changed_paths(doc: &Automerge, before: &[ChangeHash], after: &[ChangeHash]) -> Vec<String> {
    let mut paths = BTreeSet::new();
    let mut new_maps = Vec::new();
    for patch in doc.diff(before, after) {
        let mut keys: Vec<String> = patch.path.iter().map(|(_, prop)| prop_key(prop)).collect();
        match &patch.action {
            PatchAction::PutMap { key, value: (AmValue::Object(_), _), .. } => {
                keys.push(key.clone());
                let is_entry = keys.len() == 2 && is_keyed(&keys[0]);
                let existed = matches!(doc.get_at(&patch.obj, key.as_str(), before), Ok(Some(_)));
                if !is_entry && !existed {
                    new_maps.push(keys.join("."));
                    continue;
                }
            }
            PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key } => keys.push(key.clone()),
            PatchAction::Conflict { prop } | PatchAction::Increment { prop, .. } => keys.push(prop_key(prop)),
            PatchAction::PutSeq { index, .. } => keys.push(index.to_string()),
            _ => {}
        }
        paths.insert(field_path(keys));
    }
    for map in new_maps {
        let prefix = format!("{map}.");
        if !is_keyed(&map) && !paths.iter().any(|p| p.starts_with(&prefix)) {
            paths.insert(map);
        }
    }
    paths.into_iter().collect()
}

/// A raw key path as a field path: an entry's `order` is its position, named by the entry.
fn field_path(mut keys: Vec<String>) -> String {
    if keys.len() == 3 && is_keyed(&keys[0]) && keys[2] == ORDER_KEY {
        keys.truncate(2);
    }
    keys.join(".")
}

fn is_keyed(root_key: &str) -> bool {
    matches!(child_kind(Some(ROOT_KIND), root_key), Some(Kind::Keyed { .. }))
}

fn prop_key(prop: &Prop) -> String {
    match prop {
        Prop::Map(key) => key.clone(),
        Prop::Seq(index) => index.to_string(),
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() { key.to_owned() } else { format!("{prefix}.{key}") }
}

/// One change of a household document's log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoggedChange {
    /// The change's hash, hex: what the server files it under.
    pub hash: String,
    /// The writing actor, hex (one per device; a fresh one per web edit).
    pub actor: String,
    /// The actor's sequence number of this change.
    pub seq: u64,
    /// When the writer committed it, Unix seconds, by the writer's clock (`None`: no time).
    pub timestamp: Option<i64>,
    /// The change's message (`web:<user id>`, `import:<user id>`), if any.
    pub message: Option<String>,
    /// The field paths this change alone touched ([`changed_paths`] from its dependencies to it).
    pub paths: Vec<String>,
}

/// The newest `limit` changes of the document, newest first (reverse causal order: a change
/// always comes before the ones it depends on), and how many changes the log holds in all.
pub fn change_log(doc: &Automerge, limit: usize) -> (Vec<LoggedChange>, usize) {
    let metas = doc.get_changes_meta(&[]);
    let total = metas.len();
    let log = metas
        .iter()
        .rev()
        .take(limit)
        .map(|m| LoggedChange {
            hash: m.hash.to_string(),
            actor: m.actor.to_hex_string(),
            seq: m.seq,
            timestamp: (m.timestamp != 0).then_some(m.timestamp),
            message: m.message.as_deref().map(str::to_owned),
            paths: changed_paths(doc, &m.deps, &[m.hash]),
        })
        .collect();
    (log, total)
}
