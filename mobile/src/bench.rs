//! `rasoat-app bench`: placeholder until the benchmark lands.

/// Runs the benchmark.
pub fn run(_households: usize) -> Result<String, String> {
    Err("not yet".into())
}
