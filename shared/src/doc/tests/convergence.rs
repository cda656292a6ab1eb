//! Random concurrent edits on three devices converge: whatever the order of merging, every
//! replica ends with the same heads, the same JSON and the same conflicts. Each run logs its
//! seed; `RASOAT_DOC_SEED=<n>` replays one.

use automerge::AutoCommit;
use serde_json::{Value, json};

use super::*;
use crate::testing::{remove, today};
use crate::validate::check_json;

/// SplitMix64: small, seedable, good enough to pick edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WATER: [&str; 4] = ["piped", "drilled_well", "rainwater", "surface_water"];
const CAUSES: [&str; 4] = ["no_land", "illness", "disaster", "other"];

/// One random edit of a household's JSON; `None` when the chosen edit does not apply.
fn random_edit(rng: &mut Rng, mut v: Value) -> Option<Value> {
    let members = v["members"].as_array()?.clone();
    let measurements = v["measurements"].as_array()?.clone();
    Some(match rng.below(11) {
        0 => set(v, "/dwelling/floor_area_m2", json!((rng.below(1900) + 100) as f64 / 10.0)),
        1 => set(v, "/internet_use", [json!(true), json!(false), Value::Null][rng.below(3)].clone()),
        2 => set(v, "/water_source", json!(rng.pick(&WATER))),
        3 if members.len() < 12 => {
            let n = 1_000 + rng.below(1_000_000) as u32;
            push(v, "/members", member(n, "Nguyễn Văn Tư", "male", "1990-02-02", "other_relative"))
        }
        4 => {
            let measured: Vec<&Value> = measurements.iter().map(|m| &m["member_id"]).collect();
            let i = rng.below(members.len());
            if members[i]["relation"] == "head" || measured.contains(&&members[i]["member_id"]) {
                return None;
            }
            remove_at(v, "/members", i)
        }
        5 => set(v, &format!("/members/{}/health_insurance", rng.below(members.len())), json!(rng.below(2) == 0)),
        6 if members.iter().any(|m| m["member_id"] == CHILD) => {
            let id = format!("0193a5a2-7c1e-7b7a-9a55-{:012}", rng.below(1_000_000_000));
            push(
                v,
                "/measurements",
                json!({"measurement_id": id, "member_id": CHILD, "measured_on": "2026-09-30",
                "weight_kg": 15.0 + rng.below(100) as f64 / 10.0, "lenhei_cm": 120.0, "measure": "H", "oedema": false}),
            )
        }
        7 if !measurements.is_empty() => {
            let i = rng.below(measurements.len());
            set(v, &format!("/measurements/{i}/weight_kg"), json!(15.0 + rng.below(100) as f64 / 10.0))
        }
        8 => {
            let code = json!(rng.pick(&CAUSES));
            let mut causes = v.get("causes_of_poverty").and_then(Value::as_array).cloned().unwrap_or_default();
            match causes.iter().position(|c| *c == code) {
                Some(i) => drop(causes.remove(i)),
                None => causes.push(code),
            }
            set(v, "/causes_of_poverty", Value::Array(causes))
        }
        9 if v.get("gps").is_some() && rng.below(2) == 0 => remove(v, "/gps"),
        9 => set(v, "/gps", json!({"lat": rng.below(90) as f64, "lon": 109.5, "accuracy_m": 4.0})),
        10 => {
            v["notes"] = json!(format!("ghi chú {}", rng.below(100)));
            v
        }
        _ => return None,
    })
}

/// A few random edits on one replica, each written and committed; skipped while the merged
/// household is invalid (say, a measurement whose child another device removed).
fn edit_randomly(rng: &mut Rng, doc: &mut AutoCommit, seed: u64) {
    for _ in 0..1 + rng.below(3) {
        let (Some(h), _) = check_json(&to_json(doc).expect("readable"), today()) else { return };
        let Some(v) = random_edit(rng, h.to_json()) else { continue };
        let h = household(&v);
        write_household(doc, &h).expect("written");
        doc.commit_with(CommitOptions::default().with_time(rng.below(1_000) as i64 + 1));
        assert_eq!(read(doc), canonical(h), "seed {seed}: a write reads back");
    }
}

/// `others` merged into a fork of `first`, in the given order.
fn merged(first: &mut AutoCommit, others: &mut [&mut AutoCommit]) -> AutoCommit {
    let mut out = first.fork();
    for other in others.iter_mut() {
        out.merge(other).expect("merge");
    }
    out
}

/// Runs one seed; returns how many conflicts the merged document holds.
fn converge(seed: u64) -> usize {
    let mut rng = Rng(seed);
    let mut base = document(&example());
    let mut devices = [fork(&mut base, 2), fork(&mut base, 3), fork(&mut base, 4)];
    for _round in 0..3 {
        for doc in devices.iter_mut() {
            edit_randomly(&mut rng, doc, seed);
        }
        // Some devices sync with each other between rounds.
        let (from, to) = (rng.below(3), rng.below(3));
        if from != to {
            let mut source = devices[from].fork();
            devices[to].merge(&mut source).expect("merge");
        }
    }
    let [a, b, c] = &mut devices;
    let mut results = [merged(a, &mut [b, c]), merged(c, &mut [b, a]), merged(b, &mut [a, c])];
    let expected = (results[0].get_heads(), to_json(&results[0]).expect("json"), conflicts(&results[0]));
    for r in results.iter_mut().skip(1) {
        assert_eq!(r.get_heads(), expected.0, "seed {seed}: same heads");
        assert_eq!(to_json(r).expect("json"), expected.1, "seed {seed}: same JSON");
        assert_eq!(conflicts(r), expected.2, "seed {seed}: same conflicts");
    }
    expected.2.len()
}

#[test]
fn random_concurrent_edits_converge_whatever_the_merge_order() {
    let seeds: Vec<u64> = match std::env::var("RASOAT_DOC_SEED") {
        Ok(s) => vec![s.parse().expect("RASOAT_DOC_SEED is a number")],
        Err(_) => (0..48).map(|i| 0x5EED_0000 + i).collect(),
    };
    let mut conflicted = 0;
    for seed in &seeds {
        eprintln!("doc convergence seed {seed}");
        conflicted += converge(*seed);
    }
    assert!(seeds.len() == 1 || conflicted > 0, "the runs include concurrent edits of one field");
}
