//! A device's replica of the households it works on, and its side of the batch sync
//! exchange — pure state, no IO, so the phone app (which persists it in SQLite and sends it
//! with HTTP) and the tests' simulated devices run the same logic.
//!
//! The device remembers, per document, the heads the server has acknowledged; a sync request
//! carries exactly the changes after those heads (O(edited documents), not O(all)), plus the
//! server's cursor. A response is applied atomically to the replica; if it never arrives
//! (dropped connection), nothing was acknowledged and the next request re-sends the same
//! changes, which the server stores at most once.

use std::collections::BTreeMap;

use automerge::{ActorId, AutoCommit, Change, ChangeHash};
use uuid::Uuid;

use crate::doc::{DocError, new_document, read_household, write_household};
use crate::issue::Issue;
use crate::model::Household;
use crate::sync_wire::{DocumentChanges, DocumentPayload, SyncRequest, SyncResponse};

/// Replica problems.
#[derive(Debug, thiserror::Error)]
pub enum ReplicaError {
    /// A document operation failed.
    #[error(transparent)]
    Doc(#[from] DocError),
    /// A received change or snapshot could not be applied.
    #[error("received data for {0} is unusable: {1}")]
    BadPayload(Uuid, String),
}

/// A saved document: household id, `save()` bytes, the hashes the server is known to have.
pub type SavedDoc = (Uuid, Vec<u8>, Vec<ChangeHash>);

/// A household read back from its document: the household (when readable) and the problems.
pub type ReadBack = (Option<Household>, Vec<Issue>);

/// What a request carried, to be matched with its response.
#[derive(Debug, Clone)]
pub struct Sent {
    /// Heads of each uploaded document at the time of the request.
    heads: BTreeMap<Uuid, Vec<ChangeHash>>,
}

/// What applying a response did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Documents created or updated from the server.
    pub received: Vec<Uuid>,
    /// Documents removed (left the device's scope).
    pub removed: Vec<Uuid>,
    /// The server has more: sync again at once.
    pub more: bool,
}

/// The households on one device.
pub struct Replica {
    actor: ActorId,
    docs: BTreeMap<Uuid, AutoCommit>,
    acked: BTreeMap<Uuid, Vec<ChangeHash>>,
    cursor: Vec<u8>,
}

impl Replica {
    /// An empty replica writing as `actor` (the actor id given at enrolment).
    pub fn new(actor: ActorId) -> Self {
        Replica { actor, docs: BTreeMap::new(), acked: BTreeMap::new(), cursor: Vec::new() }
    }

    /// Restores a replica from saved documents, acknowledged heads and cursor.
    pub fn restore(actor: ActorId, saved: Vec<SavedDoc>, cursor: Vec<u8>) -> Result<Self, ReplicaError> {
        let mut r = Replica::new(actor);
        for (id, bytes, acked) in saved {
            let doc = AutoCommit::load(&bytes).map_err(|e| ReplicaError::BadPayload(id, e.to_string()))?;
            r.docs.insert(id, doc.with_actor(r.actor.clone()));
            r.acked.insert(id, acked);
        }
        r.cursor = cursor;
        Ok(r)
    }

    /// Everything needed to [`Replica::restore`] it: each document saved with its
    /// acknowledged hashes, and the cursor.
    pub fn export(&mut self) -> (Vec<SavedDoc>, Vec<u8>) {
        let docs = self
            .docs
            .iter_mut()
            .map(|(id, doc)| (*id, doc.save_nocompress(), self.acked.get(id).cloned().unwrap_or_default()))
            .collect();
        (docs, self.cursor.clone())
    }

    /// The actor id this replica writes with, as hex.
    pub fn actor_hex(&self) -> String {
        self.actor.to_hex_string()
    }

    /// The server cursor.
    pub fn cursor(&self) -> &[u8] {
        &self.cursor
    }

    /// Household ids on the device.
    pub fn ids(&self) -> Vec<Uuid> {
        self.docs.keys().copied().collect()
    }

    /// The document of a household.
    pub fn document(&mut self, id: Uuid) -> Option<&mut AutoCommit> {
        self.docs.get_mut(&id)
    }

    /// The household as currently merged, with reading problems (`None`: not on the device).
    pub fn household(&self, id: Uuid) -> Result<Option<ReadBack>, ReplicaError> {
        match self.docs.get(&id) {
            Some(doc) => Ok(Some(read_household(doc)?)),
            None => Ok(None),
        }
    }

    /// Saves a household: creates its document or applies the smallest edit, then commits
    /// with `timestamp` (seconds) so the history shows when.
    pub fn save(&mut self, h: &Household, timestamp: i64) -> Result<(), ReplicaError> {
        let id = h.household_id.0;
        match self.docs.get_mut(&id) {
            Some(doc) => write_household(doc, h)?,
            None => {
                let doc = new_document(h, self.actor.clone())?;
                self.docs.insert(id, doc);
            }
        }
        if let Some(doc) = self.docs.get_mut(&id) {
            doc.commit_with(automerge::transaction::CommitOptions::default().with_time(timestamp));
        }
        Ok(())
    }

    /// Edits a document directly (conflict resolution, tests).
    pub fn edit<T>(&mut self, id: Uuid, f: impl FnOnce(&mut AutoCommit) -> T) -> Option<T> {
        let doc = self.docs.get_mut(&id)?;
        let out = f(doc);
        doc.commit();
        Some(out)
    }

    /// Documents with changes the server does not have. The acknowledged set is any set of
    /// change hashes whose whole history the server has (not necessarily minimal), so
    /// "pending" is "some change outside that history".
    pub fn pending(&mut self) -> Vec<Uuid> {
        let mut out = Vec::new();
        for (id, doc) in self.docs.iter_mut() {
            let known = self.acked.get(id).map(Vec::as_slice).unwrap_or_default();
            if doc.get_heads().iter().any(|h| !known.contains(h)) && !doc.get_changes(known).is_empty() {
                out.push(*id);
            }
        }
        out
    }

    /// Records that the server has `hashes` (and their history), compacting to the
    /// document's heads when nothing local is left unsent.
    fn server_has(&mut self, id: Uuid, hashes: impl IntoIterator<Item = ChangeHash>) {
        let known = self.acked.entry(id).or_default();
        for h in hashes {
            if !known.contains(&h) {
                known.push(h);
            }
        }
        if let Some(doc) = self.docs.get_mut(&id)
            && doc.get_changes(known).is_empty()
        {
            *known = doc.get_heads();
        }
    }

    /// Builds the next request: every unacknowledged change, the cursor, the byte budget.
    pub fn request(&mut self, max_response_bytes: u32) -> (SyncRequest, Sent) {
        let mut documents = Vec::new();
        let mut heads = BTreeMap::new();
        for id in self.pending() {
            let Some(doc) = self.docs.get_mut(&id) else { continue };
            let acked = self.acked.get(&id).cloned().unwrap_or_default();
            let changes: Vec<Vec<u8>> = doc.get_changes(&acked).into_iter().map(|c| c.raw_bytes().to_vec()).collect();
            heads.insert(id, doc.get_heads());
            documents.push(DocumentChanges { household_id: id, changes });
        }
        (SyncRequest { cursor: self.cursor.clone(), max_response_bytes, documents }, Sent { heads })
    }

    /// Applies a response to the request `sent`.
    pub fn apply(&mut self, sent: &Sent, response: SyncResponse) -> Result<Applied, ReplicaError> {
        for id in &response.accepted {
            if let Some(h) = sent.heads.get(id) {
                self.server_has(*id, h.clone());
            }
        }
        for id in &response.need_history {
            self.acked.insert(*id, Vec::new());
        }
        let mut applied = Applied { more: response.more, ..Applied::default() };
        for payload in response.documents {
            match payload {
                DocumentPayload::Changes { household_id, changes } => {
                    let parsed = changes
                        .into_iter()
                        .map(Change::from_bytes)
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|e| ReplicaError::BadPayload(household_id, e.to_string()))?;
                    let hashes: Vec<ChangeHash> = parsed.iter().map(Change::hash).collect();
                    let doc = self
                        .docs
                        .entry(household_id)
                        .or_insert_with(|| AutoCommit::new().with_actor(self.actor.clone()));
                    doc.apply_changes(parsed).map_err(|e| ReplicaError::BadPayload(household_id, e.to_string()))?;
                    self.server_has(household_id, hashes);
                    applied.received.push(household_id);
                }
                DocumentPayload::Snapshot { household_id, document } => {
                    let bad = |e: automerge::AutomergeError| ReplicaError::BadPayload(household_id, e.to_string());
                    let mut incoming = AutoCommit::load(&document).map_err(bad)?;
                    let server_heads = incoming.get_heads();
                    match self.docs.get_mut(&household_id) {
                        Some(doc) => {
                            doc.merge(&mut incoming).map_err(bad)?;
                        }
                        None => {
                            self.docs.insert(household_id, incoming.with_actor(self.actor.clone()));
                        }
                    }
                    self.server_has(household_id, server_heads);
                    applied.received.push(household_id);
                }
                DocumentPayload::Removed { household_id } => {
                    self.docs.remove(&household_id);
                    self.acked.remove(&household_id);
                    applied.removed.push(household_id);
                }
            }
        }
        self.cursor = response.cursor;
        Ok(applied)
    }

    /// Whether the device's copy of a household equals `other`'s (same heads).
    pub fn heads(&mut self, id: Uuid) -> Option<Vec<ChangeHash>> {
        self.docs.get_mut(&id).map(|d| d.get_heads())
    }
}
