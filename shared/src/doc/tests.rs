//! Tests of the household document: round trips of every field, the key layout, fork →
//! concurrent edits → merge → compare, conflicts and their settlement, changed paths, the
//! smallest edit, migration; random convergence in [`convergence`].

mod convergence;

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, AutoCommit, ObjType, ROOT, ReadDoc, ScalarValue, Value as AmValue};
use serde_json::{Value, json};

use super::*;
use crate::access::{Role, forbidden_paths};
use crate::testing::{example, household, member, push, set};

const HEAD: &str = "0193a5a2-7c1e-7b7a-9a55-0c0ffee00002";
const CHILD: &str = "0193a5a2-7c1e-7b7a-9a55-0c0ffee00003";
const MEASUREMENT: &str = "0193a5a2-7c1e-7b7a-9a55-0c0ffee00004";

/// A distinct, recognisable actor.
fn actor(n: u8) -> ActorId {
    ActorId::from(vec![n; 16])
}

/// A committed document of `v`, written by actor 1.
fn document(v: &Value) -> AutoCommit {
    let mut doc = new_document(&household(v), actor(1)).expect("new document");
    doc.commit_with(CommitOptions::default().with_time(1));
    doc
}

/// A fork of `doc` written by actor `n`.
fn fork(doc: &mut AutoCommit, n: u8) -> AutoCommit {
    doc.fork().with_actor(actor(n))
}

/// Reads the document's household; it must be valid.
fn read(doc: &AutoCommit) -> Household {
    let (h, issues) = read_household(doc).expect("readable");
    assert!(!issues.iter().any(|i| i.is_error()), "{issues:#?}");
    h.expect("a household")
}

/// Applies `edit` to the document's household JSON, writes it and commits at `time`.
fn edit(doc: &mut AutoCommit, time: i64, edit: impl FnOnce(Value) -> Value) {
    let v = edit(read(doc).to_json());
    write_household(doc, &household(&v)).expect("written");
    doc.commit_with(CommitOptions::default().with_time(time));
}

/// Removes item `index` of the array at a JSON pointer.
fn remove_at(mut v: Value, pointer: &str, index: usize) -> Value {
    v.pointer_mut(pointer).and_then(Value::as_array_mut).expect("array at pointer").remove(index);
    v
}

/// The paths changed since `since`, up to the document's heads.
fn touched(doc: &mut AutoCommit, since: &[automerge::ChangeHash]) -> Vec<String> {
    let heads = doc.get_heads();
    changed_paths(doc.document(), since, &heads)
}

/// `h` with its code lists as the document reads them back: dictionary order, no repeats.
fn canonical(mut h: Household) -> Household {
    if let Some(c) = h.causes_of_poverty.as_mut() {
        c.sort();
        c.dedup();
    }
    if let Some(s) = h.support_received.as_mut() {
        s.sort();
        s.dedup();
    }
    h
}

/// The example with every optional field present.
fn everything() -> Value {
    let mut v = example();
    for (pointer, value) in [
        ("/gps", json!({"lat": 12.2388, "lon": 109.1967, "accuracy_m": 8.0})),
        ("/phone", json!("0912345678")),
        ("/notes", json!("Nhà cấp 4, mái tôn thủng")),
        ("/previous", json!({"category": "poor", "escape_date": "2025-12-01"})),
        ("/causes_of_poverty", json!(["illness", "no_land"])),
        ("/support_received", json!(["credit", "health", "credit"])),
        ("/request_filed", json!(true)),
        ("/income", json!({"monthly_per_capita_vnd": 1800000, "b1_score": 120, "source": "b1"})),
        ("/dwelling/tenure", json!("owned")),
        ("/internet_use", Value::Null),
        ("/members/0/id_number", json!("056079001234")),
        ("/members/0/ethnicity", json!("Raglai")),
        ("/members/0/disability", json!("mild")),
        ("/members/0/monthly_social_allowance", json!(true)),
        ("/members/0/person_of_merit", json!(false)),
        ("/members/1/malnourished_reported", json!(false)),
        ("/measurements/0/measured_by", json!("Y tá Lan")),
    ] {
        v = set(v, pointer, value);
    }
    let mut grandma = member(7, "Nguyễn Thị Lành", "female", "1950-01-01", "parent");
    grandma.as_object_mut().expect("object").remove("birth_date");
    grandma["birth_year"] = json!(1950);
    grandma["on_job_training_certified"] = json!(false);
    push(v, "/members", grandma)
}

#[test]
fn every_field_survives_document_json_household() {
    for v in [example(), everything()] {
        let h = household(&v);
        let mut doc = new_document(&h, actor(1)).expect("new document");
        assert_eq!(read(&doc), canonical(h.clone()), "read before commit");
        let loaded = AutoCommit::load(&doc.save()).expect("loads");
        assert_eq!(read(&loaded), canonical(h.clone()), "read after save and load");
        assert_eq!(to_json(&loaded).expect("json"), canonical(h).to_json(), "the JSON form is exact");
    }
    let json = to_json(&document(&everything())).expect("json");
    assert!(json["dwelling"]["floor_area_m2"].is_f64() && json["review_year"].is_i64(), "14.0 stays a float");
    assert_eq!(json["causes_of_poverty"], json!(["no_land", "illness"]), "dictionary order");
    assert_eq!(json["support_received"], json!(["health", "credit"]), "dictionary order, once");
}

#[test]
fn the_layout_is_the_documented_one() {
    let doc = document(&everything());
    let get = |obj: &automerge::ObjId, key: &str| doc.get(obj, key).expect("get").expect("present");
    assert_eq!(get(&ROOT, "schema").0, AmValue::Scalar(std::borrow::Cow::Owned(ScalarValue::Int(SCHEMA_VERSION))));
    assert!(matches!(get(&ROOT, "address").0, AmValue::Scalar(ref s) if s.is_str()), "strings are scalars");
    let (_, members) = get(&ROOT, "members");
    let (_, child) = get(&members, CHILD);
    assert_eq!(doc.keys(&members).count(), 3);
    assert_eq!(get(&child, "order").0.as_i64(), Some(1));
    assert!(doc.get(&child, "member_id").expect("get").is_none(), "the id is the key");
    let (_, causes) = get(&ROOT, "causes_of_poverty");
    assert_eq!(get(&causes, "illness").0, AmValue::Scalar(std::borrow::Cow::Owned(ScalarValue::Boolean(true))));
    assert!(matches!(get(&ROOT, "dwelling").0, AmValue::Object(ObjType::Map)));
    assert_eq!(get(&ROOT, "internet_use").0, AmValue::Scalar(std::borrow::Cow::Owned(ScalarValue::Null)));
    let empty = set(example(), "/causes_of_poverty", json!([]));
    assert_eq!(to_json(&document(&empty)).expect("json")["causes_of_poverty"], json!([]), "empty list kept");
    assert!(to_json(&document(&example())).expect("json").get("causes_of_poverty").is_none(), "absent stays absent");
}

#[test]
fn housing_edit_and_new_measurement_merge_without_conflict() {
    let mut base = document(&example());
    let mut collector = fork(&mut base, 2);
    let mut health = fork(&mut base, 3);
    edit(&mut collector, 10, |v| {
        set(set(v, "/dwelling/walls", json!("non_durable")), "/dwelling/floor_area_m2", json!(20.5))
    });
    let weighed = json!({"measurement_id": "0193a5a2-7c1e-7b7a-9a55-0c0ffee00005", "member_id": CHILD,
        "measured_on": "2026-10-01", "weight_kg": 22.4, "lenhei_cm": 121.5, "measure": "H", "oedema": false});
    edit(&mut health, 11, |v| push(v, "/measurements", weighed.clone()));
    let mut one = fork(&mut collector, 4);
    one.merge(&mut health).expect("merge");
    let mut two = fork(&mut health, 5);
    two.merge(&mut collector).expect("merge");
    let merged = read(&one);
    assert_eq!(merged, read(&two));
    assert_eq!(merged.dwelling.floor_area_m2.map(|a| a.get()), Some(20.5));
    assert_eq!(merged.dwelling.walls, Some(crate::model::Durability::NonDurable));
    assert_eq!(merged.measurements.len(), 2);
    assert_eq!(merged.measurements[1].measurement_id.0.to_string(), weighed["measurement_id"]);
    assert_eq!(conflicts(&one), vec![]);
}

#[test]
fn concurrent_floor_areas_are_a_conflict_until_ward_staff_settle_it() {
    let mut base = document(&example());
    let mut a = fork(&mut base, 2);
    let mut b = fork(&mut base, 3);
    edit(&mut a, 100, |v| set(v, "/dwelling/floor_area_m2", json!(31.5)));
    edit(&mut b, 200, |v| set(v, "/dwelling/floor_area_m2", json!(42.0)));
    a.merge(&mut b).expect("merge");
    let found = conflicts(&a);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].path, "dwelling.floor_area_m2");
    let mut seen: Vec<(String, String, Option<i64>)> =
        found[0].values.iter().map(|v| (v.value.to_string(), v.actor.clone(), v.timestamp)).collect();
    seen.sort();
    assert_eq!(
        seen,
        vec![
            ("31.5".into(), actor(2).to_hex_string(), Some(100)),
            ("42.0".into(), actor(3).to_hex_string(), Some(200))
        ]
    );
    assert_eq!(
        found[0].values.last().map(|v| &v.value),
        Some(&to_json(&a).expect("json")["dwelling"]["floor_area_m2"])
    );
    // Writing back what the phone shows changes nothing and settles nothing.
    let shown = read(&a);
    write_household(&mut a, &shown).expect("written");
    assert_eq!(a.commit(), None);
    assert_eq!(conflicts(&a).len(), 1);
    // Ward staff choose the losing value; the new put supersedes both, everywhere.
    let mut staff = fork(&mut a, 9);
    set_field(&mut staff, "dwelling.floor_area_m2", &json!(31.5)).expect("set");
    staff.commit();
    b.merge(&mut staff).expect("merge");
    assert_eq!(conflicts(&b), vec![]);
    assert_eq!(to_json(&b).expect("json")["dwelling"]["floor_area_m2"], json!(31.5));
}

#[test]
fn members_added_on_two_devices_both_appear_in_the_same_order() {
    let mut base = document(&example());
    let mut a = fork(&mut base, 2);
    let mut b = fork(&mut base, 3);
    edit(&mut a, 10, |v| push(v, "/members", member(11, "Trần Văn Nam", "male", "1950-03-03", "parent")));
    edit(&mut b, 11, |v| push(v, "/members", member(10, "Lê Thị Hoa", "female", "1981-05-05", "spouse")));
    let mut ab = fork(&mut a, 4);
    ab.merge(&mut b).expect("merge");
    let mut ba = fork(&mut b, 5);
    ba.merge(&mut a).expect("merge");
    let names = |doc: &AutoCommit| read(doc).members.iter().map(|m| m.full_name.to_string()).collect::<Vec<_>>();
    let expected = ["Trần Văn Hùng", "Trần Thị Bé", "Lê Thị Hoa", "Trần Văn Nam"];
    assert_eq!(names(&ab), expected, "same order key: ties broken by id");
    assert_eq!(names(&ba), expected);
    assert_eq!(to_json(&ab).expect("json"), to_json(&ba).expect("json"));
    assert_eq!(ab.get_heads().len(), 2);
    // A later addition goes after both.
    edit(&mut ab, 12, |v| push(v, "/members", member(9, "Trần Văn Út", "male", "2024-01-01", "grandchild")));
    assert_eq!(names(&ab).last().map(String::as_str), Some("Trần Văn Út"));
}

#[test]
fn writing_an_unchanged_household_makes_no_change() {
    for v in [example(), everything()] {
        let mut doc = document(&v);
        let ops = doc.stats().num_ops;
        write_household(&mut doc, &household(&v)).expect("written");
        assert_eq!(doc.commit(), None, "no operation");
        assert_eq!(doc.stats().num_ops, ops);
    }
}

#[test]
fn reordering_and_removing_members_is_kept() {
    let three = push(example(), "/members", member(7, "Lê Thị Hoa", "female", "1981-05-05", "spouse"));
    let mut doc = document(&three);
    edit(&mut doc, 2, |mut v| {
        let members = v["members"].as_array_mut().expect("members");
        members.swap(1, 2);
        v
    });
    let order: Vec<String> = read(&doc).members.iter().map(|m| m.full_name.to_string()).collect();
    assert_eq!(order, ["Trần Văn Hùng", "Lê Thị Hoa", "Trần Thị Bé"]);
    edit(&mut doc, 3, |v| remove_at(v, "/members", 1));
    assert_eq!(read(&doc).members.len(), 2);
}

#[test]
fn changed_paths_name_exactly_the_touched_fields() {
    let mut base = document(&example());
    let before = base.get_heads();
    let mut health = fork(&mut base, 3);
    let id = "0193a5a2-7c1e-7b7a-9a55-0c0ffee00006";
    edit(&mut health, 10, |v| {
        let v = set(v, "/members/1/health_insurance", json!(true));
        push(
            v,
            "/measurements",
            json!({"measurement_id": id, "member_id": CHILD, "measured_on": "2026-10-01",
            "weight_kg": 22.4, "lenhei_cm": null, "measure": null, "oedema": false}),
        )
    });
    let paths = touched(&mut health, &before);
    let mut expected = vec![format!("members.{CHILD}.health_insurance"), format!("measurements.{id}")];
    for field in ["lenhei_cm", "measure", "measured_on", "member_id", "oedema", "weight_kg"] {
        expected.push(format!("measurements.{id}.{field}"));
    }
    expected.sort();
    assert_eq!(paths, expected);
    assert_eq!(forbidden_paths(Role::Health, &paths), Vec::<&str>::new());
    // Removing an entry names the entry; a new gps names its fields; a deleted one itself.
    let mid = health.get_heads();
    edit(&mut health, 11, |v| {
        set(remove_at(v, "/measurements", 0), "/gps", json!({"lat": 1.0, "lon": 2.0, "accuracy_m": 3.0}))
    });
    let paths = touched(&mut health, &mid);
    assert_eq!(
        paths,
        ["gps.accuracy_m".to_owned(), "gps.lat".into(), "gps.lon".into(), format!("measurements.{MEASUREMENT}")]
    );
    let mid = health.get_heads();
    edit(&mut health, 12, |v| crate::testing::remove(v, "/gps"));
    assert_eq!(touched(&mut health, &mid), ["gps"]);
}

#[test]
fn a_new_document_names_its_answers_but_not_empty_skeleton_maps() {
    let mut doc = document(&crate::testing::comfortable());
    let heads = doc.get_heads();
    let paths = changed_paths(doc.document(), &[], &heads);
    assert!(paths.contains(&"schema".to_owned()) && paths.contains(&"area.province".to_owned()), "{paths:?}");
    assert!(paths.iter().any(|p| p.starts_with("members.") && p.ends_with(".full_name")), "{paths:?}");
    assert!(!paths.iter().any(|p| p.starts_with("measurements") || p == "members" || p == "area"), "{paths:?}");
    assert_eq!(forbidden_paths(Role::Collector, &paths), Vec::<&str>::new());
    assert!(forbidden_paths(Role::Health, &paths).contains(&"address"), "health staff create no household");
}

#[test]
fn set_field_checks_path_and_type_and_keeps_the_layout() {
    let mut doc = document(&everything());
    let err = |r: Result<(), DocError>| r.expect_err("refused").to_string();
    assert!(err(set_field(&mut doc, "dwelling.floor_area", &json!(20))).contains("no field"));
    assert!(err(set_field(&mut doc, "dwelling.floor_area_m2", &json!("20"))).contains("does not fit"));
    assert!(err(set_field(&mut doc, "members.nobody.work", &json!("child"))).contains("nothing at"));
    assert!(err(set_field(&mut doc, "causes_of_poverty.laziness", &json!(true))).contains("no field"));
    assert!(err(set_field(&mut doc, "schema", &json!(2))).contains("no field"));
    set_field(&mut doc, "dwelling.floor_area_m2", &json!(20)).expect("a whole number in a float field");
    set_field(&mut doc, &format!("members.{HEAD}.work"), &Value::Null).expect("not answered");
    set_field(&mut doc, "causes_of_poverty.illness", &json!(false)).expect("removed");
    set_field(&mut doc, "causes_of_poverty.disaster", &json!(true)).expect("added");
    let mut head = read(&doc).members[0].clone();
    head.full_name = crate::model::PersonName::new("Trần Văn Hưng").expect("name");
    set_field(&mut doc, &format!("members.{HEAD}"), &serde_json::to_value(&head).expect("json")).expect("entry");
    set_field(&mut doc, "gps", &json!({"lat": 12.0, "lon": 109.0, "accuracy_m": 5})).expect("object");
    let json = to_json(&doc).expect("json");
    assert!(json["dwelling"]["floor_area_m2"].is_f64() && json["gps"]["accuracy_m"].is_f64());
    assert_eq!(json["causes_of_poverty"], json!(["no_land", "disaster"]));
    assert_eq!(json["members"][0]["full_name"], "Trần Văn Hưng", "the entry keeps its place");
    assert_eq!(json["members"][0]["work"], Value::Null);
    assert!(!read_household(&doc).expect("read").1.iter().any(|i| i.is_error()));
}

#[test]
fn writing_another_household_into_a_document_is_refused() {
    let mut doc = document(&example());
    let other = household(&crate::testing::comfortable());
    assert!(matches!(write_household(&mut doc, &other), Err(DocError::OtherHousehold { .. })));
    assert!(matches!(write_household(&mut AutoCommit::new(), &other), Err(DocError::NotHousehold(_))));
}

#[test]
fn migrate_refuses_a_newer_schema_and_accepts_the_current_one() {
    let mut doc = document(&example());
    migrate(&mut doc).expect("current schema passes");
    assert_eq!(doc.commit(), None, "and gets no operation");
    doc.delete(ROOT, "schema").expect("delete");
    doc.commit();
    assert!(matches!(to_json(&doc), Err(DocError::NotHousehold(_))));
    migrate(&mut doc).expect("a document without a version is stamped");
    assert_eq!(to_json(&doc).expect("readable"), household(&example()).to_json());
    let mut newer = fork(&mut doc, 2);
    newer.put(ROOT, "schema", 2_i64).expect("put");
    newer.commit();
    let too_new = |r: Result<(), DocError>| matches!(r, Err(DocError::SchemaTooNew { found: 2, supported: 1 }));
    assert!(too_new(migrate(&mut newer)));
    assert!(too_new(to_json(&newer).map(drop)));
    assert!(too_new(write_household(&mut newer, &household(&example()))));
    assert!(matches!(migrate(&mut AutoCommit::new()), Err(DocError::NotHousehold(_))));
}

#[test]
fn objects_created_on_two_devices_conflict_as_a_whole() {
    let mut base = document(&example());
    let mut a = fork(&mut base, 2);
    let mut b = fork(&mut base, 3);
    edit(&mut a, 10, |v| set(v, "/gps", json!({"lat": 12.0, "lon": 109.0, "accuracy_m": 5.0})));
    edit(&mut b, 11, |v| set(v, "/gps", json!({"lat": 12.5, "lon": 109.0, "accuracy_m": 5.0})));
    let mut entry = serde_json::to_value(&read(&a).members[1]).expect("json");
    entry["full_name"] = json!("Trần Thị Bé Hai");
    set_field(&mut a, &format!("members.{CHILD}"), &entry).expect("entry");
    a.commit();
    entry["full_name"] = json!("Trần Thị Bé Ba");
    set_field(&mut b, &format!("members.{CHILD}"), &entry).expect("entry");
    b.commit();
    a.merge(&mut b).expect("merge");
    let found = conflicts(&a);
    let paths: Vec<&str> = found.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, ["gps".to_owned(), format!("members.{CHILD}")]);
    assert_eq!(found[0].values.len(), 2);
    assert!(found[0].values.iter().all(|v| v.value["lon"] == json!(109.0)));
    for value in &found[1].values {
        assert_eq!(value.value["member_id"], CHILD, "an entry's value is the member as the dictionary has it");
        assert!(value.value.get("order").is_none());
    }
    assert_eq!(read(&a).members[1].member_id.0.to_string(), CHILD, "the entry kept its place");
}

#[test]
fn the_change_log_names_each_writer_time_and_fields_newest_first() {
    let mut base = document(&example());
    let mut collector = fork(&mut base, 2);
    let mut health = fork(&mut base, 3);
    edit(&mut collector, 10, |v| set(v, "/dwelling/floor_area_m2", json!(20.5)));
    let weighed = json!({"measurement_id": "0193a5a2-7c1e-7b7a-9a55-0c0ffee00005", "member_id": CHILD,
        "measured_on": "2026-10-01", "weight_kg": 22.4, "lenhei_cm": 121.5, "measure": "H", "oedema": false});
    edit(&mut health, 11, |v| push(v, "/measurements", weighed.clone()));
    collector.merge(&mut health).expect("merge");
    let mut staff = fork(&mut collector, 4);
    set_field(&mut staff, "dwelling.floor_area_m2", &json!(21.0)).expect("set");
    staff.commit_with(CommitOptions::default().with_time(12).with_message("web:ward-user".to_owned()));
    // A commit without a time (a heads read on the phone) logs no time.
    let mut untimed = fork(&mut staff, 5);
    set_field(&mut untimed, "notes", &json!("gặp chủ hộ")).expect("set");
    untimed.commit();

    let (log, total) = change_log(untimed.document(), 3);
    assert_eq!(total, 5);
    assert_eq!(log.len(), 3);
    assert_eq!(log[0].actor, actor(5).to_hex_string());
    assert_eq!(log[0].timestamp, None);
    assert_eq!(log[0].paths, vec!["notes".to_owned()]);
    assert_eq!(log[1].actor, actor(4).to_hex_string());
    assert_eq!((log[1].timestamp, log[1].message.as_deref()), (Some(12), Some("web:ward-user")));
    assert_eq!(log[1].paths, vec!["dwelling.floor_area_m2".to_owned()]);
    // The two concurrent edits: each names only its own fields.
    let mut concurrent: Vec<(String, Vec<String>)> =
        log[2..].iter().map(|c| (c.actor.clone(), c.paths.clone())).collect();
    let (all, _) = change_log(untimed.document(), usize::MAX);
    concurrent.extend(all[3..4].iter().map(|c| (c.actor.clone(), c.paths.clone())));
    concurrent.sort();
    assert_eq!(concurrent[0], (actor(2).to_hex_string(), vec!["dwelling.floor_area_m2".to_owned()]));
    assert_eq!(concurrent[1].0, actor(3).to_hex_string());
    assert!(concurrent[1].1.iter().all(|p| p.starts_with("measurements.0193a5a2-7c1e-7b7a-9a55-0c0ffee00005")));
    assert!(!concurrent[1].1.is_empty());
    // The first change created the household: it names its answers.
    assert_eq!(all[4].actor, actor(1).to_hex_string());
    assert!(all[4].paths.contains(&"address".to_owned()));
    assert_eq!(all[4].hash, untimed.get_changes(&[])[0].hash().to_string());
}
