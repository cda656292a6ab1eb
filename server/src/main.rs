//! `rasoat`: thin wrapper over [`server::tools::cli`].

use std::process::ExitCode;

use clap::Parser;
use server::tools::cli::{Cli, Exit, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    // stderr stays unlocked: the server's log lines go to stderr from worker threads, and a lock
    // held here for the whole run would block the first of them forever.
    match run(cli, &mut stdout.lock(), &mut std::io::stderr()) {
        Exit::Ok => ExitCode::SUCCESS,
        Exit::SomeRejected => ExitCode::from(1),
        Exit::Failed => ExitCode::from(2),
    }
}
