//! The service: everything `rasoat serve` runs.
//!
//! - [`app`] — startup seam: `Application::build(config)` → `local_addr()` → `run_until_stopped`.
//! - [`http`] — the sync API's router and its error type (the only place that picks its status codes).
//! - [`sync`] — the batch sync exchange: parse, authorise, store all or nothing, answer.
//! - [`edit`] — edits made on the server, stored as Automerge changes like a device's.
//! - [`db`] and [`store`] — the database handle and the only SQL.
//! - [`auth`] — principals (user, device, role, area) and their scope.
//! - [`web`] — the ward staff's registry (server-rendered HTML).
//! - [`clock`] — the only clock read.

pub mod app;
pub mod auth;
pub mod clock;
pub mod db;
pub mod edit;
pub mod http;
pub mod store;
pub mod sync;
pub mod web;
