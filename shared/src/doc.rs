//! The household as an Automerge document — the one owner of the key layout.
//!
//! Phones edit households offline and merge them with Automerge. Everything that reads or writes
//! a household document goes through this module, so the layout below is defined once (as data,
//! in `doc/layout.rs`) and concurrent edits merge without loss.
//!
//! ## Key layout (schema 1)
//!
//! The document mirrors the dictionary's JSON form (`data-dictionary.md`):
//!
//! | dictionary JSON | in the document |
//! |---|---|
//! | the record | root map; plus `schema` = [`SCHEMA_VERSION`] (Int) |
//! | string, code, date, UUID | scalar `Str` (never a `Text` object) |
//! | integer (`review_year`, `birth_year`, income figures) | scalar `Int` |
//! | number (`floor_area_m2`, `weight_kg`, `lenhei_cm`, `gps.*`) | scalar `F64`, also when whole (`14.0`) |
//! | bool | scalar `Boolean` |
//! | `null` (not answered) | scalar `Null`; an absent optional field is an absent key |
//! | `area`, `gps`, `dwelling`, `info_devices`, `income`, `previous` | nested map |
//! | `members` | map `member_id` → member map (fields without `member_id`, plus `order`: Int) |
//! | `measurements` | map `measurement_id` → measurement map (without `measurement_id`, plus `order`) |
//! | `causes_of_poverty`, `support_received` | map code → `true`; empty map = `[]`; absent = absent |
//! | (not a dictionary field) the review step, written by ward staff | root map `review` (added within schema 1: older readers ignore it), see [`review_of`] |
//!
//! Members and measurements are keyed by id so that concurrent additions never collide. Their
//! display order is the entry's `order` (a new entry gets the largest `order` + 1), ties broken
//! by id, so every replica shows the same order. Sets read back in the dictionary's code order.
//!
//! ## Field paths
//!
//! One syntax names a field everywhere ([`conflicts`], [`set_field`], [`changed_paths`],
//! [`crate::access`]): dot-separated keys, with member and measurement ids as keys:
//! `dwelling.floor_area_m2`, `members.<member_id>.health_insurance`,
//! `measurements.<measurement_id>.weight_kg`, `causes_of_poverty.illness`, and
//! `members.<member_id>` for a whole entry.
//!
//! ## Use
//!
//! ```
//! use automerge::ActorId;
//! use shared::doc::{changed_paths, new_document, read_household, write_household};
//! # let h = shared::model::read_household(&serde_json::json!({"household_id":"0193a5a2-7c1e-7b7a-9a55-0c0ffee00001",
//! #  "area":{"province":"56","commune":"22366","group":"TDP-05","urban":true},"address":"12 đường số 3",
//! #  "review_year":2026,"interview_date":"2026-10-05","members":[{"member_id":"0193a5a2-7c1e-7b7a-9a55-0c0ffee00002",
//! #  "full_name":"Trần Văn Hùng","sex":"male","birth_date":"1979-04-02","relation":"head","work":null,
//! #  "health_insurance":true,"education":null,"in_school":null,"school_level_ok":null}],
//! #  "dwelling":{"walls":"durable","columns":"durable","roof":"durable","floor_area_m2":14.0},
//! #  "water_source":"piped","latrine":"septic","internet_use":true,"info_devices":{},"income":{},
//! #  "measurements":[]})).0.expect("valid");
//! let mut doc = new_document(&h, ActorId::random())?;
//! doc.commit();
//! let before = doc.get_heads();
//!
//! let mut edited = h.clone();
//! edited.internet_use = Some(false);
//! write_household(&mut doc, &edited)?; // puts only `internet_use`
//! doc.commit();
//!
//! let after = doc.get_heads();
//! assert_eq!(changed_paths(doc.document(), &before, &after), ["internet_use"]);
//! assert_eq!(read_household(&doc)?.0, Some(edited));
//! # Ok::<(), shared::doc::DocError>(())
//! ```

mod history;
mod layout;
mod read;
mod review;
mod write;

#[cfg(test)]
mod tests;

use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, Automerge, AutomergeError, ChangeHash, ObjId, ReadDoc, ScalarValue};

pub use history::{Conflict, ConflictValue, LoggedChange, change_log, changed_paths, conflicts, set_field};
pub use review::{DocReview, review_of, set_review};

use crate::issue::Issue;
use crate::model::Household;
use layout::{ROOT_KIND, SCHEMA_KEY};

/// The layout version this code reads and writes; stored in the root's `schema` key.
pub const SCHEMA_VERSION: i64 = 1;

/// Why a document could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    /// Automerge refused an operation.
    #[error("automerge: {0}")]
    Automerge(#[from] AutomergeError),
    /// The document is not a household document (no or malformed `schema`, no `household_id`).
    #[error("not a household document: {0}")]
    NotHousehold(String),
    /// The document was written by a newer app; reading or writing it here could lose data.
    #[error("document schema {found} is newer than the supported {supported}; update the app")]
    SchemaTooNew {
        /// The document's schema.
        found: i64,
        /// [`SCHEMA_VERSION`].
        supported: i64,
    },
    /// The document holds another household than the one being written.
    #[error("document of household {document} cannot take household {household}")]
    OtherHousehold {
        /// The document's `household_id`.
        document: String,
        /// The id of the household given.
        household: String,
    },
    /// A field path names no field of the layout.
    #[error("no field {0:?} in the household layout")]
    UnknownPath(String),
    /// A field path names a member, measurement or object the document does not have.
    #[error("nothing at {0:?} in the document")]
    Missing(String),
    /// A value of the wrong shape for its field.
    #[error("value for {path:?} does not fit: {reason}")]
    BadValue {
        /// The field path.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

/// A document whose operations can be traced to the change that made them, so conflicts can
/// say when each value was written: [`Automerge`] and [`AutoCommit`].
pub trait History: ReadDoc {
    /// The change containing operation `op`, if it is committed.
    fn change_of(&self, op: &ObjId) -> Option<ChangeHash>;
}

impl History for Automerge {
    fn change_of(&self, op: &ObjId) -> Option<ChangeHash> {
        self.hash_for_opid(op)
    }
}

impl History for AutoCommit {
    fn change_of(&self, op: &ObjId) -> Option<ChangeHash> {
        self.hash_for_opid(op)
    }
}

/// A new document for household `h`, written by `actor`.
///
/// The operations are left uncommitted, so the caller commits with its own message and
/// timestamp (`commit_with`); reading heads, saving or forking commits them without either.
pub fn new_document(h: &Household, actor: ActorId) -> Result<AutoCommit, DocError> {
    let mut doc = AutoCommit::new().with_actor(actor);
    doc.put(automerge::ROOT, SCHEMA_KEY, SCHEMA_VERSION)?;
    write_root(&mut doc, h)?;
    Ok(doc)
}

/// Brings the document to `h` with the smallest edit: only values that differ are put or
/// deleted, members and measurements are added, removed and updated by id, and a field left
/// conflicted whose winning value already equals `h`'s stays conflicted. Runs [`migrate`] first.
/// Does not commit: the caller commits with a message and timestamp.
pub fn write_household(doc: &mut AutoCommit, h: &Household) -> Result<(), DocError> {
    migrate(doc)?;
    let id = h.household_id.0.to_string();
    match doc.get(automerge::ROOT, "household_id")? {
        Some((automerge::Value::Scalar(s), _)) if s.as_str() == Some(id.as_str()) => {}
        other => {
            let document = other.map_or_else(|| "none".to_owned(), |(v, _)| v.to_string());
            return Err(DocError::OtherHousehold { document, household: id });
        }
    }
    write_root(doc, h)
}

fn write_root(doc: &mut AutoCommit, h: &Household) -> Result<(), DocError> {
    let serde_json::Value::Object(json) = h.to_json() else {
        return Err(DocError::BadValue { path: String::new(), reason: "a household serialises to an object".into() });
    };
    write::reconcile_map(doc, &automerge::ROOT, Some(ROOT_KIND), &json, &[SCHEMA_KEY, review::REVIEW_KEY])
}

/// The dictionary JSON form of the document's current state: members and measurements as
/// arrays in display order, sets in code order, no `schema` key. A conflicted field reads as
/// Automerge's winner (the same on every replica); [`conflicts`] lists the others.
pub fn to_json(doc: &impl ReadDoc) -> Result<serde_json::Value, DocError> {
    read::household_json(doc)
}

/// The household, read from [`to_json`] by the lenient reader (so a merged document that breaks
/// a rule — two heads after two concurrent edits, say — still reads, with its problems listed).
pub fn read_household(doc: &impl ReadDoc) -> Result<(Option<Household>, Vec<Issue>), DocError> {
    Ok(crate::model::read_household(&to_json(doc)?))
}

/// Upgrades an older layout in place. Schema 1 is current, so today this only stamps the
/// version on a document that lacks it (or has an older one) and refuses a newer one; a current
/// document gets no operation.
pub fn migrate(doc: &mut AutoCommit) -> Result<(), DocError> {
    if doc.get(automerge::ROOT, "household_id")?.is_none() {
        return Err(DocError::NotHousehold("no household_id key".into()));
    }
    let schema = match read::schema_of(doc) {
        Ok(v) => v,
        Err(DocError::NotHousehold(_)) if doc.get(automerge::ROOT, SCHEMA_KEY)?.is_none() => 0,
        Err(e) => return Err(e),
    };
    if schema > SCHEMA_VERSION {
        return Err(DocError::SchemaTooNew { found: schema, supported: SCHEMA_VERSION });
    }
    // Steps from older layouts go here, each `if schema < N { … }`.
    if schema < SCHEMA_VERSION {
        doc.put(automerge::ROOT, SCHEMA_KEY, ScalarValue::Int(SCHEMA_VERSION))?;
    }
    Ok(())
}
