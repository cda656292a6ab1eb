//! Convergence under chaos (sync-server issue, "Tests"): three devices make random concurrent
//! edits to the same households and sync in random orders, losing requests and responses on
//! the way; afterwards every device, the server's documents and the registry rows agree.
//!
//! Seeded: every failure names its seed, and `RASOAT_CONVERGENCE_SEED=n` replays seed `n` alone.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde_json::{Value, json};
use server::tools::demo::Rng;
use shared::access::Role;
use shared::model::Household;
use shared::poverty::{PovertyStandard, classify_household};
use shared::replica::Applied;
use shared::sync_wire::{Limits, decode_response, encode_request};
use sqlx::Row;
use uuid::Uuid;

use crate::both_backends;
use crate::support::*;

/// Households the first collector brings before the random steps.
const HOUSEHOLDS: usize = 5;
/// Households a collector may add during the steps (new documents reach the others mid-run).
const LATE_HOUSEHOLDS: usize = 2;
/// Random steps per seed: about 60% edits, the rest syncs, lost messages and simultaneous
/// syncs.
const STEPS: usize = 200;
/// Seeds run four at a time, each with its own server, so one seed's waits (commits, round
/// trips) overlap with another's work.
const LANES: usize = 4;

fn seeds() -> Vec<u64> {
    match std::env::var("RASOAT_CONVERGENCE_SEED") {
        Ok(s) => vec![s.trim().parse().expect("RASOAT_CONVERGENCE_SEED is a number")],
        Err(_) => (1..=20).collect(),
    }
}

async fn devices_and_registry_converge_after_random_edits_and_lost_messages(backend: Backend) {
    let mut seeds = seeds().into_iter();
    let mut lanes = tokio::task::JoinSet::new();
    loop {
        while lanes.len() < LANES
            && let Some(seed) = seeds.next()
        {
            lanes.spawn(converge(backend, seed));
        }
        match lanes.join_next().await {
            Some(Ok(())) => {}
            Some(Err(e)) => std::panic::resume_unwind(e.into_panic()),
            None => return,
        }
    }
}
both_backends!(devices_and_registry_converge_after_random_edits_and_lost_messages);

/// One seed: start, [`STEPS`] random steps, settle, compare.
async fn converge(backend: Backend, seed: u64) {
    eprintln!("convergence on {backend:?}: seed {seed} (replay alone with RASOAT_CONVERGENCE_SEED={seed})");
    let mut run = Run::start(backend, seed).await;
    for _ in 0..STEPS {
        run.step().await;
    }
    run.settle().await;
    run.check().await;
}

/// One seed's world: a server, three devices and the random choices.
struct Run {
    seed: u64,
    rng: Rng,
    app: TestApp,
    devices: Vec<(Role, Device)>,
    /// Households not yet created; a collector may add one.
    late: Vec<Household>,
    /// Members present from the start. Only members added during the run are removed, so a
    /// measurement always has its child and every household stays valid.
    permanent: BTreeSet<String>,
    /// Commit timestamps, increasing.
    clock: i64,
}

impl Run {
    /// Two collectors of TDP-01, and a health worker (odd seeds) or ward staff (even seeds);
    /// the first collector creates the households and both collectors sync. The third phone
    /// is new: its first sync (whole documents, then the change feed) happens among the random
    /// steps, while the others edit.
    async fn start(backend: Backend, seed: u64) -> Run {
        let app = TestApp::spawn(backend).await;
        let third = if seed % 2 == 1 { Role::Health } else { Role::WardStaff };
        let devices = vec![
            (Role::Collector, app.device("ctv-a", Role::Collector, &["TDP-01"]).await),
            (Role::Collector, app.device("ctv-b", Role::Collector, &["TDP-01"]).await),
            (third, app.device("third", third, &["TDP-01"]).await),
        ];
        let mut households = collector_households(seed, HOUSEHOLDS + LATE_HOUSEHOLDS);
        let late = households.split_off(HOUSEHOLDS);
        let permanent = households.iter().chain(&late).flat_map(|h| &h.members).map(|m| m.member_id.to_string());
        let permanent = permanent.collect();
        let mut run = Run { seed, rng: Rng::new(seed), app, devices, late, permanent, clock: 1 };
        for h in &households {
            run.devices[0].1.replica.save(h, run.clock).expect("saved");
        }
        for (_, device) in &mut run.devices[..2] {
            sync(seed, device, 1 << 20).await;
        }
        run
    }

    /// One random action of one random device.
    async fn step(&mut self) {
        let seed = self.seed;
        let d = self.rng.below(self.devices.len() as u64) as usize;
        match self.rng.below(100) {
            0..=59 => self.edit(d),
            60..=77 => {
                let budget = if self.rng.chance(0.3) { 0 } else { 1 << 20 };
                sync(seed, &mut self.devices[d].1, budget).await;
            }
            78..=89 => lose_the_response(seed, &mut self.devices[d].1).await,
            90..=94 => {
                // Two phones sync at the same moment.
                let [(_, a), (_, b), (_, c)] = self.devices.as_mut_slice() else { unreachable!("three devices") };
                let (x, y) = match d {
                    0 => (a, b),
                    1 => (a, c),
                    _ => (b, c),
                };
                tokio::join!(sync(seed, x, 1 << 20), sync(seed, y, 1 << 20));
            }
            _ => {
                // The request is built (the phone had started) but never sent.
                let _ = self.devices[d].1.replica.request(1 << 20);
            }
        }
    }

    /// Device `d` changes one household (or a collector adds one) within its role, through
    /// the app's own path: read the household, change it, save it.
    fn edit(&mut self, d: usize) {
        let role = self.devices[d].0;
        if role == Role::Collector
            && self.rng.chance(0.05)
            && let Some(h) = self.late.pop()
        {
            self.clock += 1;
            self.devices[d].1.replica.save(&h, self.clock).expect("saved");
            return;
        }
        let ids = self.devices[d].1.replica.ids();
        if ids.is_empty() {
            return; // a new phone has nothing to edit before its first sync
        }
        let id = *self.rng.pick(&ids);
        let h = self.read(d, id);
        let mut v = h.to_json();
        match role {
            Role::Collector => self.collector_edit(&mut v),
            Role::Health => self.health_edit(&mut v, h.interview_date),
            Role::WardStaff | Role::Admin if self.rng.chance(0.5) => self.collector_edit(&mut v),
            Role::WardStaff | Role::Admin => self.health_edit(&mut v, h.interview_date),
        }
        let (edited, issues) = shared::model::read_household(&v);
        let edited = edited.unwrap_or_else(|| panic!("seed {}: edit made {v} unreadable: {issues:#?}", self.seed));
        self.clock += 1;
        self.devices[d].1.replica.save(&edited, self.clock).expect("saved");
    }

    fn read(&self, d: usize, id: Uuid) -> Household {
        let (h, issues) =
            self.devices[d].1.replica.household(id).expect("a household document").expect("on the device");
        h.unwrap_or_else(|| panic!("seed {}: device {d} cannot read {id}: {issues:#?}", self.seed))
    }

    /// What a collector changes: the household's answers and its member list, never
    /// measurements.
    fn collector_edit(&mut self, v: &mut Value) {
        let rng = &mut self.rng;
        match rng.below(8) {
            0 => v["latrine"] = json!(rng.pick(&["septic", "semi_septic", "pour_flush", "simple_pit", "none"])),
            1 => v["water_source"] = json!(rng.pick(&["piped", "drilled_well", "unprotected_dug_well", "bottled"])),
            2 => v["internet_use"] = if rng.chance(0.2) { Value::Null } else { json!(rng.chance(0.5)) },
            3 => v["dwelling"]["floor_area_m2"] = json!(rng.range(80, 1500) as f64 / 10.0),
            4 => {
                let m = pick_member(rng, v, |m| m["work"] != "child");
                if let Some(m) = m {
                    m["work"] = json!(rng.pick(&["wage_with_contract", "self_employed", "unemployed", "homemaker"]));
                }
            }
            5 => set_insurance(rng, v),
            6 => add_member(rng, v),
            _ => {
                let added: Vec<String> = member_ids(v).into_iter().filter(|m| !self.permanent.contains(m)).collect();
                if added.is_empty() {
                    add_member(rng, v);
                } else {
                    let gone = rng.pick(&added).clone();
                    members(v).retain(|m| m["member_id"] != gone.as_str());
                }
            }
        }
    }

    /// What the health station changes: measurements, insurance and the nutrition record.
    fn health_edit(&mut self, v: &mut Value, interview: NaiveDate) {
        let rng = &mut self.rng;
        match rng.below(4) {
            0 | 1 => add_measurement(rng, v, interview, &self.permanent),
            2 => match v["measurements"].as_array_mut().filter(|ms| !ms.is_empty()) {
                Some(ms) => {
                    let i = rng.below(ms.len() as u64) as usize;
                    ms[i]["weight_kg"] = json!(rng.range(30, 250) as f64 / 10.0);
                }
                None => add_measurement(rng, v, interview, &self.permanent),
            },
            _ if rng.chance(0.5) => set_insurance(rng, v),
            _ => {
                if let Some(m) = pick_member(rng, v, |m| m["work"] == "child") {
                    m["malnourished_reported"] = json!(rng.chance(0.3));
                }
            }
        }
    }

    /// Two rounds: the first brings every change to the server, the second to every device.
    async fn settle(&mut self) {
        for _ in 0..2 {
            for (_, device) in &mut self.devices {
                sync(self.seed, device, 1 << 20).await;
            }
        }
    }

    /// Every device holds the same documents as the server, and the registry row of each is
    /// what `shared` computes from the merged document.
    async fn check(&mut self) {
        let seed = self.seed;
        let ids = self.devices[0].1.replica.ids();
        assert_eq!(ids.len(), HOUSEHOLDS + LATE_HOUSEHOLDS - self.late.len(), "seed {seed}: households on device 0");
        for d in 1..self.devices.len() {
            assert_eq!(self.devices[d].1.replica.ids(), ids, "seed {seed}: device {d} holds other households");
        }
        for id in ids {
            let heads = sorted(self.devices[0].1.replica.heads(id).expect("present"));
            let json = shared::doc::to_json(self.devices[0].1.replica.document(id).expect("present")).expect("json");
            for d in 1..self.devices.len() {
                let replica = &mut self.devices[d].1.replica;
                assert_eq!(sorted(replica.heads(id).expect("present")), heads, "seed {seed}: device {d}, {id}");
                let theirs = shared::doc::to_json(replica.document(id).expect("present")).expect("json");
                assert_eq!(theirs, json, "seed {seed}: device {d} reads {id} differently");
            }
            let stored = server::service::store::documents::load_for_read(&self.app.db, &id.to_string())
                .await
                .expect("loads")
                .unwrap_or_else(|| panic!("seed {seed}: the server lacks {id}"));
            assert_eq!(sorted(stored.get_heads()), heads, "seed {seed}: the server's {id} differs from the devices'");
            self.check_registry(id, &json).await;
        }
    }

    /// The registry row of `id` against the converged document `json` (and its conflicts).
    async fn check_registry(&mut self, id: Uuid, json: &Value) {
        let seed = self.seed;
        let doc = self.devices[0].1.replica.document(id).expect("present");
        let conflicts = shared::doc::conflicts(doc).len() as i64;
        let changes = doc.get_changes(&[]).len() as i64;
        let (h, issues) = shared::doc::read_household(doc).expect("reads");
        let h = h.unwrap_or_else(|| panic!("seed {seed}: converged {id} unreadable: {issues:#?}"));
        let problems = shared::validate::validate_household(&h, server::service::clock::today_in_vietnam());
        let errors: Vec<_> = issues.iter().chain(&problems).filter(|i| i.is_error()).collect();
        assert!(errors.is_empty(), "seed {seed}: the run should keep {id} valid: {errors:#?}");
        let c = classify_household(&h, &PovertyStandard::vn2022(), h.interview_date);
        let row = sqlx::query(
            "select category, deprived_count, conflict_count, member_count, valid, record_json from household where id = $1",
        )
        .bind(id.to_string())
        .fetch_one(&self.app.db.pool)
        .await
        .unwrap_or_else(|e| panic!("seed {seed}: no registry row for {id}: {e}"));
        let got = (
            row.try_get::<String, _>("category").expect("category"),
            row.try_get::<i64, _>("deprived_count").expect("deprived_count"),
            row.try_get::<i64, _>("conflict_count").expect("conflict_count"),
            row.try_get::<i64, _>("member_count").expect("member_count"),
            row.try_get::<i64, _>("valid").expect("valid"),
        );
        let expected =
            (c.category.as_code().to_owned(), i64::from(c.deprived_count), conflicts, h.members.len() as i64, 1);
        assert_eq!(got, expected, "seed {seed}: registry row of {id} (category, deprived, conflicts, members, valid)");
        let record: Value =
            serde_json::from_str(&row.try_get::<String, _>("record_json").expect("record")).expect("json");
        assert_eq!(&record, json, "seed {seed}: the registry's record of {id} is not the merged document");
        let stored: i64 = sqlx::query_scalar("select count(*) from doc_change where household_id = $1")
            .bind(id.to_string())
            .fetch_one(&self.app.db.pool)
            .await
            .expect("count");
        assert_eq!(stored, changes, "seed {seed}: every change of {id} stored exactly once");
    }
}

/// Syncs until the server has nothing more, asking for `budget` bytes a page.
async fn sync(seed: u64, device: &mut Device, budget: u32) {
    for _ in 0..1000 {
        if !exchange(seed, device, budget).await.more {
            return;
        }
    }
    panic!("seed {seed}: sync did not finish in 1000 round trips");
}

/// One request and response; every sync of this test is within the device's rights.
async fn exchange(seed: u64, device: &mut Device, budget: u32) -> Applied {
    let (request, sent) = device.replica.request(budget);
    let (status, body) = post_sync(device.addr, &device.token, encode_request(&request)).await;
    assert_eq!(status, 200, "seed {seed}: sync refused: {}", String::from_utf8_lossy(&body));
    let response =
        decode_response(&body, &Limits::default()).unwrap_or_else(|e| panic!("seed {seed}: undecodable response: {e}"));
    device.replica.apply(&sent, response).unwrap_or_else(|e| panic!("seed {seed}: response unusable: {e}"))
}

/// The server stores the upload and answers, but the connection drops before the device
/// reads the answer: nothing is acknowledged, and the next sync must recover.
async fn lose_the_response(seed: u64, device: &mut Device) {
    let (request, _sent) = device.replica.request(1 << 20);
    let (status, body) = post_sync(device.addr, &device.token, encode_request(&request)).await;
    assert_eq!(status, 200, "seed {seed}: sync refused: {}", String::from_utf8_lossy(&body));
}

fn sorted(mut heads: Vec<automerge::ChangeHash>) -> Vec<automerge::ChangeHash> {
    heads.sort();
    heads
}

fn members(v: &mut Value) -> &mut Vec<Value> {
    v["members"].as_array_mut().expect("a household has a member list")
}

fn member_ids(v: &Value) -> Vec<String> {
    v["members"].as_array().into_iter().flatten().filter_map(|m| m["member_id"].as_str().map(str::to_owned)).collect()
}

/// A random member matching `which`, if there is one.
fn pick_member<'a>(rng: &mut Rng, v: &'a mut Value, which: impl Fn(&Value) -> bool) -> Option<&'a mut Value> {
    let mut candidates: Vec<&mut Value> = members(v).iter_mut().filter(|m| which(m)).collect();
    if candidates.is_empty() {
        return None;
    }
    let i = rng.below(candidates.len() as u64) as usize;
    Some(candidates.swap_remove(i))
}

fn set_insurance(rng: &mut Rng, v: &mut Value) {
    let answer = if rng.chance(0.1) { Value::Null } else { json!(rng.chance(0.7)) };
    if let Some(m) = pick_member(rng, v, |_| true) {
        m["health_insurance"] = answer;
    }
}

/// A relative who moved in: an adult, never the head.
fn add_member(rng: &mut Rng, v: &mut Value) {
    let birth =
        NaiveDate::from_ymd_opt(rng.range(1950, 2004) as i32, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32);
    members(v).push(json!({
        "member_id": rng.uuid(), "full_name": rng.pick(&["Lê Văn Tâm", "Phạm Thị Hoa", "Võ Minh Khoa"]).to_owned(),
        "sex": rng.pick(&["male", "female"]).to_owned(), "birth_date": birth.expect("a real date").to_string(),
        "relation": rng.pick(&["sibling", "other_relative", "parent_in_law"]).to_owned(),
        "work": rng.pick(&["self_employed", "homemaker", "wage_without_contract"]).to_owned(),
        "health_insurance": rng.chance(0.8), "education": "primary", "in_school": false, "school_level_ok": null,
    }));
}

/// A weighing of a child under five who has been in the household from the start, in the
/// two months before the interview; when there is no such child, an insurance answer instead.
fn add_measurement(rng: &mut Rng, v: &mut Value, interview: NaiveDate, permanent: &BTreeSet<String>) {
    let young = |m: &Value| {
        let birth = m["birth_date"].as_str().and_then(shared::model::parse_date);
        let id = m["member_id"].as_str().unwrap_or_default();
        permanent.contains(id) && birth.is_some_and(|b| (interview - b).num_days() < 5 * 365 - 60)
    };
    let Some(child) = pick_member(rng, v, young).map(|m| m.clone()) else {
        return set_insurance(rng, v);
    };
    let birth = child["birth_date"].as_str().and_then(shared::model::parse_date).expect("checked above");
    let on = (interview - chrono::Duration::days(rng.range(0, 60))).max(birth);
    let under_two = (on - birth).num_days() < 2 * 365;
    let (lenhei, weight) =
        if under_two { (rng.range(480, 900), rng.range(30, 130)) } else { (rng.range(800, 1150), rng.range(90, 230)) };
    v["measurements"].as_array_mut().expect("a measurement list").push(json!({
        "measurement_id": rng.uuid(), "member_id": child["member_id"], "measured_on": on.to_string(),
        "weight_kg": weight as f64 / 10.0, "lenhei_cm": lenhei as f64 / 10.0,
        "measure": if under_two { "L" } else { "H" }, "oedema": false,
    }));
}
