//! Kazakhstan's individual identification number (ЖСН / ИИН).
//!
//! 12 digits: `YYMMDD` birth date, one digit for century and sex, four
//! serial digits and a check digit computed with two weight rounds mod 11.

use time::{Date, Month};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IinError {
    #[error("an IIN has exactly 12 digits")]
    Format,
    #[error("the IIN check digit does not match")]
    Checksum,
    #[error("the IIN does not encode a valid birth date")]
    BirthDate,
}

impl IinError {
    /// Stable code, also the Fluent message id suffix (`error-…`).
    pub fn code(self) -> &'static str {
        match self {
            IinError::Format => "invalid_iin_format",
            IinError::Checksum => "invalid_iin_checksum",
            IinError::BirthDate => "invalid_iin_date",
        }
    }
}

/// The one way an IIN is shown or stored as a label: the last four digits
/// only (`••••••••5823`). The first six are the birth date and never shown.
/// Whitespace is ignored; fewer than four digits show as `••••`.
pub fn mask(iin: &str) -> String {
    let digits: Vec<char> = iin.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() < 4 {
        return "••••".into();
    }
    let tail: String = digits[digits.len() - 4..].iter().collect();
    format!("••••••••{tail}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

/// A validated IIN with what it encodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Iin {
    digits: [u8; 12],
    pub birth_date: Date,
    pub sex: Sex,
}

impl Iin {
    pub fn parse(s: &str) -> Result<Iin, IinError> {
        let s = s.trim();
        let bytes = s.as_bytes();
        if bytes.len() != 12 || !bytes.iter().all(u8::is_ascii_digit) {
            return Err(IinError::Format);
        }
        let mut digits = [0u8; 12];
        for (d, b) in digits.iter_mut().zip(bytes) {
            *d = b - b'0';
        }
        if check_digit(&digits[..11]) != Some(digits[11]) {
            return Err(IinError::Checksum);
        }
        let (century, sex) = match digits[6] {
            1 => (1800, Sex::Male),
            2 => (1800, Sex::Female),
            3 => (1900, Sex::Male),
            4 => (1900, Sex::Female),
            5 => (2000, Sex::Male),
            6 => (2000, Sex::Female),
            _ => return Err(IinError::BirthDate),
        };
        let yy = i32::from(digits[0] * 10 + digits[1]);
        let mm = digits[2] * 10 + digits[3];
        let dd = digits[4] * 10 + digits[5];
        let month = Month::try_from(mm).map_err(|_| IinError::BirthDate)?;
        let birth_date =
            Date::from_calendar_date(century + yy, month, dd).map_err(|_| IinError::BirthDate)?;
        Ok(Iin {
            digits,
            birth_date,
            sex,
        })
    }

    pub fn as_string(&self) -> String {
        self.digits.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// Full years of age on `today`.
    pub fn age_on(&self, today: Date) -> i32 {
        age_on(self.birth_date, today)
    }
}

/// Full years between `birth` and `today`.
pub fn age_on(birth: Date, today: Date) -> i32 {
    let mut age = today.year() - birth.year();
    if (today.month() as u8, today.day()) < (birth.month() as u8, birth.day()) {
        age -= 1;
    }
    age
}

/// The check digit for the first 11 digits, or `None` when both weight
/// rounds give 10 (such serial numbers are never issued).
pub fn check_digit(first11: &[u8]) -> Option<u8> {
    let round = |offset: u32| -> u32 {
        first11
            .iter()
            .enumerate()
            .map(|(i, &d)| u32::from(d) * ((i as u32 + offset) % 11 + 1))
            .sum::<u32>()
            % 11
    };
    let first = round(0);
    if first != 10 {
        return Some(first as u8);
    }
    let second = round(2);
    (second != 10).then_some(second as u8)
}

/// Builds a valid IIN from a birth date, sex and serial (for demo data and
/// tests). Returns `None` when this serial has no valid check digit.
pub fn make(birth: Date, sex: Sex, serial: u16) -> Option<String> {
    let century_digit = match (birth.year() / 100, sex) {
        (18, Sex::Male) => 1,
        (18, Sex::Female) => 2,
        (19, Sex::Male) => 3,
        (19, Sex::Female) => 4,
        (20, Sex::Male) => 5,
        (20, Sex::Female) => 6,
        _ => return None,
    };
    let s = format!(
        "{:02}{:02}{:02}{}{:04}",
        birth.year() % 100,
        birth.month() as u8,
        birth.day(),
        century_digit,
        serial % 10_000
    );
    let digits: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
    check_digit(&digits).map(|c| format!("{s}{c}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_shows_the_last_four_digits_only() {
        assert_eq!(mask("800120305823"), "••••••••5823");
        assert_eq!(mask(" 800120305823 "), "••••••••5823");
        assert_eq!(mask("12"), "••••");
    }

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::from_calendar_date(y, Month::try_from(m).unwrap(), day).unwrap()
    }

    #[test]
    fn roundtrip_generated() {
        let mut ok = 0;
        for serial in 0..200u16 {
            if let Some(s) = make(d(1990, 5, 17), Sex::Female, serial) {
                let iin = Iin::parse(&s).unwrap();
                assert_eq!(iin.birth_date, d(1990, 5, 17));
                assert_eq!(iin.sex, Sex::Female);
                assert_eq!(iin.as_string(), s);
                ok += 1;
            }
        }
        assert!(ok > 150);
    }

    #[test]
    fn rejects_bad_input() {
        let good = make(d(2001, 1, 2), Sex::Male, 123).unwrap();
        let mut bad = good.clone().into_bytes();
        bad[11] = if bad[11] == b'9' { b'0' } else { bad[11] + 1 };
        assert_eq!(
            Iin::parse(std::str::from_utf8(&bad).unwrap()),
            Err(IinError::Checksum)
        );
        assert_eq!(Iin::parse("12345"), Err(IinError::Format));
        assert_eq!(Iin::parse("12345678901a"), Err(IinError::Format));
    }

    #[test]
    fn age() {
        let iin = Iin::parse(&make(d(2010, 6, 15), Sex::Male, 7).unwrap()).unwrap();
        assert_eq!(iin.age_on(d(2026, 6, 14)), 15);
        assert_eq!(iin.age_on(d(2026, 6, 15)), 16);
    }
}
