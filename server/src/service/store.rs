//! Everything the server keeps, one module per concern. Only this module writes SQL.
//!
//! - [`users`] — users, their areas, enrolment codes, devices and tokens.
//! - [`documents`] — Automerge changes keyed by hash, the change feed, snapshots.
//! - [`registry`] — the queryable projection of each merged household document.
//! - [`audit`] — who changed what, when.
//! - [`sessions`] — web passwords, sessions, the web audit log.
//! - [`settings`] — a ward's plan targets and department assignments.
//! - [`browse`] — the registry as ward staff read it: filtered pages, details, counts.
//! - [`history`] — a household's change log: who, on which device, when, which fields.

pub mod audit;
pub mod browse;
pub mod documents;
pub mod history;
pub mod registry;
pub mod sessions;
pub mod settings;
pub mod users;

/// Storage errors.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed.
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    /// A stored document could not be loaded (corrupt bytes): a bug or disk damage.
    #[error("stored document {0} is unreadable: {1}")]
    CorruptDocument(String, String),
    /// A referenced row does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// A unique value is taken.
    #[error("{0} already exists")]
    Duplicate(String),
}

/// `$first, $first+1, …` — `n` bind placeholders for an `in (…)` list.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Maps a unique-constraint violation to [`StoreError::Duplicate`].
pub(crate) fn duplicate_or(e: sqlx::Error, what: &str) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate(what.to_owned()),
        _ => StoreError::Sqlx(e),
    }
}
