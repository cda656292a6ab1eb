//! Indicator 3 for one child: which measurement counts and what it says (standard §4,
//! "Precise readings — Indicator 3").
//!
//! A measurement counts when `measured_on` lies in [reference − 12 months, reference], both
//! ends included. The latest counting measurement that has oedema or at least one usable z-score
//! (HAZ or WAZ computed and not flagged implausible) decides: oedema → malnourished; HAZ or WAZ,
//! rounded to 2 decimals, below −2.00 → stunted / underweight. WAZ stops at 10 years (WHO 2007),
//! so HAZ alone decides after that. Wasting, thinness and overweight do not count. With no
//! counting measurement, `malnourished_reported` decides; absent → unknown.

use chrono::{Months, NaiveDate};

use super::indicators::Verdict;
use super::standard::Params;
use crate::growth::ZScore;
use crate::model::anthropometry::growth_of;
use crate::model::{Household, Member};
use crate::text::Text;

/// The nutrition verdict for one child under 16.
pub(crate) fn child_nutrition(h: &Household, child: &Member, reference: NaiveDate, p: &Params) -> Verdict {
    // chrono clamps to the month's last day: 2024-02-29 − 12 months = 2023-02-28.
    let from = reference.checked_sub_months(Months::new(p.nutrition_window_months)).unwrap_or(NaiveDate::MIN);
    let mut candidates: Vec<_> = h
        .measurements
        .iter()
        .enumerate()
        .filter(|(_, m)| m.member_id == child.member_id && m.measured_on >= from && m.measured_on <= reference)
        .collect();
    // Latest first; on the same day, the one recorded last.
    candidates.sort_by(|(ia, a), (ib, b)| b.measured_on.cmp(&a.measured_on).then(ib.cmp(ia)));
    let measured_in_window = !candidates.is_empty();
    for (_, m) in candidates {
        if m.oedema {
            return Verdict::Deprived(Text::new(
                format!("phù dinh dưỡng (đo ngày {})", m.measured_on),
                format!("nutritional oedema (measured {})", m.measured_on),
            ));
        }
        let Some(g) = growth_of(child, m) else { continue };
        let usable = |z: Option<ZScore>| z.filter(|z| !z.flagged);
        let (haz, waz) = (usable(g.haz), usable(g.waz));
        if haz.is_none() && waz.is_none() {
            continue;
        }
        let below = |z: Option<ZScore>| z.filter(|z| hundredths(z.rounded) < hundredths(p.nutrition_z_cutoff));
        let mut why_vi = Vec::new();
        let mut why_en = Vec::new();
        if let Some(z) = below(haz) {
            why_vi.push(format!("thấp còi (HAZ {:.2})", z.rounded));
            why_en.push(format!("stunted (HAZ {:.2})", z.rounded));
        }
        if let Some(z) = below(waz) {
            why_vi.push(format!("nhẹ cân (WAZ {:.2})", z.rounded));
            why_en.push(format!("underweight (WAZ {:.2})", z.rounded));
        }
        if why_vi.is_empty() {
            return Verdict::Fine;
        }
        return Verdict::Deprived(Text::new(
            format!("{} — đo ngày {}", why_vi.join(", "), m.measured_on),
            format!("{} — measured {}", why_en.join(", "), m.measured_on),
        ));
    }
    match child.malnourished_reported {
        Some(true) => Verdict::Deprived(Text::new(
            "trạm y tế ghi nhận suy dinh dưỡng (chưa có số đo)",
            "malnourished per the health station's record (no measurement)",
        )),
        Some(false) => Verdict::Fine,
        None if measured_in_window => Verdict::Unknown(Text::new(
            "số đo trong 12 tháng không dùng được (số đo bất thường hoặc thiếu ngày sinh đầy đủ) và chưa có ghi nhận của trạm y tế",
            "the measurements of the last 12 months are unusable (implausible values or no full birth date) and there is no health-station record",
        )),
        None => Verdict::Unknown(Text::new(
            "chưa có số đo trong 12 tháng và chưa có ghi nhận của trạm y tế",
            "no measurement in the last 12 months and no health-station record",
        )),
    }
}

/// A z-score in whole hundredths, so "−2.00 is not below −2" holds exactly.
fn hundredths(z: f64) -> i64 {
    (z * 100.0).round() as i64
}
