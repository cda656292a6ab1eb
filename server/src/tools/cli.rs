//! The `rasoat` command tree (clap) and its dispatch. Each subcommand parses its arguments and
//! calls one module; `main.rs` only maps the returned [`Exit`] to a process exit code.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use shared::poverty::PovertyStandard;

use crate::service::clock;
use crate::tools::classify_jsonl::{self, LineOutcome, Options};
use crate::tools::summary::WardSummary;
use crate::tools::{anthro_csv, bench, demo};

/// Rà soát: the household survey of poor and near-poor households (multidimensional poverty
/// standard, Decree 07/2021/NĐ-CP) — command-line tools.
#[derive(Debug, Parser)]
#[command(name = "rasoat", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// WHO z-scores (HAZ, WAZ, WHZ, BAZ, flags) for a CSV of child measurements, like the WHO
    /// Anthro survey module.
    ///
    /// Input columns: sex (1/2, male/female), weight_kg, lenhei_cm, measure (L/H/empty),
    /// oedema (y/n), and either dob + measure_date (YYYY-MM-DD) or age_days. Other columns pass
    /// through. Output: the input columns, then age_days, age_months, reference, clenhei_cm,
    /// bmi, haz, waz, whz, baz, the four flags and c9mo_flag. A bad row is reported on stderr
    /// with its line and column and left out; the exit code is then 1.
    Anthro {
        /// CSV file; standard input when absent.
        file: Option<PathBuf>,
    },
    /// Classify households (JSON Lines, the data dictionary's form) under a poverty standard.
    ///
    /// Writes one JSON object per input line: household_id, standard, provisional, category,
    /// income_condition, b2_score, deprived_count, unknown_count, the 12 indicators with
    /// reasons, errors and warnings. A line with errors is reported in its object; the exit
    /// code is then 1.
    Classify {
        /// JSON Lines file; standard input when absent.
        file: Option<PathBuf>,
        /// Poverty standard id (VN-2022, VN-2027). Default: VN-2022; the provisional VN-2027
        /// is applied only when named.
        #[arg(long, value_name = "ID")]
        standard: Option<String>,
        /// Count ages on this date (YYYY-MM-DD) instead of each household's interview date.
        #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
        reference_date: Option<NaiveDate>,
        /// Print a readable ward summary (Vietnamese / English) instead of JSON Lines.
        #[arg(long)]
        summary: bool,
    },
    /// Write a realistic synthetic ward as JSON Lines (for demos, tests and benchmarks).
    DemoWard {
        /// Number of households.
        #[arg(long, default_value_t = 60)]
        households: usize,
        /// Random seed: the same seed gives the same ward.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Review year.
        #[arg(long, default_value_t = 2026)]
        year: i32,
    },
    /// List the poverty standards, or print one as JSON (the editable rule set).
    Standards {
        /// Print this standard's full rule set as JSON.
        #[arg(long, value_name = "ID")]
        show: Option<String>,
    },
    /// Run the sync server and ward registry.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: std::net::SocketAddr,
        /// Database: sqlite://FILE (default ./rasoat.db, created if missing) or postgres://…
        #[arg(long, env = "RASOAT_DATABASE_URL", default_value = crate::service::db::DEFAULT_URL)]
        database_url: String,
        /// Seed a demo ward (users, ~500 households) if the database is empty, and print a
        /// ward-staff login and device enrolment codes.
        #[arg(long)]
        demo: bool,
        /// Households in the demo ward.
        #[arg(long, default_value_t = 500, requires = "demo")]
        demo_households: usize,
    },
    /// Manage users.
    Users {
        /// Database URL.
        #[arg(long, env = "RASOAT_DATABASE_URL", default_value = crate::service::db::DEFAULT_URL, global = true)]
        database_url: String,
        /// What to do.
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Manage enrolled devices.
    Devices {
        /// Database URL.
        #[arg(long, env = "RASOAT_DATABASE_URL", default_value = crate::service::db::DEFAULT_URL, global = true)]
        database_url: String,
        /// What to do.
        #[command(subcommand)]
        command: DevicesCommand,
    },
    /// Maintain the registry (the projection of the household documents).
    Registry {
        /// Database URL.
        #[arg(long, env = "RASOAT_DATABASE_URL", default_value = crate::service::db::DEFAULT_URL, global = true)]
        database_url: String,
        /// What to do.
        #[command(subcommand)]
        command: RegistryCommand,
    },
    /// Measure throughput: z-scores, reading and validating households, classification.
    Bench {
        /// Households in the synthetic ward.
        #[arg(long, default_value_t = 5000)]
        households: usize,
        /// Benchmark the sync server on loopback instead of the domain computations.
        #[arg(long)]
        sync: bool,
        /// Benchmark the registry's web pages and exports over a registry of `--households`.
        #[arg(long, conflicts_with = "sync")]
        registry: bool,
        /// Database for `--sync` or `--registry` (default: a new SQLite file in a temporary folder).
        #[arg(long)]
        database_url: Option<String>,
    },
}

/// `rasoat registry …`
#[derive(Debug, Subcommand)]
pub enum RegistryCommand {
    /// Recompute every household's registry rows from its stored document (after an upgrade
    /// that adds projected columns, or a change of the rules). Safe while `rasoat serve` runs.
    Rebuild,
}

/// `rasoat users …`
#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Create a user.
    Add {
        /// Login name.
        username: String,
        /// Full name shown in the registry.
        #[arg(long)]
        name: String,
        /// collector, health, ward_staff or admin.
        #[arg(long, value_parser = parse_role)]
        role: shared::access::Role,
        /// Province code.
        #[arg(long)]
        province: String,
        /// Commune code.
        #[arg(long)]
        commune: String,
        /// Residential group codes (collectors and health staff), comma separated.
        #[arg(long, value_delimiter = ',')]
        groups: Vec<String>,
    },
    /// List users.
    List,
    /// Set a new random web password for a ward-staff or admin user (prints it once; only its
    /// Argon2 hash is stored; the user's open web sessions end).
    Password {
        /// Login name.
        username: String,
    },
    /// Issue a one-time device enrolment code for a user (valid 72 hours).
    Code {
        /// Login name.
        username: String,
        /// The server address phones use (e.g. http://192.168.1.10:8080): also print a QR code
        /// carrying it and the code.
        #[arg(long)]
        server: Option<String>,
    },
}

/// `rasoat devices …`
#[derive(Debug, Subcommand)]
pub enum DevicesCommand {
    /// List enrolled devices.
    List,
    /// Revoke a device: its token stops working at once.
    Revoke {
        /// Device id.
        device_id: String,
    },
}

fn parse_role(s: &str) -> Result<shared::access::Role, String> {
    shared::access::Role::from_code(s)
        .ok_or_else(|| format!("{s:?} is not a role (collector, health, ward_staff, admin)"))
}

fn parse_date_arg(s: &str) -> Result<NaiveDate, String> {
    shared::model::parse_date(s).ok_or_else(|| format!("{s:?} is not a date (YYYY-MM-DD)"))
}

/// How a command ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Exit {
    /// Everything succeeded.
    Ok,
    /// Some input rows or lines were rejected (reported); the rest was processed.
    SomeRejected,
    /// The command could not run (message printed).
    Failed,
}

fn open_input(file: Option<&PathBuf>) -> io::Result<Box<dyn BufRead>> {
    Ok(match file {
        Some(path) => Box::new(BufReader::new(File::open(path)?)),
        None => Box::new(BufReader::new(io::stdin())),
    })
}

/// Runs a parsed command line with the given output streams.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    match execute(cli.command, out, err) {
        Ok(exit) => exit,
        Err(message) => {
            let _ = writeln!(err, "rasoat: {message}");
            Exit::Failed
        }
    }
}

fn execute(command: Command, out: &mut dyn Write, err: &mut dyn Write) -> Result<Exit, String> {
    match command {
        Command::Anthro { file } => {
            let input: Box<dyn Read> = open_input(file.as_ref()).map_err(|e| describe_open(file.as_ref(), &e))?;
            let all_ok = anthro_csv::run(input, &mut *out, &mut *err).map_err(|e| e.to_string())?;
            Ok(if all_ok { Exit::Ok } else { Exit::SomeRejected })
        }
        Command::Classify { file, standard, reference_date, summary } => {
            let standard = match standard {
                Some(id) => Some(PovertyStandard::by_id(&id).ok_or_else(|| {
                    let known: Vec<_> = PovertyStandard::builtin().into_iter().map(|s| s.id).collect();
                    format!("unknown standard {id:?}; known: {}", known.join(", "))
                })?),
                None => None,
            };
            let options = Options { standard, reference_date, today: clock::today_in_vietnam() };
            let input = open_input(file.as_ref()).map_err(|e| describe_open(file.as_ref(), &e))?;
            let rejected = if summary {
                print_summary(input, &options, out, err)?
            } else {
                classify_jsonl::run(input, &mut *out, &options).map_err(|e| e.to_string())?
            };
            Ok(if rejected == 0 { Exit::Ok } else { Exit::SomeRejected })
        }
        Command::DemoWard { households, seed, year } => {
            if !(2022..=2100).contains(&year) {
                return Err(format!("year {year} is outside 2022–2100"));
            }
            for h in demo::generate_ward(&demo::WardSpec { households, seed, review_year: year, ..Default::default() })
            {
                writeln!(out, "{h}").map_err(|e| e.to_string())?;
            }
            Ok(Exit::Ok)
        }
        Command::Standards { show } => {
            match show {
                Some(id) => {
                    let s = PovertyStandard::by_id(&id).ok_or_else(|| format!("unknown standard {id:?}"))?;
                    let text = serde_json::to_string_pretty(&s).map_err(|e| e.to_string())?;
                    writeln!(out, "{text}").map_err(|e| e.to_string())?;
                }
                None => {
                    for s in PovertyStandard::builtin() {
                        let status = if s.provisional {
                            "provisional"
                        } else if s.id == PovertyStandard::default_for_year(s.first_year).id {
                            "default"
                        } else {
                            ""
                        };
                        writeln!(out, "{}\t{}–{}\t{}\t{}", s.id, s.first_year, s.last_year, status, s.legal_basis)
                            .map_err(|e| e.to_string())?;
                    }
                }
            }
            Ok(Exit::Ok)
        }
        Command::Serve { bind, database_url, demo, demo_households } => {
            runtime()?
                .block_on(crate::tools::serve::serve(bind, &database_url, demo.then_some(demo_households), out))
                .map_err(|e| e.to_string())?;
            Ok(Exit::Ok)
        }
        Command::Users { database_url, command } => {
            runtime()?.block_on(crate::tools::admin::users(&database_url, command, out))
        }
        Command::Devices { database_url, command } => {
            runtime()?.block_on(crate::tools::admin::devices(&database_url, command, out))
        }
        Command::Registry { database_url, command: RegistryCommand::Rebuild } => {
            runtime()?.block_on(crate::tools::admin::rebuild_registry(&database_url, out))
        }
        Command::Bench { households, sync, registry, database_url } if sync || registry => {
            let dir = std::env::temp_dir().join(format!("rasoat-bench-{}", uuid::Uuid::new_v4().simple()));
            let url = match database_url {
                Some(url) => url,
                None => {
                    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
                    format!("sqlite://{}", dir.join("bench.db").display())
                }
            };
            let text = if registry {
                runtime()?
                    .block_on(crate::tools::bench_registry::run(&url, households))
                    .map(|l| crate::tools::bench_registry::render(&l))
            } else {
                runtime()?
                    .block_on(crate::tools::bench_sync::run(&url, households))
                    .map(|l| crate::tools::bench_sync::render(&l))
            };
            let _ = std::fs::remove_dir_all(&dir);
            write!(out, "{}", text?).map_err(|e| e.to_string())?;
            Ok(Exit::Ok)
        }
        Command::Bench { households, .. } => {
            let figures = bench::run_all(households);
            write!(out, "{}", bench::render(&figures)).map_err(|e| e.to_string())?;
            Ok(Exit::Ok)
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))
}

fn describe_open(file: Option<&PathBuf>, e: &io::Error) -> String {
    match file {
        Some(path) => format!("cannot read {}: {e}", path.display()),
        None => format!("cannot read standard input: {e}"),
    }
}

fn print_summary(
    input: Box<dyn BufRead>,
    options: &Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<usize, String> {
    let mut summary = WardSummary::default();
    let rejected = classify_jsonl::for_each_line(input, options, |line, outcome| {
        match outcome {
            LineOutcome::Classified(done) => summary.add(&done.household, &done.classification),
            LineOutcome::Rejected(id, issues) => {
                for issue in issues.iter().filter(|i| i.is_error()) {
                    let _ = writeln!(err, "line {line} ({}): {issue}", id.as_deref().unwrap_or("?"));
                }
            }
        }
        Ok(())
    })
    .map_err(|e| e.to_string())?;
    summary.rejected = rejected;
    let standard = options.standard.clone().unwrap_or_else(PovertyStandard::vn2022);
    write!(out, "{}", summary.render(&standard)).map_err(|e| e.to_string())?;
    Ok(rejected)
}
