//! The registry in headless Chromium (`tests/browser/registry-flow.mjs`, playwright-core):
//! a demo ward on a SQLite file, a conflict made by two simulated phones, then the browser logs
//! in, filters, searches, settles the conflict, takes review steps and downloads the report;
//! afterwards a phone has the settled value and the workbook's cells match the registry.

use std::io::Cursor;
use std::time::Duration;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use server::service::db::Db;
use shared::access::Role;
use shared::model::FloorAreaM2;

use crate::support::*;

const DIR: &str = env!("CARGO_MANIFEST_DIR");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ward_staff_settle_a_conflict_review_and_export_in_a_browser() {
    tokio::time::timeout(Duration::from_secs(240), flow()).await.expect("browser test timed out");
}

async fn flow() {
    let dir = TempDir::new();
    let db = Db::connect(&format!("sqlite://{}", dir.0.join("rasoat.db").display())).await.expect("db");
    let creds = server::tools::seed::seed_demo(&db, 160).await.expect("demo seeded");
    let app = TestApp::spawn_on(db, Some(dir)).await;
    // Two phones of TDP-01 change the same floor area offline: a conflict.
    let mut a = app.device("ctv-a", Role::Collector, &["TDP-01"]).await;
    let mut b = app.device("ctv-b", Role::Collector, &["TDP-01"]).await;
    a.sync().await.expect("a synced");
    b.sync().await.expect("b synced");
    let id = *a.replica.ids().iter().min().expect("TDP-01 has households");
    let h = a.replica.household(id).expect("readable").expect("present").0.expect("valid");
    let (mut ha, mut hb) = (h.clone(), h.clone());
    ha.dwelling.floor_area_m2 = Some(FloorAreaM2::new(31.5).expect("area"));
    hb.dwelling.floor_area_m2 = Some(FloorAreaM2::new(42.0).expect("area"));
    a.replica.save(&ha, 1_790_000_100).expect("saved");
    b.replica.save(&hb, 1_790_000_200).expect("saved");
    a.sync().await.expect("ok");
    b.sync().await.expect("ok");

    let shots = format!("{DIR}/../docs/screenshots");
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    let xlsx = std::env::temp_dir().join(format!("rasoat-report-{}.xlsx", uuid::Uuid::new_v4().simple()));
    let out = tokio::process::Command::new("node")
        .arg(format!("{DIR}/../tests/browser/registry-flow.mjs"))
        .arg(format!("http://{}", app.addr))
        .arg(&creds.ward_staff)
        .arg(&creds.ward_staff_password)
        .arg(id.to_string())
        .arg(&shots)
        .arg(&xlsx)
        .kill_on_drop(true)
        .output()
        .await
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "browser flow failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("\"ok\":true"), "{stdout}");

    // The settled value reached a phone.
    a.sync().await.expect("synced");
    let got = a.replica.household(id).expect("readable").expect("present").0.expect("valid");
    assert_eq!(got.dwelling.floor_area_m2.map(|v| v.get()), Some(36.5));
    let status: String = sqlx::query_scalar("select review_status from household where id = $1")
        .bind(id.to_string())
        .fetch_one(&app.db.pool)
        .await
        .expect("row");
    assert_eq!(status, "posted");

    // The downloaded workbook: Vietnamese headings, the registry's numbers.
    let bytes = std::fs::read(&xlsx).expect("downloaded");
    let _ = std::fs::remove_file(&xlsx);
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("a real workbook");
    let t1 = wb.worksheet_range("Biểu 1 - Kết quả").expect("table 1");
    let text = |r: usize, c: usize| match t1.get((r, c)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => format!("{f}"),
        other => format!("{other:?}"),
    };
    assert_eq!((text(2, 0), text(2, 2), text(2, 3)), ("Tổ dân phố".into(), "Hộ nghèo".into(), "Hộ cận nghèo".into()));
    let total_row = (0..t1.height()).find(|r| text(*r, 0) == "Tổng cộng").expect("a total row");
    for (col, category) in [(2, "poor"), (3, "near_poor")] {
        let n: i64 = sqlx::query_scalar("select count(*) from household where category = $1")
            .bind(category)
            .fetch_one(&app.db.pool)
            .await
            .expect("count");
        assert_eq!(text(total_row, col), n.to_string(), "{category}");
    }
    assert_eq!(text(total_row, 1), "160");
    let imported: i64 =
        sqlx::query_scalar("select count(*) from household where code like 'NK-02-%' and review_status = 'listed'")
            .fetch_one(&app.db.pool)
            .await
            .expect("count");
    assert_eq!(imported, 2, "the imported list is in the registry, listed for review");
}
