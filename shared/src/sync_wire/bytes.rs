//! The primitives of the payload: LEB128 varints, length-prefixed byte strings and raw UUIDs,
//! written to a `Vec<u8>` and read back by a [`Reader`] that checks every length against the
//! bytes left and every allocation against a memory budget.

use uuid::Uuid;

use super::error::{Limit, WireError};

/// The longest LEB128 encoding of a `u64`.
const MAX_VARINT_LEN: usize = 10;

/// How many bytes `value` takes as a LEB128 varint.
pub(super) fn varint_len(value: u64) -> usize {
    let bits = 64 - value.leading_zeros() as usize;
    bits.div_ceil(7).max(1)
}

/// How many bytes a length-prefixed byte string of `len` bytes takes.
pub(super) fn bytes_len(len: usize) -> usize {
    varint_len(len as u64) + len
}

/// Appends `value` as an unsigned LEB128 varint.
pub(super) fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Appends a length-prefixed byte string.
pub(super) fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// Appends a count-prefixed list of raw 16-byte UUIDs.
pub(super) fn put_uuids(out: &mut Vec<u8>, ids: &[Uuid]) {
    put_varint(out, ids.len() as u64);
    for id in ids {
        out.extend_from_slice(id.as_bytes());
    }
}

/// Reads the payload front to back.
///
/// Every value the decoder builds is paid for from `budget` before it is allocated, so a body
/// that declares huge counts of tiny items cannot make the decoded value much larger than the
/// limit even though each item costs a `Vec` header.
pub(super) struct Reader<'a> {
    /// The payload.
    bytes: &'a [u8],
    /// Position in `bytes`.
    pos: usize,
    /// Offset of `bytes[0]` in the decoded body (the header length), for error offsets.
    base: usize,
    /// Bytes the decoded value may still allocate.
    budget: usize,
    /// The whole budget, for the error.
    max: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `bytes`, which start at offset `base` of the decoded body.
    pub(super) fn new(bytes: &'a [u8], base: usize, budget: usize) -> Self {
        Reader { bytes, pos: 0, base, budget, max: budget }
    }

    /// The current offset in the decoded body.
    pub(super) fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// Bytes not read yet.
    pub(super) fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    /// Pays `bytes` from the memory budget.
    pub(super) fn charge(&mut self, bytes: usize) -> Result<(), WireError> {
        self.budget = self.budget.checked_sub(bytes).ok_or(WireError::TooLarge { max: self.max })?;
        Ok(())
    }

    /// The next `len` bytes, borrowed.
    fn take(&mut self, len: usize) -> Result<&'a [u8], WireError> {
        if len > self.remaining() {
            return Err(WireError::Truncated { offset: self.offset() });
        }
        let slice = &self.bytes[self.pos..self.pos + len];
        self.pos += len;
        Ok(slice)
    }

    /// One byte.
    pub(super) fn byte(&mut self) -> Result<u8, WireError> {
        Ok(self.take(1)?[0])
    }

    /// An unsigned LEB128 varint of at most 10 bytes whose value fits a `u64`.
    pub(super) fn varint(&mut self) -> Result<u64, WireError> {
        let start = self.offset();
        let mut value = 0u64;
        for i in 0..MAX_VARINT_LEN {
            let byte = self.byte().map_err(|_| WireError::Truncated { offset: start })?;
            // The tenth byte carries bit 63 only.
            if i == MAX_VARINT_LEN - 1 && byte > 1 {
                return Err(WireError::VarintOverflow { offset: start });
            }
            value |= u64::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(WireError::VarintOverflow { offset: start })
    }

    /// A varint that must fit a `u32`.
    pub(super) fn varint_u32(&mut self) -> Result<u32, WireError> {
        let start = self.offset();
        u32::try_from(self.varint()?).map_err(|_| WireError::VarintOverflow { offset: start })
    }

    /// A count or length, checked against `max` (a limit of kind `limit`).
    pub(super) fn count(&mut self, limit: Limit, max: usize) -> Result<usize, WireError> {
        let start = self.offset();
        let found = self.varint()?;
        match usize::try_from(found) {
            Ok(n) if n <= max => Ok(n),
            _ => Err(WireError::OverLimit { limit, offset: start, found, max: max as u64 }),
        }
    }

    /// A length-prefixed byte string of at most `max` bytes, copied out and paid for.
    pub(super) fn bytes(&mut self, limit: Limit, max: usize) -> Result<Vec<u8>, WireError> {
        let start = self.offset();
        let len = self.count(limit, max)?;
        if len > self.remaining() {
            return Err(WireError::Truncated { offset: start });
        }
        self.charge(len)?;
        Ok(self.take(len)?.to_vec())
    }

    /// A raw 16-byte UUID.
    pub(super) fn uuid(&mut self) -> Result<Uuid, WireError> {
        let bytes = self.take(16)?;
        let mut raw = [0u8; 16];
        raw.copy_from_slice(bytes);
        Ok(Uuid::from_bytes(raw))
    }

    /// An empty `Vec` with room for up to `count` items of `T`, each at least `min_wire_len`
    /// bytes on the wire: never more than the bytes left could hold, and paid for.
    pub(super) fn vec_for<T>(&mut self, count: usize, min_wire_len: usize) -> Result<Vec<T>, WireError> {
        let capacity = count.min(self.remaining() / min_wire_len.max(1));
        self.charge(capacity.saturating_mul(size_of::<T>()))?;
        Ok(Vec::with_capacity(capacity))
    }

    /// A count-prefixed list of at most `max` raw UUIDs.
    pub(super) fn uuids(&mut self, max: usize) -> Result<Vec<Uuid>, WireError> {
        let count = self.count(Limit::Documents, max)?;
        let mut ids = self.vec_for(count, 16)?;
        for _ in 0..count {
            ids.push(self.uuid()?);
        }
        Ok(ids)
    }

    /// Checks that the payload has been read to its end.
    pub(super) fn finish(self) -> Result<(), WireError> {
        match self.remaining() {
            0 => Ok(()),
            count => Err(WireError::TrailingBytes { offset: self.offset(), count }),
        }
    }
}
