//! Why a sync body was refused: one variant per way a body can be wrong, each with a stable code
//! that the server puts in its 4xx answer and the phone can match on.

/// A limit of [`Limits`](super::Limits) (or of the format) that a body went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// More documents in one list than `max_documents` (the request's or response's documents,
    /// `accepted`, or `need_history`).
    Documents,
    /// More changes for one document than `max_changes_per_document`.
    ChangesPerDocument,
    /// One change or snapshot longer than `max_item_bytes`.
    ItemBytes,
    /// A cursor longer than [`MAX_CURSOR_BYTES`](super::MAX_CURSOR_BYTES).
    CursorBytes,
}

impl Limit {
    /// The stable error code for going over this limit.
    pub fn code(self) -> &'static str {
        match self {
            Limit::Documents => "too_many_documents",
            Limit::ChangesPerDocument => "too_many_changes",
            Limit::ItemBytes => "item_too_large",
            Limit::CursorBytes => "cursor_too_long",
        }
    }

    /// What is counted, for messages.
    fn noun(self) -> &'static str {
        match self {
            Limit::Documents => "documents in one list",
            Limit::ChangesPerDocument => "changes for one document",
            Limit::ItemBytes => "bytes in one change or snapshot",
            Limit::CursorBytes => "bytes of cursor",
        }
    }
}

/// A body that is not a well-formed version-1 sync body within the decoder's limits.
///
/// Offsets count bytes of the *decoded body*: the 6-byte header followed by the payload as it is
/// after decompression. For an uncompressed body that is simply the offset in the body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The body does not start with `RSY`: it is not a sync body at all.
    #[error("not a sync body: it does not start with the magic bytes \"RSY\"")]
    BadMagic,
    /// A sync body of the other kind (a response sent where a request was expected, or the
    /// reverse).
    #[error("wrong kind of sync body: expected {:?}, found {:?}", char::from(*expected), char::from(*found))]
    WrongKind {
        /// The kind byte expected: `b'Q'` (request) or `b'R'` (response).
        expected: u8,
        /// The kind byte found.
        found: u8,
    },
    /// A format version this decoder does not speak.
    #[error("unsupported sync format version {0}; this side speaks version {v}", v = super::FORMAT_VERSION)]
    UnsupportedVersion(u8),
    /// A flags byte with bits that version 1 does not define.
    #[error("flags byte {value:#04x} at offset {offset} has bits that version 1 does not define")]
    ReservedBits {
        /// Offset of the flags byte.
        offset: usize,
        /// The flags byte.
        value: u8,
    },
    /// The body ends inside a field.
    #[error("truncated: the body ends inside the field at offset {offset}")]
    Truncated {
        /// Offset of the field that runs past the end.
        offset: usize,
    },
    /// Bytes follow the last field.
    #[error("{count} trailing bytes after the end of the payload at offset {offset}")]
    TrailingBytes {
        /// Offset of the first byte after the payload.
        offset: usize,
        /// How many bytes follow.
        count: usize,
    },
    /// A varint longer than 10 bytes, or too large for its field.
    #[error("varint at offset {offset} overflows its field")]
    VarintOverflow {
        /// Offset of the varint's first byte.
        offset: usize,
    },
    /// A document payload whose kind tag version 1 does not define.
    #[error("unknown document payload kind {tag} at offset {offset}")]
    UnknownPayloadKind {
        /// Offset of the tag byte.
        offset: usize,
        /// The tag found.
        tag: u8,
    },
    /// A count or length over one of the decoder's limits.
    #[error("{found} {noun} at offset {offset}, over the limit of {max}", noun = limit.noun())]
    OverLimit {
        /// Which limit.
        limit: Limit,
        /// Offset of the count or length.
        offset: usize,
        /// The count or length declared.
        found: u64,
        /// The limit.
        max: u64,
    },
    /// The payload is flagged compressed but is not a valid, complete raw DEFLATE stream.
    #[error("bad compressed payload: {reason}")]
    BadCompression {
        /// What is wrong with the stream.
        reason: &'static str,
    },
    /// The payload, after decompression, or the value decoded from it, is larger than
    /// `max_decoded_bytes`.
    #[error("decoded body too large: over the limit of {max} bytes")]
    TooLarge {
        /// The limit, `max_decoded_bytes`.
        max: usize,
    },
}

impl WireError {
    /// A stable, machine-readable code (`snake_case`) for the 4xx answer; see
    /// `docs/sync-protocol.md` for the table of codes.
    pub fn code(&self) -> &'static str {
        match self {
            WireError::BadMagic => "not_sync_body",
            WireError::WrongKind { .. } => "wrong_kind",
            WireError::UnsupportedVersion(_) => "unsupported_version",
            WireError::ReservedBits { .. } => "reserved_bits",
            WireError::Truncated { .. } => "truncated",
            WireError::TrailingBytes { .. } => "trailing_bytes",
            WireError::VarintOverflow { .. } => "varint_overflow",
            WireError::UnknownPayloadKind { .. } => "unknown_payload_kind",
            WireError::OverLimit { limit, .. } => limit.code(),
            WireError::BadCompression { .. } => "bad_compression",
            WireError::TooLarge { .. } => "body_too_large",
        }
    }

    /// Whether the body was refused for its size rather than its form: the sender should send
    /// less at once (HTTP 413) instead of fixing its encoder (HTTP 400).
    pub fn is_too_large(&self) -> bool {
        match self {
            WireError::TooLarge { .. } => true,
            WireError::OverLimit { limit, .. } => *limit != Limit::CursorBytes,
            _ => false,
        }
    }
}
