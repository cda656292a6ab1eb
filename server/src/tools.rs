//! The command line around the service.
//!
//! - [`cli`] — the clap command tree and dispatch.
//! - [`serve`] — `rasoat serve`: logging and the serve loop; [`seed`] — the demo ward (`--demo`).
//! - [`admin`] — `rasoat users`, `devices`, `registry rebuild`.
//! - [`anthro_csv`] — `rasoat anthro`: batch WHO z-scores over a CSV.
//! - [`classify_jsonl`] — `rasoat classify`: households as JSON Lines → classifications.
//! - [`summary`] — the readable ward summary printed by `rasoat classify --summary`.
//! - [`demo`] — a realistic synthetic ward, for demos, tests and benchmarks.
//! - [`enrol_qr`] — enrolment links and their QR codes in the terminal.
//! - [`bench`], [`bench_sync`], [`bench_registry`] — `rasoat bench`: figures for `BENCHMARKS.md`.

pub mod admin;
pub mod anthro_csv;
pub mod bench;
pub mod bench_registry;
pub mod bench_sync;
pub mod classify_jsonl;
pub mod cli;
pub mod demo;
pub mod enrol_qr;
pub mod seed;
pub mod serve;
pub mod summary;
