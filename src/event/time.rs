//! Calendar dates and clock times as organisers type them, and the slot lists of the
//! `unavailable` and `when` columns.
//!
//! Dates: ISO `2027-03-11`; day first `11/03/2027`, `11.03.2027`, `11-03-2027` (as the Italian
//! locale writes them; never month first: `03/25/2027` is an error that says so); Excel's serial
//! day numbers (`46456`, what a date cell becomes when its column is formatted as a number).
//! Times: `14:30`, `9:30`, `9.30` (Italian Excel), `9:30:00` (Excel adds seconds), and Excel's
//! fraction of a day (`0.375` = 09:00). Calendar arithmetic is jiff's.

use jiff::civil;
use std::fmt;

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(civil::Date);

/// Why a text is not a date or a time: the message names the text, the hint how to write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bad {
    pub message: String,
    pub hint: &'static str,
}

pub(crate) const DATE_HINT: &str =
    "write days day first as dd/mm/yyyy (11/03/2027) or as YYYY-MM-DD (2027-03-11); \
Excel's date cells are read as they are";
const SHORT_YEAR_HINT: &str = "write the year with four digits, e.g. 11/03/2027";
const MONTH_FIRST_HINT: &str =
    "dates are read day first (dd/mm/yyyy), as the Italian locale writes them: swap day and \
month, or write YYYY-MM-DD";
pub(crate) const TIME_HINT: &str = "write times as HH:MM on a 24-hour clock, e.g. 14:30";

/// Excel's day 0 in the 1900 date system (serials from 61, 1 March 1900, on; Excel's phantom
/// 29 February 1900 is serial 60).
const EXCEL_EPOCH: civil::Date = civil::date(1899, 12, 30);
/// 1 March 1900 and 31 December 9999: the serials that name one day unambiguously.
const SERIALS: std::ops::RangeInclusive<i64> = 61..=2_958_465;

impl Date {
    pub fn new(year: i16, month: i8, day: i8) -> Option<Date> {
        civil::Date::new(year, month, day).ok().map(Date)
    }
    pub fn year(self) -> i16 {
        self.0.year()
    }
    pub fn month(self) -> i8 {
        self.0.month()
    }
    pub fn day(self) -> i8 {
        self.0.day()
    }
    pub fn civil(self) -> civil::Date {
        self.0
    }

    /// 0 = Monday … 6 = Sunday.
    pub fn weekday(self) -> usize {
        usize::from(self.0.weekday().to_monday_zero_offset().unsigned_abs())
    }

    /// Any of the accepted forms, or `None`.
    pub fn parse(s: &str) -> Option<Date> {
        Date::read(s).ok()
    }

    /// Excel's serial day number (1900 date system, as Windows Excel and LibreOffice write).
    pub fn from_serial(n: i64) -> Option<Date> {
        if !SERIALS.contains(&n) {
            return None;
        }
        EXCEL_EPOCH
            .checked_add(jiff::Span::new().days(n))
            .ok()
            .map(Date)
    }

    /// Any of the accepted forms; the error says what is wrong and how to write it.
    pub fn read(s: &str) -> Result<Date, Bad> {
        let s = s.trim();
        let bad = |hint| Bad {
            message: format!("bad date '{s}'"),
            hint,
        };
        // A date cell saved with its (midnight) time: "11/03/2027 00:00".
        let d = strip_midnight(s);
        let b = d.as_bytes();
        if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
            let (Some(y), Some(m), Some(dd)) =
                (number(&d[0..4]), number(&d[5..7]), number(&d[8..10]))
            else {
                return Err(bad(DATE_HINT));
            };
            return ymd(y, m, dd).ok_or_else(|| bad(DATE_HINT));
        }
        if let Some(n) = serial(d) {
            return Date::from_serial(n).ok_or_else(|| bad(DATE_HINT));
        }
        let Some(sep) = d.chars().find(|c| matches!(c, '/' | '.' | '-')) else {
            return Err(bad(DATE_HINT));
        };
        let parts: Vec<&str> = d.split(sep).collect();
        let [day, month, year] = parts[..] else {
            return Err(bad(DATE_HINT));
        };
        let short = |p: &str| (1..=2).contains(&p.len());
        let (Some(day), Some(month), Some(year)) = (number(day), number(month), number(year))
        else {
            return Err(bad(DATE_HINT));
        };
        if !short(parts[0]) || !short(parts[1]) {
            return Err(bad(DATE_HINT));
        }
        if parts[2].len() != 4 {
            return Err(bad(if parts[2].len() == 2 {
                SHORT_YEAR_HINT
            } else {
                DATE_HINT
            }));
        }
        if let Some(date) = ymd(year, month, day) {
            return Ok(date);
        }
        if month > 12 && ymd(year, day, month).is_some() {
            return Err(Bad {
                message: format!(
                    "bad date '{s}': read day first, there is no month {month} (written \
                     month first, mm/dd/yyyy?)"
                ),
                hint: MONTH_FIRST_HINT,
            });
        }
        Err(bad(DATE_HINT))
    }
}

fn strip_midnight(s: &str) -> &str {
    for suffix in [
        " 00:00:00",
        " 0:00:00",
        " 00:00",
        " 0:00",
        " 00.00",
        " 0.00",
    ] {
        if let Some(d) = s.strip_suffix(suffix) {
            return d.trim_end();
        }
    }
    s
}

/// A whole number written as Excel writes a serial: digits, maybe `.0` / `,0`.
fn serial(s: &str) -> Option<i64> {
    let int = match s.split_once(['.', ',']) {
        Some((i, frac)) if !frac.is_empty() && frac.bytes().all(|b| b == b'0') => i,
        Some(_) => return None,
        None => s,
    };
    if int.is_empty() || int.len() > 7 {
        return None;
    }
    number(int)
}

fn ymd(year: i64, month: i64, day: i64) -> Option<Date> {
    let (y, m, d) = (
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    );
    if !(1..=9999).contains(&y) {
        return None;
    }
    Date::new(y, m, d)
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.0.month(),
            self.0.day()
        )
    }
}

/// Digits only (no sign, no spaces), as a number.
fn number(s: &str) -> Option<i64> {
    if !s.is_empty() && s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// Minutes since midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Time(pub u16);

impl Time {
    /// Any of the accepted forms, or `None`.
    pub(crate) fn parse(s: &str) -> Option<Time> {
        Time::read(s).ok()
    }

    /// `HH:MM`, `H:MM`, `HH.MM`, with `:00` / `.00` seconds; or Excel's fraction of a day: a
    /// decimal below 1 whose decimals are not exactly two (two are minutes: `0.30` is 00:30).
    pub(crate) fn read(s: &str) -> Result<Time, Bad> {
        let s = s.trim();
        let bad = || Bad {
            message: format!("bad time '{s}'"),
            hint: TIME_HINT,
        };
        let parts: Vec<&str> = s.split([':', '.']).collect();
        let clock = match parts[..] {
            [h, m] if m.len() == 2 => Some((h, m)),
            [h, m, sec] if m.len() == 2 && (sec == "00" || sec == "0") => Some((h, m)),
            _ => None,
        };
        if let Some((h, m)) = clock {
            let (Some(h), Some(m)) = (number(h), number(m)) else {
                return Err(bad());
            };
            if parts[0].len() > 2 || h >= 24 || m >= 60 {
                return Err(bad());
            }
            return Ok(Time((h * 60 + m) as u16));
        }
        // Excel's fraction of a day (0.375 = 09:00), with a decimal point or comma.
        let Some(("0", frac)) = s.split_once(['.', ',']) else {
            return Err(bad());
        };
        if frac.is_empty() || frac.len() > 17 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let day: f64 = format!("0.{frac}").parse().map_err(|_| bad())?;
        let minutes = day * 1440.0;
        let whole = minutes.round();
        // Excel keeps 15 significant digits; a time typed as hh:mm is a minute within a second.
        if (minutes - whole).abs() > 1.0 / 60.0 || whole >= 1440.0 {
            return Err(Bad {
                message: format!("bad time '{s}': not a whole minute"),
                hint: TIME_HINT,
            });
        }
        Ok(Time(whole as u16))
    }

    /// From a fraction of a day (a workbook's time cell), rounded to the second; `None` when
    /// not a whole minute.
    pub(crate) fn from_day_fraction(day: f64) -> Option<Time> {
        let minutes = day * 1440.0;
        let whole = minutes.round();
        ((minutes - whole).abs() <= 1.0 / 60.0 && (0.0..1440.0).contains(&whole))
            .then_some(Time(whole as u16))
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// One item of an `unavailable` / `when` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SlotSpec {
    Slot(String),
    Day(Date),
    Range(Date, Time, Time),
}

/// Splits a list on `;` or `,` (organisers use both; inside a `;`-delimited file Excel quotes
/// the cell) and parses each item. Errors name the item.
pub(crate) fn parse_spec_list(s: &str) -> Result<Vec<SlotSpec>, String> {
    let mut out = Vec::new();
    for item in s.split([';', ',']).map(str::trim).filter(|i| !i.is_empty()) {
        out.push(parse_spec(item)?);
    }
    Ok(out)
}

/// Whether a word is shaped like a date (ISO or day first), as opposed to a slot id. Excel's
/// serial numbers are told from slot ids by the event's slots (`SlotIndex::resolve`).
fn looks_like_date(word: &str) -> bool {
    let b = word.as_bytes();
    if b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' {
        return true;
    }
    let Some(sep) = word.chars().find(|c| matches!(c, '/' | '.' | '-')) else {
        return false;
    };
    let parts: Vec<&str> = word.split(sep).collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && parts[2].len() >= 2
}

fn parse_spec(item: &str) -> Result<SlotSpec, String> {
    let (head, rest) = match item.split_once(char::is_whitespace) {
        Some((h, r)) => (h, r.trim()),
        None => (item, ""),
    };
    if !looks_like_date(head) {
        return Ok(SlotSpec::Slot(item.to_string()));
    }
    let date = Date::read(head).map_err(|b| {
        if b.hint == MONTH_FIRST_HINT {
            format!("'{head}' is not a date read day first (dd/mm/yyyy)")
        } else {
            format!("'{head}' is not a date")
        }
    })?;
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

/// An Excel serial day number standing alone in a list (`46456`), when it is no slot id.
pub(crate) fn serial_day(item: &str) -> Option<Date> {
    serial(item.trim()).and_then(Date::from_serial)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> String {
        Date::parse(s).map_or("-".into(), |d| d.to_string())
    }

    #[test]
    fn dates() {
        assert_eq!(d("2027-03-11"), "2027-03-11");
        assert_eq!(d("2027-02-29"), "-");
        assert_eq!(d("2028-02-29"), "2028-02-29");
        assert_eq!(d("2027-3-11"), "-");
        // 2027-03-11 is a Thursday
        assert_eq!(Date::parse("2027-03-11").unwrap().weekday(), 3);
        assert_eq!(Date::parse("2026-11-22").unwrap().weekday(), 6);
    }

    #[test]
    fn day_first_dates_as_the_italian_locale_writes_them() {
        assert_eq!(d("11/03/2027"), "2027-03-11");
        assert_eq!(d("11.03.2027"), "2027-03-11");
        assert_eq!(d("11-03-2027"), "2027-03-11");
        assert_eq!(d("1/3/2027"), "2027-03-01");
        assert_eq!(d("11/03/2027 00:00"), "2027-03-11");
        assert_eq!(d("29/02/2028"), "2028-02-29");
        assert_eq!(d("29/02/2027"), "-");
        assert_eq!(d("11/03/2027 09:00"), "-");
        assert_eq!(d("11/03/27"), "-");
        assert_eq!(Date::read("11/03/27").unwrap_err().hint, SHORT_YEAR_HINT);
        let e = Date::read("03/25/2027").unwrap_err();
        assert_eq!(
            e.message,
            "bad date '03/25/2027': read day first, there is no month 25 (written month first, mm/dd/yyyy?)"
        );
        assert_eq!(e.hint, MONTH_FIRST_HINT);
        // Impossible either way: the plain message.
        assert_eq!(
            Date::read("31/31/2027").unwrap_err().message,
            "bad date '31/31/2027'"
        );
    }

    #[test]
    fn excel_serial_days() {
        assert_eq!(d("46456"), "2027-03-10");
        assert_eq!(d("46456.0"), "2027-03-10");
        assert_eq!(d("46456,00"), "2027-03-10");
        assert_eq!(d("61"), "1900-03-01");
        assert_eq!(d("46456.5"), "-");
        assert_eq!(d("60"), "-");
        assert_eq!(d("99999999"), "-");
    }

    #[test]
    fn times() {
        let t = |s: &str| Time::parse(s).map_or("-".into(), |t| t.to_string());
        assert_eq!(t("09:20"), "09:20");
        assert_eq!(t("9:20"), "09:20");
        assert_eq!(t("14.30"), "14:30");
        assert_eq!(t("9.30"), "09:30");
        assert_eq!(t("14:30:00"), "14:30");
        assert_eq!(t("9:30:00"), "09:30");
        assert_eq!(t("9.30.00"), "09:30");
        assert_eq!(t("24:00"), "-");
        assert_eq!(t("14:3"), "-");
        assert_eq!(t("14:30:15"), "-");
        assert_eq!(t("0.375"), "09:00");
        assert_eq!(t("0,375"), "09:00");
        assert_eq!(t("0.5"), "12:00");
        assert_eq!(t("0.395833333333333"), "09:30");
        // Two decimals are minutes, as Italian Excel writes 0.30 for half past midnight.
        assert_eq!(t("0.30"), "00:30");
        assert_eq!(t("0.3951"), "-");
        assert_eq!(t("1.5"), "-");
        assert_eq!(Time::from_day_fraction(0.375), Some(Time(540)));
        assert_eq!(Time::from_day_fraction(0.3951), None);
        assert_eq!(Time(870).to_string(), "14:30");
    }

    #[test]
    fn spec_lists() {
        let d = Date::parse("2027-03-11").unwrap();
        assert_eq!(
            parse_spec_list("S01; 2027-03-11 ;2027-03-11 14:30-16:00; 11/03/2027 14.30-16.00")
                .unwrap(),
            vec![
                SlotSpec::Slot("S01".into()),
                SlotSpec::Day(d),
                SlotSpec::Range(d, Time(870), Time(960)),
                SlotSpec::Range(d, Time(870), Time(960)),
            ]
        );
        assert!(parse_spec_list("2027-03-11 16:00-14:30").is_err());
        assert!(parse_spec_list("2027-13-11").is_err());
        assert_eq!(
            parse_spec_list("03/25/2027").unwrap_err(),
            "'03/25/2027' is not a date read day first (dd/mm/yyyy)"
        );
        assert_eq!(
            parse_spec_list("46456").unwrap(),
            vec![SlotSpec::Slot("46456".into())]
        );
        assert_eq!(serial_day("46456"), Date::parse("2027-03-10"));
    }
}
