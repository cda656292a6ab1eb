//! The payloads of version 1, field by field in the order of `docs/sync-protocol.md`: a writer
//! and a reader for each message, and the exact encoded sizes the server budgets with.

use super::bytes::{Reader, bytes_len, put_bytes, put_uuids, put_varint, varint_len};
use super::error::{Limit, WireError};
use super::{DocumentChanges, DocumentPayload, Limits, MAX_CURSOR_BYTES, SyncRequest, SyncResponse};

/// Tag of [`DocumentPayload::Changes`].
const TAG_CHANGES: u8 = 0;
/// Tag of [`DocumentPayload::Snapshot`].
const TAG_SNAPSHOT: u8 = 1;
/// Tag of [`DocumentPayload::Removed`].
const TAG_REMOVED: u8 = 2;

/// Response flag: the server has more for this device.
const RESPONSE_MORE: u8 = 0b0000_0001;

/// Encoded size of a count-prefixed list of changes.
fn changes_len(changes: &[Vec<u8>]) -> usize {
    varint_len(changes.len() as u64) + changes.iter().map(|c| bytes_len(c.len())).sum::<usize>()
}

/// Encoded size of a count-prefixed list of UUIDs.
fn uuids_len(count: usize) -> usize {
    varint_len(count as u64) + 16 * count
}

/// Encoded size of one entry of a request's document list.
fn document_changes_len(d: &DocumentChanges) -> usize {
    16 + changes_len(&d.changes)
}

/// Encoded size of one entry of a response's document list.
pub(super) fn document_payload_len(p: &DocumentPayload) -> usize {
    1 + 16
        + match p {
            DocumentPayload::Changes { changes, .. } => changes_len(changes),
            DocumentPayload::Snapshot { document, .. } => bytes_len(document.len()),
            DocumentPayload::Removed { .. } => 0,
        }
}

/// Encoded size of a request payload, before compression.
pub(super) fn request_len(r: &SyncRequest) -> usize {
    bytes_len(r.cursor.len())
        + varint_len(u64::from(r.max_response_bytes))
        + varint_len(r.documents.len() as u64)
        + r.documents.iter().map(document_changes_len).sum::<usize>()
}

/// Encoded size of a response payload, before compression.
pub(super) fn response_len(r: &SyncResponse) -> usize {
    bytes_len(r.cursor.len())
        + 1
        + uuids_len(r.accepted.len())
        + uuids_len(r.need_history.len())
        + varint_len(r.documents.len() as u64)
        + r.documents.iter().map(document_payload_len).sum::<usize>()
}

/// Appends a count-prefixed list of changes.
fn put_changes(out: &mut Vec<u8>, changes: &[Vec<u8>]) {
    put_varint(out, changes.len() as u64);
    for change in changes {
        put_bytes(out, change);
    }
}

/// Writes a request payload.
pub(super) fn write_request(r: &SyncRequest) -> Vec<u8> {
    let mut out = Vec::with_capacity(request_len(r));
    put_bytes(&mut out, &r.cursor);
    put_varint(&mut out, u64::from(r.max_response_bytes));
    put_varint(&mut out, r.documents.len() as u64);
    for document in &r.documents {
        out.extend_from_slice(document.household_id.as_bytes());
        put_changes(&mut out, &document.changes);
    }
    out
}

/// Writes a response payload.
pub(super) fn write_response(r: &SyncResponse) -> Vec<u8> {
    let mut out = Vec::with_capacity(response_len(r));
    put_bytes(&mut out, &r.cursor);
    out.push(if r.more { RESPONSE_MORE } else { 0 });
    put_uuids(&mut out, &r.accepted);
    put_uuids(&mut out, &r.need_history);
    put_varint(&mut out, r.documents.len() as u64);
    for document in &r.documents {
        let (tag, id) = match document {
            DocumentPayload::Changes { household_id, .. } => (TAG_CHANGES, household_id),
            DocumentPayload::Snapshot { household_id, .. } => (TAG_SNAPSHOT, household_id),
            DocumentPayload::Removed { household_id } => (TAG_REMOVED, household_id),
        };
        out.push(tag);
        out.extend_from_slice(id.as_bytes());
        match document {
            DocumentPayload::Changes { changes, .. } => put_changes(&mut out, changes),
            DocumentPayload::Snapshot { document, .. } => put_bytes(&mut out, document),
            DocumentPayload::Removed { .. } => {}
        }
    }
    out
}

/// Reads a count-prefixed list of changes within the limits.
fn read_changes(reader: &mut Reader<'_>, limits: &Limits) -> Result<Vec<Vec<u8>>, WireError> {
    let count = reader.count(Limit::ChangesPerDocument, limits.max_changes_per_document)?;
    let mut changes = reader.vec_for(count, 1)?;
    for _ in 0..count {
        changes.push(reader.bytes(Limit::ItemBytes, limits.max_item_bytes)?);
    }
    Ok(changes)
}

/// Reads a request payload that starts at offset `base` of the decoded body.
pub(super) fn read_request(payload: &[u8], base: usize, limits: &Limits) -> Result<SyncRequest, WireError> {
    let mut reader = Reader::new(payload, base, limits.max_decoded_bytes);
    let cursor = reader.bytes(Limit::CursorBytes, MAX_CURSOR_BYTES)?;
    let max_response_bytes = reader.varint_u32()?;
    let count = reader.count(Limit::Documents, limits.max_documents)?;
    let mut documents = reader.vec_for(count, 17)?;
    for _ in 0..count {
        let household_id = reader.uuid()?;
        let changes = read_changes(&mut reader, limits)?;
        documents.push(DocumentChanges { household_id, changes });
    }
    reader.finish()?;
    Ok(SyncRequest { cursor, max_response_bytes, documents })
}

/// Reads a response payload that starts at offset `base` of the decoded body.
pub(super) fn read_response(payload: &[u8], base: usize, limits: &Limits) -> Result<SyncResponse, WireError> {
    let mut reader = Reader::new(payload, base, limits.max_decoded_bytes);
    let cursor = reader.bytes(Limit::CursorBytes, MAX_CURSOR_BYTES)?;
    let flags_at = reader.offset();
    let flags = reader.byte()?;
    if flags & !RESPONSE_MORE != 0 {
        return Err(WireError::ReservedBits { offset: flags_at, value: flags });
    }
    let accepted = reader.uuids(limits.max_documents)?;
    let need_history = reader.uuids(limits.max_documents)?;
    let count = reader.count(Limit::Documents, limits.max_documents)?;
    let mut documents = reader.vec_for(count, 17)?;
    for _ in 0..count {
        documents.push(read_document_payload(&mut reader, limits)?);
    }
    reader.finish()?;
    Ok(SyncResponse { cursor, more: flags & RESPONSE_MORE != 0, accepted, need_history, documents })
}

/// Reads one entry of a response's document list.
fn read_document_payload(reader: &mut Reader<'_>, limits: &Limits) -> Result<DocumentPayload, WireError> {
    let tag_at = reader.offset();
    let tag = reader.byte()?;
    if !matches!(tag, TAG_CHANGES | TAG_SNAPSHOT | TAG_REMOVED) {
        return Err(WireError::UnknownPayloadKind { offset: tag_at, tag });
    }
    let household_id = reader.uuid()?;
    Ok(match tag {
        TAG_CHANGES => DocumentPayload::Changes { household_id, changes: read_changes(reader, limits)? },
        TAG_SNAPSHOT => {
            DocumentPayload::Snapshot { household_id, document: reader.bytes(Limit::ItemBytes, limits.max_item_bytes)? }
        }
        _ => DocumentPayload::Removed { household_id },
    })
}
