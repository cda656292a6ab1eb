//! `rasoat serve`: logging, the database, optional demo seeding, serving until a signal.

use std::io::Write;
use std::net::SocketAddr;

use crate::service::app::{Application, Config, shutdown_signal};
use crate::tools::seed::seed_demo;

/// Runs the server until Ctrl-C / SIGTERM.
pub async fn serve(
    bind: SocketAddr,
    database_url: &str,
    demo: Option<usize>,
    out: &mut dyn Write,
) -> Result<(), Box<dyn std::error::Error>> {
    init_logging();
    let app = Application::build(&Config { bind, database_url: database_url.to_owned() }).await?;
    let addr = app.local_addr();
    if let Some(households) = demo {
        let creds = seed_demo(app.db(), households).await?;
        writeln!(out, "Demo ward Phước Tân (tỉnh 56, phường 22366): {} households seeded", creds.households_seeded)?;
        writeln!(out, "  Registry / trang quản lý:         http://{addr}/login")?;
        writeln!(
            out,
            "  Ward staff / cán bộ phường:       user {}  password {}",
            creds.ward_staff, creds.ward_staff_password
        )?;
        writeln!(out, "  Administrator / quản trị:         user admin  password {}", creds.admin_password)?;
        writeln!(out, "  Collector phone (TDP-01) code:    {}", creds.collector_code)?;
        writeln!(out, "  Health-station phone code:        {}", creds.health_code)?;
        writeln!(out, "  Enrol: POST http://{addr}/api/v1/enrol {{\"code\": \"…\"}}, or scan (collector):")?;
        let link = crate::tools::enrol_qr::enrolment_link(&format!("http://{addr}"), &creds.collector_code);
        writeln!(out, "{}", crate::tools::enrol_qr::terminal_qr(&link))?;
        writeln!(out, "  {link}")?;
    }
    writeln!(out, "rasoat listening on http://{addr} (database {})", redact(database_url))?;
    out.flush()?;
    app.run_until_stopped(shutdown_signal()).await?;
    Ok(())
}

/// A database URL without its password, for logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}://…@{}", &url[..scheme], &url[at + 1..]),
        _ => url.to_owned(),
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("RASOAT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
