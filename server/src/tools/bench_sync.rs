//! `rasoat bench sync`: the sync server on loopback with a realistic 5,000-household ward —
//! initial sync of a new phone, 50 edits on each of 10 phones, a no-change sync, and merge
//! throughput with 20 devices uploading at once — printing time, bytes and round trips.
//!
//! The devices are the same [`Replica`] the app uses; requests go over real HTTP/1.1 on
//! 127.0.0.1 through a minimal client (one request per connection, `Content-Length` bodies).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use automerge::ActorId;
use shared::access::Role;
use shared::replica::Replica;
use shared::sync_wire::{Limits, decode_response, encode_request};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::service::db::Db;
use crate::service::store::users::{NewUser, create_user, enrol_device, issue_enrolment_code};
use crate::tools::demo::{Rng, WardSpec, generate_ward};

/// One line of the report.
pub struct Line {
    /// Scenario.
    pub name: String,
    /// Wall time.
    pub time: Duration,
    /// Bytes sent by devices.
    pub up: usize,
    /// Bytes received by devices.
    pub down: usize,
    /// HTTP round trips.
    pub round_trips: usize,
    /// Free-form figure (changes/s, ratio …).
    pub note: String,
}

/// A benchmark device.
struct Phone {
    token: String,
    replica: Replica,
    up: usize,
    down: usize,
    trips: usize,
}

/// POSTs a sync body; returns (status, body).
async fn post(addr: SocketAddr, token: &str, body: &[u8]) -> std::io::Result<(u16, Vec<u8>)> {
    let mut s = TcpStream::connect(addr).await?;
    let head = format!(
        "POST /api/v1/sync HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/vnd.rasoat.sync\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await?;
    s.write_all(body).await?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| std::io::Error::other("no header end"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Ok((status, raw[split + 4..].to_vec()))
}

impl Phone {
    async fn sync_once(&mut self, addr: SocketAddr) -> Result<bool, String> {
        let (request, sent) = self.replica.request(4 << 20);
        let body = encode_request(&request);
        let (status, bytes) = post(addr, &self.token, &body).await.map_err(|e| e.to_string())?;
        self.up += body.len();
        self.down += bytes.len();
        self.trips += 1;
        if status != 200 {
            return Err(format!("status {status}: {}", String::from_utf8_lossy(&bytes)));
        }
        let response = decode_response(&bytes, &Limits::default()).map_err(|e| e.to_string())?;
        Ok(self.replica.apply(&sent, response).map_err(|e| e.to_string())?.more)
    }

    async fn sync(&mut self, addr: SocketAddr) -> Result<(), String> {
        while self.sync_once(addr).await? {}
        Ok(())
    }

    fn reset_counters(&mut self) {
        (self.up, self.down, self.trips) = (0, 0, 0);
    }
}

async fn phone(db: &Db, username: &str) -> Result<Phone, String> {
    let code = issue_enrolment_code(db, username, "bench").await.map_err(|e| e.to_string())?;
    let e = enrol_device(db, &code, "bench").await.map_err(|e| e.to_string())?.ok_or("enrolment refused")?;
    let actor = ActorId::from(hex::decode(&e.actor_id).map_err(|e| e.to_string())?);
    Ok(Phone { token: e.token, replica: Replica::new(actor), up: 0, down: 0, trips: 0 })
}

async fn user(db: &Db, username: &str, role: Role, groups: Vec<String>) -> Result<(), String> {
    let u = NewUser {
        username: username.into(),
        display_name: username.into(),
        role,
        province: "56".into(),
        commune: "22366".into(),
        groups,
    };
    create_user(db, &u).await.map(|_| ()).map_err(|e| e.to_string())
}

/// Runs the sync benchmarks against `database_url` (a fresh database is best).
pub async fn run(database_url: &str, households: usize) -> Result<Vec<Line>, String> {
    let db = Db::connect(database_url).await.map_err(|e| e.to_string())?;
    let server = crate::tools::bench::LocalServer::start(db.clone()).await?;
    let addr = server.addr;
    let run_id = uuid::Uuid::new_v4().simple().to_string()[..6].to_owned();
    let name = |s: &str| format!("{s}-{run_id}");
    user(&db, &name("staff"), Role::WardStaff, vec![]).await?;
    for i in 0..20 {
        user(&db, &name(&format!("staff{i}")), Role::WardStaff, vec![]).await?;
    }
    let mut lines = Vec::new();
    // 1. The ward's households arrive from one device (ward staff importing last year's list).
    let ward = generate_ward(&WardSpec { households, seed: 77, ..WardSpec::default() });
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).ok_or("date")?;
    let mut loader = phone(&db, &name("staff")).await?;
    for v in &ward {
        let (h, _) = shared::validate::check_json(v, today);
        loader.replica.save(&h.ok_or("demo household invalid")?, 1_790_000_000).map_err(|e| e.to_string())?;
    }
    let started = Instant::now();
    loader.sync(addr).await?;
    lines.push(Line {
        name: format!("upload {households} new households (1 device)"),
        time: started.elapsed(),
        up: loader.up,
        down: loader.down,
        round_trips: loader.trips,
        note: format!("{:.0} households/s", households as f64 / started.elapsed().as_secs_f64()),
    });

    // 2. A new phone's first sync of the whole ward.
    let mut fresh = phone(&db, &name("staff0")).await?;
    let started = Instant::now();
    fresh.sync(addr).await?;
    lines.push(Line {
        name: format!("initial sync of a new phone ({} households)", fresh.replica.ids().len()),
        time: started.elapsed(),
        up: fresh.up,
        down: fresh.down,
        round_trips: fresh.trips,
        note: String::new(),
    });

    // 3. No-change sync.
    fresh.reset_counters();
    let started = Instant::now();
    fresh.sync(addr).await?;
    lines.push(Line {
        name: "no-change sync".into(),
        time: started.elapsed(),
        up: fresh.up,
        down: fresh.down,
        round_trips: fresh.trips,
        note: String::new(),
    });

    // 4. 10 phones, each with the ward, edit 50 households each, then sync (upload, then
    //    everyone downloads everyone else's edits).
    let (saved, cursor) = fresh.replica.export();
    let mut phones = Vec::new();
    for i in 1..=10 {
        let mut p = phone(&db, &name(&format!("staff{i}"))).await?;
        let actor = ActorId::from(hex::decode(p.replica_actor_hex()).map_err(|e| e.to_string())?);
        p.replica = Replica::restore(actor, saved.clone(), cursor.clone()).map_err(|e| e.to_string())?;
        phones.push(p);
    }
    let ids = fresh.replica.ids();
    let mut rng = Rng::new(5);
    let mut change_bytes = 0usize;
    for (i, p) in phones.iter_mut().enumerate() {
        for k in 0..50 {
            let id = ids[(i * 50 + k) % ids.len()];
            let (h, _) = p.replica.household(id).map_err(|e| e.to_string())?.ok_or("missing")?;
            let mut h = h.ok_or("invalid")?;
            h.internet_use = Some(rng.chance(0.5));
            h.dwelling.floor_area_m2 = shared::model::FloorAreaM2::new(20.0 + rng.below(400) as f64 / 10.0).ok();
            p.replica.save(&h, 1_790_000_100).map_err(|e| e.to_string())?;
        }
        let (request, _) = p.replica.request(0);
        change_bytes += request.documents.iter().flat_map(|d| &d.changes).map(Vec::len).sum::<usize>();
        p.reset_counters();
    }
    let started = Instant::now();
    for p in phones.iter_mut() {
        p.sync(addr).await?;
    }
    for p in phones.iter_mut() {
        p.sync(addr).await?;
    }
    let (up, down, trips) = phones.iter().fold((0, 0, 0), |a, p| (a.0 + p.up, a.1 + p.down, a.2 + p.trips));
    lines.push(Line {
        name: "10 phones × 50 edits, upload then download".into(),
        time: started.elapsed(),
        up,
        down,
        round_trips: trips,
        note: format!(
            "raw changes {change_bytes} B; up/raw {:.2}; down per phone/raw of others {:.2}",
            up as f64 / change_bytes as f64,
            (down as f64 / 10.0) / (change_bytes as f64 * 0.9)
        ),
    });

    // 5. Merge throughput: 20 devices upload 25 edits each at the same moment.
    let mut uploaders = Vec::new();
    for i in 0..20 {
        let mut p = phone(&db, &name(&format!("staff{i}"))).await?;
        let actor = ActorId::from(hex::decode(p.replica_actor_hex()).map_err(|e| e.to_string())?);
        p.replica = Replica::restore(actor, saved.clone(), cursor.clone()).map_err(|e| e.to_string())?;
        for k in 0..25 {
            let id = ids[(i * 97 + k * 13) % ids.len()];
            let (h, _) = p.replica.household(id).map_err(|e| e.to_string())?.ok_or("missing")?;
            let mut h = h.ok_or("invalid")?;
            h.latrine =
                Some(if rng.chance(0.5) { shared::model::Latrine::Septic } else { shared::model::Latrine::SimplePit });
            h.internet_use = Some(rng.chance(0.5));
            p.replica.save(&h, 1_790_000_200).map_err(|e| e.to_string())?;
        }
        uploaders.push(p);
    }
    let started = Instant::now();
    let tasks: Vec<_> = uploaders
        .into_iter()
        .map(|mut p| {
            tokio::spawn(async move {
                let (request, sent) = p.replica.request(64 * 1024);
                let changes: usize = request.documents.iter().map(|d| d.changes.len()).sum();
                let (status, body) =
                    post(addr, &p.token, &encode_request(&request)).await.map_err(|e| e.to_string())?;
                if status != 200 {
                    return Err(format!("status {status}"));
                }
                let _ = (sent, body);
                Ok::<usize, String>(changes)
            })
        })
        .collect();
    let mut changes = 0;
    for t in tasks {
        changes += t.await.map_err(|e| e.to_string())??;
    }
    let elapsed = started.elapsed();
    lines.push(Line {
        name: "20 devices upload 25 edits each, concurrently".into(),
        time: elapsed,
        up: 0,
        down: 0,
        round_trips: 20,
        note: format!("{changes} changes, {:.0} changes/s", changes as f64 / elapsed.as_secs_f64()),
    });

    server.stop().await;
    Ok(lines)
}

impl Phone {
    fn replica_actor_hex(&self) -> String {
        self.replica.actor_hex()
    }
}

/// The report as a text table.
pub fn render(lines: &[Line]) -> String {
    let mut s =
        format!("{:<52} {:>10} {:>12} {:>12} {:>6}  {}\n", "scenario", "time", "bytes up", "bytes down", "trips", "");
    for l in lines {
        s.push_str(&format!(
            "{:<52} {:>10.3?} {:>12} {:>12} {:>6}  {}\n",
            l.name, l.time, l.up, l.down, l.round_trips, l.note
        ));
    }
    s
}
