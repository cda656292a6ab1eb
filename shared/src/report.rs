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

#[cfg(test)]
mod tests {
    use super::*;

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
