//! A ward's editable settings: plan target percentages and the department responsible for
//! each indicator. Absent keys mean the defaults of `shared` (`plan::default_targets`, the
//! standard's departments).

use std::collections::HashMap;

use sqlx::Row;

use super::StoreError;
use crate::service::db::{Db, now_text};

/// Every setting of `commune`.
pub async fn settings(db: &Db, commune: &str) -> Result<HashMap<String, String>, StoreError> {
    let rows =
        sqlx::query("select key, value from ward_setting where commune = $1").bind(commune).fetch_all(&db.pool).await?;
    rows.iter().map(|r| Ok((r.try_get("key")?, r.try_get("value")?))).collect()
}

/// Sets (or, with an empty value, removes) settings of `commune`, in one transaction.
pub async fn set_settings(
    db: &Db,
    commune: &str,
    user_id: &str,
    values: &[(String, String)],
) -> Result<(), StoreError> {
    let mut w = db.begin_write().await?;
    for (key, value) in values {
        sqlx::query("delete from ward_setting where commune = $1 and key = $2")
            .bind(commune)
            .bind(key)
            .execute(&mut *w.tx)
            .await?;
        if !value.trim().is_empty() {
            sqlx::query(
                "insert into ward_setting (commune, key, value, updated_by, updated_at) values ($1, $2, $3, $4, $5)",
            )
            .bind(commune)
            .bind(key)
            .bind(value.trim())
            .bind(user_id)
            .bind(now_text())
            .execute(&mut *w.tx)
            .await?;
        }
    }
    w.commit().await?;
    Ok(())
}
