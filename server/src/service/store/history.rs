//! A household's history as ward staff read it: every change of its Automerge document — who
//! wrote it (the device's user, or the web user who settled a conflict or took a review step),
//! on which device, when it was written and when the server received it, and the fields it
//! touched — read from the document's own change log, so the page cannot disagree with the
//! merged record. Web actions on the household (review steps with their detail, exports) come
//! from the web audit log beside it.

use std::collections::HashMap;

use shared::doc::{LoggedChange, change_log};
use sqlx::{AssertSqlSafe, Row};

use super::browse::{ActorDevice, devices_of_actors};
use super::documents::load_for_read;
use super::{StoreError, placeholders};
use crate::service::db::Db;

/// How many of the newest changes the page shows; older ones are counted, not listed.
pub const SHOWN_CHANGES: usize = 200;

/// Who wrote a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Author {
    /// A user on an enrolled device: the user's name and the device's label.
    Device {
        /// The user's display name.
        user: String,
        /// The device's label.
        device: String,
    },
    /// A user of the web registry (settling a conflict, a review step, an import).
    Web {
        /// The user's display name (`None`: the user no longer exists).
        user: Option<String>,
        /// What the web did: `web` (an edit) or `import`.
        kind: String,
    },
    /// The server itself (demo seed, or a writer it cannot name).
    Unknown,
}

/// One change of the household's document.
#[derive(Debug, Clone)]
pub struct ChangeEntry {
    /// The change as the document logs it (hash, actor, writer's time, fields).
    pub change: LoggedChange,
    /// Who wrote it.
    pub author: Author,
    /// When the server stored it (RFC 3339), if it came through the server's store.
    pub received_at: Option<String>,
}

/// One web action on the household.
#[derive(Debug, Clone)]
pub struct WebAction {
    /// When (RFC 3339).
    pub at: String,
    /// The user's display name.
    pub who: Option<String>,
    /// The action (`review.agree`, `resolve`, …).
    pub action: String,
    /// Its detail, JSON.
    pub detail: String,
}

/// A household's history.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// The newest [`SHOWN_CHANGES`] changes, newest first.
    pub changes: Vec<ChangeEntry>,
    /// How many changes the document holds in all.
    pub total_changes: usize,
    /// Web actions, newest first.
    pub actions: Vec<WebAction>,
}

/// The history of household `id` (the caller has checked the user may see it).
pub async fn of_household(db: &Db, id: &str) -> Result<History, StoreError> {
    let Some(doc) = load_for_read(db, id).await? else {
        return Ok(History::default());
    };
    let (log, total_changes) = change_log(&doc, SHOWN_CHANGES);
    let stored = stored_changes(db, id, &log).await?;
    let devices = devices_of(db, &log).await?;
    let web_users = web_users_of(db, &log).await?;
    let changes = log
        .into_iter()
        .map(|change| {
            let filed = stored.get(&change.hash);
            let author = author_of(&change, filed, &devices, &web_users);
            ChangeEntry { received_at: filed.map(|f| f.received_at.clone()), author, change }
        })
        .collect();
    Ok(History { changes, total_changes, actions: web_actions(db, id).await? })
}

/// How the server filed a change: when, and from which device (`None`: written by the server).
struct Filed {
    received_at: String,
    device_id: Option<String>,
}

/// The writer of a change. A device's change is named by the device that uploaded it (the
/// server's own record) and, failing that, by its actor. A change the server wrote itself
/// (no uploading device) names its web user by its message — trusted only then, since a
/// phone could write any message.
fn author_of(
    change: &LoggedChange,
    filed: Option<&Filed>,
    devices: &HashMap<String, ActorDevice>,
    web_users: &HashMap<String, String>,
) -> Author {
    let by_device = |d: &ActorDevice| Author::Device { user: d.user.clone(), device: d.label.clone() };
    if let Some(device) = filed.and_then(|f| f.device_id.as_ref()) {
        return devices.get(device).map_or(Author::Unknown, by_device);
    }
    if let Some(d) = devices.values().find(|d| d.actor == change.actor) {
        return by_device(d);
    }
    if filed.is_some()
        && let Some((kind, user_id)) = change.message.as_deref().and_then(|m| m.split_once(':'))
        && matches!(kind, "web" | "import")
    {
        return Author::Web { user: web_users.get(user_id).cloned(), kind: kind.to_owned() };
    }
    Author::Unknown
}

async fn stored_changes(db: &Db, id: &str, log: &[LoggedChange]) -> Result<HashMap<String, Filed>, StoreError> {
    if log.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "select hash, received_at, device_id from doc_change where household_id = $1 and hash in ({})",
        placeholders(2, log.len())
    );
    let mut q = sqlx::query(AssertSqlSafe(sql)).bind(id.to_owned());
    for c in log {
        q = q.bind(c.hash.clone());
    }
    q.fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("hash")?,
                Filed { received_at: r.try_get("received_at")?, device_id: r.try_get("device_id")? },
            ))
        })
        .collect()
}

/// The devices whose actors wrote changes of `log`, by device id.
async fn devices_of(db: &Db, log: &[LoggedChange]) -> Result<HashMap<String, ActorDevice>, StoreError> {
    let mut actors: Vec<&str> = log.iter().map(|c| c.actor.as_str()).collect();
    actors.sort_unstable();
    actors.dedup();
    Ok(devices_of_actors(db, &actors).await?.into_iter().map(|d| (d.id.clone(), d)).collect())
}

/// Display names of the web users named by `web:`/`import:` messages in `log`, by user id.
async fn web_users_of(db: &Db, log: &[LoggedChange]) -> Result<HashMap<String, String>, StoreError> {
    let mut ids: Vec<&str> =
        log.iter().filter_map(|c| c.message.as_deref()?.split_once(':').map(|(_, id)| id)).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!("select id, display_name from app_user where id in ({})", placeholders(1, ids.len()));
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for id in ids {
        q = q.bind(id.to_owned());
    }
    q.fetch_all(&db.pool).await?.iter().map(|r| Ok((r.try_get("id")?, r.try_get("display_name")?))).collect()
}

async fn web_actions(db: &Db, id: &str) -> Result<Vec<WebAction>, StoreError> {
    sqlx::query(
        "select w.at, u.display_name, w.action, w.detail_json from web_audit w left join app_user u on u.id = w.user_id \
         where w.household_id = $1 order by w.id desc limit 200",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(WebAction {
            at: r.try_get("at")?,
            who: r.try_get("display_name")?,
            action: r.try_get("action")?,
            detail: r.try_get("detail_json")?,
        })
    })
    .collect()
}
