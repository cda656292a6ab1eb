//! Automerge changes keyed by hash, the change feed, and document snapshots.
//!
//! A document is stored as its changes (one row each, primary key = change hash, so a
//! duplicate upload is a no-op and several server processes can write without coordination)
//! plus, every [`SNAPSHOT_EVERY`] changes, a compacted snapshot. Loading is the snapshot plus
//! the changes after it. Every change row carries a `feed_seq` from the single counter row, so
//! the feed is read in commit order, and the area it was filed under, so a device's feed query
//! is one index range per residential group: O(changes it lacks), never O(all households).

use automerge::{Automerge, Change, ReadDoc};
use sqlx::{Any, Row, Transaction};

use super::StoreError;
use crate::service::auth::Principal;
use crate::service::db::{Backend, Db, now_text};

/// Re-snapshot a document once this many changes have accumulated after its snapshot.
pub const SNAPSHOT_EVERY: i64 = 16;

/// A stored document, loaded.
pub struct StoredDoc {
    /// The merged document.
    pub doc: Automerge,
    /// Changes stored after the snapshot.
    pub changes_since_snapshot: i64,
}

/// Holds the document's write lock until the transaction ends, so that two writers of one
/// household — even one that does not exist yet — run one after the other and the second loads
/// what the first committed.
///
/// PostgreSQL: a transaction-scoped advisory lock on a 64-bit hash of the id (a row lock cannot
/// work: a new household has no row to lock). Callers take the locks in sorted id order, so two
/// writers never wait on each other in a cycle. SQLite: every writer already holds the database's
/// single write gate ([`Db::begin_write`]), so there is nothing more to take.
pub async fn lock(tx: &mut Transaction<'static, Any>, backend: Backend, household_id: &str) -> Result<(), StoreError> {
    if backend == Backend::Postgres {
        sqlx::query("select pg_advisory_xact_lock(hashtextextended($1, 0))::text")
            .bind(household_id)
            .fetch_one(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Loads a document (snapshot + later changes); `None` if no change of it is stored.
pub async fn load(tx: &mut Transaction<'static, Any>, household_id: &str) -> Result<Option<StoredDoc>, StoreError> {
    let snapshot = sqlx::query("select bytes, upto_feed_seq from doc_snapshot where household_id = $1")
        .bind(household_id)
        .fetch_optional(&mut **tx)
        .await?;
    let (mut doc, upto) = match snapshot {
        Some(r) => {
            let bytes: Vec<u8> = r.try_get("bytes")?;
            let doc =
                Automerge::load(&bytes).map_err(|e| StoreError::CorruptDocument(household_id.into(), e.to_string()))?;
            (Some(doc), r.try_get::<i64, _>("upto_feed_seq")?)
        }
        None => (None, 0),
    };
    let rows: Vec<Vec<u8>> =
        sqlx::query_scalar("select bytes from doc_change where household_id = $1 and feed_seq > $2 order by feed_seq")
            .bind(household_id)
            .bind(upto)
            .fetch_all(&mut **tx)
            .await?;
    if doc.is_none() && rows.is_empty() {
        return Ok(None);
    }
    let count = rows.len() as i64;
    let changes = rows
        .into_iter()
        .map(Change::from_bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| StoreError::CorruptDocument(household_id.into(), e.to_string()))?;
    let doc_ref = doc.get_or_insert_with(Automerge::new);
    doc_ref.apply_changes(changes).map_err(|e| StoreError::CorruptDocument(household_id.into(), e.to_string()))?;
    Ok(doc.map(|doc| StoredDoc { doc, changes_since_snapshot: count }))
}

/// Takes `count` consecutive feed numbers; returns the first. Holding the counter row until
/// commit serialises feed appends, so feed order is commit order on PostgreSQL too.
pub async fn reserve_feed(tx: &mut Transaction<'static, Any>, count: i64) -> Result<i64, StoreError> {
    let last: i64 = sqlx::query_scalar("update feed_counter set last = last + $1 where id = 1 returning last")
        .bind(count)
        .fetch_one(&mut **tx)
        .await?;
    Ok(last - count + 1)
}

/// Where a document's changes are filed in the feed.
pub struct Filing<'a> {
    /// The household.
    pub household_id: &'a str,
    /// Its commune.
    pub commune: &'a str,
    /// Its area key (commune/group).
    pub area_key: &'a str,
    /// The uploading device (`None` for changes made on the server).
    pub device_id: Option<&'a str>,
}

/// Stores one change; a change already stored (same hash) is left as it is.
pub async fn insert_change(
    tx: &mut Transaction<'static, Any>,
    filing: &Filing<'_>,
    change: &Change,
    feed_seq: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "insert into doc_change (hash, household_id, feed_seq, commune, area_key, device_id, bytes, received_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (hash) do nothing",
    )
    .bind(change.hash().to_string())
    .bind(filing.household_id)
    .bind(feed_seq)
    .bind(filing.commune)
    .bind(filing.area_key)
    .bind(filing.device_id)
    .bind(change.raw_bytes().to_vec())
    .bind(now_text())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces the document's snapshot.
pub async fn save_snapshot(
    tx: &mut Transaction<'static, Any>,
    household_id: &str,
    doc: &Automerge,
    upto_feed_seq: i64,
) -> Result<(), StoreError> {
    let change_count = doc.get_changes_meta(&[]).len() as i64;
    sqlx::query(
        "insert into doc_snapshot (household_id, bytes, upto_feed_seq, change_count, updated_at) values ($1, $2, $3, $4, $5) \
         on conflict (household_id) do update set bytes = excluded.bytes, upto_feed_seq = excluded.upto_feed_seq, \
         change_count = excluded.change_count, updated_at = excluded.updated_at",
    )
    .bind(household_id)
    .bind(doc.save_nocompress())
    .bind(upto_feed_seq)
    .bind(change_count)
    .bind(now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The newest feed number.
pub async fn feed_head(db: &Db) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("select last from feed_counter where id = 1").fetch_one(&db.pool).await?)
}

/// One change from the feed.
pub struct FeedRow {
    /// Feed number.
    pub feed_seq: i64,
    /// Household.
    pub household_id: String,
    /// Raw change bytes.
    pub bytes: Vec<u8>,
}

/// Changes after `after` in the principal's scope, not uploaded by its own device, in feed
/// order, at most `limit`.
pub async fn feed_after(db: &Db, p: &Principal, after: i64, limit: i64) -> Result<Vec<FeedRow>, StoreError> {
    let device = p.device_id.clone().unwrap_or_default();
    let rows = match p.area_keys() {
        Some(keys) if keys.is_empty() => Vec::new(),
        Some(keys) => {
            // One index range per area key: (area_key, feed_seq).
            let list = (0..keys.len()).map(|i| format!("${}", i + 4)).collect::<Vec<_>>().join(", ");
            let sql = format!(
                "select feed_seq, household_id, bytes from doc_change where area_key in ({list}) and feed_seq > $1 \
                 and (device_id is null or device_id <> $2) order by feed_seq limit $3"
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(after).bind(&device).bind(limit);
            for k in &keys {
                q = q.bind(k);
            }
            q.fetch_all(&db.pool).await?
        }
        None if p.role == shared::access::Role::Admin => {
            sqlx::query(
                "select feed_seq, household_id, bytes from doc_change where feed_seq > $1 \
                 and (device_id is null or device_id <> $2) order by feed_seq limit $3",
            )
            .bind(after)
            .bind(&device)
            .bind(limit)
            .fetch_all(&db.pool)
            .await?
        }
        None => {
            sqlx::query(
                "select feed_seq, household_id, bytes from doc_change where commune = $4 and feed_seq > $1 \
                 and (device_id is null or device_id <> $2) order by feed_seq limit $3",
            )
            .bind(after)
            .bind(&device)
            .bind(limit)
            .bind(&p.commune)
            .fetch_all(&db.pool)
            .await?
        }
    };
    rows.into_iter()
        .map(|r| {
            Ok(FeedRow {
                feed_seq: r.try_get("feed_seq")?,
                household_id: r.try_get("household_id")?,
                bytes: r.try_get("bytes")?,
            })
        })
        .collect()
}

/// Where a household was filed before a write and where it is filed after.
pub struct Move<'a> {
    /// Household.
    pub household_id: &'a str,
    /// Commune before.
    pub from_commune: &'a str,
    /// Area key before.
    pub from_area_key: &'a str,
    /// Commune after.
    pub to_commune: &'a str,
    /// Area key after.
    pub to_area_key: &'a str,
}

/// Records a move at feed number `feed_seq` (taken from the counter like a change's).
pub async fn record_move(tx: &mut Transaction<'static, Any>, m: &Move<'_>, feed_seq: i64) -> Result<(), StoreError> {
    sqlx::query(
        "insert into doc_move (feed_seq, household_id, from_commune, from_area_key, to_commune, to_area_key, moved_at) \
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(feed_seq)
    .bind(m.household_id)
    .bind(m.from_commune)
    .bind(m.from_area_key)
    .bind(m.to_commune)
    .bind(m.to_area_key)
    .bind(now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What a move means for one device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveEffect {
    /// The household came into the device's scope: send the whole document.
    Gained,
    /// The household left the device's scope: tell the device to drop it.
    Lost,
}

/// A move in the feed that changes what the principal may see.
pub struct MoveRow {
    /// Feed number.
    pub feed_seq: i64,
    /// Household.
    pub household_id: String,
    /// Gained or lost; `None` when the principal sees both places (or neither).
    pub effect: Option<MoveEffect>,
}

/// Moves after `after` touching the principal's scope (at most `limit`, in feed order), each
/// with what it means for the principal. Moves are rare: one small index range per area key.
pub async fn moves_after(db: &Db, p: &Principal, after: i64, limit: i64) -> Result<Vec<MoveRow>, StoreError> {
    let columns = "feed_seq, household_id, from_commune, from_area_key, to_commune, to_area_key";
    let keys = p.area_keys();
    let rows = match &keys {
        Some(keys) if keys.is_empty() => return Ok(Vec::new()),
        Some(keys) => {
            let list = (0..keys.len()).map(|i| format!("${}", i + 3)).collect::<Vec<_>>().join(", ");
            let sql = format!(
                "select {columns} from doc_move where (to_area_key in ({list}) or from_area_key in ({list})) \
                 and feed_seq > $1 order by feed_seq limit $2"
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(after).bind(limit);
            for k in keys {
                q = q.bind(k);
            }
            q.fetch_all(&db.pool).await?
        }
        None if p.role == shared::access::Role::Admin => return Ok(Vec::new()),
        None => {
            let sql = format!(
                "select {columns} from doc_move where (to_commune = $3 or from_commune = $3) and feed_seq > $1 \
                 order by feed_seq limit $2"
            );
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(after).bind(limit).bind(&p.commune).fetch_all(&db.pool).await?
        }
    };
    let sees = |commune: &str, area_key: &str| match &keys {
        Some(keys) => keys.iter().any(|k| k == area_key),
        None => commune == p.commune,
    };
    let mut out = Vec::new();
    for r in rows {
        let feed_seq: i64 = r.try_get("feed_seq")?;
        let household_id: String = r.try_get("household_id")?;
        let from: (String, String) = (r.try_get("from_commune")?, r.try_get("from_area_key")?);
        let to: (String, String) = (r.try_get("to_commune")?, r.try_get("to_area_key")?);
        let effect = match (sees(&from.0, &from.1), sees(&to.0, &to.1)) {
            (false, true) => Some(MoveEffect::Gained),
            (true, false) => Some(MoveEffect::Lost),
            _ => None,
        };
        out.push(MoveRow { feed_seq, household_id, effect });
    }
    Ok(out)
}

/// Households in the principal's scope with id after `after`, in id order, at most `limit`.
pub async fn households_after(db: &Db, p: &Principal, after: &str, limit: i64) -> Result<Vec<String>, StoreError> {
    let rows: Vec<String> = match (p.role, p.area_keys()) {
        (_, Some(keys)) if keys.is_empty() => Vec::new(),
        (_, Some(_)) => {
            let list = (0..p.groups.len()).map(|i| format!("${}", i + 4)).collect::<Vec<_>>().join(", ");
            let sql = format!(
                "select id from household where commune = $1 and group_code in ({list}) and id > $2 order by id limit $3"
            );
            let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(&p.commune).bind(after).bind(limit);
            for g in &p.groups {
                q = q.bind(g);
            }
            q.fetch_all(&db.pool).await?
        }
        (shared::access::Role::Admin, None) => {
            sqlx::query_scalar("select id from household where id > $1 order by id limit $2")
                .bind(after)
                .bind(limit)
                .fetch_all(&db.pool)
                .await?
        }
        (_, None) => {
            sqlx::query_scalar("select id from household where commune = $1 and id > $2 order by id limit $3")
                .bind(&p.commune)
                .bind(after)
                .bind(limit)
                .fetch_all(&db.pool)
                .await?
        }
    };
    Ok(rows)
}

/// A document as it is stored now, for sending whole (read-only transaction).
pub async fn load_for_read(db: &Db, household_id: &str) -> Result<Option<Automerge>, StoreError> {
    let mut tx = db.pool.begin().await?;
    let doc = load(&mut tx, household_id).await?.map(|s| s.doc);
    tx.rollback().await?;
    Ok(doc)
}

/// Several documents as stored now, in the order of `ids`, with two queries in all (the
/// first-sync path sends whole documents a page at a time).
pub async fn load_many_for_read(db: &Db, ids: &[String]) -> Result<Vec<(String, Automerge)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = super::placeholders(1, ids.len());
    let mut tx = db.pool.begin().await?;
    let sql = format!("select household_id, bytes, upto_feed_seq from doc_snapshot where household_id in ({list})");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for id in ids {
        q = q.bind(id);
    }
    let mut docs: std::collections::HashMap<String, (Automerge, i64)> = std::collections::HashMap::new();
    for r in q.fetch_all(&mut *tx).await? {
        let id: String = r.try_get("household_id")?;
        let bytes: Vec<u8> = r.try_get("bytes")?;
        let doc = Automerge::load(&bytes).map_err(|e| StoreError::CorruptDocument(id.clone(), e.to_string()))?;
        docs.insert(id, (doc, r.try_get("upto_feed_seq")?));
    }
    let sql = format!(
        "select household_id, feed_seq, bytes from doc_change where household_id in ({list}) order by feed_seq"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for id in ids {
        q = q.bind(id);
    }
    let mut pending: std::collections::HashMap<String, Vec<Change>> = std::collections::HashMap::new();
    for r in q.fetch_all(&mut *tx).await? {
        let id: String = r.try_get("household_id")?;
        let seq: i64 = r.try_get("feed_seq")?;
        if docs.get(&id).is_some_and(|(_, upto)| seq <= *upto) {
            continue;
        }
        let change = Change::from_bytes(r.try_get("bytes")?)
            .map_err(|e| StoreError::CorruptDocument(id.clone(), e.to_string()))?;
        pending.entry(id).or_default().push(change);
    }
    tx.rollback().await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let changes = pending.remove(id).unwrap_or_default();
        let doc = match docs.remove(id) {
            Some((doc, _)) => Some(doc),
            None if changes.is_empty() => None,
            None => Some(Automerge::new()),
        };
        if let Some(mut doc) = doc {
            doc.apply_changes(changes).map_err(|e| StoreError::CorruptDocument(id.clone(), e.to_string()))?;
            out.push((id.clone(), doc));
        }
    }
    Ok(out)
}

/// Whether the merged document has every dependency of its changes.
pub fn is_complete(doc: &Automerge) -> bool {
    doc.get_missing_deps(&[]).is_empty()
}
