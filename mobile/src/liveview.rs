//! Serves the screens to a browser with Dioxus liveview over axum: the development and
//! end-to-end path here (the same components run in the desktop window and on Android).
//!
//! `GET /` is the HTML shell with the app's CSS and the interpreter glue (registered
//! explicitly: the liveview router's own catch-all does not answer `/` with axum 0.8);
//! `GET /ws` runs one `VirtualDom` per connection, all sharing one [`Core`].

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::extract::WebSocketUpgrade;
use axum::response::Html;
use axum::routing::get;
use dioxus::prelude::VirtualDom;
use dioxus_liveview::{LiveViewPool, axum_socket, interpreter_glue};

use crate::core::Core;
use crate::ui::App;

/// The app's style sheet (phone first: big touch targets, one column).
pub const CSS: &str = include_str!("../assets/app.css");

/// The HTML shell.
pub fn shell() -> String {
    format!(
        r#"<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Rà soát</title><style>{CSS}</style></head><body><div id="main"></div>{}</body></html>"#,
        interpreter_glue("/ws")
    )
}

/// The router: `/` and `/ws`.
pub fn router(core: Arc<Core>) -> Router {
    let pool = Arc::new(LiveViewPool::new());
    let html = shell();
    Router::new().route("/", get(move || async move { Html(html) })).route(
        "/ws",
        get(move |ws: WebSocketUpgrade| {
            let (pool, core) = (pool.clone(), core.clone());
            async move {
                ws.on_upgrade(move |socket| async move {
                    let make = move || VirtualDom::new(App).with_root_context(core);
                    let _ = pool.launch_virtualdom(axum_socket(socket), make).await;
                })
            }
        }),
    )
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    core: Arc<Core>,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(core)).with_graceful_shutdown(shutdown).await
}
