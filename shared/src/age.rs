//! Ages as the poverty standard counts them: completed months and years on a reference date.
//!
//! Poverty standard §4 "Precise readings — Ages": a person completes a month on the same
//! day-of-month as their birth, or on the last day of a shorter month (born 31 January →
//! completes a month on 28/29 February; born 29 February → completes the year on 28 February in
//! a non-leap year). Completed years are completed months ÷ 12, so both rules agree.

use chrono::{Datelike, NaiveDate};

/// Completed months of age on `on`; `None` when `on` is before `birth`.
pub fn completed_months(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    if on < birth {
        return None;
    }
    let mut months = (on.year() - birth.year()) * 12 + on.month() as i32 - birth.month() as i32;
    let anniversary_day = birth.day().min(days_in_month(on.year(), on.month()));
    if on.day() < anniversary_day {
        months -= 1;
    }
    u32::try_from(months).ok()
}

/// Completed years of age on `on`; `None` when `on` is before `birth`.
pub fn completed_years(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    completed_months(birth, on).map(|m| m / 12)
}

/// The number of days in a month of the proleptic Gregorian calendar.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    let (next_year, next_month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(next_year, next_month, 1)
        .and_then(|first_of_next| first_of_next.pred_opt())
        .map_or(31, |last| last.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    fn check_years(birth: &str, on: &str, expected: Option<u32>) {
        assert_eq!(completed_years(d(birth), d(on)), expected, "born {birth}, on {on}");
    }

    fn check_months(birth: &str, on: &str, expected: Option<u32>) {
        assert_eq!(completed_months(d(birth), d(on)), expected, "born {birth}, on {on}");
    }

    #[test]
    fn birthday_completes_the_year_on_the_day() {
        check_years("2010-10-05", "2026-10-05", Some(16));
        check_years("2010-10-05", "2026-10-04", Some(15));
        check_years("2010-10-05", "2010-10-05", Some(0));
        check_years("2010-10-05", "2010-10-04", None);
    }

    #[test]
    fn leap_day_birth_completes_the_year_on_28_february() {
        check_years("2008-02-29", "2026-02-28", Some(18));
        check_years("2008-02-29", "2026-02-27", Some(17));
        check_years("2008-02-29", "2028-02-28", Some(19));
        check_years("2008-02-29", "2028-02-29", Some(20));
    }

    #[test]
    fn month_end_birth_completes_months_at_shorter_month_ends() {
        check_months("2026-01-31", "2026-02-28", Some(1));
        check_months("2026-01-31", "2026-02-27", Some(0));
        check_months("2024-01-31", "2024-02-29", Some(1));
        check_months("2026-01-31", "2026-04-30", Some(3));
        check_months("2026-01-31", "2026-03-30", Some(1));
    }

    #[test]
    fn days_in_month_knows_leap_years() {
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2100, 2), 28);
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(2026, 12), 31);
    }
}
