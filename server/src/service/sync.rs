//! The batch sync exchange (`docs/sync-protocol.md`, "Exchange"): one request stores the new
//! changes of every document the device edited, one response returns what the device lacks.
//!
//! Storing is all or nothing: every document of the request is parsed and authorised first —
//! malformed changes, changes by another device, documents outside the sender's area, fields
//! outside the sender's role — and only a request with no rejection writes, in one
//! transaction that also recomputes the registry rows. Re-sending a stored change is a no-op,
//! so a replayed request changes nothing.

use std::collections::HashMap;

use automerge::{Automerge, Change, ReadDoc};
use shared::access::forbidden_paths;
use shared::sync_wire::{DocumentChanges, DocumentPayload, SyncRequest, SyncResponse};
use uuid::Uuid;

use crate::service::auth::{Principal, area_key};
use crate::service::db::Db;
use crate::service::store::documents::MoveEffect;
use crate::service::store::registry::{Place, Projection, place_of, project};
use crate::service::store::{StoreError, audit, documents};

/// The response budget a device may ask for, clamped to this range (bytes of payload).
pub const MIN_RESPONSE_BYTES: u32 = 16 * 1024;
/// See [`MIN_RESPONSE_BYTES`].
pub const MAX_RESPONSE_BYTES: u32 = 8 * 1024 * 1024;
/// Feed rows read per query.
const FEED_PAGE: i64 = 1000;
/// Households read per query in the first-sync (snapshot) phase.
const SNAPSHOT_PAGE: i64 = 100;

/// Why one document of a request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A change's bytes are not an Automerge change.
    MalformedChange {
        /// Position of the change in the request's list for the document.
        index: usize,
        /// The decoder's reason.
        reason: String,
    },
    /// The document has no readable area: nobody's scope can be checked.
    NoArea,
    /// The household is outside the sender's residential groups or commune.
    OutOfScope,
    /// A change was written by another device and the server does not have it.
    ForeignActor {
        /// The change's actor (hex).
        actor: String,
    },
    /// The changes touch fields the sender's role may not change.
    ForbiddenFields {
        /// The offending field paths.
        paths: Vec<String>,
    },
}

/// A request that was refused, every document's reason at once.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// Some documents were refused; nothing was stored.
    #[error("{} document(s) refused", .0.len())]
    Refused(Vec<(Uuid, Refusal)>),
    /// The cursor is not one this server issued.
    #[error("malformed cursor")]
    BadCursor,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for SyncError {
    fn from(e: sqlx::Error) -> Self {
        SyncError::Store(StoreError::Sqlx(e))
    }
}

/// Where a device stands in what the server has sent it. Opaque to the device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// First sync: sending whole documents in id order, then the feed from `feed_at`.
    Snapshots {
        /// Last household sent.
        after: Option<Uuid>,
        /// The feed position the snapshots are at least as new as.
        feed_at: i64,
    },
    /// Incremental: the feed after this number.
    Feed {
        /// Last feed number sent.
        after: i64,
    },
}

impl Cursor {
    /// Encodes: version byte 1, then tag 0 (feed, i64 BE) or 1 (snapshots, 16-byte id or
    /// zeros, i64 BE).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![1u8];
        match self {
            Cursor::Feed { after } => {
                out.push(0);
                out.extend(after.to_be_bytes());
            }
            Cursor::Snapshots { after, feed_at } => {
                out.push(1);
                out.extend(after.map_or([0u8; 16], |u| *u.as_bytes()));
                out.extend(feed_at.to_be_bytes());
            }
        }
        out
    }

    /// Decodes what [`Cursor::encode`] wrote; `Ok(None)` for the empty cursor of a new device.
    pub fn decode(bytes: &[u8]) -> Result<Option<Cursor>, SyncError> {
        let int = |b: &[u8]| -> Result<i64, SyncError> {
            Ok(i64::from_be_bytes(b.try_into().map_err(|_| SyncError::BadCursor)?))
        };
        match bytes {
            [] => Ok(None),
            [1, 0, rest @ ..] if rest.len() == 8 => Ok(Some(Cursor::Feed { after: int(rest)? })),
            [1, 1, rest @ ..] if rest.len() == 24 => {
                let id = Uuid::from_slice(&rest[..16]).map_err(|_| SyncError::BadCursor)?;
                Ok(Some(Cursor::Snapshots { after: (!id.is_nil()).then_some(id), feed_at: int(&rest[16..])? }))
            }
            _ => Err(SyncError::BadCursor),
        }
    }
}

/// Runs one sync exchange for `p`.
pub async fn sync(db: &Db, p: &Principal, request: SyncRequest) -> Result<SyncResponse, SyncError> {
    let cursor = Cursor::decode(&request.cursor)?;
    let parsed = parse_changes(&request.documents)?;
    let (accepted, need_history) = store_changes(db, p, parsed).await?;
    let budget = request.max_response_bytes.clamp(MIN_RESPONSE_BYTES, MAX_RESPONSE_BYTES) as usize;
    let (documents, cursor, more) = collect_for_device(db, p, cursor, budget).await?;
    Ok(SyncResponse { cursor: cursor.encode(), more, accepted, need_history, documents })
}

type Parsed = Vec<(Uuid, Vec<Change>)>;

/// Parses every change strictly (`Change::from_bytes` rejects trailing or truncated data,
/// unlike `load_incremental`; sync-notes).
fn parse_changes(documents: &[DocumentChanges]) -> Result<Parsed, SyncError> {
    let mut parsed = Vec::with_capacity(documents.len());
    let mut refused = Vec::new();
    for d in documents {
        let mut changes = Vec::with_capacity(d.changes.len());
        for (index, bytes) in d.changes.iter().enumerate() {
            match Change::from_bytes(bytes.clone()) {
                Ok(c) => changes.push(c),
                Err(e) => {
                    refused.push((d.household_id, Refusal::MalformedChange { index, reason: e.to_string() }));
                    break;
                }
            }
        }
        parsed.push((d.household_id, changes));
    }
    if refused.is_empty() { Ok(parsed) } else { Err(SyncError::Refused(refused)) }
}

/// A document ready to be written.
struct Staged {
    id: String,
    doc: Automerge,
    projection: Projection,
    new: Vec<Change>,
    place: Place,
    /// Where the household was filed before this write, when that differs from `place`.
    moved_from: Option<Place>,
    paths: Vec<String>,
    snapshot_due: bool,
}

/// Stores the changes of every document (all or nothing). Returns (accepted, need_history).
pub async fn store_changes(db: &Db, p: &Principal, mut parsed: Parsed) -> Result<(Vec<Uuid>, Vec<Uuid>), SyncError> {
    parsed.sort_by_key(|(id, _)| *id); // one lock order for every writer: no deadlocks
    let mut w = db.begin_write().await?;
    let mut staged = Vec::new();
    let mut refused = Vec::new();
    let mut accepted = Vec::new();
    let mut need_history = Vec::new();
    for (id, changes) in parsed {
        let key = id.to_string();
        // A concurrent writer of the same document waits here, then loads what this one commits.
        documents::lock(&mut w.tx, db.backend, &key).await?;
        let stored = documents::load(&mut w.tx, &key).await?;
        match stage(p, &key, stored, changes) {
            Ok(Stage::NothingNew) => accepted.push(id),
            Ok(Stage::MissingHistory) => need_history.push(id),
            Ok(Stage::Write(s)) => {
                accepted.push(id);
                staged.push(s);
            }
            Err(r) => refused.push((id, r)),
        }
    }
    if !refused.is_empty() {
        return Err(SyncError::Refused(refused));
    }
    // Every change takes a feed number, and so does every move (see `documents::record_move`).
    let total: usize = staged.iter().map(|s| s.new.len() + usize::from(s.moved_from.is_some())).sum();
    if total > 0 {
        let mut seq = documents::reserve_feed(&mut w.tx, total as i64).await?;
        for s in &staged {
            let key = area_key(&s.place.commune, &s.place.group);
            let filing = documents::Filing {
                household_id: &s.id,
                commune: &s.place.commune,
                area_key: &key,
                device_id: p.device_id.as_deref(),
            };
            for change in &s.new {
                documents::insert_change(&mut w.tx, &filing, change, seq).await?;
                seq += 1;
            }
            if let Some(old) = &s.moved_from {
                let from_area_key = area_key(&old.commune, &old.group);
                let m = documents::Move {
                    household_id: &s.id,
                    from_commune: &old.commune,
                    from_area_key: &from_area_key,
                    to_commune: &s.place.commune,
                    to_area_key: &key,
                };
                documents::record_move(&mut w.tx, &m, seq).await?;
                seq += 1;
            }
            if s.snapshot_due {
                documents::save_snapshot(&mut w.tx, &s.id, &s.doc, seq - 1).await?;
            }
            project(&mut w.tx, &s.id, &s.projection, &s.place, seq - 1).await?;
            audit::record(&mut w.tx, &s.id, Some(&p.user_id), p.device_id.as_deref(), s.new.len(), &s.paths).await?;
        }
    }
    w.commit().await?;
    Ok((accepted, need_history))
}

enum Stage {
    NothingNew,
    MissingHistory,
    Write(Box<Staged>),
}

/// Applies the changes to the stored document (loaded for this write) and decides (no IO).
fn stage(
    p: &Principal,
    id: &str,
    stored: Option<documents::StoredDoc>,
    changes: Vec<Change>,
) -> Result<Stage, Refusal> {
    let existed = stored.is_some();
    let since_snapshot = stored.as_ref().map_or(0, |s| s.changes_since_snapshot);
    let before = stored.map(|s| s.doc).unwrap_or_default();
    let new: Vec<Change> = changes.into_iter().filter(|c| before.get_change_by_hash(&c.hash()).is_none()).collect();
    if new.is_empty() {
        return Ok(Stage::NothingNew);
    }
    if let Some(actor) = &p.actor_id
        && let Some(c) = new.iter().find(|c| &c.actor_id().to_hex_string() != actor)
    {
        return Err(Refusal::ForeignActor { actor: c.actor_id().to_hex_string() });
    }
    let old_place = if existed { shared::doc::to_json(&before).ok().as_ref().and_then(place_of) } else { None };
    let before_heads = before.get_heads();
    // Applied in place, not to a copy: the document was loaded for this write alone, and a
    // refused one is dropped with everything applied to it.
    let mut after = before;
    after.apply_changes(new.clone()).map_err(|e| Refusal::MalformedChange { index: 0, reason: e.to_string() })?;
    if !documents::is_complete(&after) {
        return Ok(Stage::MissingHistory);
    }
    if let Some(old) = &old_place
        && !p.can_see(&old.commune, &old.group)
    {
        return Err(Refusal::OutOfScope);
    }
    let projection =
        Projection::of(id, &after).map_err(|e| Refusal::MalformedChange { index: 0, reason: e.to_string() })?;
    let place = place_of(&projection.json).ok_or(Refusal::NoArea)?;
    if !p.can_see(&place.commune, &place.group) {
        return Err(Refusal::OutOfScope);
    }
    let paths = shared::doc::changed_paths(&after, &before_heads, &after.get_heads());
    let forbidden: Vec<String> = forbidden_paths(p.role, &paths).into_iter().map(str::to_owned).collect();
    if !forbidden.is_empty() {
        return Err(Refusal::ForbiddenFields { paths: forbidden });
    }
    let snapshot_due = since_snapshot + new.len() as i64 >= documents::SNAPSHOT_EVERY;
    let moved_from = old_place.filter(|old| (&old.commune, &old.group) != (&place.commune, &place.group));
    Ok(Stage::Write(Box::new(Staged {
        id: id.to_owned(),
        doc: after,
        projection,
        new,
        place,
        moved_from,
        paths,
        snapshot_due,
    })))
}

/// Fills the response: whole documents on a first sync, then the feed, within `budget` bytes.
async fn collect_for_device(
    db: &Db,
    p: &Principal,
    cursor: Option<Cursor>,
    budget: usize,
) -> Result<(Vec<DocumentPayload>, Cursor, bool), SyncError> {
    let mut cursor = match cursor {
        Some(c) => c,
        None => Cursor::Snapshots { after: None, feed_at: documents::feed_head(db).await? },
    };
    let mut out = Vec::new();
    let mut used = 0usize;
    loop {
        match cursor {
            Cursor::Snapshots { after, feed_at } => {
                let from = after.map(|u| u.to_string()).unwrap_or_default();
                let ids = documents::households_after(db, p, &from, SNAPSHOT_PAGE).await?;
                if ids.is_empty() {
                    cursor = Cursor::Feed { after: feed_at };
                    continue;
                }
                for (id, doc) in documents::load_many_for_read(db, &ids).await? {
                    let payload = DocumentPayload::Snapshot {
                        household_id: Uuid::parse_str(&id)
                            .map_err(|_| StoreError::NotFound(format!("household id {id}")))?,
                        document: doc.save_nocompress(),
                    };
                    let size = shared::sync_wire::encoded_len(&payload);
                    if used + size > budget && !out.is_empty() {
                        return Ok((out, cursor, true));
                    }
                    used += size;
                    out.push(payload);
                    cursor = Cursor::Snapshots { after: Uuid::parse_str(&id).ok(), feed_at };
                }
            }
            Cursor::Feed { after } => {
                let changes = documents::feed_after(db, p, after, FEED_PAGE).await?;
                let moves = documents::moves_after(db, p, after, FEED_PAGE).await?;
                // Each list is complete up to its last row only when it filled its page.
                let complete_to =
                    |full: bool, last: Option<i64>| if full { last.unwrap_or(i64::MAX) } else { i64::MAX };
                let bound = complete_to(changes.len() as i64 == FEED_PAGE, changes.last().map(|r| r.feed_seq))
                    .min(complete_to(moves.len() as i64 == FEED_PAGE, moves.last().map(|m| m.feed_seq)));
                let mut events = changes
                    .into_iter()
                    .map(FeedEvent::Change)
                    .chain(moves.into_iter().map(FeedEvent::Move))
                    .filter(|e| e.feed_seq() <= bound)
                    .collect::<Vec<_>>();
                events.sort_by_key(FeedEvent::feed_seq);
                let mut index: HashMap<String, usize> = HashMap::new();
                let mut last = after;
                for event in events {
                    let seq = event.feed_seq();
                    let payload = match event {
                        FeedEvent::Change(row) => {
                            let size = row.bytes.len() + 8;
                            if used + size > budget && !out.is_empty() {
                                return Ok((out, Cursor::Feed { after: last }, true));
                            }
                            used += size;
                            last = seq;
                            if let Some(&i) = index.get(&row.household_id)
                                && let Some(DocumentPayload::Changes { changes, .. }) = out.get_mut(i)
                            {
                                changes.push(row.bytes);
                                continue;
                            }
                            index.insert(row.household_id.clone(), out.len());
                            DocumentPayload::Changes {
                                household_id: parse_id(&row.household_id)?,
                                changes: vec![row.bytes],
                            }
                        }
                        FeedEvent::Move(m) => {
                            // Later changes of this household go after the move's payload.
                            index.remove(&m.household_id);
                            let household_id = parse_id(&m.household_id)?;
                            let payload = match m.effect {
                                None => None,
                                Some(MoveEffect::Lost) => Some(DocumentPayload::Removed { household_id }),
                                // The device never had the changes filed under the old area:
                                // send the whole document as it is now.
                                Some(MoveEffect::Gained) => {
                                    documents::load_for_read(db, &m.household_id).await?.map(|doc| {
                                        DocumentPayload::Snapshot { household_id, document: doc.save_nocompress() }
                                    })
                                }
                            };
                            let Some(payload) = payload else {
                                last = seq;
                                continue;
                            };
                            let size = shared::sync_wire::encoded_len(&payload);
                            if used + size > budget && !out.is_empty() {
                                return Ok((out, Cursor::Feed { after: last }, true));
                            }
                            used += size;
                            last = seq;
                            payload
                        }
                    };
                    out.push(payload);
                }
                return Ok((out, Cursor::Feed { after: last }, bound != i64::MAX));
            }
        }
    }
}

/// One entry of the feed: a change, or a household's move between areas.
enum FeedEvent {
    Change(documents::FeedRow),
    Move(documents::MoveRow),
}

impl FeedEvent {
    fn feed_seq(&self) -> i64 {
        match self {
            FeedEvent::Change(r) => r.feed_seq,
            FeedEvent::Move(m) => m.feed_seq,
        }
    }
}

fn parse_id(id: &str) -> Result<Uuid, SyncError> {
    Ok(Uuid::parse_str(id).map_err(|_| StoreError::NotFound(format!("household id {id}")))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        for c in [
            Cursor::Feed { after: 0 },
            Cursor::Feed { after: i64::MAX },
            Cursor::Snapshots { after: None, feed_at: 7 },
            Cursor::Snapshots { after: Some(Uuid::from_u128(42)), feed_at: 9 },
        ] {
            assert_eq!(Cursor::decode(&c.encode()).ok().flatten(), Some(c));
        }
        assert!(matches!(Cursor::decode(&[]), Ok(None)));
        for bad in [&[2u8, 0, 0][..], &[1, 0, 1, 2], &[1, 3], &[1]] {
            assert!(matches!(Cursor::decode(bad), Err(SyncError::BadCursor)), "{bad:?}");
        }
    }
}
