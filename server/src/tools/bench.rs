//! `rasoat bench`: throughput of the domain computations, printed as figures for
//! `BENCHMARKS.md`. Each figure is the median of several timed rounds over the same
//! deterministic inputs, so runs on one machine compare as ratios.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use shared::growth::{GrowthInput, compute};
use shared::model::{Household, Position, Sex};
use shared::poverty::{PovertyStandard, classify_household};

use crate::tools::demo::{Rng, WardSpec, generate_ward};

/// One measured figure.
#[derive(Debug, Clone)]
pub struct Figure {
    /// What was measured.
    pub name: &'static str,
    /// Operations per second (median round).
    pub per_second: f64,
    /// Operations per round.
    pub ops: usize,
    /// Median round time.
    pub round: Duration,
}

/// Times `rounds` executions of `f` (each doing `ops` operations); returns the median.
fn measure(name: &'static str, ops: usize, rounds: usize, mut f: impl FnMut() -> usize) -> Figure {
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    let round = times[times.len() / 2];
    Figure { name, per_second: ops as f64 / round.as_secs_f64(), ops, round }
}

fn growth_inputs(n: usize) -> Vec<GrowthInput> {
    let mut rng = Rng::new(42);
    (0..n)
        .map(|_| {
            let age_days = rng.range(0, 5843) as u32;
            let years = f64::from(age_days) / 365.25;
            let height = 50.0 + 90.0 * (years / 15.0).min(1.0) + rng.normal() * 5.0;
            let weight = 3.3 + 45.0 * (years / 15.0).powf(1.4) + rng.normal();
            GrowthInput {
                sex: if rng.chance(0.5) { Sex::Male } else { Sex::Female },
                age_days: Some(age_days),
                weight_kg: Some(weight.max(1.0)),
                lenhei_cm: Some(height.max(40.0)),
                position: Some(if age_days < 731 { Position::Lying } else { Position::Standing }),
                oedema: rng.chance(0.01),
            }
        })
        .collect()
}

/// Runs every benchmark and returns the figures.
pub fn run_all(households: usize) -> Vec<Figure> {
    let today = NaiveDate::from_ymd_opt(2026, 12, 31).expect("valid date");
    let first = Instant::now();
    let _ = compute(&growth_inputs(1)[0]);
    let table_load = first.elapsed();

    let inputs = growth_inputs(200_000);
    let zscores = measure("z-scores (HAZ+WAZ+WHZ+BAZ per child)", inputs.len(), 7, || {
        inputs.iter().map(|i| usize::from(compute(i).haz.is_some())).sum()
    });

    let ward = generate_ward(&WardSpec { households, ..WardSpec::default() });
    let read = measure("read + validate household JSON", ward.len(), 5, || {
        ward.iter().filter(|v| shared::validate::check_json(v, today).0.is_some()).count()
    });
    let parsed: Vec<Household> = ward.iter().filter_map(|v| shared::validate::check_json(v, today).0).collect();
    let standard = PovertyStandard::vn2022();
    let classify = measure("classify household (12 indicators)", parsed.len(), 7, || {
        parsed.iter().map(|h| classify_household(h, &standard, h.interview_date).deprived_count as usize).sum()
    });
    // Stored documents: the server loads one per write and per first-sync page, the phone all of
    // them at start. A household edited a few times, as the sync server stores it.
    let saved: Vec<(Vec<u8>, Vec<u8>)> = parsed
        .iter()
        .take(2_000)
        .filter_map(|h| {
            let mut doc = shared::doc::new_document(h, automerge::ActorId::random()).ok()?;
            let mut edited = h.clone();
            edited.internet_use = Some(!h.internet_use.unwrap_or(false));
            shared::doc::write_household(&mut doc, &edited).ok()?;
            doc.commit();
            Some((doc.save(), doc.save_nocompress()))
        })
        .collect();
    let load_compressed = measure("load household document (compressed)", saved.len(), 5, || {
        saved.iter().filter(|(c, _)| automerge::Automerge::load(c).is_ok()).count()
    });
    let load_plain = measure("load household document (uncompressed)", saved.len(), 5, || {
        saved.iter().filter(|(_, u)| automerge::Automerge::load(u).is_ok()).count()
    });
    // The history page: the change log of a household edited 100 times (a busy record), each
    // change's fields found by diffing it against its dependencies.
    let busy = {
        let h = &parsed[0];
        let mut doc = shared::doc::new_document(h, automerge::ActorId::random()).expect("document");
        doc.commit();
        let mut edited = h.clone();
        for i in 0..99 {
            edited.internet_use = Some(i % 2 == 0);
            edited.address = shared::model::Address::new(&format!("{} ({i})", h.address.as_str())).expect("address");
            shared::doc::write_household(&mut doc, &edited).expect("written");
            doc.commit();
        }
        doc.document().clone()
    };
    let log = measure("change log of a 100-change household (history page)", 1, 7, || {
        shared::doc::change_log(&busy, 200).0.len()
    });
    let mut figures = vec![zscores, read, classify, load_compressed, load_plain, log];
    figures.insert(
        0,
        Figure {
            name: "WHO tables parsed (first use)",
            per_second: 1.0 / table_load.as_secs_f64(),
            ops: 1,
            round: table_load,
        },
    );
    figures
}

/// The figures as a text table.
pub fn render(figures: &[Figure]) -> String {
    let mut s = format!("{:<40} {:>14} {:>10} {:>12}\n", "benchmark", "per second", "ops/round", "median round");
    for f in figures {
        s.push_str(&format!("{:<40} {:>14.0} {:>10} {:>12.3?}\n", f.name, f.per_second, f.ops, f.round));
    }
    s
}

/// A server on a loopback port over `db`, for the sync and registry benchmarks.
pub(crate) struct LocalServer {
    /// Where it listens.
    pub addr: std::net::SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl LocalServer {
    /// Starts the server on an ephemeral loopback port.
    pub async fn start(db: crate::service::db::Db) -> Result<LocalServer, String> {
        let bind = "127.0.0.1:0".parse().map_err(|_| "addr")?;
        let app = crate::service::app::Application::with_db(bind, db).await.map_err(|e| e.to_string())?;
        let addr = app.local_addr();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until_stopped(async move {
            let _ = stopped.await;
        }));
        Ok(LocalServer { addr, stop, server })
    }

    /// Stops it gracefully and waits for it.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.server.await;
    }
}
