//! `rasoat-app`, the collectors' and health workers' app. Skeleton until its own issue: it only
//! proves the app links the shared domain crate.

fn main() {
    let standard = shared::poverty::PovertyStandard::vn2022();
    println!("rasoat-app: {} indicators of {}", standard.indicators.len(), standard.id);
}
