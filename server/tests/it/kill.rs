//! The `rasoat serve` process killed (SIGKILL) at random points during syncs (sync-server
//! issue, "Tests"): after every restart on the same database, every change the server had
//! acknowledged is stored, the registry agrees with the documents, and syncing carries on.
//!
//! Seeded: the seed (edits, kill delays) is logged; `RASOAT_KILL_SEED=n` replays its choices,
//! though where a kill lands also depends on timing.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use automerge::{ActorId, Change, ChangeHash};
use serde_json::{Value, json};
use server::service::db::Db;
use server::service::store::users::{NewUser, create_user, issue_enrolment_code};
use server::tools::demo::Rng;
use shared::access::Role;
use shared::model::Household;
use shared::replica::Replica;
use shared::sync_wire::{Limits, SyncRequest, decode_response, encode_request};
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};
use uuid::Uuid;

use crate::both_backends;
use crate::support::*;

/// Kill-and-restart rounds.
const ROUNDS: usize = 30;
/// Bound on each step (start, exchange, kill); the whole test is bounded by [`TIMEOUT`].
const STEP_TIMEOUT: Duration = Duration::from_secs(20);
/// Households the collector may create.
const HOUSEHOLDS: usize = 40;

fn seed() -> u64 {
    match std::env::var("RASOAT_KILL_SEED") {
        Ok(s) => s.trim().parse().expect("RASOAT_KILL_SEED is a number"),
        Err(_) => std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64),
    }
}

async fn no_acknowledged_change_is_lost_when_the_server_is_killed_mid_sync(backend: Backend) {
    let seed = seed();
    eprintln!("kill test on {backend:?}: seed {seed} (replay with RASOAT_KILL_SEED={seed})");
    let mut run = KillRun::start(backend, seed).await;
    for round in 1..=ROUNDS {
        run.round(round).await;
    }
    let [answered, stored_unanswered, cut_off] = run.tally;
    eprintln!(
        "kill test on {backend:?}: {answered} exchanges answered; killed before answering: \
         {stored_unanswered} after storing, {cut_off} before"
    );
    run.finish().await;
}
both_backends!(no_acknowledged_change_is_lost_when_the_server_is_killed_mid_sync);

/// The database, the current server process, the phone, and what the server acknowledged.
struct KillRun {
    seed: u64,
    rng: Rng,
    url: String,
    _db_dir: Option<TempDir>,
    /// The servers' stderr, one file per start.
    logs: TempDir,
    codes: Codes,
    server: Server,
    device: Device,
    /// Households the phone has not created yet.
    households: Vec<Household>,
    /// Changes of every exchange answered with 200.
    acknowledged: BTreeSet<ChangeHash>,
    /// Hashes in `doc_change` after the last restart.
    stored: BTreeSet<String>,
    /// How long an exchange takes on this machine (measured every fifth round).
    exchange_time: Duration,
    /// Exchanges answered; killed after storing but before answering; killed before storing.
    tally: [usize; 3],
}

impl KillRun {
    async fn start(backend: Backend, seed: u64) -> KillRun {
        let (url, db_dir) = fresh_database(backend).await;
        let logs = TempDir::new();
        let codes = prepare(&url).await;
        let server = Server::start(&url, &logs.0, 0).await;
        let device = enrol(server.addr, &codes.collector).await;
        KillRun {
            seed,
            rng: Rng::new(seed),
            url,
            _db_dir: db_dir,
            logs,
            codes,
            server,
            device,
            households: collector_households(seed, HOUSEHOLDS),
            acknowledged: BTreeSet::new(),
            stored: BTreeSet::new(),
            exchange_time: Duration::ZERO,
            tally: [0; 3],
        }
    }

    /// Edits, one exchange cut by a kill, a restart, and the checks.
    async fn round(&mut self, round: usize) {
        for _ in 0..self.rng.range(1, 3) {
            edit(&mut self.rng, &mut self.device, &mut self.households, round as i64);
        }
        let (request, sent) = self.device.replica.request(1 << 20);
        let uploaded = hashes_by_document(&request);
        let answer = self.exchange_and_kill(round, &request).await;
        if let Some(body) = &answer {
            let response = decode_response(body, &Limits::default()).expect("a whole response decodes");
            for id in &response.accepted {
                self.acknowledged.extend(uploaded.get(id).into_iter().flatten());
            }
            self.device.replica.apply(&sent, response).expect("applies");
        }
        self.server = Server::start(&self.url, &self.logs.0, round).await;
        self.device.addr = self.server.addr;
        let when = format!("seed {}, after restart {round}", self.seed);
        let touched: Vec<Uuid> = uploaded.keys().copied().collect();
        let stored = assert_stored(&self.url, &self.acknowledged, &touched, &when).await;
        // All or nothing: the request's new changes were stored in one transaction, or none.
        let new: Vec<String> =
            uploaded.values().flatten().map(ChangeHash::to_string).filter(|h| !self.stored.contains(h)).collect();
        let kept = new.iter().filter(|h| stored.contains(*h)).count();
        assert!(
            kept == 0 || kept == new.len(),
            "{when}: {kept} of the request's {} new changes were stored",
            new.len()
        );
        let outcome = match answer {
            Some(_) => 0,
            None if kept > 0 || new.is_empty() => 1,
            None => 2,
        };
        self.tally[outcome] += 1;
        self.stored = stored;
    }

    /// Sends `request` and SIGKILLs the server: after the answer every fifth round (a server at
    /// rest; the exchange is timed), otherwise after a random delay from zero to a bit more
    /// than an exchange takes here — before, during or after the exchange, whatever this
    /// machine's speed. Returns the answer if the phone received one.
    async fn exchange_and_kill(&mut self, round: usize, request: &SyncRequest) -> Option<Vec<u8>> {
        let (addr, token) = (self.device.addr, self.device.token.clone());
        let started = Instant::now();
        let body = encode_request(request);
        let exchange = tokio::spawn(async move { try_post_sync(addr, &token, body).await });
        let outcome = if round % 5 == 1 {
            let outcome = within(exchange, "the exchange").await;
            self.exchange_time = started.elapsed();
            self.server.kill().await;
            outcome
        } else {
            let delay = self.exchange_time.max(Duration::from_millis(30)).mul_f64(1.25 * self.rng.unit());
            tokio::time::sleep(delay).await; // fault injection, not a wait for a condition
            self.server.kill().await;
            within(exchange, "the cut-off exchange").await
        };
        let (status, body) = outcome.expect("the exchange task does not panic").ok()?;
        assert_eq!(status, 200, "seed {}, round {round}: {}", self.seed, String::from_utf8_lossy(&body));
        Some(body)
    }

    /// A last full sync and a new phone's first sync; then, with the server stopped, every
    /// acknowledged change is stored, the server's documents and registry are the phone's, and
    /// no server logged an error.
    async fn finish(mut self) {
        within(self.device.sync(), "the final sync").await.expect("the final sync is accepted");
        let mut staff = enrol(self.server.addr, &self.codes.ward_staff).await;
        within(staff.sync(), "a new phone's first sync").await.expect("accepted");
        self.server.kill().await;
        let ids = self.device.replica.ids();
        assert_stored(&self.url, &self.acknowledged, &ids, &format!("seed {}, at the end", self.seed)).await;
        assert_server_matches(&self.url, &mut self.device, &mut staff, self.seed).await;
        for n in 0..=ROUNDS {
            let log = read_log(&self.logs.0.join(format!("serve-{n}.log")));
            assert!(
                !log.contains("ERROR") && !log.contains("panicked"),
                "seed {}: server {n} logged:\n{log}",
                self.seed
            );
        }
    }
}

/// Enrolment codes of the two users.
struct Codes {
    collector: String,
    ward_staff: String,
}

/// Creates the database, a collector of TDP-01 and a ward staff member, and their codes.
async fn prepare(url: &str) -> Codes {
    let db = within(Db::connect(url), "creating the database").await.expect("database created");
    let mut codes = Vec::new();
    for (username, role, groups) in
        [("ctv01", Role::Collector, vec!["TDP-01".to_owned()]), ("canbo", Role::WardStaff, vec![])]
    {
        let user = NewUser {
            username: username.into(),
            display_name: username.into(),
            role,
            province: "56".into(),
            commune: "22366".into(),
            groups,
        };
        within(create_user(&db, &user), "creating a user").await.expect("user created");
        codes.push(within(issue_enrolment_code(&db, username, "test"), "issuing a code").await.expect("code"));
    }
    db.pool.close().await;
    Codes { ward_staff: codes.pop().expect("two codes"), collector: codes.pop().expect("two codes") }
}

/// Enrols a device with a one-time code over HTTP.
async fn enrol(addr: SocketAddr, code: &str) -> Device {
    let (status, body) =
        within(post_json(addr, "/api/v1/enrol", &json!({"code": code, "label": "phone"})), "enrolment").await;
    assert_eq!(status, 200, "{body}");
    let actor = ActorId::from(hex::decode(body["actor_id"].as_str().expect("actor")).expect("hex"));
    Device {
        addr,
        token: body["token"].as_str().expect("token").to_owned(),
        replica: Replica::new(actor),
        bytes_up: 0,
        bytes_down: 0,
        round_trips: 0,
    }
}

/// `rasoat serve` as a child process; killed when dropped, so a failing test leaves none behind.
struct Server {
    child: Child,
    addr: SocketAddr,
    /// Kept open: the server may still write to its stdout.
    _stdout: Lines<BufReader<ChildStdout>>,
}

impl Server {
    /// Starts `rasoat serve` on a port the OS picks, logging to `logs/serve-<n>.log`, and
    /// waits for its "listening" line: a server that cannot restart fails the test here.
    async fn start(url: &str, logs: &Path, n: usize) -> Server {
        Server::start_logging(url, logs, n, "warn").await
    }

    /// [`Server::start`] with the log filter `level`.
    async fn start_logging(url: &str, logs: &Path, n: usize, level: &str) -> Server {
        let log = logs.join(format!("serve-{n}.log"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_rasoat"))
            .args(["serve", "--bind", "127.0.0.1:0", "--database-url", url])
            .env("RASOAT_LOG", level)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .kill_on_drop(true)
            .spawn()
            .expect("rasoat starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped")).lines();
        loop {
            let line = within(stdout.next_line(), "the server's listening line").await.expect("stdout readable");
            let Some(line) = line else {
                panic!("start {n}: rasoat serve exited before listening:\n{}", read_log(&log));
            };
            if let Some(rest) = line.strip_prefix("rasoat listening on http://") {
                let addr = rest.split_whitespace().next().and_then(|a| a.parse().ok());
                let addr = addr.unwrap_or_else(|| panic!("an address in {line:?}"));
                return Server { child, addr, _stdout: stdout };
            }
        }
    }

    /// SIGKILL, and wait until the process is gone.
    async fn kill(&mut self) {
        self.child.start_kill().expect("the server can be killed");
        within(self.child.wait(), "the killed server's exit").await.expect("exit status");
    }
}

/// Regression: `main` used to hold the stderr lock for the whole run, so the first log line
/// written from a worker thread blocked it forever — the server stopped answering and ignored
/// SIGTERM. With info logs on, it must serve, then stop cleanly on SIGTERM.
async fn the_server_logs_serves_and_stops_on_sigterm(backend: Backend) {
    let (url, _db_dir) = fresh_database(backend).await;
    let logs = TempDir::new();
    let codes = prepare(&url).await;
    let mut server = Server::start_logging(&url, &logs.0, 0, "debug").await;
    for _ in 0..3 {
        let (status, _) = post_json(server.addr, "/api/v1/enrol", &json!({"code": "not-a-code"})).await;
        assert_eq!(status, 401, "an unknown code is refused, and the server keeps answering");
    }
    let device = enrol(server.addr, &codes.collector).await;
    assert!(!device.token.is_empty());
    let pid = server.child.id().expect("running").to_string();
    let sent = std::process::Command::new("kill").args(["-TERM", &pid]).status().expect("kill runs");
    assert!(sent.success());
    let status = within(server.child.wait(), "exit after SIGTERM").await.expect("exit status");
    let log = read_log(&logs.0.join("serve-0.log"));
    assert!(status.success(), "clean exit after SIGTERM: {status:?}\n{log}");
    assert!(log.contains("shutting down"), "{log}");
}
both_backends!(the_server_logs_serves_and_stops_on_sigterm);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

fn read_log(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| format!("(no log: {e})"))
}

/// `fut`, or a panic naming `what` after [`STEP_TIMEOUT`].
async fn within<T>(fut: impl Future<Output = T>, what: &str) -> T {
    tokio::time::timeout(STEP_TIMEOUT, fut).await.unwrap_or_else(|_| panic!("{what} timed out"))
}

/// The hashes of the changes a request uploads, by document.
fn hashes_by_document(request: &SyncRequest) -> BTreeMap<Uuid, Vec<ChangeHash>> {
    let hash = |bytes: &Vec<u8>| Change::from_bytes(bytes.clone()).expect("the replica sends valid changes").hash();
    request.documents.iter().map(|d| (d.household_id, d.changes.iter().map(hash).collect())).collect()
}

/// A collector's edit: a new household, or a changed answer of one on the phone.
fn edit(rng: &mut Rng, device: &mut Device, households: &mut Vec<Household>, timestamp: i64) {
    let ids = device.replica.ids();
    if (ids.is_empty() || rng.chance(0.3))
        && let Some(h) = households.pop()
    {
        device.replica.save(&h, timestamp).expect("saved");
        return;
    }
    let id = *rng.pick(&ids);
    let (h, issues) = device.replica.household(id).expect("readable").expect("on the phone");
    let mut v = h.unwrap_or_else(|| panic!("{id} unreadable: {issues:#?}")).to_json();
    match rng.below(4) {
        0 => v["latrine"] = json!(rng.pick(&["septic", "pour_flush", "simple_pit", "none"])),
        1 => v["internet_use"] = json!(rng.chance(0.5)),
        2 => v["dwelling"]["floor_area_m2"] = json!(rng.range(80, 1500) as f64 / 10.0),
        _ => {
            let member = json!({
                "member_id": rng.uuid(), "full_name": "Lê Văn Tâm", "sex": "male", "birth_date": "1988-03-04",
                "relation": "sibling", "work": "self_employed", "health_insurance": true, "education": "primary",
                "in_school": false, "school_level_ok": null,
            });
            v["members"].as_array_mut().expect("members").push(member);
        }
    }
    let (edited, issues) = shared::model::read_household(&v);
    device.replica.save(&edited.unwrap_or_else(|| panic!("{issues:#?}")), timestamp).expect("saved");
}

/// Every acknowledged change is in `doc_change`, and the registry row of each household in
/// `touched` is its stored document (both written in one transaction, or neither). Opening the
/// database in-process runs the migrations once more: they must be idempotent. Returns the
/// stored hashes.
async fn assert_stored(
    url: &str,
    acknowledged: &BTreeSet<ChangeHash>,
    touched: &[Uuid],
    when: &str,
) -> BTreeSet<String> {
    let db = within(Db::connect(url), "opening the database").await.expect("the database opens after a kill");
    let stored: Vec<String> =
        within(sqlx::query_scalar("select hash from doc_change").fetch_all(&db.pool), "reading hashes")
            .await
            .expect("hashes");
    let stored: BTreeSet<String> = stored.into_iter().collect();
    let missing: Vec<&ChangeHash> = acknowledged.iter().filter(|h| !stored.contains(&h.to_string())).collect();
    assert!(missing.is_empty(), "{when}: acknowledged changes missing from doc_change: {missing:?}");
    for id in touched {
        let key = id.to_string();
        let doc = within(server::service::store::documents::load_for_read(&db, &key), "loading a document").await;
        let record = sqlx::query_scalar::<_, String>("select record_json from household where id = $1").bind(&key);
        let record = within(record.fetch_optional(&db.pool), "reading the registry").await.expect("registry");
        match (doc.expect("the stored document loads"), record) {
            (None, None) => {}
            (Some(doc), Some(record)) => {
                let record: Value = serde_json::from_str(&record).expect("json");
                let json = shared::doc::to_json(&doc).expect("a household document");
                assert_eq!(record, json, "{when}: the registry row of {id} is not its stored document");
            }
            (doc, record) => {
                panic!("{when}: {id} has a document: {}, a registry row: {}", doc.is_some(), record.is_some())
            }
        }
    }
    db.pool.close().await;
    stored
}

/// The stored documents are the phone's (same heads), and a new phone's first sync gives the
/// same.
async fn assert_server_matches(url: &str, device: &mut Device, staff: &mut Device, seed: u64) {
    let db = within(Db::connect(url), "opening the database").await.expect("opens");
    let ids = device.replica.ids();
    assert_eq!(staff.replica.ids(), ids, "seed {seed}: a new phone receives every household");
    for id in ids {
        let mut heads = device.replica.heads(id).expect("present");
        heads.sort();
        let stored = within(server::service::store::documents::load_for_read(&db, &id.to_string()), "loading").await;
        let stored = stored.expect("loads").unwrap_or_else(|| panic!("seed {seed}: the server lacks {id}"));
        let mut stored_heads = stored.get_heads();
        stored_heads.sort();
        assert_eq!(stored_heads, heads, "seed {seed}: the server's {id} is not the phone's");
        let mut theirs = staff.replica.heads(id).expect("present");
        theirs.sort();
        assert_eq!(theirs, heads, "seed {seed}: the new phone's {id} is not the phone's");
    }
    db.pool.close().await;
}
