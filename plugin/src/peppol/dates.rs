//! Dates and times of a Peppol document: `cbc:IssueDate` and `cbc:IssueTime` from the envelope's
//! timestamp, and the end of the cart's validity a number of days later.
//!
//! Only whole days are added to a proleptic Gregorian date, so the days-from-civil conversion
//! (H. Hinnant's algorithm) is all the calendar arithmetic the engine needs.

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Reads `YYYY-MM-DD` (years 1000 to 9999, a day that exists in its month).
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<u16> {
            let part = text.get(range)?;
            part.bytes()
                .all(|byte| byte.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let year = number(0..4)?;
        let month = u8::try_from(number(5..7)?).ok()?;
        let day = u8::try_from(number(8..10)?).ok()?;
        let date = Date { year, month, day };
        (year >= 1000 && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(date)
    }

    /// The date `days` days later, if it stays within year 9999.
    pub fn add_days(self, days: u16) -> Option<Date> {
        let from = days_from_civil(self)?;
        civil_from_days(from.checked_add(i64::from(days))?)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01.
fn days_from_civil(date: Date) -> Option<i64> {
    let month = i64::from(date.month);
    let year = i64::from(date.year).checked_sub(i64::from(month <= 2))?;
    let era = year.div_euclid(400);
    let year_of_era = year.checked_sub(era.checked_mul(400)?)?;
    let shifted_month = if month > 2 {
        month.checked_sub(3)?
    } else {
        month.checked_add(9)?
    };
    let day_of_year = shifted_month
        .checked_mul(153)?
        .checked_add(2)?
        .checked_div(5)?
        .checked_add(i64::from(date.day))?
        .checked_sub(1)?;
    let day_of_era = year_of_era
        .checked_mul(365)?
        .checked_add(year_of_era.checked_div(4)?)?
        .checked_sub(year_of_era.checked_div(100)?)?
        .checked_add(day_of_year)?;
    era.checked_mul(146_097)?
        .checked_add(day_of_era)?
        .checked_sub(719_468)
}

fn civil_from_days(days: i64) -> Option<Date> {
    let z = days.checked_add(719_468)?;
    let era = z.div_euclid(146_097);
    let day_of_era = z.checked_sub(era.checked_mul(146_097)?)?;
    let year_of_era = day_of_era
        .checked_sub(day_of_era.checked_div(1460)?)?
        .checked_add(day_of_era.checked_div(36_524)?)?
        .checked_sub(day_of_era.checked_div(146_096)?)?
        .checked_div(365)?;
    let day_of_year = day_of_era.checked_sub(
        year_of_era
            .checked_mul(365)?
            .checked_add(year_of_era.checked_div(4)?)?
            .checked_sub(year_of_era.checked_div(100)?)?,
    )?;
    let shifted_month = day_of_year
        .checked_mul(5)?
        .checked_add(2)?
        .checked_div(153)?;
    let day = day_of_year
        .checked_sub(
            shifted_month
                .checked_mul(153)?
                .checked_add(2)?
                .checked_div(5)?,
        )?
        .checked_add(1)?;
    let month = if shifted_month < 10 {
        shifted_month.checked_add(3)?
    } else {
        shifted_month.checked_sub(9)?
    };
    let year = year_of_era
        .checked_add(era.checked_mul(400)?)?
        .checked_add(i64::from(month <= 2))?;
    let date = Date {
        year: u16::try_from(year).ok().filter(|year| *year <= 9999)?,
        month: u8::try_from(month).ok()?,
        day: u8::try_from(day).ok()?,
    };
    Some(date)
}

/// Splits an envelope timestamp (`2026-11-30T09:00:00+01:00`, with optional fractions of a
/// second and `Z` or an offset) into the document's issue date and issue time (`09:00:00+01:00`,
/// an `xs:time` with the same offset; fractions are dropped).
pub fn issue_date_time(timestamp: &str) -> Option<(Date, String)> {
    let (date, time) = timestamp.split_once('T')?;
    let date = Date::parse(date)?;
    let bytes = time.as_bytes();
    let clock = time.get(..8)?;
    let two_digits = |at: usize, max: u8| -> bool {
        at.checked_add(2)
            .and_then(|end| time.get(at..end))
            .filter(|part| part.bytes().all(|byte| byte.is_ascii_digit()))
            .and_then(|part| part.parse::<u8>().ok())
            .is_some_and(|value| value <= max)
    };
    if !(two_digits(0, 23)
        && bytes.get(2) == Some(&b':')
        && two_digits(3, 59)
        && bytes.get(5) == Some(&b':')
        && two_digits(6, 59))
    {
        return None;
    }
    let mut rest = time.get(8..)?;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction
            .bytes()
            .take_while(|byte| byte.is_ascii_digit())
            .count();
        if digits == 0 {
            return None;
        }
        rest = fraction.get(digits..)?;
    }
    let zone_valid = rest.is_empty()
        || rest == "Z"
        || (rest.len() == 6
            && matches!(rest.as_bytes().first(), Some(b'+' | b'-'))
            && rest.as_bytes().get(3) == Some(&b':')
            && rest
                .get(1..3)
                .and_then(|hours| hours.parse::<u8>().ok())
                .is_some_and(|hours| hours <= 14)
            && rest
                .get(4..6)
                .and_then(|minutes| minutes.parse::<u8>().ok())
                .is_some_and(|minutes| minutes <= 59)
            && rest
                .bytes()
                .enumerate()
                .all(|(index, byte)| matches!(index, 0 | 3) || byte.is_ascii_digit()));
    zone_valid.then(|| (date, format!("{clock}{rest}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_strictly() {
        assert_eq!(
            Date::parse("2016-08-01"),
            Some(Date {
                year: 2016,
                month: 8,
                day: 1
            })
        );
        for bad in [
            "2016-8-01",
            "2016-02-30",
            "2015-02-29",
            "0999-01-01",
            "2016-13-01",
            "2016-00-10",
            "20160801",
            "2016-08-01T",
            "+016-08-01",
            "２０１６-08-01",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2016-02-29").is_some());
    }

    #[test]
    fn days_are_added_across_months_leap_years_and_centuries() {
        let add = |date: &str, days: u16| {
            Date::parse(date)
                .unwrap()
                .add_days(days)
                .unwrap()
                .to_string()
        };
        assert_eq!(add("2016-08-01", 30), "2016-08-31");
        assert_eq!(add("2016-02-28", 1), "2016-02-29");
        assert_eq!(add("2100-02-28", 1), "2100-03-01");
        assert_eq!(add("2000-02-28", 1), "2000-02-29");
        assert_eq!(add("2026-12-31", 1), "2027-01-01");
        assert_eq!(add("2026-11-30", 365), "2027-11-30");
        assert_eq!(add("1970-01-01", 0), "1970-01-01");
        assert_eq!(Date::parse("9999-12-31").unwrap().add_days(1), None);
    }

    #[test]
    fn timestamps_give_the_issue_date_and_time() {
        let split = |text: &str| issue_date_time(text).map(|(date, time)| (date.to_string(), time));
        assert_eq!(
            split("2016-08-01T09:00:00+01:00"),
            Some(("2016-08-01".into(), "09:00:00+01:00".into()))
        );
        assert_eq!(
            split("2016-08-01T09:00:00.123Z"),
            Some(("2016-08-01".into(), "09:00:00Z".into()))
        );
        assert_eq!(
            split("2016-08-01T23:59:59"),
            Some(("2016-08-01".into(), "23:59:59".into()))
        );
        for bad in [
            "2016-08-01",
            "2016-08-01T24:00:00",
            "2016-08-01T09:00",
            "2016-08-01T09:00:00+1:00",
            "2016-08-01T09:00:00.Z",
            "2016-08-01T09:00:00 ",
            "2016-08-01T09:00:00+15:00",
            "2016-08-01 09:00:00",
        ] {
            assert_eq!(split(bad), None, "{bad}");
        }
    }
}
