//! The app end to end: a real `rasoat` server (demo seed, SQLite in a temporary folder) and two
//! app instances (a collector's and a health worker's phone, each with its own data folder)
//! served with liveview on ephemeral ports, driven by headless Chromium at phone size
//! (`tests/browser/app-flow.mjs`). Afterwards the household, its three members and the child's
//! flagged measurement must be in the server's registry.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use mobile::core::Core;
use server::service::app::Application;
use server::service::db::Db;
use tokio::sync::watch;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// Every await of the test is bounded by this.
const TIMEOUT: Duration = Duration::from_secs(300);

struct TempDir(PathBuf);

impl TempDir {
    fn new(what: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("rasoat-e2e-{what}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn stopped(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|s| *s).await;
}

/// One phone: its engine, its liveview server and its sync task.
async fn start_app(
    dir: &TempDir,
    stop: &watch::Receiver<bool>,
) -> (SocketAddr, Arc<Core>, Vec<tokio::task::JoinHandle<()>>) {
    let core = Core::open(&dir.0).expect("app data opens");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let addr = listener.local_addr().expect("addr");
    let served = tokio::spawn({
        let (core, stop) = (core.clone(), stopped(stop.clone()));
        async move {
            let _ = mobile::liveview::serve(core, listener, stop).await;
        }
    });
    let sync = tokio::spawn(mobile::sync::run(core.clone(), Duration::from_secs(3600), stopped(stop.clone())));
    (addr, core, vec![served, sync])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_collector_surveys_a_health_worker_measures_and_the_registry_has_both() {
    tokio::time::timeout(TIMEOUT, flow()).await.expect("the app flow finished in time");
}

async fn flow() {
    let server_dir = TempDir::new("server");
    let db = Db::connect(&format!("sqlite://{}", server_dir.0.join("rasoat.db").display())).await.expect("db");
    let credentials = server::tools::seed::seed_demo(&db, 40).await.expect("demo seeded");
    let app = Application::with_db("127.0.0.1:0".parse().expect("addr"), db.clone()).await.expect("server binds");
    let server_addr = app.local_addr();
    let (stop_tx, stop_rx) = watch::channel(false);
    let (server_stop, server_stopped) = watch::channel(false);
    let server_task = tokio::spawn(app.run_until_stopped(stopped(server_stopped)));

    let (collector_dir, health_dir) = (TempDir::new("collector"), TempDir::new("health"));
    let (collector_addr, collector, mut tasks) = start_app(&collector_dir, &stop_rx).await;
    let (health_addr, _health, more) = start_app(&health_dir, &stop_rx).await;
    tasks.extend(more);

    let shots = format!("{ROOT}/docs/screenshots");
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    let output = tokio::process::Command::new("node")
        .arg(format!("{ROOT}/tests/browser/app-flow.mjs"))
        .args([
            format!("http://{collector_addr}/"),
            format!("http://{health_addr}/"),
            format!("http://{server_addr}"),
            credentials.collector_code.clone(),
            credentials.health_code.clone(),
            shots,
        ])
        .kill_on_drop(true)
        .output()
        .await
        .expect("node runs (scripts/test installs it with playwright-core)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "browser flow failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let result: serde_json::Value =
        serde_json::from_str(stdout.lines().last().unwrap_or_default()).expect("the flow prints its result");
    let id = result["household_id"].as_str().expect("household id").to_owned();

    let count = |sql: &'static str| {
        let (pool, id) = (db.pool.clone(), id.clone());
        async move { sqlx::query_scalar::<_, i64>(sql).bind(id).fetch_one(&pool).await.expect("registry query") }
    };
    assert_eq!(count("select count(*) from household where id = $1").await, 1, "household in the registry");
    assert_eq!(count("select count(*) from household_member where household_id = $1").await, 3, "three members");
    assert_eq!(count("select count(*) from household where id = $1 and category = 'poor'").await, 1);
    assert_eq!(
        count("select count(*) from measurement where household_id = $1 and waz_flag = 1").await,
        1,
        "the child's flagged measurement"
    );
    assert_eq!(collector.sync_status().pending, 0, "nothing left to send");

    // The server goes away: the app says "offline" and keeps everything.
    let _ = server_stop.send(true);
    let _ = server_task.await;
    let output = tokio::process::Command::new("node")
        .arg(format!("{ROOT}/tests/browser/app-offline.mjs"))
        .args([format!("http://{collector_addr}/"), format!("{ROOT}/docs/screenshots")])
        .kill_on_drop(true)
        .output()
        .await
        .expect("node runs");
    assert!(output.status.success(), "offline flow failed:\n{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(collector.sync_status().problem, Some(mobile::sync::SyncProblem::Offline));
    assert!(collector.open_household(uuid::Uuid::parse_str(&id).expect("uuid")).expect("read").is_some());

    let _ = stop_tx.send(true);
    for t in tasks {
        let _ = t.await;
    }
}
