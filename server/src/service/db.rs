//! The database: embedded SQLite (default, one ward on one machine) or PostgreSQL (a province
//! or the country, several `rasoat serve` processes over one database), behind one sqlx
//! `AnyPool` so every query is written once in portable SQL.
//!
//! Portability rules for queries in `store`: `$1` placeholders; integers as `i64`, booleans as
//! 0/1 integers, times as RFC 3339 text, ids as UUID text, bytes as blobs; `on conflict do
//! nothing` for idempotent inserts.

use std::str::FromStr;
use std::sync::Arc;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions};
use tokio::sync::Mutex;

/// The default database: `./rasoat.db`, created if missing.
pub const DEFAULT_URL: &str = "sqlite://rasoat.db";

/// Which engine is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite (WAL).
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// Database problems.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The URL is not `sqlite://…` or `postgres://…`.
    #[error("unsupported database url (use sqlite://FILE or postgres://…)")]
    UnsupportedUrl,
    /// Connecting or querying failed.
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    /// Applying migrations failed.
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// A connected, migrated database.
#[derive(Clone)]
pub struct Db {
    /// The pool.
    pub pool: AnyPool,
    /// The engine.
    pub backend: Backend,
    /// SQLite has one writer: write transactions queue here instead of failing with
    /// `SQLITE_BUSY` when a deferred transaction would upgrade. PostgreSQL relies on row locks.
    write_gate: Option<Arc<Mutex<()>>>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

impl Db {
    /// Connects to `url`, creating a SQLite file if needed, and applies the migrations.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(DbError::UnsupportedUrl);
        };
        let (pool, write_gate) = match backend {
            Backend::Sqlite => {
                // Create the file, WAL journal (readers never block the writer), full fsync at
                // commit so an acknowledged sync survives a power cut, foreign keys on.
                let url = if url.contains('?') { url.to_owned() } else { format!("{url}?mode=rwc") };
                let options = AnyConnectOptions::from_str(&url)?.disable_statement_logging();
                let pool = AnyPoolOptions::new()
                    .max_connections(4)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            use sqlx::Executor;
                            conn.execute("pragma journal_mode = wal; pragma synchronous = full; pragma foreign_keys = on; pragma busy_timeout = 10000;").await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?;
                (pool, Some(Arc::new(Mutex::new(()))))
            }
            Backend::Postgres => {
                let options = AnyConnectOptions::from_str(url)?.disable_statement_logging();
                (AnyPoolOptions::new().max_connections(16).connect_with(options).await?, None)
            }
        };
        match backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&pool).await?,
        }
        Ok(Db { pool, backend, write_gate })
    }

    /// Begins a write transaction (queued behind other writers on SQLite).
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        let guard = match &self.write_gate {
            Some(gate) => Some(gate.clone().lock_owned().await),
            None => None,
        };
        let tx = self.pool.begin().await?;
        Ok(WriteTx { tx, _guard: guard })
    }
}

/// A write transaction; on SQLite it also holds the writer gate until dropped.
pub struct WriteTx {
    /// The transaction.
    pub tx: sqlx::Transaction<'static, sqlx::Any>,
    _guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteTx {
    /// Commits.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

/// Now, as stored: RFC 3339 UTC with seconds.
pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
