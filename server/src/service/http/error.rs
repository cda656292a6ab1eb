//! The only place that chooses HTTP status codes. 4xx bodies say exactly what was wrong, as
//! JSON `{"error": code, "message": …, …}`; 5xx bodies are opaque and the cause is logged
//! (without personal data: ids and codes only).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use shared::sync_wire::WireError;

use crate::service::store::StoreError;
use crate::service::sync::{Refusal, SyncError};

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No or malformed `Authorization: Bearer` header, unknown token.
    #[error("unauthorised")]
    Unauthorised(&'static str),
    /// The body is larger than the endpoint accepts.
    #[error("body too large")]
    TooLarge(usize),
    /// The body is not what the endpoint expects.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The sync body could not be decoded.
    #[error(transparent)]
    Wire(#[from] WireError),
    /// The sync exchange refused the request.
    #[error(transparent)]
    Sync(#[from] SyncError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn refusal_json(id: &uuid::Uuid, r: &Refusal) -> Value {
    let id = id.to_string();
    match r {
        Refusal::MalformedChange { index, reason } => {
            json!({"household_id": id, "reason": "malformed_change", "change_index": index, "detail": reason})
        }
        Refusal::NoArea => json!({"household_id": id, "reason": "no_area"}),
        Refusal::OutOfScope => json!({"household_id": id, "reason": "out_of_scope"}),
        Refusal::ForeignActor { actor } => json!({"household_id": id, "reason": "foreign_actor", "actor": actor}),
        Refusal::ForbiddenFields { paths } => json!({"household_id": id, "reason": "forbidden_fields", "paths": paths}),
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, body) = match &self {
            Error::Unauthorised(why) => (
                StatusCode::UNAUTHORIZED,
                json!({"error": why, "message": "missing, unknown, expired or revoked token"}),
            ),
            Error::TooLarge(limit) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                json!({"error": "too_large", "message": format!("body over {limit} bytes")}),
            ),
            Error::BadRequest(m) => (StatusCode::BAD_REQUEST, json!({"error": "bad_request", "message": m})),
            Error::Wire(e) => (
                if e.is_too_large() { StatusCode::PAYLOAD_TOO_LARGE } else { StatusCode::BAD_REQUEST },
                json!({"error": e.code(), "message": e.to_string(), "versions": [shared::sync_wire::FORMAT_VERSION]}),
            ),
            Error::Sync(SyncError::BadCursor) => {
                (StatusCode::BAD_REQUEST, json!({"error": "bad_cursor", "message": "cursor not issued by this server"}))
            }
            Error::Sync(SyncError::Refused(list)) => {
                let malformed =
                    list.iter().any(|(_, r)| matches!(r, Refusal::MalformedChange { .. } | Refusal::NoArea));
                let status = if malformed { StatusCode::BAD_REQUEST } else { StatusCode::FORBIDDEN };
                let documents: Vec<Value> = list.iter().map(|(id, r)| refusal_json(id, r)).collect();
                (status, json!({"error": "refused", "message": "nothing was stored", "documents": documents}))
            }
            Error::Sync(SyncError::Store(e)) | Error::Store(e) => {
                tracing::error!(error = %e, "storage failure");
                (StatusCode::INTERNAL_SERVER_ERROR, json!({"error": "internal", "message": "internal error"}))
            }
        };
        (status, Json(body)).into_response()
    }
}
