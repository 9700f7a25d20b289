//! Calendar dates: the evaluation date and the dates in a submission.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date (proleptic Gregorian, years 0000–9999), ordered so that
/// earlier < later. Parsed from and printed as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    // Field order matters: the derived `Ord` compares year, then month, then day.
    year: u16,
    month: u8,
    day: u8,
}

/// Why a text is not a `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    text: String,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a date of the form YYYY-MM-DD", self.text)
    }
}

impl std::error::Error for DateError {}

impl Date {
    /// The date `year-month-day`, or `None` if no such day exists.
    pub const fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if year > 9999 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// A date for a constant in plugin code, e.g. `Date::ymd(2031, 8, 18)`.
    ///
    /// The parts are not validated (a `const` cannot fail gracefully); use it
    /// only for literal dates and cover them with a test against [`Date::new`].
    /// Input from outside goes through [`Date::parse`].
    pub const fn ymd(year: u16, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let err = || DateError {
            text: text.to_owned(),
        };
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
            return Err(err());
        }
        let digits = |range: std::ops::Range<usize>| -> Option<u16> {
            let part = text.get(range)?;
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let year = digits(0..4).ok_or_else(err)?;
        let month = digits(5..7).and_then(|m| u8::try_from(m).ok());
        let day = digits(8..10).and_then(|d| u8::try_from(d).ok());
        match (month, day) {
            (Some(month), Some(day)) => Date::new(year, month, day).ok_or_else(err),
            _ => Err(err()),
        }
    }

    /// The year.
    pub const fn year(self) -> u16 {
        self.year
    }

    /// The month, 1–12.
    pub const fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1–31.
    pub const fn day(self) -> u8 {
        self.day
    }
}

const fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Read from the borrowed text: no `String` per date.
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Date, E> {
                Date::parse(text).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let d = Date::parse("2031-08-18").unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2031, 8, 18));
        assert_eq!(d.to_string(), "2031-08-18");
        assert_eq!(Date::ymd(2031, 8, 18), d);
    }

    #[test]
    fn orders_chronologically() {
        let a = Date::parse("2031-08-17").unwrap();
        let b = Date::parse("2031-08-18").unwrap();
        let c = Date::parse("2036-01-01").unwrap();
        assert!(a < b && b < c);
        assert!(Date::parse("2030-12-31").unwrap() < Date::parse("2031-01-01").unwrap());
    }

    #[test]
    fn rejects_non_dates() {
        for bad in [
            "2031-8-18",
            "2031-02-30",
            "2031-13-01",
            "2031-00-10",
            "20310818",
            "2031-08-18T00:00",
            "+031-08-18",
            "",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn knows_leap_years() {
        assert!(Date::parse("2032-02-29").is_ok());
        assert!(Date::parse("2031-02-29").is_err());
        assert!(Date::parse("2000-02-29").is_ok());
        assert!(Date::parse("2100-02-29").is_err());
    }

    #[test]
    fn deserializes_from_json_string() {
        let d: Date = serde_json::from_str("\"2027-06-30\"").unwrap();
        assert_eq!(d, Date::ymd(2027, 6, 30));
        assert!(serde_json::from_str::<Date>("\"2027-06-31\"").is_err());
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2027-06-30\"");
    }
}
