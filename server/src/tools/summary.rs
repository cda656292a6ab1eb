//! The readable ward summary of `rasoat classify --summary`: categories per residential group,
//! deprivations among poor and near-poor households, transitions (standard §8, reports 1–7).

use std::collections::BTreeMap;
use std::fmt::Write;

use shared::model::{Category, Household};
use shared::poverty::{Classification, PovertyStandard, Status, Transition};

/// Counts accumulated over a ward's classifications.
#[derive(Debug, Default)]
pub struct WardSummary {
    /// Households classified.
    pub households: usize,
    /// Persons in classified households.
    pub persons: usize,
    /// Lines rejected (errors).
    pub rejected: usize,
    /// Per residential group: households per category.
    pub by_group: BTreeMap<String, BTreeMap<Category, usize>>,
    /// Whole ward: households per category.
    pub by_category: BTreeMap<Category, usize>,
    /// Among poor + near-poor: households deprived on each indicator (by number).
    pub deprived_poor_near: BTreeMap<u8, usize>,
    /// Transitions from last year.
    pub transitions: BTreeMap<&'static str, usize>,
    /// Households still missing answers: indicator number → households unknown on it.
    pub unknown: BTreeMap<u8, usize>,
}

impl WardSummary {
    /// Adds one classified household.
    pub fn add(&mut self, h: &Household, c: &Classification) {
        self.households += 1;
        self.persons += h.members.len();
        *self.by_category.entry(c.category).or_default() += 1;
        *self.by_group.entry(h.area.group.to_string()).or_default().entry(c.category).or_default() += 1;
        if matches!(c.category, Category::Poor | Category::NearPoor) {
            for i in c.indicators.iter().filter(|i| i.status == Status::Deprived) {
                *self.deprived_poor_near.entry(i.number).or_default() += 1;
            }
        }
        for i in c.indicators.iter().filter(|i| i.status == Status::Unknown) {
            *self.unknown.entry(i.number).or_default() += 1;
        }
        if let Some(t) = c.transition {
            *self.transitions.entry(t.as_code()).or_default() += 1;
        }
    }

    /// The summary as text tables, Vietnamese headings with English.
    pub fn render(&self, standard: &PovertyStandard) -> String {
        let mut s = String::new();
        let cats = [Category::Poor, Category::NearPoor, Category::Average, Category::NotPoor, Category::Undetermined];
        let pct = |n: usize, of: usize| if of == 0 { 0.0 } else { 100.0 * n as f64 / of as f64 };
        let _ = writeln!(
            s,
            "KẾT QUẢ RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO / Review results — chuẩn {}{}",
            standard.id,
            if standard.provisional { " (tạm thời / provisional)" } else { "" }
        );
        let _ = writeln!(
            s,
            "Số hộ / households: {}   Số nhân khẩu / persons: {}   Dòng lỗi / rejected lines: {}\n",
            self.households, self.persons, self.rejected
        );
        let _ = writeln!(s, "{:<52} {:>7} {:>7}", "Phân loại / category", "hộ", "%");
        for c in cats {
            let n = self.by_category.get(&c).copied().unwrap_or(0);
            let label = c.label();
            let _ = writeln!(
                s,
                "{:<52} {:>7} {:>6.1}%",
                format!("{} / {}", label.vi, label.en),
                n,
                pct(n, self.households)
            );
        }
        let _ = writeln!(s, "\nTheo tổ dân phố / by residential group");
        let _ = writeln!(
            s,
            "{:<12} {:>6} {:>9} {:>9} {:>8} {:>9}",
            "tổ / group", "nghèo", "cận nghèo", "trung bình", "khác", "chưa đủ"
        );
        for (group, counts) in &self.by_group {
            let n = |c| counts.get(&c).copied().unwrap_or(0);
            let _ = writeln!(
                s,
                "{:<12} {:>6} {:>9} {:>9} {:>8} {:>9}",
                group,
                n(Category::Poor),
                n(Category::NearPoor),
                n(Category::Average),
                n(Category::NotPoor),
                n(Category::Undetermined)
            );
        }
        let poor_near = self.by_category.get(&Category::Poor).copied().unwrap_or(0)
            + self.by_category.get(&Category::NearPoor).copied().unwrap_or(0);
        let _ = writeln!(
            s,
            "\nThiếu hụt trong hộ nghèo và cận nghèo ({poor_near} hộ) / deprivations among poor and near-poor households"
        );
        for spec in &standard.indicators {
            let n = self.deprived_poor_near.get(&spec.number).copied().unwrap_or(0);
            let _ = writeln!(
                s,
                "{:>3}. {:<44} {:>6} {:>6.1}%   chưa rõ (mọi hộ) / unknown (all households): {}",
                spec.number,
                spec.name.vi,
                n,
                pct(n, poor_near),
                self.unknown.get(&spec.number).copied().unwrap_or(0)
            );
        }
        if !self.transitions.is_empty() {
            let _ = writeln!(s, "\nBiến động so với năm trước / transitions from last year");
            for t in [
                Transition::EscapedPoverty,
                Transition::EscapedNearPoverty,
                Transition::FellIntoPoverty,
                Transition::Relapsed,
                Transition::NewNearPoor,
                Transition::Unchanged,
            ] {
                let _ =
                    writeln!(s, "  {:<24} {:>6}", t.as_code(), self.transitions.get(t.as_code()).copied().unwrap_or(0));
            }
        }
        s
    }
}
