//! The survey's calendar. The day a response is counted on, an invitation is
//! made or a unit is shown in force is the day in Vietnam (UTC+07:00, no
//! daylight saving), whatever time zone the server runs in: a citizen who
//! answers at 6 in the morning in Hà Nội is counted on that day, not on the
//! day before as UTC would have it.
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// Vietnam's offset from UTC, in seconds.
const VIETNAM: i32 = 7 * 3600;

/// Today in Vietnam.
pub fn today() -> NaiveDate {
    day_of(Utc::now())
}

/// The day in Vietnam at the instant `at`.
fn day_of(at: DateTime<Utc>) -> NaiveDate {
    let offset = FixedOffset::east_opt(VIETNAM).expect("a valid offset");
    at.with_timezone(&offset).date_naive()
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    #[test]
    fn an_early_morning_answer_in_hanoi_is_counted_on_its_own_day() {
        // 23:30 UTC on 1 July is 06:30 on 2 July in Hà Nội; 16:59 UTC is
        // still 23:59 of the same day there.
        let early = Utc.with_ymd_and_hms(2025, 7, 1, 23, 30, 0).unwrap();
        assert_eq!(super::day_of(early).to_string(), "2025-07-02");
        let late = Utc.with_ymd_and_hms(2025, 7, 1, 16, 59, 0).unwrap();
        assert_eq!(super::day_of(late).to_string(), "2025-07-01");
    }
}
