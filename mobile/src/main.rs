//! `rasoat-app`: the collectors' and health workers' app.
//!
//! ```text
//! rasoat-app [--bind 127.0.0.1:8090] [--data-dir DIR]   # liveview: open the printed URL
//! rasoat-app bench [--households 5000] [--ward data/demo-ward.jsonl]   # cold start, save, search, memory
//! ```

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use mobile::core::Core;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let data_dir = flag("--data-dir").map(PathBuf::from).unwrap_or_else(mobile::platform::data_dir);
    if args.first().map(String::as_str) == Some("bench") {
        let n = flag("--households").and_then(|n| n.parse().ok()).unwrap_or(5000);
        let ward = flag("--ward").unwrap_or_else(|| "data/demo-ward.jsonl".into());
        return match mobile::bench::run(n, std::path::Path::new(&ward)) {
            Ok(report) => {
                println!("{report}");
                std::process::ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("rasoat-app bench: {e}");
                std::process::ExitCode::from(2)
            }
        };
    }
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("RASOAT_LOG").unwrap_or_else(|_| "info".into()))
        .try_init();
    let core = match Core::open(&data_dir) {
        Ok(core) => core,
        Err(e) => {
            eprintln!("rasoat-app: cannot open the data in {}: {e}", data_dir.display());
            return std::process::ExitCode::from(2);
        }
    };
    run(core, flag("--bind").unwrap_or_else(|| "127.0.0.1:8090".into()))
}

#[cfg(all(feature = "liveview", not(any(feature = "desktop", feature = "mobile"))))]
fn run(core: Arc<Core>, bind: String) -> std::process::ExitCode {
    let Ok(runtime) = tokio::runtime::Runtime::new() else { return std::process::ExitCode::from(2) };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(&bind).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("rasoat-app: cannot listen on {bind}: {e}");
                return std::process::ExitCode::from(2);
            }
        };
        if let Ok(addr) = listener.local_addr() {
            println!("rasoat-app: open http://{addr}/ (phone size: 390×844)");
        }
        let (tx, rx) = tokio::sync::watch::channel(false);
        let stop = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|s| *s).await;
        };
        let sync = tokio::spawn(mobile::sync::run(core.clone(), Duration::from_secs(60), stop(rx.clone())));
        let served = mobile::liveview::serve(core, listener, async move {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
        let _ = tx.send(true);
        let _ = sync.await;
        match served {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("rasoat-app: {e}");
                std::process::ExitCode::from(2)
            }
        }
    })
}

/// The desktop window (feature `desktop`, needs webkit2gtk) or the Android app (feature
/// `mobile`, built with `dx`): the same `App`, the sync task on a background runtime.
#[cfg(any(feature = "desktop", feature = "mobile"))]
fn run(core: Arc<Core>, _bind: String) -> std::process::ExitCode {
    let sync_core = core.clone();
    std::thread::spawn(move || {
        if let Ok(rt) = tokio::runtime::Runtime::new() {
            rt.block_on(mobile::sync::run(sync_core, Duration::from_secs(60), std::future::pending()));
        }
    });
    let builder = dioxus::LaunchBuilder::new().with_context(core);
    #[cfg(feature = "desktop")]
    let builder = builder.with_cfg(
        dioxus::desktop::Config::new()
            .with_custom_head(format!("<style>{}</style>", include_str!("../assets/app.css")))
            .with_window(
                dioxus::desktop::WindowBuilder::new()
                    .with_title("Rà soát")
                    .with_inner_size(dioxus::desktop::LogicalSize::new(390.0, 844.0)),
            ),
    );
    builder.launch(mobile::ui::App);
    std::process::ExitCode::SUCCESS
}

#[cfg(not(any(feature = "liveview", feature = "desktop", feature = "mobile")))]
fn run(_core: Arc<Core>, _bind: String) -> std::process::ExitCode {
    eprintln!("rasoat-app: built without a user interface (features liveview, desktop or mobile)");
    std::process::ExitCode::from(2)
}
