//! The health worker's measurement of a child: the form as typed, the z-scores and WHO
//! classification the moment values are typed (`shared::growth` through
//! `shared::model::anthropometry`, as the server computes them), the implausible-value flags
//! that ask to re-measure or confirm, and the growth chart against the WHO curves.

use std::fmt::Write;

use chrono::NaiveDate;
use shared::growth::{Assessment, GrowthResult, Indicator, assess, value_at_z};
use shared::model::anthropometry::growth_of;
use shared::model::*;
use shared::text::Text;
use uuid::Uuid;

use crate::draft::text;
use crate::i18n::K;

/// The measurement being typed.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureForm {
    /// The child.
    pub member_id: MemberId,
    /// `YYYY-MM-DD`.
    pub measured_on: String,
    /// Kilograms, as typed.
    pub weight_kg: String,
    /// Centimetres, as typed.
    pub lenhei_cm: String,
    /// `L`, `H` or empty.
    pub measure: String,
    /// Bilateral pitting oedema.
    pub oedema: bool,
    /// The worker confirmed the flagged values after checking.
    pub confirmed: bool,
}

/// What the form gives now.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    /// The measurement, when every typed value is valid.
    pub measurement: Option<Measurement>,
    /// Problems of the typed values, by field.
    pub errors: Vec<(&'static str, Text)>,
    /// Z-scores (when the child's birth date is known).
    pub growth: Option<GrowthResult>,
    /// WHO conditions and implausible indicators.
    pub assessment: Assessment,
}

impl Preview {
    /// Some z-score is implausible: re-measure or confirm before saving.
    pub fn flagged(&self) -> bool {
        !self.assessment.implausible.is_empty()
    }
}

impl MeasureForm {
    /// A new measurement of `child` on `today`; lying under 2 years, standing after (WHO).
    pub fn new(child: &Member, today: NaiveDate) -> MeasureForm {
        let lying = child.age_months(today).is_some_and(|m| m < 24);
        MeasureForm {
            member_id: child.member_id,
            measured_on: today.to_string(),
            weight_kg: String::new(),
            lenhei_cm: String::new(),
            measure: if lying { "L" } else { "H" }.to_owned(),
            oedema: false,
            confirmed: false,
        }
    }

    /// Sets a field; any change withdraws a confirmation.
    pub fn set(&mut self, field: &str, value: &str) {
        match field {
            "measured_on" => self.measured_on = value.trim().to_owned(),
            "weight_kg" => self.weight_kg = value.trim().to_owned(),
            "lenhei_cm" => self.lenhei_cm = value.trim().to_owned(),
            "measure" => self.measure = value.to_owned(),
            "oedema" => self.oedema = value == "yes",
            _ => return,
        }
        self.confirmed = false;
    }

    /// Clears the values to measure again.
    pub fn remeasure(&mut self) {
        self.weight_kg.clear();
        self.lenhei_cm.clear();
        self.confirmed = false;
    }

    /// The measurement and its z-scores for `child`.
    pub fn preview(&self, child: &Member) -> Preview {
        let mut errors = Vec::new();
        let measured_on = parse_date(&self.measured_on);
        if measured_on.is_none() {
            errors.push(("measured_on", text(K::InvalidDate)));
        }
        let mut num = |field: &'static str, raw: &str| -> Option<f64> {
            if raw.is_empty() {
                return None;
            }
            let v = raw.replace(',', ".").parse::<f64>().ok();
            if v.is_none() {
                errors.push((field, text(K::InvalidNumber)));
            }
            v
        };
        let (w, l) = (num("weight_kg", &self.weight_kg), num("lenhei_cm", &self.lenhei_cm));
        let weight_kg =
            w.map(WeightKg::new).transpose().map_err(|e| errors.push(("weight_kg", e.message()))).ok().flatten();
        let lenhei_cm =
            l.map(LengthCm::new).transpose().map_err(|e| errors.push(("lenhei_cm", e.message()))).ok().flatten();
        let measurement = match measured_on {
            Some(measured_on) if errors.is_empty() && (weight_kg.is_some() || lenhei_cm.is_some()) => {
                Some(Measurement {
                    measurement_id: MeasurementId(Uuid::new_v4()),
                    member_id: self.member_id,
                    measured_on,
                    weight_kg,
                    lenhei_cm,
                    measure: Position::from_code(&self.measure),
                    oedema: self.oedema,
                    measured_by: None,
                })
            }
            _ => None,
        };
        let growth = measurement.as_ref().and_then(|m| growth_of(child, m));
        let assessment = growth.as_ref().map(|g| assess(g, self.oedema)).unwrap_or_default();
        Preview { measurement, errors, growth, assessment }
    }

    /// The measurement to save: valid values, and flagged values confirmed.
    pub fn ready(&self, child: &Member) -> Option<Measurement> {
        let p = self.preview(child);
        if p.flagged() && !self.confirmed {
            return None;
        }
        p.measurement
    }
}

/// Which growth chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    /// Weight-for-age (kg), to 10 years.
    WeightForAge,
    /// Length/height-for-age (cm).
    HeightForAge,
}

/// The WHO SD lines drawn: −3, −2, 0, +2, +3.
pub const CURVES: [f64; 5] = [-3.0, -2.0, 0.0, 2.0, 3.0];

/// An SVG growth chart: the WHO curves for the child's sex over ages 0 to a little past the
/// oldest measurement, and the child's measurements as dots (red when implausible).
pub fn chart_svg(chart: Chart, child: &Member, measurements: &[&Measurement]) -> String {
    let (indicator, value): (Indicator, fn(&Measurement) -> Option<f64>) = match chart {
        Chart::WeightForAge => (Indicator::Waz, |m| m.weight_kg.map(|w| w.get())),
        Chart::HeightForAge => (Indicator::Haz, |m| m.lenhei_cm.map(|l| l.get())),
    };
    let birth = child.birth.exact_date();
    let points: Vec<(f64, f64, bool)> = measurements
        .iter()
        .filter_map(|m| {
            let days = shared::growth::age_days_between(birth?, m.measured_on)?;
            let flagged = growth_of(child, m).and_then(|g| g.z(indicator)).is_some_and(|z| z.flagged);
            Some((f64::from(days), value(m)?, flagged))
        })
        .collect();
    let oldest = points.iter().map(|p| p.0).fold(365.0, f64::max);
    let max_days =
        ((oldest * 1.25 / 365.25).ceil() * 365.25).min(if indicator == Indicator::Waz { 3652.0 } else { 6939.0 });
    let samples: Vec<u32> = (0..=60).map(|i| (max_days * f64::from(i) / 60.0) as u32).collect();
    let curves: Vec<Vec<(f64, f64)>> = CURVES
        .iter()
        .map(|k| {
            samples
                .iter()
                .filter_map(|d| value_at_z(indicator, child.sex, *d, *k).map(|v| (f64::from(*d), v)))
                .collect()
        })
        .collect();
    let all_y = curves.iter().flatten().map(|p| p.1).chain(points.iter().map(|p| p.1));
    let (lo, hi) = all_y.fold((f64::MAX, f64::MIN), |(lo, hi), y| (lo.min(y), hi.max(y)));
    // Weight from 0; height from the nearest 10 cm below the lowest curve (0 would waste half the
    // chart on lengths no child has).
    let (lo, hi) = match (lo < hi, chart) {
        (false, _) => (0.0, 1.0),
        (true, Chart::WeightForAge) => (0.0, hi.ceil()),
        (true, Chart::HeightForAge) => ((lo / 10.0).floor() * 10.0, (hi / 10.0).ceil() * 10.0),
    };
    let (w, h, pad) = (340.0, 220.0, 30.0);
    let x = |d: f64| pad + d / max_days * (w - pad - 8.0);
    let y = |v: f64| h - pad - (v - lo) / (hi - lo) * (h - pad - 8.0);
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" class="chart" role="img" data-chart="{}">"#,
        indicator.as_code()
    );
    let _ = write!(
        svg,
        r##"<rect x="{pad}" y="8" width="{}" height="{}" fill="#fff" stroke="#ccc"/>"##,
        w - pad - 8.0,
        h - pad - 8.0
    );
    for (k, curve) in CURVES.iter().zip(&curves) {
        let colour = match k.abs() as u8 {
            0 => "#2e7d32",
            2 => "#f9a825",
            _ => "#c62828",
        };
        let path: Vec<String> = curve.iter().map(|(d, v)| format!("{:.1},{:.1}", x(*d), y(*v))).collect();
        let _ =
            write!(svg, r#"<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{}"/>"#, path.join(" "));
        if let Some((d, v)) = curve.last() {
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="{:.1}" font-size="9" fill="{colour}">{}</text>"#,
                x(*d) - 14.0,
                y(*v) - 2.0,
                if *k == 0.0 { "0".to_owned() } else { format!("{k:+}") }
            );
        }
    }
    for (d, v, flagged) in &points {
        let fill = if *flagged { "#d50000" } else { "#1565c0" };
        let _ = write!(svg, r#"<circle cx="{:.1}" cy="{:.1}" r="4" fill="{fill}" class="point"/>"#, x(*d), y(*v));
    }
    let years = (max_days / 365.25).round() as u32;
    for yr in 0..=years {
        let px = x(f64::from(yr) * 365.25);
        let _ =
            write!(svg, r#"<text x="{px:.1}" y="{}" font-size="9" text-anchor="middle">{yr}</text>"#, h - pad + 12.0);
    }
    let _ = write!(
        svg,
        r#"<text x="4" y="{:.1}" font-size="9">{hi}</text><text x="4" y="{:.1}" font-size="9">{lo}</text></svg>"#,
        y(hi) + 8.0,
        y(lo)
    );
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn child(birth: &str) -> Member {
        let json = serde_json::json!({"member_id": "0193a5a2-7c1e-7b7a-9a55-0c0ffee00003", "full_name": "Trần Thị Bé",
            "sex": "female", "birth_date": birth, "relation": "child", "work": null, "health_insurance": null,
            "education": null, "in_school": null, "school_level_ok": null});
        let household = serde_json::json!({"household_id": "0193a5a2-7c1e-7b7a-9a55-0c0ffee00001",
            "area": {"province": "56", "commune": "22366", "group": "TDP-01", "urban": true}, "address": "x",
            "review_year": 2026, "interview_date": "2026-10-05", "members": [json], "dwelling": {"walls": null,
            "columns": null, "roof": null, "floor_area_m2": null}, "water_source": null, "latrine": null,
            "internet_use": null, "info_devices": {}, "income": {}, "measurements": []});
        let (h, issues) = read_household(&household);
        h.unwrap_or_else(|| panic!("{issues:?}")).members.remove(0)
    }

    #[test]
    fn a_three_year_old_weighing_1_2_kg_is_flagged_until_confirmed() {
        let c = child("2023-06-01");
        let mut form = MeasureForm::new(&c, "2026-10-01".parse().expect("date"));
        assert_eq!(form.measure, "H");
        form.set("weight_kg", "1.2");
        form.set("lenhei_cm", "95");
        let p = form.preview(&c);
        assert!(p.flagged(), "{:?}", p.assessment);
        assert!(form.ready(&c).is_none(), "flagged values wait for re-measure or confirm");
        form.confirmed = true;
        assert!(form.ready(&c).is_some());
        form.remeasure();
        assert!(form.weight_kg.is_empty() && !form.confirmed);
    }

    #[test]
    fn a_plausible_measurement_has_zscores_and_no_flag() {
        let c = child("2023-06-01");
        let mut form = MeasureForm::new(&c, "2026-10-01".parse().expect("date"));
        form.set("weight_kg", "14");
        form.set("lenhei_cm", "96,5");
        let p = form.preview(&c);
        assert!(!p.flagged());
        let g = p.growth.expect("z-scores");
        assert!(g.waz.is_some() && g.haz.is_some() && g.whz.is_some());
        assert!(form.ready(&c).is_some());
    }

    #[test]
    fn typed_nonsense_is_an_error_not_a_measurement() {
        let c = child("2023-06-01");
        let mut form = MeasureForm::new(&c, "2026-10-01".parse().expect("date"));
        form.set("weight_kg", "abc");
        form.set("lenhei_cm", "500");
        let p = form.preview(&c);
        assert_eq!(p.errors.iter().map(|e| e.0).collect::<Vec<_>>(), ["weight_kg", "lenhei_cm"]);
        assert!(p.measurement.is_none());
    }

    #[test]
    fn the_chart_draws_five_who_curves_and_every_measurement() {
        let c = child("2023-06-01");
        let mut form = MeasureForm::new(&c, "2026-10-01".parse().expect("date"));
        form.set("weight_kg", "14");
        let m = form.preview(&c).measurement.expect("measurement");
        let svg = chart_svg(Chart::WeightForAge, &c, &[&m]);
        assert_eq!(svg.matches("<polyline").count(), 5);
        assert_eq!(svg.matches("class=\"point\"").count(), 1);
    }
}
