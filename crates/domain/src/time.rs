//! Việt Nam's time zone (`Asia/Ho_Chi_Minh`): UTC+7 all year, no daylight saving.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// UTC+7.
pub const VIETNAM: FixedOffset = match FixedOffset::east_opt(7 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+7 is a valid offset"),
};

/// The date in Việt Nam at `now`.
pub fn today_in_vietnam(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&VIETNAM).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_turns_at_midnight_in_viet_nam() {
        let before = "2026-11-26T16:59:59Z"
            .parse::<DateTime<Utc>>()
            .expect("time");
        let after = "2026-11-26T17:00:00Z"
            .parse::<DateTime<Utc>>()
            .expect("time");
        assert_eq!(today_in_vietnam(before).to_string(), "2026-11-26");
        assert_eq!(today_in_vietnam(after).to_string(), "2026-11-27");
    }
}
