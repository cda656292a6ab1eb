//! Limits: every count and length over a limit is refused with the limit's name before anything
//! is allocated for it, and a decompression bomb stops at `max_decoded_bytes + 1`.

use super::*;

/// Small limits, so that going over them is cheap to build.
fn small() -> Limits {
    Limits { max_decoded_bytes: 64 << 10, max_documents: 3, max_changes_per_document: 4, max_item_bytes: 100 }
}

/// A request with `documents` documents of `changes` changes of `len` bytes each.
fn request(documents: u8, changes: usize, len: usize) -> SyncRequest {
    let documents = (0..documents)
        .map(|n| DocumentChanges { household_id: household(n), changes: vec![opaque(n.into(), len); changes] })
        .collect();
    SyncRequest { cursor: vec![], max_response_bytes: 0, documents }
}

/// The code of the error decoding `body` as `kind` gives, or "ok".
fn outcome(kind: Kind, body: &[u8], limits: &Limits) -> &'static str {
    decode(kind, body, limits).map_or_else(|e| e.code(), |()| "ok")
}

/// A compressed body of `kind` around an already deflated payload.
fn deflated_body(kind: u8, deflated: &[u8]) -> Vec<u8> {
    [&[b'R', b'S', b'Y', kind, FORMAT_VERSION, 1][..], deflated].concat()
}

#[test]
fn counts_and_lengths_at_the_limits_are_accepted() {
    let body = encode_request(&request(3, 4, 100));
    assert_eq!(outcome(Kind::Request, &body, &small()), "ok");
}

#[test]
fn each_limit_is_named_when_a_request_goes_over_it() {
    let cases = [
        (request(4, 1, 1), "too_many_documents"),
        (request(1, 5, 1), "too_many_changes"),
        (request(1, 1, 101), "item_too_large"),
    ];
    for (request, code) in cases {
        assert_eq!(outcome(Kind::Request, &encode_request(&request), &small()), code);
    }
    let long_cursor = SyncRequest { cursor: vec![1; MAX_CURSOR_BYTES + 1], ..SyncRequest::default() };
    let error = decode_request(&encode_request(&long_cursor), &small());
    assert_eq!(error, Err(WireError::OverLimit { limit: Limit::CursorBytes, offset: 6, found: 257, max: 256 }));
}

#[test]
fn each_list_of_a_response_is_held_to_the_document_limit() {
    let ids = vec![household(1); 4];
    let responses = [
        SyncResponse { accepted: ids.clone(), ..SyncResponse::default() },
        SyncResponse { need_history: ids, ..SyncResponse::default() },
        SyncResponse {
            documents: (0..4).map(|n| DocumentPayload::Removed { household_id: household(n) }).collect(),
            ..SyncResponse::default()
        },
    ];
    for response in responses {
        assert_eq!(outcome(Kind::Response, &encode_response(&response), &small()), "too_many_documents");
    }
    let snapshot = DocumentPayload::Snapshot { household_id: household(1), document: vec![0; 101] };
    let body = encode_response(&SyncResponse { documents: vec![snapshot], ..SyncResponse::default() });
    assert_eq!(outcome(Kind::Response, &body, &small()), "item_too_large");
}

#[test]
fn a_huge_declared_count_without_the_bytes_is_truncated_not_allocated() {
    // 20,000 documents and 100,000 changes declared, the body ends right after.
    let limits = Limits::default();
    let body = raw_request(b"\x00\x00\xA0\x9C\x01");
    assert_eq!(decode_request(&body, &limits), Err(WireError::Truncated { offset: 11 }));
    let body = raw_request(&[&b"\x00\x00\x01"[..], &[1; 16], b"\xA0\x8D\x06"].concat());
    assert_eq!(decode_request(&body, &limits), Err(WireError::Truncated { offset: 28 }));
}

#[test]
fn many_tiny_items_cannot_outgrow_the_decoded_limit() {
    // Each empty change is one byte on the wire but a Vec header in memory.
    let limits =
        Limits { max_decoded_bytes: 4096, max_documents: 10, max_changes_per_document: 100_000, max_item_bytes: 10 };
    let body = encode_request(&request(1, 3000, 0));
    assert!(body.len() < limits.max_decoded_bytes);
    assert_eq!(decode_request(&body, &limits), Err(WireError::TooLarge { max: 4096 }));
}

#[test]
fn an_uncompressed_payload_over_the_limit_is_too_large() {
    let body = encode_request(&request(1, 1, 5000));
    assert!(!is_compressed(&body));
    let limits = Limits { max_decoded_bytes: 4096, ..Limits::default() };
    assert_eq!(decode_request(&body, &limits), Err(WireError::TooLarge { max: 4096 }));
}

#[test]
fn a_decompression_bomb_stops_at_the_limit() {
    // 100 MB of zeros deflate to about 100 KB.
    let bomb = deflated_zeros(100_000_000);
    assert!(bomb.len() < 200_000);
    let limits = Limits { max_decoded_bytes: 1 << 20, ..Limits::default() };
    for (kind, kind_byte) in [(Kind::Request, KIND_REQUEST), (Kind::Response, KIND_RESPONSE)] {
        assert_eq!(decode(kind, &deflated_body(kind_byte, &bomb), &limits), Err(WireError::TooLarge { max: 1 << 20 }));
    }
}

#[test]
fn inflating_never_holds_more_than_the_limit_and_one_byte() {
    let limit = 100_000;
    let exact = body::inflate_bounded(&deflated_zeros(limit), limit).expect("exactly at the limit");
    assert_eq!(exact.len(), limit);
    assert!(exact.capacity() <= limit + 1, "capacity {}", exact.capacity());
    assert_eq!(body::inflate_bounded(&deflated_zeros(limit + 1), limit), Err(WireError::TooLarge { max: limit }));
    assert_eq!(body::inflate_bounded(&deflated_zeros(0), 0), Ok(vec![]));
}

#[test]
fn a_cut_or_corrupt_deflate_stream_is_refused() {
    let stream = deflated_zeros(10_000);
    let cut = body::inflate_bounded(&stream[..stream.len() - 1], 1 << 20);
    assert_eq!(cut, Err(WireError::BadCompression { reason: "deflate stream ends early" }));
    assert_eq!(
        body::inflate_bounded(&[], 1 << 20),
        Err(WireError::BadCompression { reason: "deflate stream ends early" })
    );
    // Block type 3 does not exist.
    assert_eq!(
        body::inflate_bounded(&[0xFF; 8], 1 << 20),
        Err(WireError::BadCompression { reason: "corrupt deflate stream" })
    );
}
