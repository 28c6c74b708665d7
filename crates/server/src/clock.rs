//! Server time. Legal dates are counted in Kazakhstan's time (UTC+5 since
//! 2024). Tests move the clock with [`Clock::set_offset_ms`].

use std::sync::atomic::{AtomicI64, Ordering};
use time::{Date, OffsetDateTime, UtcOffset};

pub fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

const KZ_OFFSET_SECS: i32 = 5 * 3600;

impl Clock {
    pub fn now_ms(&self) -> i64 {
        now_ms() + self.offset_ms.load(Ordering::Relaxed)
    }

    /// Today's date in Kazakhstan.
    pub fn today(&self) -> Date {
        date_of(self.now_ms())
    }

    pub fn set_offset_ms(&self, ms: i64) {
        self.offset_ms.store(ms, Ordering::Relaxed);
    }

    /// Moves the clock so that now is `ms` since the epoch.
    pub fn set_now_ms(&self, ms: i64) {
        self.set_offset_ms(ms - now_ms());
    }
}

/// The Kazakhstan calendar date of an instant.
pub fn date_of(ms: i64) -> Date {
    let offset = UtcOffset::from_whole_seconds(KZ_OFFSET_SECS).unwrap_or(UtcOffset::UTC);
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset)
        .date()
}

/// The Kazakhstan wall-clock time `HH:MM` of an instant.
pub fn time_of(ms: i64) -> String {
    let mins = (ms.div_euclid(1000) + i64::from(KZ_OFFSET_SECS)).rem_euclid(86_400) / 60;
    format!("{:02}:{:02}", mins / 60, mins % 60)
}

/// Noon in Kazakhstan on `d`, as ms since the epoch (for tests and demo data).
pub fn noon_ms(d: Date) -> i64 {
    let secs = (d.to_julian_day() as i64 - 2_440_588) * 86_400 + 12 * 3600 - KZ_OFFSET_SECS as i64;
    secs * 1000
}
