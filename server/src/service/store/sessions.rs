//! Web logins: passwords (Argon2id, PHC strings), sessions (random id in the cookie, only its
//! SHA-256 stored, idle and absolute expiry), the lockout after repeated failed logins, and the
//! web audit log.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use shared::access::Role;
use sqlx::Row;

use super::StoreError;
use crate::service::auth::{Principal, hash_secret, new_token};
use crate::service::db::{Db, now_text};

/// A session ends after this long without a request.
pub const IDLE_MINUTES: i64 = 30;
/// A session ends this long after login, whatever happens.
pub const ABSOLUTE_HOURS: i64 = 12;
/// `last_seen_at` is rewritten at most this often (a write per page view would queue every
/// reader behind SQLite's single writer).
const TOUCH_SECONDS: i64 = 60;
/// Failed logins for one user name allowed within [`LOCKOUT_MINUTES`]; the next attempt is
/// refused without checking the password until the oldest failure leaves the window (OWASP
/// authentication guidance: throttle per account, and the Argon2 cost bounds each guess).
pub const MAX_FAILED_LOGINS: i64 = 5;
/// The window failed logins are counted over.
pub const LOCKOUT_MINUTES: i64 = 15;

/// A logged-in web user.
#[derive(Debug, Clone)]
pub struct WebUser {
    /// Who, with role and area: every query is filtered by it.
    pub principal: Principal,
    /// Login name.
    pub username: String,
    /// Name shown in the header.
    pub display_name: String,
    /// The session's stored hash (for logout and CSRF).
    pub session_hash: String,
}

/// Why a login failed (the page says only "wrong user name or password" for the first two).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginProblem {
    /// Unknown user, disabled user, no password set, or wrong password.
    BadCredentials,
    /// The user exists but their role has no web access (collectors, health staff).
    RoleNotAllowed,
}

/// Whether a role may open the web interface: ward staff and admins only.
pub fn web_role(role: Role) -> bool {
    matches!(role, Role::WardStaff | Role::Admin)
}

fn hash_password(password: &str) -> Result<String, StoreError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| StoreError::NotFound(format!("password hashing failed: {e}")))
}

/// Sets (or replaces) a user's web password.
pub async fn set_password(db: &Db, username: &str, password: &str) -> Result<(), StoreError> {
    let hash = hash_password(password)?;
    let mut w = db.begin_write().await?;
    let done = sqlx::query("update app_user set password_hash = $1 where username = $2")
        .bind(hash)
        .bind(username)
        .execute(&mut *w.tx)
        .await?
        .rows_affected();
    if done == 0 {
        return Err(StoreError::NotFound(format!("user {username}")));
    }
    sqlx::query("delete from web_session where user_id in (select id from app_user where username = $1)")
        .bind(username)
        .execute(&mut *w.tx)
        .await?;
    w.commit().await?;
    Ok(())
}

/// A new random password a person can type (16 characters, ≈ 80 bits).
pub fn new_password() -> String {
    crate::service::auth::new_enrolment_code().replace('-', "").chars().chain(new_token().chars().take(4)).collect()
}

/// Checks a login. Verifies against a fixed hash when the user is unknown, so the answer takes
/// as long either way.
pub async fn check_login(db: &Db, username: &str, password: &str) -> Result<Result<String, LoginProblem>, StoreError> {
    let row = sqlx::query("select id, role, password_hash from app_user where username = $1 and disabled_at is null")
        .bind(username)
        .fetch_optional(&db.pool)
        .await?;
    let (user_id, role, stored) = match row {
        Some(r) => (
            r.try_get::<String, _>("id")?,
            r.try_get::<String, _>("role")?,
            r.try_get::<Option<String>, _>("password_hash")?,
        ),
        None => (String::new(), String::new(), None),
    };
    let real = stored.is_some();
    let stored = stored.unwrap_or_else(|| dummy_hash().to_owned());
    // Argon2 takes tens of milliseconds of CPU: off the async workers, which serve the phones.
    let password = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
    })
    .await
    .unwrap_or(false);
    if !ok || !real || user_id.is_empty() {
        return Ok(Err(LoginProblem::BadCredentials));
    }
    if !Role::from_code(&role).is_some_and(web_role) {
        return Ok(Err(LoginProblem::RoleNotAllowed));
    }
    Ok(Ok(user_id))
}

/// The key failures are counted under: the user name as typed, trimmed and lower-cased (so
/// case variants of one name share a count).
fn failure_key(username: &str) -> String {
    username.trim().to_lowercase()
}

/// Whether `username` is locked out by recent failed logins; `Some(seconds)` until it may try
/// again.
pub async fn locked_out(db: &Db, username: &str) -> Result<Option<i64>, StoreError> {
    let now = Utc::now();
    let since = stamp(now - Duration::minutes(LOCKOUT_MINUTES));
    let rows = sqlx::query("select at from login_failure where username = $1 and at > $2 order by at desc")
        .bind(failure_key(username))
        .bind(since)
        .fetch_all(&db.pool)
        .await?;
    if (rows.len() as i64) < MAX_FAILED_LOGINS {
        return Ok(None);
    }
    // The attempt that would bring the count under the limit again.
    let oldest_counted: String = rows[(MAX_FAILED_LOGINS - 1) as usize].try_get("at")?;
    let until = DateTime::parse_from_rfc3339(&oldest_counted)
        .map(|t| t.with_timezone(&Utc) + Duration::minutes(LOCKOUT_MINUTES))
        .unwrap_or(now + Duration::minutes(LOCKOUT_MINUTES));
    Ok(Some((until - now).num_seconds().max(1)))
}

/// Records a failed login for `username`, and prunes failures older than the window.
pub async fn record_failed_login(db: &Db, username: &str) -> Result<(), StoreError> {
    let now = Utc::now();
    let mut w = db.begin_write().await?;
    sqlx::query("delete from login_failure where at < $1")
        .bind(stamp(now - Duration::minutes(LOCKOUT_MINUTES)))
        .execute(&mut *w.tx)
        .await?;
    sqlx::query("insert into login_failure (username, at) values ($1, $2)")
        .bind(failure_key(username))
        .bind(stamp(now))
        .execute(&mut *w.tx)
        .await?;
    w.commit().await?;
    Ok(())
}

/// Forgets `username`'s failed logins after a successful one.
pub async fn clear_failed_logins(db: &Db, username: &str) -> Result<(), StoreError> {
    let mut w = db.begin_write().await?;
    sqlx::query("delete from login_failure where username = $1")
        .bind(failure_key(username))
        .execute(&mut *w.tx)
        .await?;
    w.commit().await?;
    Ok(())
}

/// Argon2id of a random secret nobody knows, made once: verified against when there is no
/// real hash.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&new_token()).unwrap_or_default())
}

/// Opens a session; returns the cookie value (shown once, stored hashed).
pub async fn create_session(db: &Db, user_id: &str) -> Result<String, StoreError> {
    let token = new_token();
    let now = Utc::now();
    let mut w = db.begin_write().await?;
    sqlx::query("delete from web_session where expires_at < $1 or last_seen_at < $2")
        .bind(stamp(now))
        .bind(stamp(now - Duration::minutes(IDLE_MINUTES)))
        .execute(&mut *w.tx)
        .await?;
    sqlx::query(
        "insert into web_session (id_hash, user_id, created_at, last_seen_at, expires_at) values ($1, $2, $3, $3, $4)",
    )
    .bind(hash_secret(&token))
    .bind(user_id)
    .bind(stamp(now))
    .bind(stamp(now + Duration::hours(ABSOLUTE_HOURS)))
    .execute(&mut *w.tx)
    .await?;
    w.commit().await?;
    Ok(token)
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The user behind a session cookie, if the session is live and the user may use the web.
pub async fn session_user(db: &Db, token: &str) -> Result<Option<WebUser>, StoreError> {
    let hash = hash_secret(token);
    let row = sqlx::query(
        "select s.last_seen_at, s.expires_at, u.id, u.username, u.display_name, u.role, u.province, u.commune \
         from web_session s join app_user u on u.id = s.user_id where s.id_hash = $1 and u.disabled_at is null",
    )
    .bind(&hash)
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let now = Utc::now();
    let parse = |s: String| DateTime::parse_from_rfc3339(&s).map(|t| t.with_timezone(&Utc)).ok();
    let last_seen = parse(r.try_get("last_seen_at")?);
    let expires = parse(r.try_get("expires_at")?);
    let (Some(last_seen), Some(expires)) = (last_seen, expires) else { return Ok(None) };
    if expires < now || last_seen + Duration::minutes(IDLE_MINUTES) < now {
        end_session(db, &hash).await?;
        return Ok(None);
    }
    let role: String = r.try_get("role")?;
    let Some(role) = Role::from_code(&role).filter(|r| web_role(*r)) else { return Ok(None) };
    if last_seen + Duration::seconds(TOUCH_SECONDS) < now {
        let mut w = db.begin_write().await?;
        sqlx::query("update web_session set last_seen_at = $1 where id_hash = $2")
            .bind(stamp(now))
            .bind(&hash)
            .execute(&mut *w.tx)
            .await?;
        w.commit().await?;
    }
    Ok(Some(WebUser {
        principal: Principal {
            user_id: r.try_get("id")?,
            device_id: None,
            actor_id: None,
            role,
            province: r.try_get("province")?,
            commune: r.try_get("commune")?,
            groups: Vec::new(),
        },
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        session_hash: hash,
    }))
}

/// Ends a session by its stored hash.
pub async fn end_session(db: &Db, session_hash: &str) -> Result<(), StoreError> {
    let mut w = db.begin_write().await?;
    sqlx::query("delete from web_session where id_hash = $1").bind(session_hash).execute(&mut *w.tx).await?;
    w.commit().await?;
    Ok(())
}

/// Records a web user's action (ids and codes only, never personal data).
pub async fn audit(
    db: &Db,
    user_id: Option<&str>,
    action: &str,
    household_id: Option<&str>,
    detail: &serde_json::Value,
) -> Result<(), StoreError> {
    let mut w = db.begin_write().await?;
    sqlx::query("insert into web_audit (user_id, action, household_id, detail_json, at) values ($1, $2, $3, $4, $5)")
        .bind(user_id)
        .bind(action)
        .bind(household_id)
        .bind(detail.to_string())
        .bind(now_text())
        .execute(&mut *w.tx)
        .await?;
    w.commit().await?;
    Ok(())
}
