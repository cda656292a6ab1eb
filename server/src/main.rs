//! `rasoat`: thin wrapper over [`server::cli`].

use std::process::ExitCode;

use clap::Parser;
use server::cli::{Cli, Exit, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    match run(cli, &mut stdout.lock(), &mut stderr.lock()) {
        Exit::Ok => ExitCode::SUCCESS,
        Exit::SomeRejected => ExitCode::from(1),
        Exit::Failed => ExitCode::from(2),
    }
}
