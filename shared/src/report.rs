//! The ward's report tables (standard §8) as data: which rows and columns each table has and
//! how its percentages are computed, so every export (XLSX, CSV, screen) shows the same
//! figures under the same Vietnamese headings.

use crate::model::Category;
use crate::text::Text;

/// Table 1's columns after the residential group: the categories counted (§8.1).
pub const RESULT_CATEGORIES: [Category; 5] =
    [Category::Poor, Category::NearPoor, Category::Average, Category::NotPoor, Category::Undetermined];

/// One row of tables 4–7: deprivation on one indicator among poor and near-poor households.
#[derive(Debug, Clone, PartialEq)]
pub struct DeprivationRow {
    /// Indicator number.
    pub number: u8,
    /// Indicator name.
    pub name: Text,
    /// Poor households deprived on it.
    pub poor: i64,
    /// Their share of poor households, percent (`None` when there are none).
    pub poor_percent: Option<f64>,
    /// Near-poor households deprived on it.
    pub near_poor: i64,
    /// Their share of near-poor households, percent.
    pub near_poor_percent: Option<f64>,
}

/// Tables 4–7 (§8): for each indicator, deprived counts and shares among poor and near-poor
/// households. `poor` and `near_poor` are (indicator number, deprived count) pairs.
pub fn deprivation_table(
    indicators: &[(u8, Text)],
    poor: &[(i64, i64)],
    poor_total: i64,
    near_poor: &[(i64, i64)],
    near_poor_total: i64,
) -> Vec<DeprivationRow> {
    let count = |rows: &[(i64, i64)], n: u8| rows.iter().find(|(m, _)| *m == i64::from(n)).map_or(0, |(_, c)| *c);
    indicators
        .iter()
        .map(|(n, name)| {
            let (p, np) = (count(poor, *n), count(near_poor, *n));
            DeprivationRow {
                number: *n,
                name: name.clone(),
                poor: p,
                poor_percent: crate::plan::share(p, poor_total),
                near_poor: np,
                near_poor_percent: crate::plan::share(np, near_poor_total),
            }
        })
        .collect()
}

/// The headings of the household lists (tables 12–15 and the filtered list), Vietnamese and
/// English, in column order.
pub fn list_headings() -> Vec<Text> {
    [
        ("STT", "No."),
        ("Mã hộ", "Code"),
        ("Họ tên chủ hộ", "Head of household"),
        ("Địa chỉ", "Address"),
        ("Tổ dân phố", "Residential group"),
        ("Số nhân khẩu", "Members"),
        ("Phân loại", "Category"),
        ("Số chỉ số thiếu hụt", "Deprivations"),
        ("Phân loại năm trước", "Last year's category"),
        ("Trạng thái rà soát", "Review status"),
    ]
    .into_iter()
    .map(|(vi, en)| Text::new(vi, en))
    .collect()
}

/// Households counted by their standing in the two review years: last year's category
/// (`None`: on no list), this year's (`None`: not classified yet), whether the household is
/// poor again after a recognised escape ([`crate::poverty::Transition::Relapsed`]), and how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandingCount {
    /// Last year's category.
    pub previous: Option<Category>,
    /// This year's category.
    pub current: Option<Category>,
    /// Poor again after a recognised escape.
    pub relapsed: bool,
    /// Households.
    pub households: i64,
}

/// One row of tables 2–3 (§8.2, §8.3): how one list (poor, or near-poor) changed over the year.
/// `end = start − escaped − worsened − undetermined + fell_in + relapsed + improved_in`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearChanges {
    /// On the list at the start of the year (last year's result).
    pub start: i64,
    /// Left it for a better standing (poor → near-poor, average or not poor; near-poor →
    /// average or not poor).
    pub escaped: i64,
    /// Left it for a worse standing (near-poor → poor).
    pub worsened: i64,
    /// On it last year, not classified yet this year.
    pub undetermined: i64,
    /// Newly on it from a better standing or from no list (not a relapse).
    pub fell_in: i64,
    /// Poor again after a recognised escape (poor list only).
    pub relapsed: i64,
    /// On it from a worse standing (poor → near-poor, near-poor list only).
    pub improved_in: i64,
    /// On the list now.
    pub end: i64,
}

impl YearChanges {
    /// `part` as a percentage of the start of the year (`None` when the list was empty).
    pub fn percent_of_start(&self, part: i64) -> Option<f64> {
        crate::plan::share(part, self.start)
    }
}

/// Rank of a standing: lower is worse. Average and not poor are both "off the lists" (§6).
fn rank(c: Option<Category>) -> u8 {
    match c {
        Some(Category::Poor) => 0,
        Some(Category::NearPoor) => 1,
        _ => 2,
    }
}

/// Tables 2–3 (§8.2–8.3): the changes of `list` (`Category::Poor` or `Category::NearPoor`)
/// over the year, from households counted by standing. A household undetermined last year
/// counts as on no list (as in the transitions of §6).
pub fn year_changes(list: Category, counts: &[StandingCount]) -> YearChanges {
    let mut out = YearChanges::default();
    for c in counts {
        let previous = c.previous.filter(|p| *p != Category::Undetermined);
        let current = c.current;
        let was = previous == Some(list);
        let is = current == Some(list);
        let n = c.households;
        if was {
            out.start += n;
        }
        if is {
            out.end += n;
        }
        match (was, is) {
            (true, false) => match current {
                None | Some(Category::Undetermined) => out.undetermined += n,
                _ if rank(current) > rank(Some(list)) => out.escaped += n,
                _ => out.worsened += n,
            },
            (false, true) if list == Category::Poor && c.relapsed => out.relapsed += n,
            (false, true) if rank(previous) > rank(Some(list)) => out.fell_in += n,
            (false, true) => out.improved_in += n,
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standing(
        previous: Option<Category>,
        current: Option<Category>,
        relapsed: bool,
        households: i64,
    ) -> StandingCount {
        StandingCount { previous, current, relapsed, households }
    }

    #[test]
    fn year_changes_follow_each_household_and_add_up() {
        use Category::*;
        let counts = vec![
            standing(Some(Poor), Some(Poor), false, 10),
            standing(Some(Poor), Some(NearPoor), false, 3),
            standing(Some(Poor), Some(NotPoor), false, 2),
            standing(Some(Poor), Some(Undetermined), false, 1),
            standing(Some(Poor), None, false, 1),
            standing(Some(NearPoor), Some(Poor), false, 4),
            standing(Some(NearPoor), Some(NearPoor), false, 6),
            standing(Some(NearPoor), Some(Average), false, 5),
            standing(None, Some(Poor), false, 2),
            standing(Some(NotPoor), Some(Poor), true, 1),
            standing(None, Some(NearPoor), false, 7),
            standing(Some(Undetermined), Some(NearPoor), false, 1),
            standing(Some(Average), Some(Average), false, 50),
        ];
        let poor = year_changes(Poor, &counts);
        assert_eq!(
            poor,
            YearChanges {
                start: 17,
                escaped: 5,
                worsened: 0,
                undetermined: 2,
                fell_in: 6,
                relapsed: 1,
                improved_in: 0,
                end: 17
            }
        );
        let near = year_changes(NearPoor, &counts);
        assert_eq!(
            near,
            YearChanges {
                start: 15,
                escaped: 5,
                worsened: 4,
                undetermined: 0,
                fell_in: 8,
                relapsed: 0,
                improved_in: 3,
                end: 17
            }
        );
        for t in [poor, near] {
            assert_eq!(
                t.end,
                t.start - t.escaped - t.worsened - t.undetermined + t.fell_in + t.relapsed + t.improved_in
            );
        }
        assert_eq!(year_changes(Poor, &[]).percent_of_start(0), None);
        assert_eq!(year_changes(Poor, &counts).percent_of_start(5).map(|p| (p * 10.0).round() / 10.0), Some(29.4));
    }

    #[test]
    fn deprivation_shares_are_of_each_category() {
        let names = vec![(1, Text::new("Việc làm", "Employment")), (4, Text::new("BHYT", "Insurance"))];
        let rows = deprivation_table(&names, &[(1, 5), (4, 10)], 20, &[(4, 3)], 0);
        assert_eq!(rows[0].poor_percent, Some(25.0));
        assert_eq!(rows[1].poor, 10);
        assert_eq!(rows[1].near_poor_percent, None);
        assert_eq!(list_headings().len(), 10);
    }
}
