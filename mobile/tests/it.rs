//! The app's engine against a real server (in process, SQLite in a temporary folder, demo
//! seed): enrolment, save, background-free sync rounds, what a second device receives, and a
//! refusal carried back with the server's reason. One integration test binary for the package.

use std::path::PathBuf;
use std::sync::Arc;

use mobile::core::Core;
use mobile::draft::Draft;
use mobile::store::Filter;
use mobile::sync::{SyncProblem, enrol, http_client, sync_all};
use server::service::app::Application;
use server::service::db::Db;

struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let dir = std::env::temp_dir().join(format!("rasoat-app-it-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct World {
    server: String,
    collector_code: String,
    health_code: String,
    _stop: tokio::sync::oneshot::Sender<()>,
    _dir: TempDir,
}

async fn world() -> World {
    let dir = TempDir::new();
    let db = Db::connect(&format!("sqlite://{}", dir.0.join("rasoat.db").display())).await.expect("db");
    let creds = server::tools::seed::seed_demo(&db, 24).await.expect("seed");
    let app = Application::with_db("127.0.0.1:0".parse().expect("addr"), db).await.expect("binds");
    let server = format!("http://{}", app.local_addr());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until_stopped(async move {
        let _ = rx.await;
    }));
    World { server, collector_code: creds.collector_code, health_code: creds.health_code, _stop: tx, _dir: dir }
}

async fn phone(dir: &TempDir, server: &str, code: &str) -> Arc<Core> {
    let core = Core::open(&dir.0).expect("opens");
    enrol(&core, server, code).await.expect("enrols");
    sync_all(&core, &http_client()).await.expect("first sync");
    core
}

fn new_household(core: &Core) -> Draft {
    let e = core.enrolment().expect("enrolled");
    let mut d = Draft::new(&e.province, &e.commune, &e.groups[0], core.commune_is_urban(), core.today());
    d.set("address", "3 Nguyễn Trãi");
    d.edit_member(None);
    let f = d.member_form.as_mut().expect("form");
    for (k, v) in [("full_name", "Đặng Thị Hồng"), ("sex", "female"), ("birth", "1990-05-01"), ("relation", "head")]
    {
        f.set(k, v);
    }
    d.save_member();
    d
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_household_saved_offline_reaches_another_phone_after_sync() {
    let w = world().await;
    let (a, b) = (TempDir::new(), TempDir::new());
    let collector = phone(&a, &w.server, &w.collector_code).await;
    let e = collector.enrolment().expect("enrolled");
    assert_eq!((e.role.as_str(), e.province.as_str()), ("collector", "56"), "province learnt from the first sync");
    let before = collector.list("", Filter::All, 0, 1000).expect("list").total;
    assert!(before > 0, "the first sync brought the group's households");

    let d = new_household(&collector);
    collector.save(&d.household, 2).expect("saved");
    assert_eq!(collector.sync_status().pending, 1);
    sync_all(&collector, &http_client()).await.expect("sync");
    assert_eq!(collector.sync_status().pending, 0);
    assert!(collector.sync_status().last_success.is_some());

    let health = phone(&b, &w.server, &w.health_code).await;
    let found = health.list("dang thi hong", Filter::All, 0, 10).expect("search");
    assert_eq!(found.total, 1, "the health worker's phone has the new household");
    drop(collector);
    let reopened = Core::open(&a.0).expect("reopens");
    assert_eq!(reopened.list("", Filter::All, 0, 1000).expect("list").total, before + 1, "nothing lost on restart");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_change_keeps_the_servers_reason_and_stays_pending() {
    let w = world().await;
    let dir = TempDir::new();
    let collector = phone(&dir, &w.server, &w.collector_code).await;
    let mut d = new_household(&collector);
    d.set("area.group", "TDP-05");
    collector.save(&d.household, 2).expect("saved locally");
    let problem = sync_all(&collector, &http_client()).await.expect_err("TDP-05 is not the collector's group");
    assert_eq!(problem, SyncProblem::Refused(vec![(d.household.household_id.0, "out_of_scope".into())]));
    assert_eq!(collector.sync_status().pending, 1, "kept on the phone, not lost");
    assert_eq!(collector.sync_status().problem, Some(problem));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_health_worker_cannot_save_a_collectors_answer() {
    let w = world().await;
    let dir = TempDir::new();
    let health = phone(&dir, &w.server, &w.health_code).await;
    let row = health.list("", Filter::All, 0, 1).expect("list").rows.remove(0);
    let mut h = health.open_household(row.household_id).expect("read").expect("exists").household;
    h.address = shared::model::Address::new("đổi địa chỉ").expect("valid");
    let Err(mobile::core::SaveError::Forbidden(paths)) = health.save(&h, 0) else {
        panic!("a health worker's address change must be refused on the phone")
    };
    assert_eq!(paths, ["address"]);
    assert_eq!(health.sync_status().pending, 0, "nothing stored");
    h.members[0].health_insurance = Some(true);
    h.address = health.open_household(row.household_id).expect("read").expect("exists").household.address;
    health.save(&h, 0).expect("health insurance is the health worker's to answer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_is_offline_not_an_error_and_a_bad_code_is_refused() {
    let w = world().await;
    let dir = TempDir::new();
    let core = Core::open(&dir.0).expect("opens");
    assert!(matches!(enrol(&core, &w.server, "XXXX-XXXX-XXXX").await, Err(mobile::sync::EnrolError::Refused(_))));
    let health = phone(&dir, &w.server, &w.health_code).await;
    let mut e = health.enrolment().expect("enrolled");
    e.server = "http://127.0.0.1:9".into();
    health.set_enrolment(e).expect("stored");
    assert_eq!(sync_all(&health, &http_client()).await, Err(SyncProblem::Offline));
}

/// Set in the child process of the kill test: the data folder to write into.
const KILL_CHILD: &str = "RASOAT_APP_KILL_CHILD";

fn enrolled_core(dir: &std::path::Path) -> Arc<Core> {
    let core = Core::open(dir).expect("opens");
    if core.enrolment().is_none() {
        core.set_enrolment(mobile::core::Enrolment {
            server: "http://127.0.0.1:9".into(),
            device_id: "kill".into(),
            token: "t".into(),
            actor_id: "0123456789abcdef0123456789abcdef".into(),
            role: "collector".into(),
            province: "56".into(),
            commune: "22366".into(),
            groups: vec!["TDP-01".into()],
        })
        .expect("enrolled");
    }
    core
}

#[test]
fn an_app_killed_while_saving_keeps_every_household_it_reported_saved() {
    use std::io::BufRead;
    if let Some(dir) = std::env::var_os(KILL_CHILD) {
        // The child: save households as fast as possible, reporting each after `save` returned.
        let core = enrolled_core(std::path::Path::new(&dir));
        loop {
            let d = new_household(&core);
            core.save(&d.household, 1).expect("saved");
            println!("saved {}", d.household.household_id);
        }
    }
    let dir = TempDir::new();
    drop(enrolled_core(&dir.0));
    let mut child = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", "an_app_killed_while_saving_keeps_every_household_it_reported_saved", "--nocapture"])
        .env(KILL_CHILD, &dir.0)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("child starts");
    let stdout = child.stdout.take().expect("piped");
    let mut reported = Vec::new();
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line.expect("line");
        if let Some(id) = line.strip_prefix("saved ") {
            reported.push(uuid::Uuid::parse_str(id).expect("uuid"));
            if reported.len() == 25 {
                break;
            }
        }
    }
    child.kill().expect("SIGKILL mid-save");
    let _ = child.wait();
    let core = Core::open(&dir.0).expect("reopens after the kill");
    for id in &reported {
        assert!(core.open_household(*id).expect("read").is_some(), "household {id} was reported saved but is gone");
    }
    assert!(core.list("", Filter::Unsynced, 0, 1000).expect("list").total >= reported.len());
}
