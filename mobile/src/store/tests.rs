//! Store: migrations, one-transaction saves, list, search and filters.

use super::*;
use crate::record::Row;

fn row(name: &str, address: &str, category: Option<&str>, unsynced: bool) -> Row {
    Row {
        household_id: Uuid::new_v4(),
        head_name: name.into(),
        address: address.into(),
        group: "TDP-01".into(),
        search_key: shared::text::search_key(&format!("{name} | {address}")),
        category: category.map(str::to_owned),
        interview_year: Some(2026),
        member_count: 1,
        unsynced,
        ..Row::default()
    }
}

fn store_with(rows: &[Row]) -> Store {
    let mut store = Store::open_in_memory().expect("store");
    let docs: Vec<_> = rows.iter().map(|r| (r.household_id, (vec![1, 2, 3], vec![]), r.clone())).collect();
    store.save(&docs, &[]).expect("saved");
    store
}

#[test]
fn a_new_database_is_migrated_to_the_latest_version_and_reopens() {
    let dir = std::env::temp_dir().join(format!("rasoat-app-store-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("db");
    {
        let store = Store::open(&path).expect("opens");
        assert_eq!(store.version().expect("version"), LATEST);
        store.set_setting("lang", "en").expect("set");
    }
    let store = Store::open(&path).expect("reopens");
    assert_eq!(store.setting("lang").expect("get").as_deref(), Some("en"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o077, 0, "database readable by others: {mode:o}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn search_ignores_diacritics_and_case() {
    let store = store_with(&[
        row("Nguyễn Văn An", "12 đường số 3", Some("poor"), false),
        row("Trần Thị Bé", "5 Lê Lợi", None, true),
    ]);
    let page = store.list(&shared::text::search_key("nguyen van an"), Filter::All, 2026, 0, 50).expect("list");
    assert_eq!(page.total, 1);
    assert_eq!(page.rows[0].head_name, "Nguyễn Văn An");
    let page = store.list(&shared::text::search_key("LE LOI"), Filter::All, 2026, 0, 50).expect("list");
    assert_eq!(page.rows[0].head_name, "Trần Thị Bé");
}

#[test]
fn filters_select_category_unsynced_and_not_visited() {
    let mut old = row("Lê Văn Cũ", "1 A", Some("near_poor"), false);
    old.interview_year = Some(2025);
    let store = store_with(&[row("A", "x", Some("poor"), false), row("B", "y", None, true), old]);
    let names = |f: Filter| -> Vec<String> {
        store.list("", f, 2026, 0, 50).expect("list").rows.into_iter().map(|r| r.head_name).collect()
    };
    assert_eq!(names(Filter::Poor), ["A"]);
    assert_eq!(names(Filter::NearPoor), ["Lê Văn Cũ"]);
    assert_eq!(names(Filter::Undetermined), ["B"]);
    assert_eq!(names(Filter::Unsynced), ["B"]);
    assert_eq!(names(Filter::NotVisited), ["Lê Văn Cũ"]);
    assert_eq!(names(Filter::All).len(), 3);
    assert_eq!(store.unsynced().expect("unsynced").len(), 1);
}

#[test]
fn pages_are_bounded_and_the_total_counts_every_match() {
    let rows: Vec<Row> = (0..120).map(|i| row(&format!("Hộ {i:03}"), "x", None, false)).collect();
    let store = store_with(&rows);
    let page = store.list("", Filter::All, 2026, 100, 50).expect("list");
    assert_eq!((page.rows.len(), page.total), (20, 120));
}

#[test]
fn the_resume_step_survives_a_projection_refresh_from_sync() {
    let r = row("A", "x", None, true);
    let mut store = store_with(std::slice::from_ref(&r));
    store.set_step(r.household_id, 4).expect("step");
    store.save(&[(r.household_id, (vec![9], vec![]), Row { step: 0, ..r.clone() })], &[]).expect("resync");
    assert_eq!(store.row(r.household_id).expect("row").expect("exists").step, 4);
}
