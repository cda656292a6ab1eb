//! `rasoat bench --registry`: the ward staff's web pages over a registry of N households —
//! list pages (plain, filtered, searched, deep), the dashboard, a household's page, and the
//! XLSX exports — timed over real HTTP/1.1 on 127.0.0.1 with a logged-in session.
//!
//! The registry rows are written by the projection itself ([`crate::service::store::registry::project`]:
//! read, validate and classify with `shared`, then the same inserts as a sync), in batches of
//! 500 per transaction, without building Automerge documents — the pages read only the
//! registry tables, and storing 100,000 documents through the sync path would take the
//! benchmark several minutes before the first measurement.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use shared::access::Role;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::service::db::Db;
use crate::service::store::registry::{Projection, project};
use crate::service::store::sessions::create_session;
use crate::service::store::users::{NewUser, create_user};
use crate::tools::demo::{WardSpec, generate_ward};

/// One measured page.
pub struct Line {
    /// What was requested.
    pub name: String,
    /// Median time of the rounds.
    pub median: Duration,
    /// Slowest round.
    pub max: Duration,
    /// Response body bytes.
    pub bytes: usize,
}

/// GETs `path` with the session cookie; returns (status, body length).
async fn get(addr: SocketAddr, cookie: &str, path: &str) -> std::io::Result<(u16, usize)> {
    let mut s = TcpStream::connect(addr).await?;
    let head =
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: rasoat_session={cookie}\r\nConnection: close\r\n\r\n");
    s.write_all(head.as_bytes()).await?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| std::io::Error::other("no header end"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Ok((status, raw.len() - split - 4))
}

/// Fills the registry with `households` synthetic households of one commune (40 groups).
async fn fill(db: &Db, households: usize) -> Result<Vec<String>, String> {
    let spec = WardSpec { households, seed: 77, groups: (households / 2500).clamp(8, 40), ..WardSpec::default() };
    let ward = generate_ward(&spec);
    let mut ids = Vec::with_capacity(ward.len());
    for chunk in ward.chunks(500) {
        let mut w = db.begin_write().await.map_err(|e| e.to_string())?;
        for json in chunk {
            let id = json["household_id"].as_str().unwrap_or_default().to_owned();
            let place = crate::service::store::registry::place_of(json).ok_or("demo household without area")?;
            let projection = Projection { json: json.clone(), conflicts: Vec::new(), review: None };
            project(&mut w.tx, &id, &projection, &place, 0).await.map_err(|e| e.to_string())?;
            ids.push(id);
        }
        w.commit().await.map_err(|e| e.to_string())?;
    }
    Ok(ids)
}

/// Runs the benchmark against a fresh database at `database_url`.
pub async fn run(database_url: &str, households: usize) -> Result<Vec<Line>, String> {
    let db = Db::connect(database_url).await.map_err(|e| e.to_string())?;
    let started = Instant::now();
    // A database that already holds the registry (a re-run on the same file) is reused.
    let existing: Vec<String> = sqlx::query_scalar("select id from household order by id")
        .fetch_all(&db.pool)
        .await
        .map_err(|e| e.to_string())?;
    let reused = existing.len() >= households;
    let ids = if reused { existing } else { fill(&db, households).await? };
    let fill_time = started.elapsed();
    if db.backend == crate::service::db::Backend::Postgres {
        // What autovacuum does after a bulk load: statistics and the visibility map (index-only
        // scans for counts).
        for table in ["household", "indicator_result"] {
            sqlx::query(sqlx::AssertSqlSafe(format!("vacuum analyze {table}")))
                .execute(&db.pool)
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    let user = NewUser {
        username: format!("bench-{}", uuid::Uuid::new_v4().simple()),
        display_name: "Bench".into(),
        role: Role::WardStaff,
        province: "56".into(),
        commune: crate::tools::seed::DEMO_COMMUNE.into(),
        groups: vec![],
    };
    let user_id = create_user(&db, &user).await.map_err(|e| e.to_string())?;
    let cookie = create_session(&db, &user_id).await.map_err(|e| e.to_string())?;
    let server = crate::tools::bench::LocalServer::start(db.clone()).await?;
    let addr = server.addr;
    let deep = (households as i64 / 50 / 2).max(1);
    let pages: Vec<(String, String)> = vec![
        ("list, first page".into(), "/households".into()),
        ("list, group + category filter".into(), "/households?group=TDP-03&category=poor".into()),
        ("list, deprived on indicator 4 + review status".into(), "/households?indicator=4&review=visited".into()),
        ("list, search \"nguyen van\" (no diacritics)".into(), "/households?q=nguyen+van".into()),
        ("list, has conflicts".into(), "/households?conflicts=1".into()),
        (format!("list, page {deep} (deep offset)"), format!("/households?page={deep}")),
        ("list, sorted by most deprived".into(), "/households?sort=deprived".into()),
        ("dashboard".into(), "/".into()),
        ("department list, indicator 10".into(), "/departments?indicator=10".into()),
        ("household detail".into(), format!("/households/{}", ids[ids.len() / 2])),
        ("export XLSX, poor households".into(), "/exports/households.xlsx?category=poor".into()),
        ("export report XLSX (§8 tables 1–15)".into(), "/exports/report.xlsx".into()),
        ("export XLSX, whole registry list".into(), "/exports/households.xlsx".into()),
        ("export CSV, report table 1 (results per group)".into(), "/exports/report/1.csv".into()),
        ("export CSV, report table 14 (poor households with members)".into(), "/exports/report/14.csv".into()),
    ];
    let mut lines = vec![Line {
        name: if reused {
            format!("registry of {} households reused", ids.len())
        } else {
            format!("fill registry: {households} households (projection, no documents)")
        },
        median: fill_time,
        max: fill_time,
        bytes: 0,
    }];
    for (name, path) in pages {
        let rounds = if path.contains("exports") && households > 20_000 { 3 } else { 7 };
        let mut times = Vec::new();
        let mut bytes = 0;
        for _ in 0..rounds {
            let t = Instant::now();
            let (status, n) = get(addr, &cookie, &path).await.map_err(|e| e.to_string())?;
            times.push(t.elapsed());
            if status != 200 {
                return Err(format!("{path}: status {status}"));
            }
            bytes = n;
        }
        times.sort();
        lines.push(Line { name, median: times[times.len() / 2], max: times[times.len() - 1], bytes });
    }
    server.stop().await;
    Ok(lines)
}

/// The report, one line per page.
pub fn render(lines: &[Line]) -> String {
    let mut s = format!("{:<60} {:>12} {:>12} {:>12}\n", "page", "median", "max", "bytes");
    for l in lines {
        s.push_str(&format!("{:<60} {:>12.1?} {:>12.1?} {:>12}\n", l.name, l.median, l.max, l.bytes));
    }
    s
}
