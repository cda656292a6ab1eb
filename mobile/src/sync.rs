//! Talking to the server: enrolment, and the background sync task (one round trip per
//! exchange, `docs/sync-protocol.md`, with `shared::replica` doing the protocol's logic).
//!
//! The task never holds the store lock across a network call: it builds the request under the
//! lock, sends it unlocked, then applies the response under the lock in one transaction — a
//! save made meanwhile stays pending and goes with the next exchange. "Offline" is a state,
//! not an error; a refusal keeps the server's reason for the screens.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use shared::replica::Replica;
use shared::sync_wire::{Limits, decode_response, encode_request};
use uuid::Uuid;

use crate::core::{Core, Enrolment, key};
use crate::record::project;

/// What the screens show about sync.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncStatus {
    /// A sync is in progress.
    pub running: bool,
    /// Households with changes the server does not have.
    pub pending: usize,
    /// Unix seconds of the last successful sync.
    pub last_success: Option<i64>,
    /// Why the last attempt did not succeed.
    pub problem: Option<SyncProblem>,
    /// Seconds until the next automatic attempt after a failure.
    pub retry_in: Option<u64>,
}

/// Why a sync did not succeed.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncProblem {
    /// The server could not be reached (no network): a state, retried automatically.
    Offline,
    /// The token is unknown or revoked: enrol again.
    Unauthorised(String),
    /// The server refused documents and stored nothing: its reasons, per household.
    Refused(Vec<(Uuid, String)>),
    /// Any other answer: status and the server's error code.
    Server(u16, String),
}

/// Enrolment failures.
#[derive(Debug, thiserror::Error)]
pub enum EnrolError {
    /// Not a server URL and code, nor a `rasoat://enrol` link.
    #[error("missing server or code")]
    Incomplete,
    /// The server could not be reached.
    #[error("server unreachable")]
    Unreachable,
    /// The server refused the code.
    #[error("code refused: {0}")]
    Refused(String),
    /// Storing the enrolment failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// Splits a `rasoat://enrol?server=…&code=…` link (from the QR code) into server and code.
pub fn parse_link(link: &str) -> Option<(String, String)> {
    let query = link.trim().strip_prefix("rasoat://enrol?")?;
    let (mut server, mut code) = (None, None);
    for pair in query.split('&') {
        let (k, v) = pair.split_once('=')?;
        match k {
            "server" => server = Some(percent_decode(v)),
            "code" => code = Some(percent_decode(v)),
            _ => {}
        }
    }
    Some((server?, code?))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The HTTP client. With the `tls` feature (Android, desktop): rustls with the `ring` provider
/// and the Mozilla roots compiled in (no platform verifier, which needs extra JNI setup on
/// Android), so HTTPS works the same on a phone and here. Without it: plain HTTP (loopback
/// development and tests).
pub fn http_client() -> reqwest::Client {
    let builder = reqwest::Client::builder().connect_timeout(Duration::from_secs(15)).timeout(Duration::from_secs(120));
    #[cfg(feature = "tls")]
    let builder = match tls_config() {
        Some(config) => builder.tls_backend_preconfigured(config),
        None => builder,
    };
    builder.build().unwrap_or_default()
}

#[cfg(feature = "tls")]
fn tls_config() -> Option<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let builder = rustls::ClientConfig::builder_with_provider(provider).with_safe_default_protocol_versions().ok()?;
    Some(builder.with_root_certificates(roots).with_no_client_auth())
}

/// Enrols this device: `input` is a server URL and `code`, or a pasted enrolment link.
pub async fn enrol(core: &Core, server: &str, code: &str) -> Result<Enrolment, EnrolError> {
    let (server, code) = match parse_link(server).or_else(|| parse_link(code)) {
        Some(pair) => pair,
        None => (server.trim().to_owned(), code.trim().to_owned()),
    };
    if server.is_empty() || code.is_empty() {
        return Err(EnrolError::Incomplete);
    }
    let server = server.trim_end_matches('/').to_owned();
    let body = serde_json::json!({"code": code, "label": "rasoat-app"});
    let res = http_client()
        .post(format!("{server}/api/v1/enrol"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .map_err(|_| EnrolError::Unreachable)?;
    let status = res.status().as_u16();
    let json: Value = res.json().await.unwrap_or(Value::Null);
    if status != 200 {
        return Err(EnrolError::Refused(json["error"].as_str().unwrap_or("error").to_owned()));
    }
    let text = |k: &str| json[k].as_str().unwrap_or_default().to_owned();
    let e = Enrolment {
        server,
        device_id: text("device_id"),
        token: text("token"),
        actor_id: text("actor_id"),
        role: text("role"),
        province: text("province"),
        commune: text("commune"),
        groups: json["groups"].as_array().into_iter().flatten().filter_map(|g| g.as_str().map(str::to_owned)).collect(),
    };
    core.set_enrolment(e.clone())?;
    tracing::info!(device = %e.device_id, role = %e.role, "enrolled");
    Ok(e)
}

/// Syncs until the server has nothing more for this device; updates the status.
pub async fn sync_all(core: &Core, client: &reqwest::Client) -> Result<(), SyncProblem> {
    let Some(enrolment) = core.enrolment() else { return Ok(()) };
    core.status.send_modify(|s| s.running = true);
    let mut result = Ok(());
    for _ in 0..10_000 {
        match exchange(core, client, &enrolment).await {
            Ok(true) => continue,
            Ok(false) => break,
            Err(p) => {
                result = Err(p);
                break;
            }
        }
    }
    let now = crate::clock::now_seconds();
    if result.is_ok() {
        let _ = core.store().set_setting(key::LAST_SYNC, &now.to_string());
    }
    core.refresh_pending();
    core.status.send_modify(|s| {
        s.running = false;
        s.problem = result.clone().err();
        if result.is_ok() {
            s.last_success = Some(now);
            s.retry_in = None;
        }
    });
    result
}

/// One round trip; `Ok(true)` when the server has more.
async fn exchange(core: &Core, client: &reqwest::Client, e: &Enrolment) -> Result<bool, SyncProblem> {
    let actor = automerge::ActorId::from(hex::decode(&e.actor_id).unwrap_or_default());
    let (body, sent, pending) = {
        let store = core.store();
        let pending = store.unsynced().map_err(|_| SyncProblem::Server(0, "store".into()))?;
        let cursor = cursor_bytes(store.setting(key::CURSOR).ok().flatten());
        let saved =
            pending.iter().filter_map(|id| store.document(*id).ok().flatten().map(|(b, a)| (*id, b, a))).collect();
        let mut replica =
            Replica::restore(actor.clone(), saved, cursor).map_err(|_| SyncProblem::Server(0, "doc".into()))?;
        let (request, sent) = replica.request(1 << 20);
        (encode_request(&request), sent, pending)
    };
    let res = client
        .post(format!("{}/api/v1/sync", e.server))
        .header("authorization", format!("Bearer {}", e.token))
        .header("content-type", "application/vnd.rasoat.sync")
        .body(body)
        .send()
        .await
        .map_err(|_| SyncProblem::Offline)?;
    let status = res.status().as_u16();
    let bytes = res.bytes().await.map_err(|_| SyncProblem::Offline)?;
    if status != 200 {
        return Err(refusal(status, &bytes));
    }
    let response =
        decode_response(&bytes, &Limits::default()).map_err(|w| SyncProblem::Server(status, w.code().into()))?;
    let more = response.more;
    let mut touched: BTreeSet<Uuid> = pending.into_iter().collect();
    touched.extend(response.documents.iter().map(|d| d.household_id()));
    let today = core.today();
    let mut store = core.store();
    let saved = touched.iter().filter_map(|id| store.document(*id).ok().flatten().map(|(b, a)| (*id, b, a))).collect();
    let mut replica = Replica::restore(actor, saved, Vec::new()).map_err(|_| SyncProblem::Server(0, "doc".into()))?;
    let applied = replica.apply(&sent, response).map_err(|_| SyncProblem::Server(status, "bad_payload".into()))?;
    let cursor = hex::encode(replica.cursor());
    let now = crate::clock::now_seconds();
    let (docs, _) = replica.export();
    let mut rows = Vec::with_capacity(docs.len());
    for (id, bytes, acked) in docs {
        let Ok(mut doc) = automerge::AutoCommit::load(&bytes) else { continue };
        let row = project(&mut doc, &acked, 0, now, today);
        rows.push((id, (bytes, acked), row));
    }
    store.save(&rows, &[(key::CURSOR, &cursor)]).map_err(|_| SyncProblem::Server(0, "store".into()))?;
    if !applied.removed.is_empty() {
        let _ = store.remove(&applied.removed);
    }
    drop(store);
    if e.province.is_empty() {
        learn_province(core, e, &rows);
    }
    Ok(more)
}

/// Version 1 servers do not send the province at enrolment: take it from the first household
/// received (every household of a commune is in one province).
fn learn_province(core: &Core, e: &Enrolment, rows: &[(Uuid, crate::store::StoredDoc, crate::record::Row)]) {
    let Some((id, _, _)) = rows.first() else { return };
    if let Ok(Some(opened)) = core.open_household(*id) {
        let mut e = e.clone();
        e.province = opened.household.area.province.as_str().to_owned();
        let _ = core.set_enrolment(e);
    }
}

fn cursor_bytes(hex_cursor: Option<String>) -> Vec<u8> {
    hex_cursor.and_then(|h| hex::decode(h).ok()).unwrap_or_default()
}

fn refusal(status: u16, body: &[u8]) -> SyncProblem {
    let json: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let code = json["error"].as_str().unwrap_or("error").to_owned();
    match (status, code.as_str()) {
        (401, _) => SyncProblem::Unauthorised(code),
        (_, "refused") => SyncProblem::Refused(
            json["documents"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|d| {
                    let id = d["household_id"].as_str().and_then(|s| Uuid::parse_str(s).ok()).unwrap_or_default();
                    (id, d["reason"].as_str().unwrap_or("refused").to_owned())
                })
                .collect(),
        ),
        _ => SyncProblem::Server(status, code),
    }
}

/// The background task: syncs when woken (a save, the button, enrolment) and every
/// `interval`; after a failure retries with exponential backoff (5 s doubling to 5 min).
/// Ends when `shutdown` resolves.
pub async fn run(core: Arc<Core>, interval: Duration, shutdown: impl std::future::Future<Output = ()>) {
    let client = http_client();
    let mut failures: u32 = 0;
    tokio::pin!(shutdown);
    loop {
        let wait = if failures == 0 { interval } else { backoff(failures) };
        tokio::select! {
            _ = &mut shutdown => return,
            _ = core.wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
        }
        match sync_all(&core, &client).await {
            Ok(()) => failures = 0,
            Err(_) => {
                failures = failures.saturating_add(1);
                let secs = backoff(failures).as_secs();
                core.status.send_modify(|s| s.retry_in = Some(secs));
            }
        }
    }
}

/// The wait after `failures` failed attempts: 5 s, 10 s, 20 s, … at most 5 minutes.
pub fn backoff(failures: u32) -> Duration {
    Duration::from_secs((5u64 << failures.saturating_sub(1).min(6)).min(300))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_enrolment_link_gives_server_and_code() {
        let link = "rasoat://enrol?server=http%3A%2F%2F192.0.2.10%3A8080&code=ABCD-EFGH-JKMN";
        assert_eq!(parse_link(link), Some(("http://192.0.2.10:8080".into(), "ABCD-EFGH-JKMN".into())));
        assert_eq!(parse_link("http://example.org"), None);
        assert_eq!(parse_link("rasoat://enrol?server=x"), None);
    }

    #[test]
    fn backoff_doubles_to_five_minutes() {
        let secs: Vec<u64> = (1..=9).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(secs, [5, 10, 20, 40, 80, 160, 300, 300, 300]);
    }

    #[test]
    fn a_refusal_keeps_the_servers_reason_per_household() {
        let id = Uuid::nil();
        let body = serde_json::json!({"error": "refused", "documents": [{"household_id": id.to_string(), "reason": "out_of_scope"}]});
        assert_eq!(refusal(403, body.to_string().as_bytes()), SyncProblem::Refused(vec![(id, "out_of_scope".into())]));
        assert_eq!(refusal(401, br#"{"error":"revoked_token"}"#), SyncProblem::Unauthorised("revoked_token".into()));
        assert_eq!(refusal(500, b"x"), SyncProblem::Server(500, "error".into()));
    }
}
