//! # `server` — the `rasoat` command
//!
//! Two halves, one folder each, so the service reads as one thing:
//!
//! - [`service`] — what runs under `rasoat serve`: the startup seam (`app`), the sync API
//!   (`http`, `sync`), server-side edits (`edit`), storage (`db`, `store`), identity (`auth`),
//!   the ward registry's web interface (`web`) and the one clock read (`clock`).
//! - [`tools`] — the command line around it: the clap tree (`cli`), administration (`admin`),
//!   `serve` (logging and the serve loop), demo data (`demo`, `seed`), the batch tools
//!   (`anthro_csv`, `classify_jsonl`, `summary`), enrolment QR codes and the benchmarks.
//!
//! `main.rs` is a thin wrapper over [`tools::cli`].

pub mod service;
pub mod tools;
