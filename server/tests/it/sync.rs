//! The sync server end to end over HTTP, on SQLite and PostgreSQL: devices enrol, edit
//! households offline, sync, converge; the registry follows; access rules and bad input hold.

use serde_json::{Value, json};
use server::tools::demo::{WardSpec, generate_ward};
use shared::access::Role;
use shared::model::Household;
use shared::sync_wire::{DocumentChanges, SyncRequest, encode_request};
use sqlx::Row;

use crate::both_backends;
use crate::support::*;

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 31).expect("date")
}

/// A realistic household of residential group `group` (TDP-01 … TDP-08), as a collector
/// records it: without child measurements (those are the health station's).
fn household_in(group: usize, n: usize) -> Value {
    let ward = generate_ward(&WardSpec { households: 8 * (n + 1), ..WardSpec::default() });
    let mut h =
        ward.into_iter().filter(|h| h["area"]["group"] == format!("TDP-{group:02}")).nth(n).expect("enough households");
    h["measurements"] = json!([]);
    h
}

fn parse(v: &Value) -> Household {
    let (h, issues) = shared::validate::check_json(v, today());
    h.unwrap_or_else(|| panic!("{issues:#?}"))
}

async fn registry_row(app: &TestApp, id: &str) -> Option<sqlx::any::AnyRow> {
    sqlx::query(
        "select category, deprived_count, b2_score, conflict_count, group_code, valid from household where id = $1",
    )
    .bind(id)
    .fetch_optional(&app.db.pool)
    .await
    .expect("query")
}

async fn a_collectors_household_reaches_ward_staff_and_the_registry(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut collector = app.device("ctv01", Role::Collector, &["TDP-01"]).await;
    let mut staff = app.device("canbo", Role::WardStaff, &[]).await;
    let v = household_in(1, 0);
    let h = parse(&v);
    collector.replica.save(&h, 1_790_000_000).expect("saved");
    collector.sync().await.expect("accepted");
    staff.sync().await.expect("synced");
    let id = h.household_id.0;
    let (got, _) = staff.replica.household(id).expect("readable").expect("present");
    assert_eq!(got.as_ref(), Some(&h), "ward staff's copy equals the collector's");
    let c = shared::poverty::classify_household(&h, &shared::poverty::PovertyStandard::vn2022(), h.interview_date);
    let row = registry_row(&app, &id.to_string()).await.expect("registry row");
    assert_eq!(row.try_get::<String, _>("category").expect("category"), c.category.as_code());
    assert_eq!(row.try_get::<i64, _>("deprived_count").expect("d"), i64::from(c.deprived_count));
    assert_eq!(row.try_get::<i64, _>("b2_score").expect("b2"), i64::from(c.b2_score));
    let indicators: i64 = sqlx::query_scalar("select count(*) from indicator_result where household_id = $1")
        .bind(id.to_string())
        .fetch_one(&app.db.pool)
        .await
        .expect("count");
    assert_eq!(indicators, 12);
    let audit = server::service::store::audit::for_household(&app.db, &id.to_string()).await.expect("audit");
    assert_eq!(audit.len(), 1);
    assert!(audit[0].device_id.is_some());
}
both_backends!(a_collectors_household_reaches_ward_staff_and_the_registry);

async fn concurrent_edits_by_collector_and_health_worker_both_survive(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut collector = app.device("ctv01", Role::Collector, &["TDP-01"]).await;
    let mut health = app.device("yte01", Role::Health, &["TDP-01", "TDP-02"]).await;
    let v = household_in(1, 1);
    let h = parse(&v);
    let id = h.household_id.0;
    collector.replica.save(&h, 1_790_000_000).expect("saved");
    collector.sync().await.expect("accepted");
    health.sync().await.expect("received");
    // Offline: the collector changes the latrine, the health worker sets an insurance answer.
    let mut edited = h.clone();
    edited.latrine = Some(shared::model::Latrine::Septic);
    collector.replica.save(&edited, 1_790_000_100).expect("saved");
    let (mut theirs, _) = health.replica.household(id).expect("ok").expect("present");
    let mut theirs = theirs.take().expect("valid");
    theirs.members[0].health_insurance = Some(false);
    health.replica.save(&theirs, 1_790_000_200).expect("saved");
    health.sync().await.expect("health worker may change insurance");
    collector.sync().await.expect("accepted");
    health.sync().await.expect("synced");
    let a = collector.replica.household(id).expect("ok").expect("present").0.expect("valid");
    let b = health.replica.household(id).expect("ok").expect("present").0.expect("valid");
    assert_eq!(a, b, "both devices converge");
    assert_eq!(a.latrine, Some(shared::model::Latrine::Septic));
    assert_eq!(a.members[0].health_insurance, Some(false));
    let row = registry_row(&app, &id.to_string()).await.expect("row");
    assert_eq!(row.try_get::<i64, _>("conflict_count").expect("n"), 0);
}
both_backends!(concurrent_edits_by_collector_and_health_worker_both_survive);

async fn two_values_for_one_field_are_a_conflict_shown_in_the_registry(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut a = app.device("ctv01", Role::Collector, &["TDP-01"]).await;
    let mut b = app.device("ctv01b", Role::Collector, &["TDP-01"]).await;
    let h = parse(&household_in(1, 2));
    let id = h.household_id.0;
    a.replica.save(&h, 1).expect("saved");
    a.sync().await.expect("ok");
    b.sync().await.expect("ok");
    let mut ha = h.clone();
    ha.dwelling.floor_area_m2 = Some(shared::model::FloorAreaM2::new(31.5).expect("area"));
    let mut hb = h.clone();
    hb.dwelling.floor_area_m2 = Some(shared::model::FloorAreaM2::new(42.0).expect("area"));
    a.replica.save(&ha, 2).expect("saved");
    b.replica.save(&hb, 3).expect("saved");
    a.sync().await.expect("ok");
    b.sync().await.expect("ok");
    a.sync().await.expect("ok");
    let row = registry_row(&app, &id.to_string()).await.expect("row");
    assert_eq!(row.try_get::<i64, _>("conflict_count").expect("n"), 1);
    let values: String =
        sqlx::query_scalar("select values_json from doc_conflict where household_id = $1 and path = $2")
            .bind(id.to_string())
            .bind("dwelling.floor_area_m2")
            .fetch_one(&app.db.pool)
            .await
            .expect("conflict row");
    let values: Value = serde_json::from_str(&values).expect("json");
    let mut got: Vec<f64> =
        values.as_array().expect("array").iter().map(|v| v["value"].as_f64().expect("number")).collect();
    got.sort_by(f64::total_cmp);
    assert_eq!(got, vec![31.5, 42.0], "both values kept, with their authors");
    assert_eq!(a.replica.heads(id), b.replica.heads(id));
}
both_backends!(two_values_for_one_field_are_a_conflict_shown_in_the_registry);

async fn a_health_worker_cannot_change_a_households_answers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut collector = app.device("ctv01", Role::Collector, &["TDP-01"]).await;
    let mut health = app.device("yte01", Role::Health, &["TDP-01"]).await;
    let h = parse(&household_in(1, 3));
    let id = h.household_id.0;
    collector.replica.save(&h, 1).expect("saved");
    collector.sync().await.expect("ok");
    health.sync().await.expect("ok");
    let mut changed = health.replica.household(id).expect("ok").expect("present").0.expect("valid");
    changed.water_source = Some(shared::model::WaterSource::SurfaceWater);
    health.replica.save(&changed, 2).expect("saved locally");
    let refused = health.sync().await.expect_err("refused");
    assert_eq!(refused.status, 403);
    assert_eq!(refused.body["documents"][0]["reason"], "forbidden_fields");
    assert_eq!(refused.body["documents"][0]["paths"], json!(["water_source"]));
    let count: i64 = sqlx::query_scalar("select count(*) from doc_change where household_id = $1")
        .bind(id.to_string())
        .fetch_one(&app.db.pool)
        .await
        .expect("count");
    assert_eq!(count, 1, "nothing of the refused upload was stored");
}
both_backends!(a_health_worker_cannot_change_a_households_answers);

async fn collectors_see_only_their_groups_and_cannot_write_elsewhere(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut one = app.device("ctv01", Role::Collector, &["TDP-01"]).await;
    let mut two = app.device("ctv02", Role::Collector, &["TDP-02"]).await;
    let mut other_ward = app.device_in("canbo2", Role::WardStaff, "99999", &[]).await;
    let h = parse(&household_in(1, 4));
    one.replica.save(&h, 1).expect("saved");
    one.sync().await.expect("ok");
    two.sync().await.expect("ok");
    other_ward.sync().await.expect("ok");
    assert!(two.replica.ids().is_empty(), "another group's collector receives nothing");
    assert!(other_ward.replica.ids().is_empty(), "another commune's staff receive nothing");
    // A household of TDP-01 created on TDP-02's phone is refused.
    let intruder = parse(&household_in(1, 5));
    two.replica.save(&intruder, 1).expect("saved locally");
    let refused = two.sync().await.expect_err("refused");
    assert_eq!((refused.status, refused.body["documents"][0]["reason"].as_str()), (403, Some("out_of_scope")));
}
both_backends!(collectors_see_only_their_groups_and_cannot_write_elsewhere);

async fn a_replayed_request_changes_nothing_and_a_no_change_sync_is_tiny(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut d = app.device("ctv01", Role::Collector, &["TDP-01"]).await;
    let h = parse(&household_in(1, 6));
    d.replica.save(&h, 1).expect("saved");
    let (request, _) = d.replica.request(1 << 20);
    let body = encode_request(&request);
    for _ in 0..3 {
        let (status, _) = post_sync(d.addr, &d.token, body.clone()).await;
        assert_eq!(status, 200);
    }
    let changes: i64 =
        sqlx::query_scalar("select count(*) from doc_change").fetch_one(&app.db.pool).await.expect("count");
    let audits: i64 = sqlx::query_scalar("select count(*) from audit").fetch_one(&app.db.pool).await.expect("count");
    assert_eq!((changes, audits), (1, 1), "stored once");
    d.sync().await.expect("ok");
    let (up, down, trips) = (d.bytes_up, d.bytes_down, d.round_trips);
    d.sync().await.expect("ok");
    assert_eq!(d.round_trips - trips, 1, "one round trip");
    assert!(
        d.bytes_up - up + d.bytes_down - down < 1024,
        "no-change sync: {} bytes",
        d.bytes_up - up + d.bytes_down - down
    );
}
both_backends!(a_replayed_request_changes_nothing_and_a_no_change_sync_is_tiny);

/// Regression (PostgreSQL): two copies of one request creating a *new* household, arriving at
/// once, used to both pass the row lock (there was no row yet), so both stored it — two audit
/// rows, wasted feed numbers and now and then a deadlock. The document lock makes the second wait
/// and then find nothing new.
async fn simultaneous_duplicates_of_a_new_household_are_stored_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut d = app.device("ctv01", Role::Collector, &["TDP-01"]).await;
    for round in 0..8 {
        let h = parse(&household_in(1, round));
        d.replica.save(&h, 1).expect("saved");
        let (request, _) = d.replica.request(1 << 20);
        let body = encode_request(&request);
        let results = futures_join4(
            post_sync(d.addr, &d.token, body.clone()),
            post_sync(d.addr, &d.token, body.clone()),
            post_sync(d.addr, &d.token, body.clone()),
            post_sync(d.addr, &d.token, body),
        )
        .await;
        assert!(results.iter().all(|(status, _)| *status == 200), "round {round}: {:?}", results.map(|r| r.0));
        let audits: i64 = sqlx::query_scalar("select count(*) from audit where household_id = $1")
            .bind(h.household_id.to_string())
            .fetch_one(&app.db.pool)
            .await
            .expect("count");
        assert_eq!(audits, 1, "round {round}: stored once");
    }
    let changes: i64 =
        sqlx::query_scalar("select count(*) from doc_change").fetch_one(&app.db.pool).await.expect("count");
    let head = server::service::store::documents::feed_head(&app.db).await.expect("head");
    assert_eq!(head, changes, "no feed number wasted");
}
both_backends!(simultaneous_duplicates_of_a_new_household_are_stored_once);

/// Ward staff move a household from TDP-01 to TDP-02 (a wrong group corrected): the new group's
/// collector receives the whole document (its earlier changes were filed under TDP-01), the old
/// group's collector is told to drop it, and later edits flow to the new group only.
async fn a_household_moved_to_another_group_follows_its_area(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut first = app.device("ctv01", Role::Collector, &["TDP-01"]).await;
    let mut second = app.device("ctv02", Role::Collector, &["TDP-02"]).await;
    let mut staff = app.device("canbo", Role::WardStaff, &[]).await;
    let h = parse(&household_in(1, 4));
    let id = h.household_id.0;
    first.replica.save(&h, 1).expect("saved");
    for round in 0..3 {
        // Several changes, so the document's history is more than one change.
        let mut edited = h.clone();
        edited.dwelling.floor_area_m2 = Some(shared::model::FloorAreaM2::new(30.0 + f64::from(round)).expect("area"));
        first.replica.save(&edited, 2 + i64::from(round)).expect("saved");
        first.sync().await.expect("ok");
    }
    second.sync().await.expect("ok");
    staff.sync().await.expect("ok");
    assert!(second.replica.household(id).expect("ok").is_none(), "not yet in TDP-02");

    let mut moved = staff.replica.household(id).expect("ok").expect("present").0.expect("valid");
    moved.area.group = shared::model::AreaCode::new("TDP-02").expect("code");
    staff.replica.save(&moved, 10).expect("saved");
    staff.sync().await.expect("ok");

    second.sync().await.expect("ok");
    let got = second.replica.household(id).expect("ok").expect("the new group's collector has it").0.expect("valid");
    assert_eq!(got.area.group.to_string(), "TDP-02");
    assert_eq!(second.replica.heads(id), staff.replica.heads(id), "whole history, not only the move");
    first.sync().await.expect("ok");
    assert!(first.replica.household(id).expect("ok").is_none(), "the old group's collector dropped it");

    // The new group's collector edits it; the old group's collector hears nothing of it.
    let mut edited = got.clone();
    edited.dwelling.floor_area_m2 = Some(shared::model::FloorAreaM2::new(55.0).expect("area"));
    second.replica.save(&edited, 20).expect("saved");
    second.sync().await.expect("ok");
    first.sync().await.expect("ok");
    assert!(first.replica.household(id).expect("ok").is_none());
    staff.sync().await.expect("ok");
    assert_eq!(second.replica.heads(id), staff.replica.heads(id));
    let row = registry_row(&app, &id.to_string()).await.expect("row");
    assert_eq!(row.try_get::<String, _>("group_code").expect("group"), "TDP-02");
}
both_backends!(a_household_moved_to_another_group_follows_its_area);

async fn futures_join4<A, B, C, D>(a: A, b: B, c: C, d: D) -> [(u16, Vec<u8>); 4]
where
    A: std::future::Future<Output = (u16, Vec<u8>)>,
    B: std::future::Future<Output = (u16, Vec<u8>)>,
    C: std::future::Future<Output = (u16, Vec<u8>)>,
    D: std::future::Future<Output = (u16, Vec<u8>)>,
{
    let (a, b, c, d) = tokio::join!(a, b, c, d);
    [a, b, c, d]
}

async fn bad_input_is_refused_with_a_reason_and_the_server_keeps_serving(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut d = app.device("ctv01", Role::Collector, &["TDP-01"]).await;
    let addr = d.addr;
    // Not a sync body; an unknown version; no token; an unknown token.
    let (status, body) = post_sync(addr, &d.token, b"hello".to_vec()).await;
    assert_eq!(status, 400, "{}", String::from_utf8_lossy(&body));
    let mut future = encode_request(&SyncRequest { cursor: vec![], max_response_bytes: 0, documents: vec![] });
    future[4] = 99;
    let (status, body) = post_sync(addr, &d.token, future).await;
    assert_eq!(status, 400);
    assert_eq!(serde_json::from_slice::<Value>(&body).expect("json")["error"], "unsupported_version");
    let (status, _) = post_sync(
        addr,
        "nope",
        encode_request(&SyncRequest { cursor: vec![], max_response_bytes: 0, documents: vec![] }),
    )
    .await;
    assert_eq!(status, 401);
    // A truncated Automerge change names its document; nothing is stored.
    let h = parse(&household_in(1, 7));
    d.replica.save(&h, 1).expect("saved");
    let (mut request, _) = d.replica.request(1 << 20);
    let bytes = &mut request.documents[0].changes[0];
    bytes.truncate(bytes.len() - 7);
    let (status, body) = post_sync(addr, &d.token, encode_request(&request)).await;
    let body: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(status, 400);
    assert_eq!(body["documents"][0]["household_id"], h.household_id.to_string());
    assert_eq!(body["documents"][0]["reason"], "malformed_change");
    // Too large.
    let huge = encode_request(&SyncRequest {
        cursor: vec![],
        max_response_bytes: 0,
        documents: vec![DocumentChanges { household_id: uuid::Uuid::new_v4(), changes: vec![vec![7u8; 17 << 20]] }],
    });
    let (status, _) = post_sync(addr, &d.token, huge).await;
    assert_eq!(status, 413);
    let stored: i64 =
        sqlx::query_scalar("select count(*) from doc_change").fetch_one(&app.db.pool).await.expect("count");
    assert_eq!(stored, 0);
    // And the real upload still works.
    d.sync().await.expect("accepted");
    // A revoked device is refused at once.
    let devices = server::service::store::users::list_devices(&app.db).await.expect("list");
    server::service::store::users::revoke_device(&app.db, &devices[0].id).await.expect("revoke");
    let refused = d.sync().await.expect_err("revoked");
    assert_eq!((refused.status, refused.body["error"].as_str()), (401, Some("revoked_token")));
}
both_backends!(bad_input_is_refused_with_a_reason_and_the_server_keeps_serving);

async fn a_new_phone_downloads_its_area_in_pages(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut writer = app.device("canbo", Role::WardStaff, &[]).await;
    let ward = generate_ward(&WardSpec { households: 40, ..WardSpec::default() });
    for v in &ward {
        writer.replica.save(&parse(v), 1).expect("saved");
    }
    writer.sync().await.expect("ok");
    let mut phone = app.device("ctv03", Role::Collector, &["TDP-03"]).await;
    let mut pages = 0;
    loop {
        let (request, sent) = phone.replica.request(0); // smallest budget: one page per document batch
        let (status, bytes) = post_sync(phone.addr, &phone.token, encode_request(&request)).await;
        assert_eq!(status, 200);
        let response = shared::sync_wire::decode_response(&bytes, &Default::default()).expect("valid");
        pages += 1;
        if !phone.replica.apply(&sent, response).expect("applies").more {
            break;
        }
    }
    let expected: Vec<uuid::Uuid> = {
        let mut ids: Vec<_> =
            ward.iter().filter(|v| v["area"]["group"] == "TDP-03").map(|v| parse(v).household_id.0).collect();
        ids.sort();
        ids
    };
    assert_eq!(phone.replica.ids(), expected);
    assert!(pages >= 1);
}
both_backends!(a_new_phone_downloads_its_area_in_pages);
