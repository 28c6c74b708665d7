//! Working-day calendar of Kazakhstan, for the legal deadlines of appeals.
//!
//! The holiday list is a data file compiled in (`data/holidays-kz.txt`); the
//! rule that a non-religious holiday on a weekend moves the day off to the
//! next working day is applied here.

use std::collections::BTreeSet;
use std::sync::OnceLock;
use time::{Date, Duration, Month, Weekday};

const HOLIDAYS_FILE: &str = include_str!("../data/holidays-kz.txt");

/// Working days an akimat has to answer an appeal (Administrative
/// Procedural Code, art. 76: 15 working days from registration).
pub const ANSWER_WORKING_DAYS: u32 = 15;
/// Working days within which an appeal may be redirected to the competent body.
pub const REDIRECT_WORKING_DAYS: u32 = 3;
/// An extension may bring the deadline to at most this many months after registration.
pub const MAX_EXTENSION_MONTHS: u8 = 2;

#[derive(Debug, Default)]
pub struct Calendar {
    off: BTreeSet<Date>,
    work: BTreeSet<Date>,
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Date> {
    let mut it = s.trim().splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u8 = it.next()?.parse().ok()?;
    let d: u8 = it.next()?.parse().ok()?;
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

/// Formats as `YYYY-MM-DD`.
pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

impl Calendar {
    /// The built-in calendar.
    pub fn kazakhstan() -> &'static Calendar {
        static CAL: OnceLock<Calendar> = OnceLock::new();
        CAL.get_or_init(|| Calendar::parse(HOLIDAYS_FILE))
    }

    /// Parses a holiday file; malformed lines are ignored (the file is ours).
    pub fn parse(text: &str) -> Calendar {
        let mut cal = Calendar::default();
        let mut transferable = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let (Some(date), Some(kind)) = (parts.next().and_then(parse_date), parts.next()) else {
                continue;
            };
            match kind {
                "holiday" => {
                    cal.off.insert(date);
                    transferable.push(date);
                }
                "religious" | "off" => {
                    cal.off.insert(date);
                }
                "workday" => {
                    cal.work.insert(date);
                }
                _ => {}
            }
        }
        for date in transferable {
            if is_weekend(date) {
                let mut next = date;
                while is_weekend(next) || cal.off.contains(&next) {
                    next += Duration::days(1);
                }
                cal.off.insert(next);
            }
        }
        cal
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        if self.work.contains(&d) {
            return true;
        }
        !is_weekend(d) && !self.off.contains(&d)
    }

    /// The date `n` working days after `start` (the start day itself is not
    /// counted: a term begins on the day after the event that starts it).
    pub fn add_working_days(&self, start: Date, n: u32) -> Date {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d += Duration::days(1);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days from `from` (exclusive) to `to` (inclusive); negative when
    /// `to` is before `from`.
    pub fn working_days_between(&self, from: Date, to: Date) -> i64 {
        if to < from {
            return -self.working_days_between(to, from);
        }
        let mut d = from;
        let mut n = 0;
        while d < to {
            d += Duration::days(1);
            if self.is_working_day(d) {
                n += 1;
            }
        }
        n
    }
}

/// `d` plus `months` calendar months, clamped to the month's last day.
pub fn add_months(d: Date, months: u8) -> Date {
    let total = d.month() as i32 - 1 + i32::from(months);
    let year = d.year() + total / 12;
    let month = Month::try_from((total % 12 + 1) as u8).unwrap_or(Month::December);
    let mut day = d.day();
    loop {
        if let Ok(date) = Date::from_calendar_date(year, month, day) {
            return date;
        }
        day -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    #[test]
    fn nauryz_is_skipped() {
        let cal = Calendar::kazakhstan();
        // 2026-03-21 is a Saturday, 22 Sunday, 23 Monday: 21 and 22 move to 24 and 25.
        assert!(!cal.is_working_day(d("2026-03-23")));
        assert!(!cal.is_working_day(d("2026-03-24")));
        assert!(!cal.is_working_day(d("2026-03-25")));
        assert!(cal.is_working_day(d("2026-03-26")));
        // Registered Friday 2026-03-20: day 1 is Thursday 26th.
        assert_eq!(cal.add_working_days(d("2026-03-20"), 1), d("2026-03-26"));
        assert_eq!(cal.add_working_days(d("2026-03-20"), 15), d("2026-04-15"));
    }

    #[test]
    fn plain_weeks() {
        let cal = Calendar::kazakhstan();
        // Monday 2026-02-02 + 15 working days = Monday 2026-02-23.
        assert_eq!(cal.add_working_days(d("2026-02-02"), 15), d("2026-02-23"));
        assert_eq!(
            cal.working_days_between(d("2026-02-02"), d("2026-02-23")),
            15
        );
    }

    #[test]
    fn months() {
        assert_eq!(add_months(d("2026-12-31"), 2), d("2027-02-28"));
        assert_eq!(add_months(d("2026-01-15"), 2), d("2026-03-15"));
    }
}
