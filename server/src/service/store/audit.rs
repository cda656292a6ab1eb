//! The audit log: who (user, device) changed which fields of which household, and when.

use sqlx::{Any, Row, Transaction};

use super::StoreError;
use crate::service::db::{Db, now_text};

/// Records one accepted upload of changes to one household.
pub async fn record(
    tx: &mut Transaction<'static, Any>,
    household_id: &str,
    user_id: Option<&str>,
    device_id: Option<&str>,
    change_count: usize,
    paths: &[String],
) -> Result<(), StoreError> {
    sqlx::query("insert into audit (household_id, user_id, device_id, change_count, paths_json, at) values ($1, $2, $3, $4, $5, $6)")
        .bind(household_id)
        .bind(user_id)
        .bind(device_id)
        .bind(change_count as i64)
        .bind(serde_json::to_string(paths).unwrap_or_else(|_| "[]".into()))
        .bind(now_text())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// One audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// User.
    pub user_id: Option<String>,
    /// Device.
    pub device_id: Option<String>,
    /// Changed field paths.
    pub paths: Vec<String>,
    /// When.
    pub at: String,
}

/// The audit trail of a household, oldest first.
pub async fn for_household(db: &Db, household_id: &str) -> Result<Vec<AuditEntry>, StoreError> {
    let rows = sqlx::query("select user_id, device_id, paths_json, at from audit where household_id = $1 order by id")
        .bind(household_id)
        .fetch_all(&db.pool)
        .await?;
    rows.into_iter()
        .map(|r| {
            let paths: String = r.try_get("paths_json")?;
            Ok(AuditEntry {
                user_id: r.try_get("user_id")?,
                device_id: r.try_get("device_id")?,
                paths: serde_json::from_str(&paths).unwrap_or_default(),
                at: r.try_get("at")?,
            })
        })
        .collect()
}
