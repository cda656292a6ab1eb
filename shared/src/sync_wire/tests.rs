//! Tests of the sync byte format: round trips, the sizes the protocol promises, and refusal of
//! every malformed header and field here; limits, properties over random input and the kept
//! corpus of bodies in the submodules.

mod corpus;
mod limits;
mod properties;

use std::io::Write;

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, AutoCommit, ObjType, ROOT};
use flate2::Compression;
use flate2::write::DeflateEncoder;

use super::*;

/// Which decoder a body is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Request,
    Response,
}

/// Decodes `bytes` with the decoder of `kind`, keeping only success or the error.
fn decode(kind: Kind, bytes: &[u8], limits: &Limits) -> Result<(), WireError> {
    match kind {
        Kind::Request => decode_request(bytes, limits).map(drop),
        Kind::Response => decode_response(bytes, limits).map(drop),
    }
}

/// A household id that is easy to tell apart in a hex dump.
fn household(n: u8) -> Uuid {
    Uuid::from_bytes([n; 16])
}

/// Deterministic bytes that DEFLATE cannot shrink much, standing in for an Automerge change.
fn opaque(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

/// A raw DEFLATE stream of `zeros` zero bytes, written in pieces so the test never holds them.
fn deflated_zeros(zeros: usize) -> Vec<u8> {
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
    let piece = vec![0u8; 1 << 16];
    let mut left = zeros;
    while left > 0 {
        let n = left.min(piece.len());
        encoder.write_all(&piece[..n]).expect("writing to memory");
        left -= n;
    }
    encoder.finish().expect("writing to memory")
}

/// A real one-field Automerge change, as a phone makes it: the household document already holds
/// a few answers, and the collector edits one. Each `device` is its own actor.
fn one_field_change(device: u8, household_no: u32) -> Vec<u8> {
    let mut doc = AutoCommit::new().with_actor(ActorId::from(opaque(device.into(), 16)));
    let dwelling = doc.put_object(ROOT, "dwelling", ObjType::Map).expect("fresh document");
    doc.put(ROOT, "head_name", format!("Nguyễn Văn {household_no}")).expect("fresh document");
    doc.put(&dwelling, "roof", "tole").expect("fresh document");
    doc.commit_with(CommitOptions::default().with_time(1_767_225_600));
    let before = doc.get_heads();
    doc.put(&dwelling, "roof", "ngoi").expect("existing map");
    doc.commit_with(CommitOptions::default().with_time(1_767_312_000 + i64::from(household_no)));
    let changes = doc.get_changes(&before);
    changes.first().expect("one change after the heads").raw_bytes().to_vec()
}

/// A request with something in every field.
fn full_request() -> SyncRequest {
    SyncRequest {
        cursor: b"feed:0000000000001234".to_vec(),
        max_response_bytes: 2 << 20,
        documents: vec![
            DocumentChanges { household_id: household(1), changes: vec![opaque(1, 120), opaque(2, 90)] },
            DocumentChanges { household_id: household(2), changes: vec![vec![]] },
            DocumentChanges { household_id: household(3), changes: vec![] },
        ],
    }
}

/// A response with every kind of document payload.
fn full_response() -> SyncResponse {
    SyncResponse {
        cursor: opaque(9, 16),
        more: true,
        accepted: vec![household(1), household(2)],
        need_history: vec![household(3)],
        documents: vec![
            DocumentPayload::Changes { household_id: household(4), changes: vec![opaque(4, 130)] },
            DocumentPayload::Snapshot { household_id: household(5), document: opaque(5, 700) },
            DocumentPayload::Removed { household_id: household(6) },
            DocumentPayload::Changes { household_id: household(7), changes: vec![] },
        ],
    }
}

/// A response too small to compress.
fn small_response() -> SyncResponse {
    SyncResponse {
        cursor: vec![0xC1; 16],
        accepted: vec![household(1)],
        documents: vec![DocumentPayload::Removed { household_id: household(2) }],
        ..SyncResponse::default()
    }
}

/// A response whose payload compresses: the same actor's changes to many households.
fn compressed_response() -> SyncResponse {
    let documents = (0..40u8)
        .map(|n| DocumentPayload::Changes { household_id: household(n), changes: vec![one_field_change(7, n.into())] })
        .collect();
    SyncResponse { cursor: vec![1; 16], documents, ..SyncResponse::default() }
}

/// Valid bodies of both kinds, compressed and not, to cut and corrupt.
fn valid_bodies() -> Vec<(Kind, Vec<u8>)> {
    vec![
        (Kind::Request, encode_request(&SyncRequest::default())),
        (Kind::Request, encode_request(&full_request())),
        (Kind::Response, encode_response(&SyncResponse::default())),
        (Kind::Response, encode_response(&small_response())),
        (Kind::Response, encode_response(&full_response())),
        (Kind::Response, encode_response(&compressed_response())),
    ]
}

/// Whether a body went out compressed.
fn is_compressed(body: &[u8]) -> bool {
    body[5] & 1 == 1
}

#[test]
fn requests_round_trip_empty_and_full() {
    for request in [SyncRequest::default(), full_request()] {
        let body = encode_request(&request);
        assert_eq!(decode_request(&body, &Limits::default()), Ok(request));
    }
}

#[test]
fn responses_round_trip_empty_full_and_compressed() {
    for response in [SyncResponse::default(), full_response(), compressed_response()] {
        let body = encode_response(&response);
        assert_eq!(decode_response(&body, &Limits::default()), Ok(response));
    }
}

#[test]
fn a_sync_with_nothing_to_send_is_a_few_dozen_bytes() {
    for cursor in [vec![], vec![0xAB; 16]] {
        let request = SyncRequest { cursor, max_response_bytes: 4 << 20, documents: vec![] };
        let body = encode_request(&request);
        assert!(body.len() < 64, "{} bytes", body.len());
    }
    let answer = SyncResponse { cursor: vec![0xAB; 16], ..SyncResponse::default() };
    assert!(encode_response(&answer).len() < 64);
}

#[test]
fn one_changed_field_costs_the_change_and_a_few_dozen_bytes() {
    let change = one_field_change(1, 1);
    let response = SyncResponse {
        cursor: vec![0xAB; 16],
        more: false,
        accepted: vec![],
        need_history: vec![],
        documents: vec![DocumentPayload::Changes { household_id: household(1), changes: vec![change.clone()] }],
    };
    let body = encode_response(&response);
    assert!(body.len() <= change.len() + 48, "{} bytes for a {}-byte change", body.len(), change.len());
}

#[test]
fn a_hundred_one_field_edits_cost_less_than_one_and_a_half_times_their_changes() {
    // The project's bar: incremental bytes within 1.5x the Automerge changes themselves.
    for devices_per_batch in [1u8, 100] {
        let documents: Vec<DocumentChanges> = (0..100u8)
            .map(|n| DocumentChanges {
                household_id: Uuid::from_u128(u128::from(n) + 1),
                changes: vec![one_field_change(n % devices_per_batch, n.into())],
            })
            .collect();
        let raw: usize = documents.iter().flat_map(|d| &d.changes).map(Vec::len).sum();
        let request = SyncRequest { cursor: vec![7; 16], max_response_bytes: 1 << 20, documents };
        let body = encode_request(&request);
        assert!(body.len() * 2 <= raw * 3, "{} bytes for {raw} bytes of changes", body.len());
        assert_eq!(decode_request(&body, &Limits::default()), Ok(request));
    }
}

#[test]
fn only_payloads_that_shrink_are_compressed() {
    assert!(!is_compressed(&encode_request(&SyncRequest::default())));
    let incompressible = SyncRequest {
        documents: vec![DocumentChanges { household_id: household(1), changes: vec![opaque(3, 4000)] }],
        ..SyncRequest::default()
    };
    assert!(!is_compressed(&encode_request(&incompressible)));
    let body = encode_response(&compressed_response());
    assert!(is_compressed(&body));
    assert!(body.len() < HEADER_LEN + payload_size(&compressed_response()));
}

#[test]
fn sizes_computed_without_encoding_match_the_encoding() {
    let response = full_response();
    let body = encode_response(&SyncResponse { documents: vec![], ..response.clone() });
    let empty_payload = body.len() - HEADER_LEN;
    assert!(!is_compressed(&body));
    assert_eq!(payload_size(&SyncResponse { documents: vec![], ..response.clone() }), empty_payload);
    let documents: usize = response.documents.iter().map(encoded_len).sum();
    assert_eq!(payload_size(&response), empty_payload + documents);
    let request = full_request();
    assert_eq!(request_payload_size(&request), payload::write_request(&request).len());
    assert_eq!(payload_size(&response), payload::write_response(&response).len());
}

#[test]
fn every_prefix_of_a_valid_body_is_refused() {
    for (kind, body) in valid_bodies() {
        for len in 0..body.len() {
            let result = decode(kind, &body[..len], &Limits::default());
            assert!(result.is_err(), "{kind:?} body cut to {len} of {} bytes decoded", body.len());
        }
    }
}

#[test]
fn every_single_byte_corruption_decodes_or_is_refused() {
    for (kind, body) in valid_bodies() {
        for at in 0..body.len() {
            for flip in [0x01, 0x80, 0xFF] {
                let mut bad = body.clone();
                bad[at] ^= flip;
                // Either outcome is fine; reaching the next iteration means no panic.
                let _ = decode(kind, &bad, &Limits::default());
            }
        }
    }
}

/// Decodes a request body and compares the error.
fn check_request(body: &[u8], expected: WireError) {
    assert_eq!(decode_request(body, &Limits::default()), Err(expected));
}

/// A request body of `payload`, uncompressed.
fn raw_request(payload: &[u8]) -> Vec<u8> {
    [&b"RSYQ\x01\x00"[..], payload].concat()
}

#[test]
fn foreign_bodies_are_refused_by_their_header() {
    check_request(b"", WireError::Truncated { offset: 0 });
    check_request(b"RS", WireError::Truncated { offset: 2 });
    check_request(b"{\"cursor\":\"\"}", WireError::BadMagic);
    check_request(b"RZ", WireError::BadMagic);
    let response = encode_response(&SyncResponse::default());
    check_request(&response, WireError::WrongKind { expected: b'Q', found: b'R' });
    check_request(b"RSYQ\x02\x00\x00\x00\x00", WireError::UnsupportedVersion(2));
    check_request(b"RSYQ\x00", WireError::UnsupportedVersion(0));
    check_request(b"RSYQ\x01\x02\x00\x00\x00", WireError::ReservedBits { offset: 5, value: 2 });
}

#[test]
fn malformed_fields_are_refused_with_their_offset() {
    check_request(&raw_request(b""), WireError::Truncated { offset: 6 });
    check_request(&raw_request(b"\x00\x00"), WireError::Truncated { offset: 8 });
    check_request(&raw_request(b"\x00\x00\x00\x00"), WireError::TrailingBytes { offset: 9, count: 1 });
    check_request(&raw_request(b"\x00\x80\x80"), WireError::Truncated { offset: 7 });
    let eleven = [0x80u8; 10].iter().chain(&[0x01]).copied().collect::<Vec<_>>();
    check_request(&raw_request(&[&[0u8][..], &eleven].concat()), WireError::VarintOverflow { offset: 7 });
    let bit_64 = [0xFFu8; 9].iter().chain(&[0x02]).copied().collect::<Vec<_>>();
    check_request(&raw_request(&[&[0u8][..], &bit_64].concat()), WireError::VarintOverflow { offset: 7 });
    // 2^32 where a u32 is expected.
    check_request(&raw_request(b"\x00\x80\x80\x80\x80\x10\x00"), WireError::VarintOverflow { offset: 7 });
    // A change whose length runs past the end.
    let cut = [&b"\x00\x00\x01"[..], &[1; 16], b"\x01\x05abc"].concat();
    check_request(&raw_request(&cut), WireError::Truncated { offset: 26 });
}

#[test]
fn the_largest_varints_still_decode() {
    let request = SyncRequest { max_response_bytes: u32::MAX, ..SyncRequest::default() };
    let body = encode_request(&request);
    assert_eq!(decode_request(&body, &Limits::default()), Ok(request));
    let mut reader = bytes::Reader::new(&[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], 0, 0);
    assert_eq!(reader.varint(), Ok(u64::MAX));
}

#[test]
fn unknown_payload_kinds_and_response_flags_are_refused() {
    let limits = Limits::default();
    let mut body = encode_response(&SyncResponse {
        documents: vec![DocumentPayload::Removed { household_id: household(1) }],
        ..SyncResponse::default()
    });
    let tag_at = body.len() - 17;
    body[tag_at] = 9;
    assert_eq!(decode_response(&body, &limits), Err(WireError::UnknownPayloadKind { offset: tag_at, tag: 9 }));
    let mut body = encode_response(&SyncResponse::default());
    body[7] = 0b11;
    assert_eq!(decode_response(&body, &limits), Err(WireError::ReservedBits { offset: 7, value: 0b11 }));
}

#[test]
fn bytes_after_the_payload_or_the_deflate_stream_are_refused() {
    let limits = Limits::default();
    let mut body = encode_response(&small_response());
    let end = body.len();
    body.push(0);
    assert_eq!(decode_response(&body, &limits), Err(WireError::TrailingBytes { offset: end, count: 1 }));
    let mut body = encode_response(&compressed_response());
    body.push(0);
    assert_eq!(decode_response(&body, &limits).map_err(|e| e.code()), Err("bad_compression"));
}

#[test]
fn error_codes_are_stable() {
    let cases = [
        (WireError::BadMagic, "not_sync_body", false),
        (WireError::WrongKind { expected: b'Q', found: b'R' }, "wrong_kind", false),
        (WireError::UnsupportedVersion(2), "unsupported_version", false),
        (WireError::ReservedBits { offset: 5, value: 4 }, "reserved_bits", false),
        (WireError::Truncated { offset: 9 }, "truncated", false),
        (WireError::TrailingBytes { offset: 9, count: 1 }, "trailing_bytes", false),
        (WireError::VarintOverflow { offset: 9 }, "varint_overflow", false),
        (WireError::UnknownPayloadKind { offset: 9, tag: 3 }, "unknown_payload_kind", false),
        (WireError::BadCompression { reason: "corrupt deflate stream" }, "bad_compression", false),
        (WireError::TooLarge { max: 10 }, "body_too_large", true),
    ];
    for (error, code, too_large) in cases {
        assert_eq!((error.code(), error.is_too_large()), (code, too_large), "{error}");
        assert!(!error.to_string().is_empty());
    }
    let limits = [
        (Limit::Documents, "too_many_documents", true),
        (Limit::ChangesPerDocument, "too_many_changes", true),
        (Limit::ItemBytes, "item_too_large", true),
        (Limit::CursorBytes, "cursor_too_long", false),
    ];
    for (limit, code, too_large) in limits {
        let error = WireError::OverLimit { limit, offset: 6, found: 300, max: 256 };
        assert_eq!((error.code(), error.is_too_large()), (code, too_large), "{error}");
    }
}

#[test]
fn messages_name_the_offending_value() {
    assert_eq!(
        WireError::UnsupportedVersion(2).to_string(),
        "unsupported sync format version 2; this side speaks version 1"
    );
    assert_eq!(
        WireError::OverLimit { limit: Limit::Documents, offset: 23, found: 20_001, max: 20_000 }.to_string(),
        "20001 documents in one list at offset 23, over the limit of 20000"
    );
    assert_eq!(
        WireError::WrongKind { expected: b'Q', found: b'R' }.to_string(),
        "wrong kind of sync body: expected 'Q', found 'R'"
    );
}
