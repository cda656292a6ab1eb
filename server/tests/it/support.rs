//! Test support: a real `rasoat` server per test on `127.0.0.1:0` over a fresh database —
//! a SQLite file in a temporary folder, or a new database in the throwaway PostgreSQL cluster
//! that `scripts/test` starts (`RASOAT_TEST_PG_URL`) — and simulated devices that sync
//! through real HTTP with the same replica logic as the phone app.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use automerge::ActorId;
use serde_json::{Value, json};
use server::service::app::Application;
use server::service::db::Db;
use server::service::store::users::{NewUser, create_user, issue_enrolment_code};
use shared::access::Role;
use shared::replica::{Applied, Replica};
use shared::sync_wire::{Limits, decode_response, encode_request};
use tokio::sync::oneshot;

/// Every test is bounded by this: a guard against hangs, not a speed target (the convergence
/// test alone takes a minute on a loaded 2-core machine).
pub const TIMEOUT: Duration = Duration::from_secs(300);

/// The two storage engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs `f` for both backends; a test is a sentence, each backend a case.
#[macro_export]
macro_rules! both_backends {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                tokio::time::timeout($crate::support::TIMEOUT, super::$name($crate::support::Backend::Sqlite))
                    .await
                    .expect("test timed out");
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                tokio::time::timeout($crate::support::TIMEOUT, super::$name($crate::support::Backend::Postgres))
                    .await
                    .expect("test timed out");
            }
        }
    };
}

/// A temporary folder, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        let dir = std::env::temp_dir().join(format!("rasoat-test-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh, empty database URL for `backend` (and the folder holding it, for SQLite).
pub async fn fresh_database(backend: Backend) -> (String, Option<TempDir>) {
    match backend {
        Backend::Sqlite => {
            let dir = TempDir::new();
            (format!("sqlite://{}", dir.0.join("rasoat.db").display()), Some(dir))
        }
        Backend::Postgres => {
            let admin = std::env::var("RASOAT_TEST_PG_URL").expect(
                "RASOAT_TEST_PG_URL is not set: run the tests with scripts/test, which starts a throwaway PostgreSQL",
            );
            let name = format!("t_{}", uuid::Uuid::new_v4().simple());
            sqlx::any::install_default_drivers();
            let pool = sqlx::AnyPool::connect(&admin).await.expect("connect to the test cluster");
            sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}")))
                .execute(&pool)
                .await
                .expect("create database");
            pool.close().await;
            (admin.replacen("/postgres?", &format!("/{name}?"), 1), None)
        }
    }
}

/// A running server.
pub struct TestApp {
    pub addr: SocketAddr,
    pub db: Db,
    /// Dropping the sender stops the server (graceful shutdown).
    _shutdown: oneshot::Sender<()>,
    _dir: Option<TempDir>,
}

impl TestApp {
    /// Starts a server over a fresh database with the demo ward's commune and groups.
    pub async fn spawn(backend: Backend) -> TestApp {
        let (url, dir) = fresh_database(backend).await;
        let db = Db::connect(&url).await.expect("database opens and migrates");
        Self::spawn_on(db, dir).await
    }

    /// Starts a server over an existing database.
    pub async fn spawn_on(db: Db, dir: Option<TempDir>) -> TestApp {
        let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("warn").try_init();
        let app = Application::with_db("127.0.0.1:0".parse().expect("addr"), db.clone()).await.expect("binds");
        let addr = app.local_addr();
        let (tx, rx) = oneshot::channel();
        tokio::spawn(app.run_until_stopped(async move {
            let _ = rx.await;
        }));
        TestApp { addr, db, _shutdown: tx, _dir: dir }
    }

    /// Creates a user with `role` in commune 22366 and `groups`, and enrols a device for them.
    pub async fn device(&self, username: &str, role: Role, groups: &[&str]) -> Device {
        self.device_in(username, role, "22366", groups).await
    }

    /// Like [`TestApp::device`], in another commune.
    pub async fn device_in(&self, username: &str, role: Role, commune: &str, groups: &[&str]) -> Device {
        let user = NewUser {
            username: username.into(),
            display_name: username.into(),
            role,
            province: "56".into(),
            commune: commune.into(),
            groups: groups.iter().map(|g| g.to_string()).collect(),
        };
        create_user(&self.db, &user).await.expect("user created");
        let code = issue_enrolment_code(&self.db, username, "test").await.expect("code issued");
        let (status, body) = post_json(self.addr, "/api/v1/enrol", &json!({"code": code, "label": username})).await;
        assert_eq!(status, 200, "{body}");
        let actor = ActorId::from(hex::decode(body["actor_id"].as_str().expect("actor")).expect("hex"));
        Device {
            addr: self.addr,
            token: body["token"].as_str().expect("token").to_owned(),
            replica: Replica::new(actor),
            bytes_up: 0,
            bytes_down: 0,
            round_trips: 0,
        }
    }
}

/// POSTs JSON; returns the status and the JSON body.
pub async fn post_json(addr: SocketAddr, path: &str, body: &Value) -> (u16, Value) {
    let res = http_client()
        .build()
        .expect("client")
        .post(format!("http://{addr}{path}"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("request sent");
    let status = res.status().as_u16();
    let text = res.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// POSTs raw bytes to the sync endpoint with a token.
pub async fn post_sync(addr: SocketAddr, token: &str, body: Vec<u8>) -> (u16, Vec<u8>) {
    try_post_sync(addr, token, body).await.expect("request sent and answered")
}

/// [`post_sync`] that reports a dropped connection instead of panicking.
pub async fn try_post_sync(addr: SocketAddr, token: &str, body: Vec<u8>) -> Result<(u16, Vec<u8>), reqwest::Error> {
    let res = http_client()
        .build()
        .expect("client")
        .post(format!("http://{addr}/api/v1/sync"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/vnd.rasoat.sync")
        .body(body)
        .send()
        .await?;
    let status = res.status().as_u16();
    Ok((status, res.bytes().await?.to_vec()))
}

/// A simulated phone.
pub struct Device {
    pub addr: SocketAddr,
    pub token: String,
    pub replica: Replica,
    pub bytes_up: usize,
    pub bytes_down: usize,
    pub round_trips: usize,
}

/// A refused sync: status and JSON reason.
#[derive(Debug)]
pub struct Refused {
    pub status: u16,
    pub body: Value,
}

impl Device {
    /// One request/response round trip.
    pub async fn sync_once(&mut self) -> Result<Applied, Refused> {
        let (request, sent) = self.replica.request(1 << 20);
        let body = encode_request(&request);
        self.bytes_up += body.len();
        let (status, bytes) = post_sync(self.addr, &self.token, body).await;
        self.bytes_down += bytes.len();
        self.round_trips += 1;
        if status != 200 {
            return Err(Refused { status, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null) });
        }
        let response = decode_response(&bytes, &Limits::default()).expect("server sends valid responses");
        Ok(self.replica.apply(&sent, response).expect("server sends usable documents"))
    }

    /// Syncs until the server has nothing more.
    pub async fn sync(&mut self) -> Result<(), Refused> {
        for _ in 0..1000 {
            if !self.sync_once().await?.more {
                return Ok(());
            }
        }
        panic!("sync did not finish in 1000 round trips");
    }
}

/// `n` realistic households of residential group TDP-01 from the demo generator with `seed`, as
/// a collector records them: without child measurements (those are the health station's).
pub fn collector_households(seed: u64, n: usize) -> Vec<shared::model::Household> {
    let ward = server::tools::demo::generate_ward(&server::tools::demo::WardSpec {
        households: 8 * n,
        seed,
        ..Default::default()
    });
    ward.into_iter()
        .filter(|h| h["area"]["group"] == "TDP-01")
        .map(|mut v| {
            v["measurements"] = json!([]);
            let (h, issues) = shared::model::read_household(&v);
            h.unwrap_or_else(|| panic!("seed {seed}: demo household unreadable: {issues:#?}"))
        })
        .take(n)
        .collect()
}

/// An HTTP client for the tests. Built with the app's `tls` feature unified in (e.g.
/// `--all-features`), reqwest has rustls without a provider and needs a process-wide one even
/// for plain-HTTP loopback requests: install ring's once.
pub fn http_client() -> reqwest::ClientBuilder {
    static PROVIDER: std::sync::Once = std::sync::Once::new();
    PROVIDER.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::Client::builder()
}
