//! The phone's SQLite database, and the only code that writes it: household Automerge
//! documents (saved bytes + the change hashes the server has), the list projection, and
//! settings (device enrolment, sync cursor, language, last sync).
//!
//! Durability: WAL with `synchronous=FULL`, so a commit is on disk when `save` returns and an
//! app killed at any instant keeps everything shown as saved. Every save is one transaction
//! (document and projection row together). Migrations run by `PRAGMA user_version`.

use std::path::Path;

use automerge::ChangeHash;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use crate::record::Row;

/// Storage failures.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The database was written by a newer app.
    #[error("database version {0} is newer than this app ({LATEST})")]
    TooNew(i64),
}

/// The schema, one entry per version; never edit an applied one, append.
const MIGRATIONS: &[&str] = &[r#"
create table household_doc (
    household_id text primary key,
    doc blob not null,
    acked blob not null,
    updated_at integer not null
);
create table household_row (
    household_id text primary key,
    code text,
    head_name text not null,
    address text not null,
    area_group text not null,
    search_key text not null,
    category text,
    interview_year integer,
    member_count integer not null,
    conflicts integer not null,
    unsynced integer not null,
    step integer not null default 0,
    updated_at integer not null
);
create index household_row_by_name on household_row (area_group, head_name);
create index household_row_unsynced on household_row (unsynced) where unsynced = 1;
create table setting (
    key text primary key,
    value text not null
);
"#];

const LATEST: i64 = MIGRATIONS.len() as i64;

/// Which households the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    /// Every household of my groups.
    #[default]
    All,
    /// Not interviewed in this review year.
    NotVisited,
    /// Classified poor.
    Poor,
    /// Classified near-poor.
    NearPoor,
    /// Not classifiable yet (missing answers or invalid).
    Undetermined,
    /// Concurrent edits left several values.
    Conflicts,
    /// Changes the server does not have yet.
    Unsynced,
}

impl Filter {
    /// Every filter, in the order of the filter bar.
    pub const ALL: [Filter; 7] = [
        Filter::All,
        Filter::NotVisited,
        Filter::Poor,
        Filter::NearPoor,
        Filter::Undetermined,
        Filter::Conflicts,
        Filter::Unsynced,
    ];

    fn sql(self, year: i32) -> String {
        match self {
            Filter::All => "1".into(),
            Filter::NotVisited => format!("(interview_year is null or interview_year < {year})"),
            Filter::Poor => "category = 'poor'".into(),
            Filter::NearPoor => "category = 'near_poor'".into(),
            Filter::Undetermined => "(category is null or category = 'undetermined')".into(),
            Filter::Conflicts => "conflicts > 0".into(),
            Filter::Unsynced => "unsynced = 1".into(),
        }
    }
}

/// One page of the list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// The rows, by group then head's name.
    pub rows: Vec<Row>,
    /// How many households match.
    pub total: usize,
}

/// A stored document: bytes and the hashes the server has.
pub type StoredDoc = (Vec<u8>, Vec<ChangeHash>);

/// The database.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating and migrating) the database at `path`; the file is made readable by its
    /// owner only.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path)?;
        restrict_permissions(path);
        Store::init(conn)
    }

    /// A database in memory (tests).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Store::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Store, StoreError> {
        conn.pragma_update(None, "journal_mode", "wal")?;
        conn.pragma_update(None, "synchronous", "full")?;
        conn.pragma_update(None, "foreign_keys", "on")?;
        let mut store = Store { conn };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let version: i64 = self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > LATEST {
            return Err(StoreError::TooNew(version));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// The schema version (`PRAGMA user_version`).
    pub fn version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// A setting.
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.conn.query_row("select value from setting where key = ?1", [key], |r| r.get(0)).optional()?)
    }

    /// Writes a setting.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "insert into setting (key, value) values (?1, ?2) on conflict (key) do update set value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// A household's document and acknowledged hashes.
    pub fn document(&self, id: Uuid) -> Result<Option<StoredDoc>, StoreError> {
        let row = self
            .conn
            .query_row("select doc, acked from household_doc where household_id = ?1", [id.to_string()], |r| {
                Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, Vec<u8>>(1)?))
            })
            .optional()?;
        Ok(row.map(|(doc, acked)| (doc, decode_hashes(&acked))))
    }

    /// Saves documents with their projection rows, and optionally settings, in one
    /// transaction. `step` is kept when `None`.
    pub fn save(&mut self, docs: &[(Uuid, StoredDoc, Row)], settings: &[(&str, &str)]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for (id, (bytes, acked), row) in docs {
            let id = id.to_string();
            tx.execute(
                "insert into household_doc (household_id, doc, acked, updated_at) values (?1, ?2, ?3, ?4)
                 on conflict (household_id) do update set doc = excluded.doc, acked = excluded.acked,
                 updated_at = excluded.updated_at",
                params![id, bytes, encode_hashes(acked), row.updated_at],
            )?;
            write_row(&tx, &id, row)?;
        }
        for (key, value) in settings {
            tx.execute(
                "insert into setting (key, value) values (?1, ?2) on conflict (key) do update set value = excluded.value",
                params![key, value],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Removes households (they left this device's scope), with settings, in one transaction.
    pub fn remove(&mut self, ids: &[Uuid]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for id in ids {
            tx.execute("delete from household_doc where household_id = ?1", [id.to_string()])?;
            tx.execute("delete from household_row where household_id = ?1", [id.to_string()])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Records the survey step to resume at.
    pub fn set_step(&self, id: Uuid, step: usize) -> Result<(), StoreError> {
        self.conn.execute(
            "update household_row set step = ?2 where household_id = ?1",
            params![id.to_string(), step as i64],
        )?;
        Ok(())
    }

    /// One household's row.
    pub fn row(&self, id: Uuid) -> Result<Option<Row>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!("select {ROW_COLUMNS} from household_row where household_id = ?1"),
                [id.to_string()],
                read_row,
            )
            .optional()?)
    }

    /// A page of the list: `query` (already folded with `search_key`) matches names, address and
    /// code; `year` is the review year for [`Filter::NotVisited`].
    pub fn list(
        &self,
        query: &str,
        filter: Filter,
        year: i32,
        offset: usize,
        limit: usize,
    ) -> Result<Page, StoreError> {
        let pattern = format!("%{}%", query.replace(['%', '_'], ""));
        let cond = format!("search_key like ?1 and {}", filter.sql(year));
        let total: i64 =
            self.conn
                .query_row(&format!("select count(*) from household_row where {cond}"), [&pattern], |r| r.get(0))?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "select {ROW_COLUMNS} from household_row where {cond} order by area_group, head_name limit ?2 offset ?3"
        ))?;
        let rows =
            stmt.query_map(params![pattern, limit as i64, offset as i64], read_row)?.collect::<Result<_, _>>()?;
        Ok(Page { rows, total: total as usize })
    }

    /// Households with changes the server does not have.
    pub fn unsynced(&self) -> Result<Vec<Uuid>, StoreError> {
        let mut stmt = self.conn.prepare_cached("select household_id from household_row where unsynced = 1")?;
        let ids: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(ids.iter().filter_map(|s| Uuid::parse_str(s).ok()).collect())
    }

    /// Number of households on the device.
    pub fn count(&self) -> Result<usize, StoreError> {
        let n: i64 = self.conn.query_row("select count(*) from household_row", [], |r| r.get(0))?;
        Ok(n as usize)
    }
}

const ROW_COLUMNS: &str = "household_id, code, head_name, address, area_group, search_key, category, \
                           interview_year, member_count, conflicts, unsynced, step, updated_at";

fn write_row(tx: &rusqlite::Transaction<'_>, id: &str, row: &Row) -> rusqlite::Result<()> {
    tx.execute(
        "insert into household_row (household_id, code, head_name, address, area_group, search_key, category,
             interview_year, member_count, conflicts, unsynced, step, updated_at)
         values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         on conflict (household_id) do update set code = excluded.code, head_name = excluded.head_name,
             address = excluded.address, area_group = excluded.area_group, search_key = excluded.search_key,
             category = excluded.category, interview_year = excluded.interview_year,
             member_count = excluded.member_count, conflicts = excluded.conflicts,
             unsynced = excluded.unsynced, step = max(household_row.step, excluded.step),
             updated_at = excluded.updated_at",
        params![
            id,
            row.code,
            row.head_name,
            row.address,
            row.group,
            row.search_key,
            row.category,
            row.interview_year,
            row.member_count as i64,
            row.conflicts as i64,
            row.unsynced,
            row.step as i64,
            row.updated_at
        ],
    )?;
    Ok(())
}

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let id: String = r.get(0)?;
    Ok(Row {
        household_id: Uuid::parse_str(&id).unwrap_or_default(),
        code: r.get(1)?,
        head_name: r.get(2)?,
        address: r.get(3)?,
        group: r.get(4)?,
        search_key: r.get(5)?,
        category: r.get(6)?,
        interview_year: r.get(7)?,
        member_count: r.get::<_, i64>(8)? as usize,
        conflicts: r.get::<_, i64>(9)? as usize,
        unsynced: r.get(10)?,
        step: r.get::<_, i64>(11)? as usize,
        updated_at: r.get(12)?,
    })
}

fn encode_hashes(hashes: &[ChangeHash]) -> Vec<u8> {
    hashes.iter().flat_map(|h| h.0).collect()
}

fn decode_hashes(bytes: &[u8]) -> Vec<ChangeHash> {
    bytes.chunks_exact(32).filter_map(|c| ChangeHash::try_from(c).ok()).collect()
}

/// Owner-only permissions on the database and its WAL files (other apps and users cannot read
/// them; on Android the app-private directory already ensures this).
#[cfg(unix)]
fn restrict_permissions(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for suffix in ["", "-wal", "-shm"] {
        let p = format!("{}{suffix}", path.display());
        let _ = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600));
    }
}

#[cfg(not(unix))]
fn restrict_permissions(_path: &Path) {}

#[cfg(test)]
mod tests;
