//! The kept corpus, `shared/tests-data/sync-corpus/`: bodies that must keep decoding (or keep
//! failing with the same code) as long as version 1 lives. Each file's name says what to expect:
//! `ok-request-….bin`, `ok-response-….bin`, or `err-<code>-<request|response>-….bin`. Inputs a
//! fuzzer or a bug report turns up are added by hand under the same naming.
//!
//! The seeds below are how the files were made; `RASOAT_BLESS_CORPUS=1 cargo test -p shared
//! the_corpus_holds_the_seeds` rewrites them after a deliberate change of the format (a new
//! version, not version 1).

use std::path::Path;

use super::*;

/// Where the corpus lives.
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests-data/sync-corpus");

/// The generated files: name and bytes.
fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let no_change = SyncRequest { cursor: vec![0xC0; 16], max_response_bytes: 1 << 20, documents: vec![] };
    let one_edit = SyncRequest {
        documents: vec![DocumentChanges { household_id: household(1), changes: vec![opaque(1, 120)] }],
        ..no_change.clone()
    };
    let batch = SyncRequest {
        documents: (0..50u8)
            .map(|n| {
                let mut change = opaque(7, 120);
                change[100..].copy_from_slice(&opaque(n.into(), 20));
                DocumentChanges { household_id: household(n), changes: vec![change] }
            })
            .collect(),
        ..no_change.clone()
    };
    let first_sync = SyncResponse {
        cursor: vec![0xC1; 16],
        more: true,
        documents: (0..20u8)
            .map(|n| DocumentPayload::Snapshot {
                household_id: household(n),
                document: [b"household ".repeat(40), opaque(n.into(), 30)].concat(),
            })
            .collect(),
        ..SyncResponse::default()
    };
    let one_edit_body = encode_request(&one_edit);
    let batch_body = encode_request(&batch);
    let full = encode_response(&full_response());
    let small = encode_response(&small_response());
    vec![
        ("ok-request-no-change-never-synced.bin", encode_request(&SyncRequest { cursor: vec![], ..no_change.clone() })),
        ("ok-request-no-change.bin", encode_request(&no_change)),
        ("ok-request-one-field-edit.bin", one_edit_body.clone()),
        ("ok-request-batch-of-50-compressed.bin", batch_body.clone()),
        (
            "ok-response-nothing-new.bin",
            encode_response(&SyncResponse { cursor: vec![0xC1; 16], ..SyncResponse::default() }),
        ),
        ("ok-response-every-payload-kind-compressed.bin", full.clone()),
        ("ok-response-accepted-and-removed.bin", small.clone()),
        ("ok-response-first-sync-snapshots-compressed.bin", encode_response(&first_sync)),
        ("err-truncated-request-cut-inside-a-change.bin", one_edit_body[..one_edit_body.len() - 10].to_vec()),
        ("err-truncated-response-header-only.bin", small[..HEADER_LEN].to_vec()),
        ("err-not_sync_body-request-json.bin", br#"{"cursor":"","documents":[]}"#.to_vec()),
        ("err-wrong_kind-request-is-a-response.bin", full.clone()),
        (
            "err-unsupported_version-request-version-2.bin",
            [&b"RSYQ\x02\x00"[..], &one_edit_body[HEADER_LEN..]].concat(),
        ),
        ("err-reserved_bits-response-unknown-header-flag.bin", [&b"RSYR\x01\x80"[..], &small[HEADER_LEN..]].concat()),
        ("err-trailing_bytes-response-extra-byte.bin", [&small[..], b"\x00"].concat()),
        (
            "err-varint_overflow-request-eleven-byte-varint.bin",
            raw_request(&[&[0u8][..], &[0xFF; 10], &[0x01]].concat()),
        ),
        ("err-varint_overflow-request-max-response-over-u32.bin", raw_request(b"\x00\x80\x80\x80\x80\x10\x00")),
        ("err-unknown_payload_kind-response-tag-9.bin", {
            let mut body = small.clone();
            let tag_at = body.len() - 17;
            body[tag_at] = 9;
            body
        }),
        ("err-too_many_documents-request-declares-20001.bin", raw_request(b"\x00\x00\xA1\x9C\x01")),
        ("err-item_too_large-response-9-mib-snapshot-declared.bin", {
            let head = [&b"\x00\x00\x00\x00\x01\x01"[..], &[5; 16]].concat();
            let mut body = [&b"RSYR\x01\x00"[..], &head].concat();
            bytes::put_varint(&mut body, 9 << 20);
            body
        }),
        (
            "err-cursor_too_long-request-257-bytes.bin",
            encode_request(&SyncRequest { cursor: vec![1; 257], ..SyncRequest::default() }),
        ),
        ("err-bad_compression-request-deflate-cut-short.bin", batch_body[..batch_body.len() - 20].to_vec()),
        ("err-bad_compression-request-corrupt-deflate.bin", [&b"RSYQ\x01\x01"[..], &[0xFF; 12]].concat()),
        (
            "err-body_too_large-request-deflate-bomb-33-mib.bin",
            [&b"RSYQ\x01\x01"[..], &deflated_zeros(33 << 20)].concat(),
        ),
    ]
}

/// What a corpus file's name promises: the decoder to use and the outcome ("ok" or a code).
fn expectation(name: &str) -> (Kind, String) {
    let stem = name.strip_suffix(".bin").unwrap_or_else(|| panic!("{name}: corpus files end in .bin"));
    let (outcome, rest) = match stem.strip_prefix("ok-") {
        Some(rest) => ("ok".to_string(), rest),
        None => {
            let rest = stem.strip_prefix("err-").unwrap_or_else(|| panic!("{name}: starts with ok- or err-"));
            let (code, rest) = rest.split_once('-').unwrap_or_else(|| panic!("{name}: err-<code>-<kind>-…"));
            (code.to_string(), rest)
        }
    };
    let kind = match rest.split('-').next() {
        Some("request") => Kind::Request,
        Some("response") => Kind::Response,
        _ => panic!("{name}: say request or response after the outcome"),
    };
    (kind, outcome)
}

#[test]
fn the_corpus_holds_the_seeds_byte_for_byte() {
    let bless = std::env::var_os("RASOAT_BLESS_CORPUS").is_some();
    for (name, bytes) in seeds() {
        let path = Path::new(CORPUS).join(name);
        if bless {
            std::fs::create_dir_all(CORPUS).expect("creating the corpus folder");
            std::fs::write(&path, &bytes).expect("writing a corpus file");
        }
        let kept = std::fs::read(&path).unwrap_or_else(|e| panic!("{name}: {e}; RASOAT_BLESS_CORPUS=1 writes it"));
        // Compressed bytes depend on the DEFLATE implementation, not on the format.
        let compressed = bytes.starts_with(MAGIC) && bytes.get(5).is_some_and(|flags| flags & 1 == 1);
        assert!(compressed || kept == bytes, "{name}: the encoder no longer writes the kept bytes: version 1 changed");
    }
}

#[test]
fn every_corpus_file_decodes_as_its_name_says() {
    let mut files: Vec<_> =
        std::fs::read_dir(CORPUS).expect("the corpus folder").map(|e| e.expect("a corpus entry").path()).collect();
    files.sort();
    assert!(files.len() >= 15, "{} corpus files", files.len());
    for path in files {
        let name = path.file_name().and_then(|n| n.to_str()).expect("a UTF-8 file name");
        let (kind, expected) = expectation(name);
        let bytes = std::fs::read(&path).expect("a readable corpus file");
        let outcome = decode(kind, &bytes, &Limits::default()).map_or_else(|e| e.code(), |()| "ok");
        assert_eq!(outcome, expected, "{name}");
    }
}
