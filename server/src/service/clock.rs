//! The one place the `rasoat` command reads the clock. Vietnam has a single time zone,
//! UTC+7 with no daylight saving, so "today" is the calendar date there, wherever the server
//! runs.

use chrono::{Duration, NaiveDate, Utc};

/// Today's date in Vietnam (UTC+7).
pub fn today_in_vietnam() -> NaiveDate {
    (Utc::now() + Duration::hours(7)).date_naive()
}
