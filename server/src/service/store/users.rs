//! Users, areas, enrolment codes and devices.

use chrono::{Duration, Utc};
use shared::access::Role;
use sqlx::{Any, Row, Transaction};
use uuid::Uuid;

use super::{StoreError, duplicate_or};
use crate::service::auth::{Principal, hash_secret, new_enrolment_code, new_token, normalise_code};
use crate::service::db::{Db, now_text};

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login name.
    pub username: String,
    /// Name shown in the registry and the audit log.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Province code.
    pub province: String,
    /// Commune code.
    pub commune: String,
    /// Residential groups (collectors, health staff).
    pub groups: Vec<String>,
}

/// A user as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    /// Id.
    pub id: String,
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role code.
    pub role: String,
    /// Commune.
    pub commune: String,
    /// Groups, comma separated.
    pub groups: String,
}

/// A device as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRow {
    /// Id.
    pub id: String,
    /// Owner's login name.
    pub username: String,
    /// Label given at enrolment.
    pub label: String,
    /// When enrolled.
    pub enrolled_at: String,
    /// When revoked, if revoked.
    pub revoked_at: Option<String>,
    /// Last successful sync.
    pub last_sync_at: Option<String>,
}

/// A successful enrolment: what the device must keep.
#[derive(Debug, Clone)]
pub struct Enrolment {
    /// Device id.
    pub device_id: String,
    /// The bearer token (shown once; only its hash is stored).
    pub token: String,
    /// The Automerge actor id the device must write with (hex).
    pub actor_id: String,
    /// Who the device works for.
    pub principal: Principal,
}

/// Why a token was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    /// No device has this token.
    Unknown,
    /// The device was revoked.
    Revoked,
    /// The user was disabled.
    UserDisabled,
}

/// Enrolment codes expire after this long.
pub const ENROLMENT_CODE_HOURS: i64 = 72;

/// Creates a user with their areas.
pub async fn create_user(db: &Db, user: &NewUser) -> Result<String, StoreError> {
    let id = Uuid::new_v4().to_string();
    let mut w = db.begin_write().await?;
    sqlx::query("insert into app_user (id, username, display_name, role, province, commune, created_at) values ($1, $2, $3, $4, $5, $6, $7)")
        .bind(&id)
        .bind(&user.username)
        .bind(&user.display_name)
        .bind(user.role.as_code())
        .bind(&user.province)
        .bind(&user.commune)
        .bind(now_text())
        .execute(&mut *w.tx)
        .await
        .map_err(|e| duplicate_or(e, &format!("user {}", user.username)))?;
    for group in &user.groups {
        sqlx::query("insert into user_area (user_id, group_code) values ($1, $2)")
            .bind(&id)
            .bind(group)
            .execute(&mut *w.tx)
            .await?;
    }
    w.commit().await?;
    Ok(id)
}

/// Lists users.
pub async fn list_users(db: &Db) -> Result<Vec<UserRow>, StoreError> {
    let rows = sqlx::query("select id, username, display_name, role, commune from app_user order by username")
        .fetch_all(&db.pool)
        .await?;
    let mut out = Vec::new();
    for r in rows {
        let id: String = r.try_get("id")?;
        let groups = groups_of(&db.pool, &id).await?.join(",");
        out.push(UserRow {
            id,
            username: r.try_get("username")?,
            display_name: r.try_get("display_name")?,
            role: r.try_get("role")?,
            commune: r.try_get("commune")?,
            groups,
        });
    }
    Ok(out)
}

async fn groups_of<'e, E: sqlx::Executor<'e, Database = Any>>(
    ex: E,
    user_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("select group_code from user_area where user_id = $1 order by group_code")
        .bind(user_id)
        .fetch_all(ex)
        .await
}

/// Issues a one-time enrolment code for `username`, valid [`ENROLMENT_CODE_HOURS`].
pub async fn issue_enrolment_code(db: &Db, username: &str, issued_by: &str) -> Result<String, StoreError> {
    let user_id: Option<String> =
        sqlx::query_scalar("select id from app_user where username = $1 and disabled_at is null")
            .bind(username)
            .fetch_optional(&db.pool)
            .await?;
    let user_id = user_id.ok_or_else(|| StoreError::NotFound(format!("user {username}")))?;
    let code = new_enrolment_code();
    let now = Utc::now();
    let mut w = db.begin_write().await?;
    sqlx::query("insert into enrolment_code (code_hash, user_id, created_by, created_at, expires_at) values ($1, $2, $3, $4, $5)")
        .bind(hash_secret(&normalise_code(&code)))
        .bind(&user_id)
        .bind(issued_by)
        .bind(now_text())
        .bind((now + Duration::hours(ENROLMENT_CODE_HOURS)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .execute(&mut *w.tx)
        .await?;
    w.commit().await?;
    Ok(code)
}

/// Redeems an enrolment code: creates the device, its token and actor id. The code is spent
/// in the same transaction, so it works once.
pub async fn enrol_device(db: &Db, code: &str, label: &str) -> Result<Option<Enrolment>, StoreError> {
    let mut w = db.begin_write().await?;
    let now = now_text();
    // Spend the code first: the update is the lock, a concurrent second use finds it used.
    let user_id: Option<String> = sqlx::query_scalar(
        "update enrolment_code set used_at = $1 where code_hash = $2 and used_at is null and expires_at > $1 returning user_id",
    )
    .bind(&now)
    .bind(hash_secret(&normalise_code(code)))
    .fetch_optional(&mut *w.tx)
    .await?;
    let Some(user_id) = user_id else { return Ok(None) };
    let device_id = Uuid::new_v4().to_string();
    let token = new_token();
    let actor_id = hex::encode(Uuid::new_v4().as_bytes());
    sqlx::query(
        "insert into device (id, user_id, label, token_hash, actor_id, enrolled_at) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&device_id)
    .bind(&user_id)
    .bind(label)
    .bind(hash_secret(&token))
    .bind(&actor_id)
    .bind(&now)
    .execute(&mut *w.tx)
    .await?;
    sqlx::query("update enrolment_code set device_id = $1 where code_hash = $2")
        .bind(&device_id)
        .bind(hash_secret(&normalise_code(code)))
        .execute(&mut *w.tx)
        .await?;
    let principal = load_principal(&mut w.tx, &user_id, Some((&device_id, &actor_id))).await?;
    w.commit().await?;
    Ok(Some(Enrolment { device_id, token, actor_id, principal }))
}

async fn load_principal(
    tx: &mut Transaction<'static, Any>,
    user_id: &str,
    device: Option<(&str, &str)>,
) -> Result<Principal, StoreError> {
    let r = sqlx::query("select role, province, commune from app_user where id = $1")
        .bind(user_id)
        .fetch_one(&mut **tx)
        .await?;
    let role: String = r.try_get("role")?;
    Ok(Principal {
        user_id: user_id.to_owned(),
        device_id: device.map(|d| d.0.to_owned()),
        actor_id: device.map(|d| d.1.to_owned()),
        role: Role::from_code(&role).ok_or_else(|| StoreError::NotFound(format!("role {role}")))?,
        province: r.try_get("province")?,
        commune: r.try_get("commune")?,
        groups: groups_of(&mut **tx, user_id).await?,
    })
}

/// The principal behind a device token.
pub async fn principal_for_token(db: &Db, token: &str) -> Result<Result<Principal, TokenProblem>, StoreError> {
    let row = sqlx::query(
        "select d.id, d.actor_id, d.revoked_at, u.id as user_id, u.role, u.province, u.commune, u.disabled_at \
         from device d join app_user u on u.id = d.user_id where d.token_hash = $1",
    )
    .bind(hash_secret(token))
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = row else { return Ok(Err(TokenProblem::Unknown)) };
    if r.try_get::<Option<String>, _>("revoked_at")?.is_some() {
        return Ok(Err(TokenProblem::Revoked));
    }
    if r.try_get::<Option<String>, _>("disabled_at")?.is_some() {
        return Ok(Err(TokenProblem::UserDisabled));
    }
    let user_id: String = r.try_get("user_id")?;
    let role: String = r.try_get("role")?;
    Ok(Ok(Principal {
        device_id: Some(r.try_get("id")?),
        actor_id: Some(r.try_get("actor_id")?),
        role: Role::from_code(&role).ok_or_else(|| StoreError::NotFound(format!("role {role}")))?,
        province: r.try_get("province")?,
        commune: r.try_get("commune")?,
        groups: groups_of(&db.pool, &user_id).await?,
        user_id,
    }))
}

/// Revokes a device: its token stops working at once.
pub async fn revoke_device(db: &Db, device_id: &str) -> Result<bool, StoreError> {
    let mut w = db.begin_write().await?;
    let done = sqlx::query("update device set revoked_at = $1 where id = $2 and revoked_at is null")
        .bind(now_text())
        .bind(device_id)
        .execute(&mut *w.tx)
        .await?
        .rows_affected();
    w.commit().await?;
    Ok(done == 1)
}

/// Lists devices.
pub async fn list_devices(db: &Db) -> Result<Vec<DeviceRow>, StoreError> {
    let rows = sqlx::query(
        "select d.id, u.username, d.label, d.enrolled_at, d.revoked_at, d.last_sync_at from device d join app_user u on u.id = d.user_id order by d.enrolled_at",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(DeviceRow {
                id: r.try_get("id")?,
                username: r.try_get("username")?,
                label: r.try_get("label")?,
                enrolled_at: r.try_get("enrolled_at")?,
                revoked_at: r.try_get("revoked_at")?,
                last_sync_at: r.try_get("last_sync_at")?,
            })
        })
        .collect()
}

/// Records a successful sync of a device.
pub async fn touch_device(db: &Db, device_id: &str) -> Result<(), StoreError> {
    let mut w = db.begin_write().await?;
    sqlx::query("update device set last_sync_at = $1 where id = $2")
        .bind(now_text())
        .bind(device_id)
        .execute(&mut *w.tx)
        .await?;
    w.commit().await?;
    Ok(())
}
