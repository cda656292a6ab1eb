//! Startup seam: [`Application::build`] connects the database and binds the listener (port 0
//! in tests), [`Application::run_until_stopped`] serves until the shutdown future resolves,
//! finishing in-flight requests.

use std::future::Future;
use std::net::SocketAddr;

use tokio::net::TcpListener;

use crate::service::db::{Db, DbError};
use crate::service::http::{AppState, router};

/// Server settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on.
    pub bind: SocketAddr,
    /// Database URL (`sqlite://FILE` or `postgres://…`).
    pub database_url: String,
}

/// Startup failures.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database could not be opened or migrated.
    #[error("database: {0}")]
    Db(#[from] DbError),
    /// The address could not be bound.
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
}

/// A server ready to run.
pub struct Application {
    listener: TcpListener,
    state: AppState,
}

impl Application {
    /// Connects the database (creating and migrating it) and binds the listener.
    pub async fn build(config: &Config) -> Result<Application, StartError> {
        let db = Db::connect(&config.database_url).await?;
        Self::with_db(config.bind, db).await
    }

    /// Binds the listener over an already connected database.
    pub async fn with_db(bind: SocketAddr, db: Db) -> Result<Application, StartError> {
        let listener = TcpListener::bind(bind).await.map_err(|e| StartError::Bind(bind, e))?;
        Ok(Application { listener, state: AppState { db } })
    }

    /// The bound address (the real port when bound to port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("invariant: a bound listener has an address")
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.state.db
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests finish — for at most
    /// [`SHUTDOWN_GRACE`], so a client that keeps a connection open cannot hold the process.
    /// A request cut off then has not committed, or has: a transaction is never half-written.
    pub async fn run_until_stopped(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
        let signal = async move {
            shutdown.await;
            let _ = stopping.send(());
        };
        let serving = axum::serve(self.listener, router(self.state)).with_graceful_shutdown(signal);
        let grace_over = async move {
            if stopped.await.is_ok() {
                tokio::time::sleep(SHUTDOWN_GRACE).await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            result = serving => result,
            () = grace_over => {
                tracing::warn!(grace_seconds = SHUTDOWN_GRACE.as_secs(), "connections still open after the grace period: closing them");
                Ok(())
            }
        }
    }
}

/// How long in-flight requests may take to finish after a shutdown signal.
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
    tracing::info!("shutting down: finishing in-flight requests");
}
