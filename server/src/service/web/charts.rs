//! Server-side SVG charts: no script, readable in black and white when printed.

use maud::{Markup, html};
use shared::text::Lang;

use super::layout::percent;

/// One bar: label, now (percent, `None` when unknown), target (percent), met.
pub struct Bar {
    /// Label.
    pub label: String,
    /// Now, percent.
    pub now: Option<f64>,
    /// Target, percent.
    pub target: f64,
    /// Whether now meets the target.
    pub met: bool,
}

/// Horizontal "target vs now" bars: a bar for now (solid when met, hatched when not), a
/// vertical line for the target, both labelled with their numbers.
pub fn target_bars(bars: &[Bar], now_label: &str, target_label: &str, lang: Lang) -> Markup {
    let (label_w, bar_w, row_h) = (380.0, 400.0, 34.0);
    let height = row_h * bars.len() as f64 + 40.0;
    let width = label_w + bar_w + 110.0;
    let x = |p: f64| label_w + bar_w * p.clamp(0.0, 100.0) / 100.0;
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox={"0 0 " (width) " " (height)} role="img" aria-label=(now_label) {
            defs { pattern #hatch width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)" {
                rect width="6" height="6" fill="#fff" {} line x1="0" y1="0" x2="0" y2="6" stroke="#b3261e" stroke-width="3" {}
            } }
            @for tick in [0.0, 25.0, 50.0, 75.0, 100.0] {
                line x1=(x(tick)) x2=(x(tick)) y1="4" y2=(height - 30.0) stroke="#ddd" {}
                text x=(x(tick)) y=(height - 14.0) font-size="12" text-anchor="middle" { (tick) "%" }
            }
            @for (i, b) in bars.iter().enumerate() {
                @let y = 8.0 + i as f64 * row_h;
                text x=(label_w - 8.0) y=(y + 17.0) font-size="13" text-anchor="end" { (b.label) }
                rect x=(label_w) y=(y) width=(bar_w) height="22" fill="#f1f3f5" stroke="#ccc" {}
                @if let Some(now) = b.now {
                    rect x=(label_w) y=(y) width=(x(now) - label_w) height="22" fill=(if b.met { "#2e7d32" } else { "url(#hatch)" }) stroke="#333" {}
                    text x=(x(100.0) + 8.0) y=(y + 16.0) font-size="13" { (percent(lang, now)) " / " (b.target) "%" }
                } @else {
                    text x=(x(100.0) + 8.0) y=(y + 16.0) font-size="13" { "— / " (b.target) "%" }
                }
                line x1=(x(b.target)) x2=(x(b.target)) y1=(y - 3.0) y2=(y + 25.0) stroke="#000" stroke-width="3" {}
            }
        }
        p.muted { "▇ " (now_label) " · ┃ " (target_label) }
    }
}

/// One measurement on the z-score chart: date, HAZ, WAZ.
pub type ZPoint = (String, Option<f64>, Option<f64>);

/// A child's HAZ and WAZ over time on a −4…+4 band with lines at −2 and −3 (WHO cut-offs for
/// stunting/underweight and their severe forms). Points: (date, HAZ, WAZ); flagged z-scores
/// are left out by the caller.
pub fn z_chart(name: &str, points: &[ZPoint]) -> Markup {
    let (w, h, left, top) = (420.0, 170.0, 34.0, 10.0);
    let plot_w = w - left - 20.0;
    let plot_h = h - top - 40.0;
    let n = points.len().max(1) as f64;
    let px = |i: usize| left + if n <= 1.0 { plot_w / 2.0 } else { plot_w * i as f64 / (n - 1.0) };
    let py = |z: f64| top + plot_h * (4.0 - z.clamp(-4.0, 4.0)) / 8.0;
    let path = |pick: fn(&ZPoint) -> Option<f64>| -> String {
        points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| pick(p).map(|z| format!("{:.1},{:.1}", px(i), py(z))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    html! {
        figure {
            figcaption { (name) " — HAZ ● · WAZ ■" }
            svg xmlns="http://www.w3.org/2000/svg" viewBox={"0 0 " (w) " " (h)} role="img" aria-label={"z-scores " (name)} {
                rect x=(left) y=(top) width=(plot_w) height=(plot_h) fill="#fff" stroke="#999" {}
                @for z in [-3.0, -2.0, 0.0, 2.0] {
                    line x1=(left) x2=(left + plot_w) y1=(py(z)) y2=(py(z)) stroke=(if z < -1.0 { "#b3261e" } else { "#bbb" }) stroke-dasharray=(if z == -3.0 { "6 3" } else { "none" }) {}
                    text x=(left - 6.0) y=(py(z) + 4.0) font-size="11" text-anchor="end" { (z) }
                }
                polyline points=(path(|p| p.1)) fill="none" stroke="#12355b" stroke-width="2" {}
                polyline points=(path(|p| p.2)) fill="none" stroke="#7a4f01" stroke-width="2" stroke-dasharray="4 2" {}
                @for (i, p) in points.iter().enumerate() {
                    @if let Some(z) = p.1 { circle cx=(px(i)) cy=(py(z)) r="4" fill="#12355b" {} }
                    @if let Some(z) = p.2 { rect x=(px(i) - 4.0) y=(py(z) - 4.0) width="8" height="8" fill="#7a4f01" {} }
                    text x=(px(i)) y=(h - 12.0) font-size="11" text-anchor="middle" { (p.0) }
                }
            }
        }
    }
}
