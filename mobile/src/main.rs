//! `rasoat-app`: the collectors' and health workers' app.

fn main() {}
