//! # `mobile` — the collectors' and health workers' app (`rasoat-app`)
//!
//! Offline first: every answer is saved at once to the phone's SQLite database as an Automerge
//! document (through `shared::replica`), and a background task syncs with the server when it
//! can. The screens are Dioxus components over plain state structs, so the logic is tested
//! without a webview and the same components run in a browser (liveview), a desktop window or
//! on Android.
//!
//! ## Layout
//!
//! - [`store`] — the only code that writes SQLite: documents, list projection, settings.
//! - [`record`] — a household's list row, derived from its document with `shared`.
//! - [`core`] — the engine the screens call: store behind one lock, enrolment, language.
//! - [`sync`] — enrolment over HTTP and the background sync task (backoff, reasons).
//! - [`draft`] — the survey in progress: a household being edited step by step, validated as
//!   you go.
//! - [`measure`] — the health worker's measurement form, z-scores, flags and growth chart.
//! - [`i18n`] — every string of the screens, Vietnamese and English.
//! - [`ui`] — the Dioxus components.
//! - [`platform`] — where the data lives (Android's app-private files directory).
//! - [`clock`] — the only clock read.
//! - [`bench`] — `rasoat-app bench`: cold start, save and search latency, memory.
//! - `liveview` (feature) — serves the UI to a browser on 127.0.0.1.

pub mod bench;
pub mod clock;
pub mod core;
pub mod draft;
pub mod i18n;
#[cfg(feature = "liveview")]
pub mod liveview;

pub mod measure;
pub mod platform;
pub mod record;
pub mod store;
pub mod sync;
pub mod ui;
