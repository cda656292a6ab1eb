//! # `server` — the `rasoat` command
//!
//! Today: command-line tools over the `shared` domain. Next issues add the sync server and the
//! ward registry (`rasoat serve`).
//!
//! ## Layout
//!
//! - [`cli`] — the clap command tree and dispatch (`main.rs` is a thin wrapper).
//! - [`anthro_csv`] — `rasoat anthro`: batch WHO z-scores over a CSV.
//! - [`classify_jsonl`] — `rasoat classify`: households as JSON Lines → classifications.
//! - [`summary`] — the readable ward summary printed by `rasoat classify --summary`.
//! - [`demo`] — a realistic synthetic ward, for demos, tests and benchmarks.
//! - [`bench`] — `rasoat bench`: throughput figures for `BENCHMARKS.md`.
//! - [`web`] — the ward staff's registry web interface (server-rendered HTML).
//! - [`edit`] — edits made on the server, stored as Automerge changes like a device's.

pub mod admin;
pub mod anthro_csv;
pub mod app;
pub mod auth;
pub mod bench;
pub mod bench_registry;
pub mod bench_sync;
pub mod classify_jsonl;
pub mod cli;
pub mod clock;
pub mod db;
pub mod demo;
pub mod edit;
pub mod enrol_qr;
pub mod http;
pub mod seed;
pub mod serve;
pub mod store;
pub mod summary;
pub mod sync;
pub mod web;
