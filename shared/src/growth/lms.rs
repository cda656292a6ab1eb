//! The LMS method: z-score of a measurement, the measurement at a z-score (the SD curves), and
//! WHO's restricted computation beyond ±3 SD for weight-based indicators (README §5, §6).

use super::tables::Lms;

/// The LMS z-score `((y/M)^L − 1) / (L·S)`, or `ln(y/M) / S` when `L = 0` (README §5; WHO Child
/// Growth Standards, *Methods and development*, 2006, chapter 7; `compute_zscore` in
/// `anthro/R/z-score-helper.R`). No table row has `L = 0`; the branch is a guard.
pub(super) fn z_score(y: f64, p: Lms) -> f64 {
    if p.l == 0.0 { (y / p.m).ln() / p.s } else { ((y / p.m).powf(p.l) - 1.0) / (p.s * p.l) }
}

/// `SD(k) = M·(1 + L·S·k)^(1/L)`, the measurement at `z = k` on the LMS curve (`M·e^(S·k)` when
/// `L = 0`). README §6.
pub(super) fn sd(p: Lms, k: f64) -> f64 {
    if p.l == 0.0 { p.m * (p.s * k).exp() } else { p.m * (1.0 + p.l * p.s * k).powf(1.0 / p.l) }
}

/// The z-score of a weight-based measurement (WAZ, WHZ, BAZ): the LMS z inside ±3, and beyond
/// ±3 the distance past SD(±3) in units of the 2–3 SD gap at that age or length (README §6;
/// `compute_zscore_adjusted` in `anthro/R/z-score-helper.R`).
pub(super) fn z_score_restricted(y: f64, p: Lms) -> f64 {
    let z = z_score(y, p);
    if z > 3.0 {
        let sd3 = sd(p, 3.0);
        3.0 + (y - sd3) / (sd3 - sd(p, 2.0))
    } else if z < -3.0 {
        let sd3_neg = sd(p, -3.0);
        -3.0 + (y - sd3_neg) / (sd(p, -2.0) - sd3_neg)
    } else {
        z
    }
}

/// The measurement whose z-score is `k`: the inverse of [`z_score`], or of
/// [`z_score_restricted`] when `restricted` (beyond ±3 the curve continues in straight steps of
/// the 2–3 SD gap).
pub(super) fn value_at(p: Lms, k: f64, restricted: bool) -> f64 {
    if restricted && k > 3.0 {
        let sd3 = sd(p, 3.0);
        sd3 + (k - 3.0) * (sd3 - sd(p, 2.0))
    } else if restricted && k < -3.0 {
        let sd3_neg = sd(p, -3.0);
        sd3_neg + (k + 3.0) * (sd(p, -2.0) - sd3_neg)
    } else {
        sd(p, k)
    }
}
