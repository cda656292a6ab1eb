//! The WHO LMS tables, compiled into the binary and parsed once on first use, and the three ways
//! of reading them (README §4): by whole day, by month with interpolation, by 0.1 cm with
//! interpolation.

use std::sync::OnceLock;

use crate::model::Sex;

/// The LMS parameters of one point of a reference curve (README "Column meanings").
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Lms {
    /// Box-Cox power (skewness).
    pub(super) l: f64,
    /// Median, in the measure's unit.
    pub(super) m: f64,
    /// Generalised coefficient of variation.
    pub(super) s: f64,
}

impl Lms {
    /// `P(lo) + f × (P(hi) − P(lo))` for each of L, M and S, in the order WHO's R code uses.
    fn lerp(self, hi: Lms, f: f64) -> Lms {
        Lms { l: self.l + f * (hi.l - self.l), m: self.m + f * (hi.m - self.m), s: self.s + f * (hi.s - self.s) }
    }
}

/// One table: for each sex, one row per step of an integer key (a day, a month, or a tenth of a
/// centimetre) from `first` on, without gaps.
#[derive(Debug)]
pub(super) struct Table {
    first: i64,
    boys: Vec<Lms>,
    girls: Vec<Lms>,
}

/// Every table of `shared/data/who-growth/` except the examples.
#[derive(Debug)]
pub(super) struct Tables {
    /// WHO 2006 weight-for-age, by day 0–1826.
    pub(super) wfa_day: Table,
    /// WHO 2006 length (days 0–730) / height (days 731–1826)-for-age, by day.
    pub(super) lhfa_day: Table,
    /// WHO 2006 BMI-for-age, by day 0–1826.
    pub(super) bmifa_day: Table,
    /// WHO 2006 weight-for-length, by 0.1 cm, 45.0–110.0 cm.
    pub(super) wfl: Table,
    /// WHO 2006 weight-for-height, by 0.1 cm, 65.0–120.0 cm.
    pub(super) wfh: Table,
    /// WHO 2007 height-for-age, by month 60–228.
    pub(super) hfa_month: Table,
    /// WHO 2007 BMI-for-age, by month 60–228.
    pub(super) bfa_month: Table,
    /// WHO 2007 weight-for-age, by month 60–120.
    pub(super) wfa_month: Table,
}

/// The tables, parsed on first use.
pub(super) fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| Tables {
        wfa_day: Table::parse(include_str!("../../data/who-growth/wfa_0_60m_by_day.csv"), 1.0),
        lhfa_day: Table::parse(include_str!("../../data/who-growth/lhfa_0_60m_by_day.csv"), 1.0),
        bmifa_day: Table::parse(include_str!("../../data/who-growth/bmifa_0_60m_by_day.csv"), 1.0),
        wfl: Table::parse(include_str!("../../data/who-growth/wfl_45_110cm.csv"), 10.0),
        wfh: Table::parse(include_str!("../../data/who-growth/wfh_65_120cm.csv"), 10.0),
        hfa_month: Table::parse(include_str!("../../data/who-growth/hfa_who2007_60_228m_by_month.csv"), 1.0),
        bfa_month: Table::parse(include_str!("../../data/who-growth/bmifa_who2007_60_228m_by_month.csv"), 1.0),
        wfa_month: Table::parse(include_str!("../../data/who-growth/wfa_who2007_60_120m_by_month.csv"), 1.0),
    })
}

impl Table {
    /// Parses an embedded table: header `sex,<key>,L,M,S[,measure]`, boys (1) then girls (2),
    /// each with consecutive keys. `key_scale` turns the key into an integer step (10 for the
    /// 0.1 cm tables). The files are part of the binary and checked by the tests, so a malformed
    /// one is a build defect, not an input error.
    fn parse(csv: &str, key_scale: f64) -> Table {
        let mut table = Table { first: i64::MAX, boys: Vec::new(), girls: Vec::new() };
        for line in csv.lines().skip(1).filter(|line| !line.is_empty()) {
            let fields: Vec<&str> = line.split(',').collect();
            let number = |i: usize| -> f64 {
                fields
                    .get(i)
                    .and_then(|field| field.parse().ok())
                    .expect("invariant: embedded WHO tables have numeric sex, key, L, M, S")
            };
            let key = (number(1) * key_scale).round() as i64;
            let rows = if number(0) == 1.0 { &mut table.boys } else { &mut table.girls };
            if rows.is_empty() {
                table.first = table.first.min(key);
            }
            assert_eq!(
                key,
                table.first + rows.len() as i64,
                "invariant: embedded WHO tables start at the same key for both sexes and have no gaps",
            );
            rows.push(Lms { l: number(2), m: number(3), s: number(4) });
        }
        assert_eq!(table.boys.len(), table.girls.len(), "invariant: as many rows for girls as for boys");
        table
    }

    /// The row with integer key `key`, if the table has it.
    pub(super) fn row(&self, sex: Sex, key: i64) -> Option<Lms> {
        let rows = match sex {
            Sex::Male => &self.boys,
            Sex::Female => &self.girls,
        };
        let index = usize::try_from(key.checked_sub(self.first)?).ok()?;
        rows.get(index).copied()
    }

    /// The first and last key, inclusive.
    #[cfg(test)]
    pub(super) fn key_range(&self) -> (i64, i64) {
        (self.first, self.first + self.boys.len() as i64 - 1)
    }

    /// The row of a whole day of age (README §4: one row per day, no interpolation).
    pub(super) fn at_day(&self, sex: Sex, age_days: u32) -> Option<Lms> {
        self.row(sex, i64::from(age_days))
    }

    /// The parameters at an age in months, interpolated linearly between whole months
    /// (README §4, `anthroplus/R/zscores.R` `zscore_indicator`): `lo = floor(age_months)`,
    /// `f = age_months − lo`; at a whole month the row `lo` itself.
    pub(super) fn at_month(&self, sex: Sex, age_months: f64) -> Option<Lms> {
        if !age_months.is_finite() || age_months < 0.0 {
            return None;
        }
        let lo = age_months.floor();
        self.interpolate(sex, lo as i64, age_months - lo)
    }

    /// The parameters at a length/height, interpolated linearly between 0.1 cm rows (README §4,
    /// `anthro/R/z-score-weight-for-lenhei.R`). `lo` is computed in integer tenths with a 1e-9
    /// guard, so that 85.3 is not read as 85.2999…; a `clenhei` a hair below a grid point (84.3 +
    /// 0.7 = 84.99999999999999) then gives `f ≤ 0` and the row itself.
    pub(super) fn at_lenhei(&self, sex: Sex, clenhei_cm: f64) -> Option<Lms> {
        if !clenhei_cm.is_finite() || clenhei_cm < 0.0 {
            return None;
        }
        let lo_tenths = (clenhei_cm * 10.0 + 1e-9).floor();
        let f = (clenhei_cm - lo_tenths / 10.0) / 0.1;
        self.interpolate(sex, lo_tenths as i64, f)
    }

    /// Row `lo`, moved a fraction `f` of the way towards row `lo + 1`; row `lo` alone when
    /// `f ≤ 0`, as in WHO's code (`diff > 0` selects interpolation).
    fn interpolate(&self, sex: Sex, lo: i64, f: f64) -> Option<Lms> {
        let low = self.row(sex, lo)?;
        if f > 0.0 { Some(low.lerp(self.row(sex, lo.checked_add(1)?)?, f)) } else { Some(low) }
    }
}
