//! How the app writes dates and times for a Vietnamese officer: in `Asia/Ho_Chi_Minh`
//! (UTC+7 all year, no daylight saving), day first; and the texts several screens share. Names of units and committees are the
//! API's (`fullName`, `committeeName`): the app keeps no copy of the naming rules.

/// The server's rule for a password an officer chooses, told before they type (the server
/// checks it, and says beside the field what it found wrong).
pub const PASSWORD_RULE: &str = "Mật khẩu cần ít nhất 10 ký tự và khó đoán: tránh dãy số, \
    ngày sinh, tên đăng nhập, tên đơn vị hay từ thông dụng.";

/// Vietnam's offset from UTC, in seconds; it has had no daylight saving since 1975.
const VIETNAM_OFFSET_SECS: i64 = 7 * 3600;

/// Seconds since the Unix epoch of an RFC 3339 timestamp such as `2026-11-26T07:05:00Z` or
/// `2026-11-26T14:05:00.123+07:00`.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() < 20 || bytes[4] != b'-' || bytes[7] != b'-' || bytes[13] != b':' {
        return None;
    }
    if !matches!(bytes[10], b'T' | b't' | b' ') || bytes[16] != b':' {
        return None;
    }
    let number =
        |range: std::ops::Range<usize>| -> Option<i64> { text.get(range)?.parse::<i64>().ok() };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        rest = &fraction[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hours = rest.get(1..3)?.parse::<i64>().ok()?;
            let minutes = rest.get(4..6)?.parse::<i64>().ok()?;
            if rest.len() != 6 || rest.as_bytes()[3] != b':' {
                return None;
            }
            sign * (hours * 3600 + minutes * 60)
        }
    };
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01: (year, month, day).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// "dd/mm/yyyy HH:MM" in Vietnam's time of an RFC 3339 timestamp; the text itself when it
/// does not parse, so nothing is silently hidden.
pub fn format_datetime(text: &str) -> String {
    let Some(secs) = parse_rfc3339(text) else {
        return text.to_owned();
    };
    let local = secs + VIETNAM_OFFSET_SECS;
    let (year, month, day) = civil_from_days(local.div_euclid(86_400));
    let of_day = local.rem_euclid(86_400);
    format!(
        "{day:02}/{month:02}/{year:04} {:02}:{:02}",
        of_day / 3600,
        of_day % 3600 / 60
    )
}

/// "dd/mm/yyyy" in Vietnam's time.
pub fn format_date(text: &str) -> String {
    let full = format_datetime(text);
    match full.split_once(' ') {
        Some((date, _)) => date.to_owned(),
        None => full,
    }
}

/// "dd/mm/yyyy" of a calendar day written `YYYY-MM-DD`; the text itself otherwise.
pub fn format_day(text: &str) -> String {
    let mut parts = text.splitn(3, '-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(d)) if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            format!("{d}/{m}/{y}")
        }
        _ => text.to_owned(),
    }
}

/// "dd/mm" of a calendar day written `YYYY-MM-DD`, for chart axes; the text itself otherwise.
pub fn day_month(text: &str) -> String {
    let full = format_day(text);
    match full.get(..5) {
        Some(short) if full.len() == 10 => short.to_owned(),
        _ => full,
    }
}

/// The moment a day typed `dd/mm/yyyy` (or `yyyy-mm-dd`, as a date input gives it) starts
/// in Vietnam, `days_after` days later, as an RFC 3339 timestamp in UTC: a `DateTime` bound
/// for the API. `None` when the text is no real day.
pub fn vietnam_day_start(text: &str, days_after: i64) -> Option<String> {
    let text = text.trim();
    let parts: Vec<&str> = text.split(['/', '-']).collect();
    let [first, middle, last] = parts.as_slice() else {
        return None;
    };
    let (year, month, day) = if first.len() == 4 {
        (first, middle, last)
    } else {
        (last, middle, first)
    };
    if year.len() != 4 || month.is_empty() || month.len() > 2 || day.is_empty() || day.len() > 2 {
        return None;
    }
    let number = |t: &str| {
        t.parse::<i64>()
            .ok()
            .filter(|_| t.bytes().all(|b| b.is_ascii_digit()))
    };
    let (year, month, day) = (number(year)?, number(month)?, number(day)?);
    if !(1..=12).contains(&month) || day < 1 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    // 31/02 and the like are no day.
    if civil_from_days(days) != (year, month, day) {
        return None;
    }
    let secs = (days + days_after) * 86_400 - VIETNAM_OFFSET_SECS;
    let (utc_year, utc_month, utc_day) = civil_from_days(secs.div_euclid(86_400));
    let of_day = secs.rem_euclid(86_400);
    Some(format!(
        "{utc_year:04}-{utc_month:02}-{utc_day:02}T{:02}:{:02}:00Z",
        of_day / 3600,
        of_day % 3600 / 60
    ))
}

/// The calendar day `days_after` days after the day it is in Vietnam at `now_secs` (seconds
/// since the Unix epoch), written `YYYY-MM-DD` as the API's `Date` takes it.
pub fn vietnam_day(now_secs: i64, days_after: i64) -> String {
    let (year, month, day) =
        civil_from_days((now_secs + VIETNAM_OFFSET_SECS).div_euclid(86_400) + days_after);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The day `days_after` days from today in Vietnam, by the browser's clock.
pub fn vietnam_today(days_after: i64) -> String {
    #[expect(
        clippy::cast_possible_truncation,
        reason = "milliseconds since 1970 fit"
    )]
    let now = (js_sys::Date::now() / 1000.0) as i64;
    vietnam_day(now, days_after)
}

/// A day typed `dd/mm/yyyy` (or `yyyy-mm-dd`) as the API's `Date` (`YYYY-MM-DD`); `None`
/// when the text is no real day.
pub fn parse_day(text: &str) -> Option<String> {
    let start = vietnam_day_start(text, 0)?;
    let secs = parse_rfc3339(&start)?;
    Some(vietnam_day(secs, 0))
}

/// An RFC 3339 timestamp in UTC of `secs` seconds since the Unix epoch.
fn utc_rfc3339(secs: i64) -> String {
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let of_day = secs.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// "dd/mm/yyyy HH:MM" in Vietnam, `hours_after` hours from now by the browser's clock: a
/// form's default moment.
pub fn vietnam_now_text(hours_after: i64) -> String {
    #[expect(
        clippy::cast_possible_truncation,
        reason = "milliseconds since 1970 fit"
    )]
    let now = (js_sys::Date::now() / 1000.0) as i64;
    format_datetime(&utc_rfc3339(now + hours_after * 3600))
}

/// A moment typed `dd/mm/yyyy HH:MM` (or `yyyy-mm-ddTHH:MM`, as a date-time input gives it)
/// in Vietnam's time, as an RFC 3339 timestamp in UTC for the API. Without a time, the day
/// at `default_minutes` after midnight. `None` when the text is no real moment.
pub fn parse_vietnam_datetime(text: &str, default_minutes: i64) -> Option<String> {
    let text = text.trim();
    let (day, time) = match text.split_once(['T', ' ']) {
        Some((day, time)) => (day, Some(time.trim())),
        None => (text, None),
    };
    let start = parse_rfc3339(&vietnam_day_start(day, 0)?)?;
    let minutes = match time {
        None | Some("") => default_minutes,
        Some(time) => {
            let (hours, mins) = time.split_once([':', 'h', 'g'])?;
            let number = |t: &str| {
                let t = t.trim();
                (!t.is_empty() && t.len() <= 2 && t.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| t.parse::<i64>().ok())
                    .flatten()
            };
            let hours = number(hours)?;
            let mins = if mins.trim().is_empty() {
                0
            } else {
                number(mins)?
            };
            if hours > 23 || mins > 59 {
                return None;
            }
            hours * 60 + mins
        }
    };
    Some(utc_rfc3339(start + minutes * 60))
}

/// A share 0–1 as officers read it: "94,1%" (one decimal, a decimal comma; "100%" and
/// "0%" without one).
pub fn percent(share: f64) -> String {
    // In tenths of a percent, written without float formatting (which would weigh on the
    // app's size).
    let tenths = whole(share * 1000.0);
    match (tenths / 10, (tenths % 10).abs()) {
        (units, 0) => format!("{units}%"),
        (units, tenth) => format!("{units},{tenth}%"),
    }
}

/// `value` rounded to the nearest whole number (half away from zero).
#[expect(
    clippy::cast_possible_truncation,
    reason = "shares and chart coordinates, far within i64"
)]
pub fn whole(value: f64) -> i64 {
    value.round() as i64
}

/// A whole number as officers read it, thousands apart with dots: "1.250".
pub fn thousands(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A figure with one decimal and a decimal comma ("2,5"; "3" without one), thousands
/// apart with dots.
pub fn decimal(value: f64) -> String {
    let tenths = whole(value * 10.0);
    let sign = if tenths < 0 { "-" } else { "" };
    match (tenths.abs() / 10, tenths.abs() % 10) {
        (units, 0) => format!("{sign}{}", thousands(units)),
        (units, tenth) => format!("{sign}{},{tenth}", thousands(units)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_shares_read_as_in_vietnam() {
        // 2026-11-26T18:00:00Z is already 27/11 in Vietnam.
        let secs = parse_rfc3339("2026-11-26T18:00:00Z").expect("parses");
        assert_eq!(vietnam_day(secs, 0), "2026-11-27");
        assert_eq!(vietnam_day(secs, 7), "2026-12-04");
        assert_eq!(parse_day("04/12/2026").as_deref(), Some("2026-12-04"));
        assert_eq!(parse_day("2026-12-04").as_deref(), Some("2026-12-04"));
        assert_eq!(day_month("2026-12-04"), "04/12");
        assert_eq!(day_month("tuần 1"), "tuần 1");
        assert_eq!(parse_day("31/02/2026"), None);
        assert_eq!(percent(16.0 / 17.0), "94,1%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(0.7), "70%");
    }

    #[test]
    fn timestamps_parse_with_any_offset() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("1970-01-01T07:00:00+07:00"), Some(0));
        assert_eq!(
            parse_rfc3339("2026-11-26T07:05:00.123456Z"),
            Some(1_795_676_700)
        );
        assert_eq!(parse_rfc3339("not a date"), None);
        assert_eq!(parse_rfc3339("2026-13-01T00:00:00Z"), None);
    }

    #[test]
    fn times_are_shown_in_vietnam() {
        assert_eq!(format_datetime("2026-11-26T07:05:00Z"), "26/11/2026 14:05");
        assert_eq!(format_datetime("2026-12-31T17:30:00Z"), "01/01/2027 00:30");
        assert_eq!(format_date("2024-02-29T10:00:00+07:00"), "29/02/2024");
        assert_eq!(format_datetime("garbage"), "garbage");
    }

    #[test]
    fn a_day_typed_starts_at_midnight_in_vietnam() {
        assert_eq!(
            vietnam_day_start("27/11/2026", 0).as_deref(),
            Some("2026-11-26T17:00:00Z")
        );
        assert_eq!(
            vietnam_day_start("2026-11-27", 0).as_deref(),
            Some("2026-11-26T17:00:00Z")
        );
        assert_eq!(
            vietnam_day_start(" 1/1/2027 ", 0).as_deref(),
            Some("2026-12-31T17:00:00Z")
        );
        // The day after: the end of a range that includes the day typed.
        assert_eq!(
            vietnam_day_start("31/12/2026", 1).as_deref(),
            Some("2026-12-31T17:00:00Z")
        );
        assert_eq!(vietnam_day_start("31/02/2026", 0), None);
        assert_eq!(vietnam_day_start("27/11/26", 0), None);
        assert_eq!(vietnam_day_start("hôm qua", 0), None);
        assert_eq!(vietnam_day_start("", 0), None);
    }

    #[test]
    fn a_moment_typed_is_read_in_vietnam() {
        assert_eq!(
            parse_vietnam_datetime("27/11/2026 17:30", 0).as_deref(),
            Some("2026-11-27T10:30:00Z")
        );
        assert_eq!(
            parse_vietnam_datetime("2026-11-27T06:05", 0).as_deref(),
            Some("2026-11-26T23:05:00Z")
        );
        // A day alone: the time given.
        assert_eq!(
            parse_vietnam_datetime("28/11/2026", 23 * 60 + 59).as_deref(),
            Some("2026-11-28T16:59:00Z")
        );
        assert_eq!(parse_vietnam_datetime("28/11/2026 25:00", 0), None);
        assert_eq!(parse_vietnam_datetime("hôm nay", 0), None);
        // What the app writes, it reads back.
        let at = parse_vietnam_datetime("01/12/2026 08:15", 0).expect("parses");
        assert_eq!(format_datetime(&at), "01/12/2026 08:15");
    }

    #[test]
    fn days_are_written_day_first() {
        assert_eq!(format_day("2026-11-27"), "27/11/2026");
        assert_eq!(format_day("27/11/2026"), "27/11/2026");
    }
}
