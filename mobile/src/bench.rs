//! `rasoat-app bench`: the figures of BENCHMARKS.md — cold start to a usable list with N
//! households, the save latency of one survey step, search latency, memory.
//!
//! The households are the bundled demo ward (`data/demo-ward.jsonl`, realistic records)
//! repeated with fresh ids and varied names until there are N, stored through the same save
//! path as the app (Automerge document + projection row). "Cold start" opens the database
//! (migrations check, settings, pending count), reads the first page and builds the list
//! screen's virtual DOM; the OS file cache is warm (a phone's first start after boot is slower).

use std::fmt::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use dioxus::prelude::VirtualDom;
use shared::model::{Household, HouseholdId, MemberId, PersonName};
use shared::replica::Replica;

use crate::core::{Core, Enrolment};
use crate::record::project;
use crate::store::{Filter, Store};

const ACTOR: &str = "0123456789abcdef0123456789abcdef";

/// Runs the benchmark over `households`, with the demo ward read from `ward` (JSON Lines).
pub fn run(households: usize, ward: &Path) -> Result<String, String> {
    let template = read_ward(ward)?;
    let dir = std::env::temp_dir().join(format!("rasoat-app-bench-{}", uuid::Uuid::new_v4().simple()));
    let result = measure(households, &template, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn read_ward(path: &Path) -> Result<Vec<Household>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        if let (Some(h), _) = shared::model::read_household(&value) {
            out.push(h);
        }
    }
    if out.is_empty() { Err("no household in the ward file".into()) } else { Ok(out) }
}

/// The `i`-th copy: new ids, a numbered name so that searches find a few, the collector's group.
fn copy(template: &[Household], i: usize) -> Household {
    let mut h = template[i % template.len()].clone();
    h.household_id = HouseholdId(uuid::Uuid::new_v4());
    h.area.group = shared::model::AreaCode::new("TDP-01").expect("valid code");
    for m in &mut h.members {
        let old = m.member_id;
        m.member_id = MemberId(uuid::Uuid::new_v4());
        for x in h.measurements.iter_mut().filter(|x| x.member_id == old) {
            x.member_id = m.member_id;
        }
    }
    if let Some(head) = h.members.first_mut() {
        let name = format!("{} {}", head.full_name.as_str(), i / template.len());
        head.full_name = PersonName::new(&name).unwrap_or_else(|_| head.full_name.clone());
    }
    h
}

fn enrolment() -> Enrolment {
    Enrolment {
        server: "http://127.0.0.1:9".into(),
        device_id: "bench".into(),
        token: "bench".into(),
        actor_id: ACTOR.into(),
        role: "collector".into(),
        province: "56".into(),
        commune: "22366".into(),
        groups: vec!["TDP-01".into()],
    }
}

fn measure(n: usize, template: &[Household], dir: &Path) -> Result<String, String> {
    let mut report = String::new();
    let err = |e: crate::store::StoreError| e.to_string();
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let today = template[0].interview_date;
    // Fill the database as a first sync would.
    let t = Instant::now();
    {
        let core = Core::with_store(Store::open(&dir.join("rasoat-app.db")).map_err(err)?, Some(today)).map_err(err)?;
        core.set_enrolment(enrolment()).map_err(err)?;
        let actor = automerge::ActorId::from(hex::decode(ACTOR).map_err(|e| e.to_string())?);
        let mut batch = Vec::new();
        for i in 0..n {
            let h = copy(template, i);
            let mut replica = Replica::new(actor.clone());
            replica.save(&h, 0).map_err(|e| e.to_string())?;
            let Some((id, bytes, acked)) = replica.export().0.into_iter().next() else { continue };
            let mut doc = automerge::AutoCommit::load(&bytes).map_err(|e| e.to_string())?;
            let row = project(&mut doc, &acked, 0, 0, today);
            batch.push((id, (bytes, acked), row));
            if batch.len() == 500 || i + 1 == n {
                core.store().save(&std::mem::take(&mut batch), &[]).map_err(err)?;
            }
        }
    }
    let _ = writeln!(report, "households: {n} (bulk store as a first sync: {:.1} s)", t.elapsed().as_secs_f64());
    let size: u64 = ["", "-wal"]
        .iter()
        .filter_map(|suffix| std::fs::metadata(dir.join(format!("rasoat-app.db{suffix}"))).ok())
        .map(|m| m.len())
        .sum();
    let _ = writeln!(report, "database: {:.1} MB", size as f64 / 1e6);

    // Cold start: open, first page, build the list screen.
    let t = Instant::now();
    let core = Core::with_store(Store::open(&dir.join("rasoat-app.db")).map_err(err)?, Some(today)).map_err(err)?;
    let page = core.list("", Filter::All, 0, crate::ui::PAGE).map_err(err)?;
    let mut dom = VirtualDom::new(crate::ui::App).with_root_context(core.clone());
    dom.rebuild_in_place();
    let cold = t.elapsed();
    let _ = writeln!(report, "cold start to usable list: {} ({} rows of {})", ms(cold), page.rows.len(), page.total);
    drop(dom);

    // Save latency of one step: change an answer, save (document + projection, one transaction).
    let ids: Vec<uuid::Uuid> = page.rows.iter().map(|r| r.household_id).collect();
    let mut saves = Vec::new();
    for (k, id) in ids.iter().cycle().take(100).enumerate() {
        let Ok(Some(opened)) = core.open_household(*id) else { continue };
        let mut h = opened.household;
        h.dwelling.floor_area_m2 = shared::model::FloorAreaM2::new(20.0 + (k % 50) as f64).ok();
        let t = Instant::now();
        core.save(&h, 5).map_err(|e| e.to_string())?;
        saves.push(t.elapsed());
    }
    let _ = writeln!(report, "save one step (fsync'd): {}", stats(&mut saves));

    // Search: names without diacritics, an address, a code, and the filters.
    let mut searches = Vec::new();
    let mut found = 0;
    for q in ["nguyen", "tran thi", "le van", "duong so 3", "pt-01-0", "hung 7", "zzz"].iter().cycle().take(70) {
        let t = Instant::now();
        found += core.list(q, Filter::All, 0, crate::ui::PAGE).map_err(err)?.total;
        searches.push(t.elapsed());
    }
    let _ = writeln!(report, "search (first page + total): {} ({found} matches over 70 queries)", stats(&mut searches));
    let mut filters = Vec::new();
    for f in Filter::ALL.iter().cycle().take(70) {
        let t = Instant::now();
        core.list("", *f, 0, crate::ui::PAGE).map_err(err)?;
        filters.push(t.elapsed());
    }
    let _ = writeln!(report, "filter (first page + total): {}", stats(&mut filters));
    let _ = writeln!(report, "memory: {}", memory());
    Ok(report)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn stats(samples: &mut [Duration]) -> String {
    samples.sort();
    let at = |p: f64| samples.get(((samples.len() as f64 - 1.0) * p) as usize).copied().unwrap_or_default();
    format!("median {}, p95 {}, max {}", ms(at(0.5)), ms(at(0.95)), ms(at(1.0)))
}

/// Resident memory now and at peak (Linux `/proc/self/status`).
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status.lines().find(|l| l.starts_with(name)).map(|l| l[name.len()..].trim().to_owned()).unwrap_or("?".into())
    };
    format!("RSS {} (peak {})", field("VmRSS:"), field("VmHWM:"))
}
