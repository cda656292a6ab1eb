//! The HTTP surface: routes, extraction and the one error type that picks status codes.
//!
//! - `GET /healthz` — liveness and database reachability.
//! - `POST /api/v1/enrol` — a one-time code (JSON) → a device token, actor id, role and areas.
//! - `POST /api/v1/sync` — the batch sync exchange (binary, `docs/sync-protocol.md`).

mod error;
mod routes;

pub use error::Error;
pub use routes::{AppState, router};
