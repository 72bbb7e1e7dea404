//! Calendar dates and clock times as organisers type them, and the slot lists of the
//! `unavailable` and `when` columns.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// `YYYY-MM-DD`, checked against the calendar (leap years included).
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year: u16 = digits(&s[0..4])?;
        let month: u8 = digits(&s[5..7])?;
        let day: u8 = digits(&s[8..10])?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// 0 = Monday … 6 = Sunday (Sakamoto's method).
    pub fn weekday(self) -> usize {
        const T: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
        let mut y = i32::from(self.year);
        let m = usize::from(self.month);
        if m < 3 {
            y -= 1;
        }
        let sunday0 = (y + y / 4 - y / 100 + y / 400 + T[m - 1] + i32::from(self.day)) % 7;
        ((sunday0 + 6) % 7) as usize
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn digits<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

/// Minutes since midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(pub u16);

impl Time {
    /// `HH:MM`; also `H:MM`, `HH.MM` (Italian Excel) and `HH:MM:00` (Excel adds seconds).
    pub fn parse(s: &str) -> Option<Time> {
        let s = s.strip_suffix(":00").filter(|r| r.len() >= 4).unwrap_or(s);
        let (h, m) = s.split_once([':', '.'])?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return None;
        }
        let h: u16 = digits(h)?;
        let m: u16 = digits(m)?;
        (h < 24 && m < 60).then_some(Time(h * 60 + m))
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// One item of an `unavailable` / `when` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlotSpec {
    Slot(String),
    Day(Date),
    Range(Date, Time, Time),
}

/// Splits a list on `;` or `,` (organisers use both; inside a `;`-delimited file Excel quotes
/// the cell) and parses each item. Errors name the item.
pub fn parse_spec_list(s: &str) -> Result<Vec<SlotSpec>, String> {
    let mut out = Vec::new();
    for item in s.split([';', ',']).map(str::trim).filter(|i| !i.is_empty()) {
        out.push(parse_spec(item)?);
    }
    Ok(out)
}

fn parse_spec(item: &str) -> Result<SlotSpec, String> {
    let looks_like_date = item.len() >= 10
        && item.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && item.as_bytes()[4] == b'-';
    if !looks_like_date {
        return Ok(SlotSpec::Slot(item.to_string()));
    }
    let date =
        Date::parse(&item[..10]).ok_or_else(|| format!("'{}' is not a date", &item[..10]))?;
    let rest = item[10..].trim();
    if rest.is_empty() {
        return Ok(SlotSpec::Day(date));
    }
    let (a, b) = rest
        .split_once(['-', '\u{2013}'])
        .ok_or_else(|| format!("'{item}' is not a day or a time range"))?;
    let (from, to) = (Time::parse(a.trim()), Time::parse(b.trim()));
    match (from, to) {
        (Some(f), Some(t)) if f < t => Ok(SlotSpec::Range(date, f, t)),
        (Some(_), Some(_)) => Err(format!("time range '{rest}' ends before it starts")),
        _ => Err(format!("'{rest}' is not a time range HH:MM-HH:MM")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(Date::parse("2027-03-11").unwrap().to_string(), "2027-03-11");
        assert!(Date::parse("2027-02-29").is_none());
        assert!(Date::parse("2028-02-29").is_some());
        assert!(Date::parse("2027-3-11").is_none());
        assert!(Date::parse("11/03/2027").is_none());
        // 2027-03-11 is a Thursday
        assert_eq!(Date::parse("2027-03-11").unwrap().weekday(), 3);
        assert_eq!(Date::parse("2026-11-22").unwrap().weekday(), 6);
    }

    #[test]
    fn times() {
        assert_eq!(Time::parse("09:20"), Some(Time(560)));
        assert_eq!(Time::parse("9:20"), Some(Time(560)));
        assert_eq!(Time::parse("14.30"), Some(Time(870)));
        assert_eq!(Time::parse("14:30:00"), Some(Time(870)));
        assert_eq!(Time::parse("24:00"), None);
        assert_eq!(Time::parse("14:3"), None);
        assert_eq!(Time(870).to_string(), "14:30");
    }

    #[test]
    fn spec_lists() {
        let d = Date::parse("2027-03-11").unwrap();
        assert_eq!(
            parse_spec_list("S01; 2027-03-11 ;2027-03-11 14:30-16:00").unwrap(),
            vec![
                SlotSpec::Slot("S01".into()),
                SlotSpec::Day(d),
                SlotSpec::Range(d, Time(870), Time(960))
            ]
        );
        assert!(parse_spec_list("2027-03-11 16:00-14:30").is_err());
        assert!(parse_spec_list("2027-13-11").is_err());
    }
}
