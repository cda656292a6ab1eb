//! The one place the app reads the clock. Vietnam has a single time zone, UTC+7 with no
//! daylight saving, so "today" is the calendar date there.

use chrono::{Duration, NaiveDate, Utc};

/// Today's date in Vietnam (UTC+7).
pub fn today_in_vietnam() -> NaiveDate {
    (Utc::now() + Duration::hours(7)).date_naive()
}

/// Unix seconds now (document commit times, last sync).
pub fn now_seconds() -> i64 {
    Utc::now().timestamp()
}
