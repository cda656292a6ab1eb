//! Properties over random input: the decoders are the fuzz target (any bytes, any payload behind
//! a valid header, any mutation of a valid body: an answer, never a panic), and any message
//! round-trips. Failures are kept by proptest in `shared/proptest-regressions/`.

use std::io::Write;

use flate2::Compression;
use flate2::write::DeflateEncoder;
use proptest::collection::vec;
use proptest::prelude::*;

use super::*;

/// Any household id.
fn any_id() -> impl Strategy<Value = Uuid> {
    any::<u128>().prop_map(Uuid::from_u128)
}

/// A change or snapshot: short and random, or long and compressible.
fn item() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![vec(any::<u8>(), 0..40), vec(0u8..4, 0..600)]
}

/// Any valid cursor.
fn cursor() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..=MAX_CURSOR_BYTES)
}

/// Any request.
fn request() -> impl Strategy<Value = SyncRequest> {
    let document =
        (any_id(), vec(item(), 0..4)).prop_map(|(household_id, changes)| DocumentChanges { household_id, changes });
    (cursor(), any::<u32>(), vec(document, 0..6)).prop_map(|(cursor, max_response_bytes, documents)| SyncRequest {
        cursor,
        max_response_bytes,
        documents,
    })
}

/// Any document payload of a response.
fn document_payload() -> impl Strategy<Value = DocumentPayload> {
    prop_oneof![
        (any_id(), vec(item(), 0..4))
            .prop_map(|(household_id, changes)| DocumentPayload::Changes { household_id, changes }),
        (any_id(), item()).prop_map(|(household_id, document)| DocumentPayload::Snapshot { household_id, document }),
        any_id().prop_map(|household_id| DocumentPayload::Removed { household_id }),
    ]
}

/// Any response.
fn response() -> impl Strategy<Value = SyncResponse> {
    (cursor(), any::<bool>(), vec(any_id(), 0..4), vec(any_id(), 0..4), vec(document_payload(), 0..6)).prop_map(
        |(cursor, more, accepted, need_history, documents)| SyncResponse {
            cursor,
            more,
            accepted,
            need_history,
            documents,
        },
    )
}

/// Raw DEFLATE of `bytes`.
fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

/// Small limits, so random input reaches them too.
fn small() -> Limits {
    Limits { max_decoded_bytes: 4096, max_documents: 8, max_changes_per_document: 8, max_item_bytes: 512 }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn any_bytes_get_an_answer_from_both_decoders(bytes in vec(any::<u8>(), 0..300)) {
        for limits in [Limits::default(), small()] {
            let _ = decode_request(&bytes, &limits);
            let _ = decode_response(&bytes, &limits);
        }
    }

    #[test]
    fn any_payload_behind_a_valid_header_gets_an_answer(
        payload in vec(prop_oneof![4 => 0u8..3, 1 => any::<u8>()], 0..400),
        compressed in any::<bool>(),
    ) {
        let payload = if compressed { deflate(&payload) } else { payload };
        for (kind, kind_byte) in [(Kind::Request, KIND_REQUEST), (Kind::Response, KIND_RESPONSE)] {
            let body = [&[b'R', b'S', b'Y', kind_byte, FORMAT_VERSION, u8::from(compressed)][..], &payload].concat();
            for limits in [Limits::default(), small()] {
                let _ = decode(kind, &body, &limits);
            }
        }
    }

    #[test]
    fn any_mutation_of_a_valid_body_gets_an_answer(
        request in request(),
        response in response(),
        edits in vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..6),
    ) {
        for (kind, mut body) in [(Kind::Request, encode_request(&request)), (Kind::Response, encode_response(&response))] {
            for (at, byte, how) in &edits {
                let at = at.index(body.len());
                match how {
                    0 => body[at] = *byte,
                    1 => body.insert(at, *byte),
                    _ => { body.remove(at); }
                }
                if body.is_empty() {
                    break;
                }
            }
            for limits in [Limits::default(), small()] {
                let _ = decode(kind, &body, &limits);
            }
        }
    }

    #[test]
    fn any_request_round_trips(request in request()) {
        let body = encode_request(&request);
        prop_assert!(body.len() <= HEADER_LEN + request_payload_size(&request));
        prop_assert_eq!(decode_request(&body, &Limits::default()), Ok(request));
    }

    #[test]
    fn any_response_round_trips(response in response()) {
        let body = encode_response(&response);
        prop_assert!(body.len() <= HEADER_LEN + payload_size(&response));
        prop_assert_eq!(decode_response(&body, &Limits::default()), Ok(response));
    }
}
