//! End-to-end tests of the whole system live in `tests/e2e.rs`; this library is empty.
