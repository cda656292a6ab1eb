//! Edits made on the server (ward staff settling a conflict, taking a review step): written
//! as ordinary Automerge changes by a fresh server actor and stored through the same path as
//! a device's upload ([`crate::service::sync::store_changes`]: authorised, all or nothing, registry
//! recomputed in the same transaction, audited), so they reach the phones in the change feed
//! like any other change.

use automerge::transaction::CommitOptions;
use automerge::{ActorId, AutoCommit};
use shared::doc::DocError;
use uuid::Uuid;

use crate::service::auth::Principal;
use crate::service::db::Db;
use crate::service::store::StoreError;
use crate::service::store::documents::load_for_read;
use crate::service::store::registry::place_of;
use crate::service::sync::{SyncError, store_changes};

/// Why an edit was not stored.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// No such household in the editor's scope.
    #[error("household not found")]
    NotFound,
    /// The edit does not fit the document (unknown path, wrong type).
    #[error(transparent)]
    Doc(#[from] DocError),
    /// Storing refused or failed.
    #[error(transparent)]
    Sync(#[from] SyncError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Applies `edit` to the stored household document as one change by a new server actor,
/// with the editing user's id as the change message, and stores it.
pub async fn edit_household(
    db: &Db,
    p: &Principal,
    household_id: &str,
    edit: impl FnOnce(&mut AutoCommit) -> Result<(), DocError>,
) -> Result<(), EditError> {
    let id = Uuid::parse_str(household_id).map_err(|_| EditError::NotFound)?;
    let stored = load_for_read(db, household_id).await?.ok_or(EditError::NotFound)?;
    let place = shared::doc::to_json(&stored).ok().as_ref().and_then(place_of).ok_or(EditError::NotFound)?;
    if !p.can_see(&place.commune, &place.group) {
        return Err(EditError::NotFound);
    }
    let mut doc = AutoCommit::load(&stored.save_nocompress()).map_err(DocError::from)?.with_actor(ActorId::random());
    let before = doc.get_heads();
    edit(&mut doc)?;
    let options =
        CommitOptions::default().with_message(format!("web:{}", p.user_id)).with_time(chrono::Utc::now().timestamp());
    doc.commit_with(options);
    let changes = doc.get_changes(&before);
    if changes.is_empty() {
        return Ok(());
    }
    store_changes(db, p, vec![(id, changes)]).await?;
    Ok(())
}
