//! Route handlers: parse, call the domain or the store, map the result — nothing more.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use shared::sync_wire::{Limits, decode_request, encode_response};

use super::Error;
use crate::service::auth::Principal;
use crate::service::db::Db;
use crate::service::store::users::{self, TokenProblem};
use crate::service::sync;

/// Largest sync request body accepted (compressed bytes on the wire).
pub const MAX_SYNC_BODY: usize = 16 * 1024 * 1024;
/// Largest enrolment body.
pub const MAX_ENROL_BODY: usize = 4 * 1024;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
}

/// The application's routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/v1/enrol", post(enrol))
        .route("/api/v1/sync", post(sync_exchange))
        .merge(crate::service::web::router())
        .with_state(state)
}

async fn healthz(State(state): State<AppState>) -> Response {
    match sqlx::query_scalar::<_, i64>("select 1").fetch_one(&state.db.pool).await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

/// Reads a body up to `limit` bytes; larger is a 413 with a JSON reason.
async fn body_bytes(request: Request, limit: usize) -> Result<Bytes, Error> {
    axum::body::to_bytes(request.into_body(), limit).await.map_err(|_| Error::TooLarge(limit))
}

async fn principal(state: &AppState, headers: &HeaderMap) -> Result<Principal, Error> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(Error::Unauthorised("missing_token"))?;
    match users::principal_for_token(&state.db, token.trim()).await? {
        Ok(p) => Ok(p),
        Err(TokenProblem::Unknown) => Err(Error::Unauthorised("unknown_token")),
        Err(TokenProblem::Revoked) => Err(Error::Unauthorised("revoked_token")),
        Err(TokenProblem::UserDisabled) => Err(Error::Unauthorised("user_disabled")),
    }
}

/// `POST /api/v1/enrol` body.
#[derive(Debug, Deserialize)]
pub struct EnrolRequest {
    /// The one-time code, as typed or read from the QR code.
    pub code: String,
    /// A label for the device ("Điện thoại của Lan").
    #[serde(default)]
    pub label: String,
}

/// `POST /api/v1/enrol` answer.
#[derive(Debug, Serialize, Deserialize)]
pub struct EnrolResponse {
    /// Device id.
    pub device_id: String,
    /// Bearer token for every later request; shown once.
    pub token: String,
    /// The Automerge actor id the device writes with (hex).
    pub actor_id: String,
    /// Role code.
    pub role: String,
    /// Commune.
    pub commune: String,
    /// Residential groups.
    pub groups: Vec<String>,
}

async fn enrol(State(state): State<AppState>, request: Request) -> Result<Json<EnrolResponse>, Error> {
    let body = body_bytes(request, MAX_ENROL_BODY).await?;
    let req: EnrolRequest =
        serde_json::from_slice(&body).map_err(|e| Error::BadRequest(format!("enrolment body: {e}")))?;
    let label = req.label.chars().take(100).collect::<String>();
    let enrolment =
        users::enrol_device(&state.db, &req.code, &label).await?.ok_or(Error::Unauthorised("invalid_code"))?;
    tracing::info!(device = %enrolment.device_id, role = enrolment.principal.role.as_code(), "device enrolled");
    Ok(Json(EnrolResponse {
        device_id: enrolment.device_id,
        token: enrolment.token,
        actor_id: enrolment.actor_id,
        role: enrolment.principal.role.as_code().to_owned(),
        commune: enrolment.principal.commune,
        groups: enrolment.principal.groups,
    }))
}

async fn sync_exchange(State(state): State<AppState>, request: Request) -> Result<Response, Error> {
    let p = principal(&state, request.headers()).await?;
    let body = body_bytes(request, MAX_SYNC_BODY).await?;
    let req = decode_request(&body, &Limits::default())?;
    let uploaded = req.documents.len();
    let response = sync::sync(&state.db, &p, req).await?;
    if let Some(device) = &p.device_id {
        users::touch_device(&state.db, device).await?;
    }
    let bytes = encode_response(&response);
    tracing::info!(
        device = p.device_id.as_deref().unwrap_or("-"),
        uploaded,
        sent = response.documents.len(),
        bytes = bytes.len(),
        more = response.more,
        "sync"
    );
    Ok(([(header::CONTENT_TYPE, "application/vnd.rasoat.sync")], Body::from(bytes)).into_response())
}
