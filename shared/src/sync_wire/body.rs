//! The envelope of a sync body: the 6-byte header, and the whole-payload DEFLATE compression with
//! a hard bound on the decompressed size.

use std::borrow::Cow;
use std::io::Write;

use flate2::{Compression, Decompress, FlushDecompress, Status};

use super::error::WireError;
use super::{COMPRESS_ABOVE, FORMAT_VERSION, HEADER_LEN, MAGIC};

/// Header flag: the payload is raw DEFLATE.
const FLAG_DEFLATE: u8 = 0b0000_0001;

/// The first allocation for a decompressed payload, if the limit allows.
const INFLATE_START: usize = 4096;

/// Wraps a payload in a body of `kind`, compressing it when that makes the body smaller.
pub(super) fn seal(kind: u8, payload: Vec<u8>) -> Vec<u8> {
    let compressed = if payload.len() > COMPRESS_ABOVE { deflate(&payload) } else { None };
    let (flags, payload) = match compressed {
        Some(smaller) if smaller.len() < payload.len() => (FLAG_DEFLATE, smaller),
        _ => (0, payload),
    };
    let mut body = Vec::with_capacity(HEADER_LEN + payload.len());
    body.extend_from_slice(MAGIC);
    body.extend_from_slice(&[kind, FORMAT_VERSION, flags]);
    body.extend_from_slice(&payload);
    body
}

/// Raw DEFLATE of `payload` at the best compression; `None` if the encoder fails (it cannot when
/// writing to memory, but then the payload simply goes uncompressed).
fn deflate(payload: &[u8]) -> Option<Vec<u8>> {
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::with_capacity(payload.len() / 2), Compression::best());
    encoder.write_all(payload).ok()?;
    encoder.finish().ok()
}

/// Checks the header of a body of `kind` and returns its payload, decompressed if flagged, never
/// larger than `max_decoded` bytes.
pub(super) fn open(body: &[u8], kind: u8, max_decoded: usize) -> Result<Cow<'_, [u8]>, WireError> {
    let header = check_header(body, kind)?;
    let rest = &body[HEADER_LEN..];
    if header & FLAG_DEFLATE == 0 {
        if rest.len() > max_decoded {
            return Err(WireError::TooLarge { max: max_decoded });
        }
        return Ok(Cow::Borrowed(rest));
    }
    inflate_bounded(rest, max_decoded).map(Cow::Owned)
}

/// Checks magic, kind, version and flags, in that order, and returns the flags.
///
/// A short body is refused as soon as a byte it does have is wrong, so that any prefix of a
/// foreign body is `BadMagic` and not `Truncated`.
fn check_header(body: &[u8], kind: u8) -> Result<u8, WireError> {
    let magic_seen = body.len().min(MAGIC.len());
    if body[..magic_seen] != MAGIC[..magic_seen] {
        return Err(WireError::BadMagic);
    }
    let field = |offset: usize| body.get(offset).copied().ok_or(WireError::Truncated { offset: body.len() });
    let found = field(3)?;
    if found != kind {
        return Err(WireError::WrongKind { expected: kind, found });
    }
    let version = field(4)?;
    if version != FORMAT_VERSION {
        return Err(WireError::UnsupportedVersion(version));
    }
    let flags = field(5)?;
    if flags & !FLAG_DEFLATE != 0 {
        return Err(WireError::ReservedBits { offset: 5, value: flags });
    }
    Ok(flags)
}

/// Inflates a raw DEFLATE stream that must end exactly at the end of `input`, holding at most
/// `max + 1` bytes of output at any time: the size the stream would decompress to is never
/// trusted or asked for.
pub(super) fn inflate_bounded(input: &[u8], max: usize) -> Result<Vec<u8>, WireError> {
    let ceiling = max.saturating_add(1);
    let too_large = WireError::TooLarge { max };
    let mut inflater = Decompress::new(false);
    let mut out = Vec::new();
    loop {
        if out.len() == out.capacity() {
            if out.len() > max {
                return Err(too_large);
            }
            let target = out.capacity().saturating_mul(2).max(INFLATE_START).min(ceiling);
            out.try_reserve_exact(target - out.len()).map_err(|_| too_large.clone())?;
        }
        let (before_in, before_out) = (inflater.total_in(), inflater.total_out());
        let consumed = usize::try_from(before_in).unwrap_or(input.len()).min(input.len());
        let status = inflater
            .decompress_vec(&input[consumed..], &mut out, FlushDecompress::None)
            .map_err(|_| WireError::BadCompression { reason: "corrupt deflate stream" })?;
        if out.len() > max {
            return Err(too_large);
        }
        let stalled = inflater.total_in() == before_in && inflater.total_out() == before_out;
        match status {
            Status::StreamEnd => break,
            Status::Ok | Status::BufError if stalled && out.len() < out.capacity() => {
                return Err(WireError::BadCompression { reason: "deflate stream ends early" });
            }
            Status::Ok | Status::BufError => {}
        }
    }
    if usize::try_from(inflater.total_in()).ok() != Some(input.len()) {
        return Err(WireError::BadCompression { reason: "bytes after the end of the deflate stream" });
    }
    Ok(out)
}
