//! The byte format of the batch sync protocol, version 1: one `POST /api/v1/sync` carries a
//! [`SyncRequest`] (the phone's new Automerge changes for every edited household, and its cursor)
//! and its answer carries a [`SyncResponse`] (what the phone lacks, as changes or whole documents).
//!
//! Why one batch and not the per-document Automerge sync handshake: every reconnect of a
//! per-document protocol costs O(households) messages and two round trips each, and mobile data
//! is paid for. Here a sync with nothing to send is one round trip of a few dozen bytes, and the
//! whole payload is compressed at once, so the actor ids and keys that repeat across the changes
//! of many households are paid for once. (Batching raw changes, not per-document `save()` blobs
//! that are each compressed on their own, compresses about twice as well.)
//!
//! The layout, byte by byte, is in `docs/sync-protocol.md`. In short: a 6-byte header (`RSY`, the
//! kind `Q` or `R`, the format version, flags), then the payload, raw or as raw DEFLATE. The
//! payload is LEB128 varints, length-prefixed byte strings and raw 16-byte UUIDs. Changes and
//! documents are opaque bytes here; parsing them as Automerge is the caller's job.
//!
//! Decoding is for untrusted input: it never panics, checks every count and length against
//! [`Limits`] before it allocates, and decompresses with a hard bound, so neither a truncated
//! body nor a decompression bomb costs more memory than the limits.
//!
//! ```
//! use shared::sync_wire::{Limits, SyncRequest, decode_request, encode_request};
//!
//! let nothing_new = SyncRequest { cursor: vec![7; 16], max_response_bytes: 1 << 20, documents: vec![] };
//! let body = encode_request(&nothing_new);
//! assert!(body.len() < 64);
//! assert_eq!(decode_request(&body, &Limits::default()), Ok(nothing_new));
//! ```

mod body;
mod bytes;
mod error;
mod payload;

#[cfg(test)]
mod tests;

use uuid::Uuid;

pub use error::{Limit, WireError};

/// The format version this module writes and the only one it reads.
pub const FORMAT_VERSION: u8 = 1;

/// The first three bytes of every sync body.
pub const MAGIC: &[u8; 3] = b"RSY";

/// The kind byte of a request body.
pub const KIND_REQUEST: u8 = b'Q';

/// The kind byte of a response body.
pub const KIND_RESPONSE: u8 = b'R';

/// Bytes before the payload: magic, kind, version, flags.
pub const HEADER_LEN: usize = 6;

/// The longest cursor either side accepts. Cursors are the server's own opaque tokens, so this is
/// a format limit rather than a setting.
pub const MAX_CURSOR_BYTES: usize = 256;

/// Payloads up to this many bytes are never compressed: DEFLATE cannot win much on them.
pub const COMPRESS_ABOVE: usize = 256;

/// What a decoder accepts. Going over any of them is an error, never a large allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The largest payload after decompression, and also the most memory the decoded value may
    /// take (item bytes plus the bookkeeping of each list).
    pub max_decoded_bytes: usize,
    /// The most entries in any list of documents (`documents`, `accepted`, `need_history`).
    pub max_documents: usize,
    /// The most changes for one document.
    pub max_changes_per_document: usize,
    /// The longest single change or snapshot.
    pub max_item_bytes: usize,
}

impl Default for Limits {
    /// 32 MiB decoded, 20,000 documents, 100,000 changes per document, 8 MiB per change or
    /// snapshot: well above a commune's households, well below what a phone cannot hold.
    fn default() -> Self {
        Limits {
            max_decoded_bytes: 32 << 20,
            max_documents: 20_000,
            max_changes_per_document: 100_000,
            max_item_bytes: 8 << 20,
        }
    }
}

/// What a phone sends: its position in the server's feed and its new changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncRequest {
    /// The opaque cursor of the last response, empty if this phone never synced; at most
    /// [`MAX_CURSOR_BYTES`].
    pub cursor: Vec<u8>,
    /// How many payload bytes the phone wants at most in the response; the server clamps it.
    pub max_response_bytes: u32,
    /// New changes, per edited document.
    pub documents: Vec<DocumentChanges>,
}

/// The new changes of one household document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentChanges {
    /// The household the document is about.
    pub household_id: Uuid,
    /// Raw Automerge change chunks, opaque here.
    pub changes: Vec<Vec<u8>>,
}

/// What the server answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncResponse {
    /// The cursor to send next time.
    pub cursor: Vec<u8>,
    /// The server has more for this phone: sync again at once.
    pub more: bool,
    /// Documents of the request now fully stored: the phone may mark them acknowledged.
    pub accepted: Vec<Uuid>,
    /// Documents whose changes depend on history the server lacks: the phone resends all.
    pub need_history: Vec<Uuid>,
    /// What the phone lacks, per document.
    pub documents: Vec<DocumentPayload>,
}

/// One document's part of a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentPayload {
    /// Changes the phone lacks (raw Automerge change chunks).
    Changes {
        /// The household.
        household_id: Uuid,
        /// Raw Automerge change chunks, opaque here.
        changes: Vec<Vec<u8>>,
    },
    /// A whole saved document: on first sync, or when cheaper than its changes.
    Snapshot {
        /// The household.
        household_id: Uuid,
        /// The saved Automerge document.
        document: Vec<u8>,
    },
    /// The household left the phone's scope: delete it locally.
    Removed {
        /// The household.
        household_id: Uuid,
    },
}

impl DocumentPayload {
    /// The household this part is about.
    pub fn household_id(&self) -> Uuid {
        match self {
            DocumentPayload::Changes { household_id, .. }
            | DocumentPayload::Snapshot { household_id, .. }
            | DocumentPayload::Removed { household_id } => *household_id,
        }
    }
}

/// Encodes a request body, compressed when that makes it smaller.
///
/// The encoder does not check limits: a cursor over [`MAX_CURSOR_BYTES`] or more than a peer's
/// [`Limits`] makes a body that peer refuses.
pub fn encode_request(r: &SyncRequest) -> Vec<u8> {
    body::seal(KIND_REQUEST, payload::write_request(r))
}

/// Decodes a request body within `limits`.
pub fn decode_request(bytes: &[u8], limits: &Limits) -> Result<SyncRequest, WireError> {
    let payload = body::open(bytes, KIND_REQUEST, limits.max_decoded_bytes)?;
    payload::read_request(&payload, HEADER_LEN, limits)
}

/// Encodes a response body, compressed when that makes it smaller.
///
/// The encoder does not check limits, as for [`encode_request`].
pub fn encode_response(r: &SyncResponse) -> Vec<u8> {
    body::seal(KIND_RESPONSE, payload::write_response(r))
}

/// Decodes a response body within `limits`.
pub fn decode_response(bytes: &[u8], limits: &Limits) -> Result<SyncResponse, WireError> {
    let payload = body::open(bytes, KIND_RESPONSE, limits.max_decoded_bytes)?;
    payload::read_response(&payload, HEADER_LEN, limits)
}

/// The bytes one document's part adds to a response payload before compression, computed without
/// encoding: for choosing between changes and a snapshot, and for filling `max_response_bytes`.
pub fn encoded_len(p: &DocumentPayload) -> usize {
    payload::document_payload_len(p)
}

/// The size of a response payload before compression (what `max_response_bytes` budgets),
/// computed without encoding. A response with no documents costs this for its cursor and lists.
pub fn payload_size(r: &SyncResponse) -> usize {
    payload::response_len(r)
}

/// The size of a request payload before compression, computed without encoding.
pub fn request_payload_size(r: &SyncRequest) -> usize {
    payload::request_len(r)
}
