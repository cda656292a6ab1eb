//! The app's engine, shared by every screen: the store behind one lock, the device's enrolment,
//! the language, and the handle that wakes the background sync. Screens call these methods;
//! nothing here waits on the network except [`Core::enrol`] (an explicit user action) and the
//! sync task.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use automerge::ActorId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use shared::doc::Conflict;
use shared::issue::Issue;
use shared::model::Household;
use shared::replica::Replica;
use shared::text::Lang;
use tokio::sync::{Notify, watch};
use uuid::Uuid;

use crate::record::{Row, project};
use crate::store::{Filter, Page, Store, StoreError};
use crate::sync::SyncStatus;

/// What the server answered at enrolment, kept on the device (the token only here).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Enrolment {
    /// Server base URL, e.g. `http://192.0.2.10:8080`.
    pub server: String,
    /// Device id.
    pub device_id: String,
    /// Bearer token.
    pub token: String,
    /// Automerge actor id, hex.
    pub actor_id: String,
    /// Role code (`collector`, `health`, …).
    pub role: String,
    /// Province code (from the server, or from the first household received).
    #[serde(default)]
    pub province: String,
    /// Commune code.
    pub commune: String,
    /// Residential groups.
    pub groups: Vec<String>,
}

impl Enrolment {
    /// The role, `collector` if unknown.
    pub fn role(&self) -> shared::access::Role {
        shared::access::Role::from_code(&self.role).unwrap_or(shared::access::Role::Collector)
    }

    fn actor(&self) -> ActorId {
        ActorId::from(hex::decode(&self.actor_id).unwrap_or_default())
    }
}

/// A household opened for the screens.
#[derive(Debug, Clone)]
pub struct Opened {
    /// The household as merged.
    pub household: Household,
    /// Reading problems (a merged document may break a rule).
    pub issues: Vec<Issue>,
    /// Conflicted fields.
    pub conflicts: Vec<Conflict>,
    /// Its list row.
    pub row: Row,
}

/// Settings keys.
pub(crate) mod key {
    pub const ENROLMENT: &str = "enrolment";
    pub const CURSOR: &str = "cursor";
    pub const LANG: &str = "lang";
    pub const LAST_SYNC: &str = "last_sync";
}

/// The engine.
pub struct Core {
    store: Mutex<Store>,
    enrolment: Mutex<Option<Enrolment>>,
    lang: Mutex<Lang>,
    today: Option<NaiveDate>,
    /// Wakes the sync task.
    pub(crate) wake: Notify,
    /// The sync status, watched by the screens.
    pub(crate) status: watch::Sender<SyncStatus>,
}

impl Core {
    /// Opens the app's database in `data_dir` (created if missing, owner-only).
    pub fn open(data_dir: &Path) -> Result<Arc<Core>, StoreError> {
        let _ = std::fs::create_dir_all(data_dir);
        restrict_dir(data_dir);
        Core::with_store(Store::open(&data_dir.join("rasoat-app.db"))?, None)
    }

    /// An engine over `store`; `today` fixes the date (tests, benchmarks).
    pub fn with_store(store: Store, today: Option<NaiveDate>) -> Result<Arc<Core>, StoreError> {
        let enrolment = store.setting(key::ENROLMENT)?.and_then(|s| serde_json::from_str(&s).ok());
        let lang = match store.setting(key::LANG)?.as_deref() {
            Some("en") => Lang::En,
            _ => Lang::Vi,
        };
        let pending = store.unsynced()?.len();
        let last_success = store.setting(key::LAST_SYNC)?.and_then(|s| s.parse().ok());
        let status = SyncStatus { pending, last_success, ..SyncStatus::default() };
        Ok(Arc::new(Core {
            store: Mutex::new(store),
            enrolment: Mutex::new(enrolment),
            lang: Mutex::new(lang),
            today,
            wake: Notify::new(),
            status: watch::channel(status).0,
        }))
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Today in Vietnam (UTC+7), the date every age and validation uses.
    pub fn today(&self) -> NaiveDate {
        self.today.unwrap_or_else(crate::clock::today_in_vietnam)
    }

    /// The enrolment, if the device is enrolled.
    pub fn enrolment(&self) -> Option<Enrolment> {
        self.enrolment.lock().map(|e| e.clone()).unwrap_or(None)
    }

    /// Stores the enrolment.
    pub fn set_enrolment(&self, e: Enrolment) -> Result<(), StoreError> {
        let json = serde_json::to_string(&e).unwrap_or_default();
        self.store().set_setting(key::ENROLMENT, &json)?;
        if let Ok(mut slot) = self.enrolment.lock() {
            *slot = Some(e);
        }
        self.wake.notify_one();
        Ok(())
    }

    /// The display language.
    pub fn lang(&self) -> Lang {
        self.lang.lock().map(|l| *l).unwrap_or_default()
    }

    /// Switches and remembers the display language.
    pub fn set_lang(&self, lang: Lang) -> Result<(), StoreError> {
        self.store().set_setting(key::LANG, if lang == Lang::En { "en" } else { "vi" })?;
        if let Ok(mut l) = self.lang.lock() {
            *l = lang;
        }
        Ok(())
    }

    /// A page of the household list.
    pub fn list(&self, query: &str, filter: Filter, offset: usize, limit: usize) -> Result<Page, StoreError> {
        use chrono::Datelike;
        let key = shared::text::search_key(query.trim());
        self.store().list(&key, filter, self.today().year(), offset, limit)
    }

    /// Opens a household.
    pub fn open_household(&self, id: Uuid) -> Result<Option<Opened>, StoreError> {
        let store = self.store();
        let Some((bytes, _)) = store.document(id)? else { return Ok(None) };
        let Ok(doc) = automerge::AutoCommit::load(&bytes) else { return Ok(None) };
        let conflicts = shared::doc::conflicts(&doc);
        let Ok((Some(household), issues)) = shared::doc::read_household(&doc) else { return Ok(None) };
        let row = store.row(id)?.unwrap_or_default();
        Ok(Some(Opened { household, issues, conflicts, row }))
    }

    /// Saves a household (one transaction: document and list row) and records the step to
    /// resume at; wakes the sync.
    pub fn save(&self, h: &Household, step: usize) -> Result<Row, SaveError> {
        let enrolment = self.enrolment().ok_or(SaveError::NotEnrolled)?;
        let id = h.household_id.0;
        let now = crate::clock::now_seconds();
        let today = self.today();
        let row = {
            let mut store = self.store();
            let saved: Vec<_> = store.document(id)?.map(|(b, a)| (id, b, a)).into_iter().collect();
            let mut replica = Replica::restore(enrolment.actor(), saved, Vec::new())?;
            let before = replica.heads(id).unwrap_or_default();
            replica.save(h, now)?;
            forbid_other_roles_fields(&mut replica, id, &before, enrolment.role())?;
            let (docs, _) = replica.export();
            let (_, bytes, acked) = docs.into_iter().next().ok_or(SaveError::Lost)?;
            let mut doc = automerge::AutoCommit::load(&bytes).map_err(|_| SaveError::Lost)?;
            let row = project(&mut doc, &acked, step, now, today);
            store.save(&[(id, (bytes, acked), row.clone())], &[])?;
            store.set_step(id, step)?;
            row
        };
        self.refresh_pending();
        self.wake.notify_one();
        Ok(row)
    }

    /// Whether the enrolled commune is urban (it picks the income line): read from a household
    /// of the commune on the device; rural until one is there.
    pub fn commune_is_urban(&self) -> bool {
        let first = self.store().list("", Filter::All, 0, 0, 1).ok().and_then(|p| p.rows.into_iter().next());
        first.and_then(|r| self.open_household(r.household_id).ok().flatten()).is_some_and(|o| o.household.area.urban)
    }

    /// Re-reads the number of households waiting to sync into the status.
    pub(crate) fn refresh_pending(&self) {
        let pending = self.store().unsynced().map(|v| v.len()).unwrap_or(0);
        self.status.send_modify(|s| s.pending = pending);
    }

    /// The current sync status.
    pub fn sync_status(&self) -> SyncStatus {
        self.status.borrow().clone()
    }

    /// A receiver of sync status changes.
    pub fn watch_sync(&self) -> watch::Receiver<SyncStatus> {
        self.status.subscribe()
    }

    /// Asks the sync task to sync now.
    pub fn sync_now(&self) {
        self.wake.notify_one();
    }
}

/// Refuses an edit touching fields `role` may not change (`shared::access`, the server's own
/// rule): saved, it would be refused at every sync.
fn forbid_other_roles_fields(
    replica: &mut Replica,
    id: Uuid,
    before: &[automerge::ChangeHash],
    role: shared::access::Role,
) -> Result<(), SaveError> {
    let Some(doc) = replica.document(id) else { return Ok(()) };
    let after = doc.get_heads();
    let paths = shared::doc::changed_paths(doc.document(), before, &after);
    let forbidden: Vec<String> = shared::access::forbidden_paths(role, &paths).into_iter().map(str::to_owned).collect();
    if forbidden.is_empty() { Ok(()) } else { Err(SaveError::Forbidden(forbidden)) }
}

/// Why a save failed.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The document could not be written.
    #[error(transparent)]
    Replica(#[from] shared::replica::ReplicaError),
    /// The edit touches fields this role may not change (their paths).
    #[error("fields not allowed for this role: {0:?}")]
    Forbidden(Vec<String>),
    /// The device is not enrolled (no actor id to write with).
    #[error("device not enrolled")]
    NotEnrolled,
    /// The saved document vanished between write and read (an invariant).
    #[error("saved document unreadable")]
    Lost,
}

#[cfg(unix)]
fn restrict_dir(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
}

#[cfg(not(unix))]
fn restrict_dir(_dir: &Path) {}
