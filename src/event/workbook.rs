//! Reading workbooks (`.xlsx`, `.xlsm`, `.xls`, `.ods`) with calamine: a sheet becomes the
//! same table of rows as a CSV file, its cells turned into the text the CSV readers expect.
//! Typed cells keep their meaning: a date cell is the day (`2027-03-11`), a time cell the
//! time (`09:30`), a number its digits (an integer-valued 3.0 is `3`), text itself.

use super::csvfile::file_bytes;
use super::sheet::{column_list, Column, Header, Row, Sheet};
use super::time::Time;
use crate::diag::{column_letters, Diagnostic, Problems};
use calamine::{Data, Range, Reader, Sheets};
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// The extensions read as workbooks.
pub(crate) const EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

/// Whether a path names a workbook (by its extension, as Excel and LibreOffice do).
pub(crate) fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// An open workbook: its sheets are read when asked for.
pub(crate) struct Book {
    /// The file as shown in messages.
    pub name: String,
    sheets: Sheets<Cursor<Vec<u8>>>,
}

/// Runs the reader on untrusted bytes: a malformed file must be an error, never a crash, and
/// calamine is a parser of complex formats. Its panic message would confuse, so the hook is
/// silenced for the call (loading is single-threaded).
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = catch_unwind(AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    result.ok()
}

const WORKBOOK_HINT: &str = "open it in Excel or LibreOffice and save it again as .xlsx";

impl Book {
    pub(crate) fn open(path: &Path, problems: &mut Problems) -> Option<Book> {
        let name = path.display().to_string();
        let bytes = file_bytes(path, "a workbook", problems)?;
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let opened = guarded(|| {
            let cursor = Cursor::new(bytes);
            match ext.as_str() {
                "xls" => calamine::open_workbook_from_rs(cursor)
                    .map(Sheets::Xls)
                    .map_err(|e: calamine::XlsError| e.to_string()),
                "ods" => calamine::open_workbook_from_rs(cursor)
                    .map(Sheets::Ods)
                    .map_err(|e: calamine::OdsError| e.to_string()),
                _ => calamine::open_workbook_from_rs(cursor)
                    .map(Sheets::Xlsx)
                    .map_err(|e: calamine::XlsxError| e.to_string()),
            }
        });
        match opened {
            Some(Ok(sheets)) => Some(Book { name, sheets }),
            Some(Err(e)) => {
                problems.error(
                    Diagnostic::file(&name, format!("cannot read the workbook: {e}"))
                        .hint(WORKBOOK_HINT),
                );
                None
            }
            None => {
                problems.error(
                    Diagnostic::file(&name, "cannot read the workbook: the file is damaged")
                        .hint(WORKBOOK_HINT),
                );
                None
            }
        }
    }

    pub(crate) fn sheet_names(&self) -> Vec<String> {
        self.sheets.sheet_names()
    }

    /// The sheet `sheet` as a table of rows: its first row with a value names the columns.
    pub(crate) fn read(
        &mut self,
        sheet: &str,
        spec: &[Column],
        problems: &mut Problems,
    ) -> Option<Sheet> {
        let sheets = &mut self.sheets;
        let range = match guarded(|| sheets.worksheet_range(sheet).map_err(|e| e.to_string())) {
            Some(Ok(r)) => r,
            Some(Err(e)) => {
                problems.error(
                    Diagnostic::file(&self.name, format!("cannot read the sheet: {e}"))
                        .in_sheet(Some(sheet))
                        .hint(WORKBOOK_HINT),
                );
                return None;
            }
            None => {
                problems.error(
                    Diagnostic::file(&self.name, "cannot read the sheet: it is damaged")
                        .in_sheet(Some(sheet))
                        .hint(WORKBOOK_HINT),
                );
                return None;
            }
        };
        from_range(&self.name, sheet, &range, spec, problems)
    }
}

/// A sheet's cells as the rows of a list.
pub(crate) fn from_range(
    name: &str,
    sheet: &str,
    range: &Range<Data>,
    spec: &[Column],
    problems: &mut Problems,
) -> Option<Sheet> {
    let empty = || {
        Diagnostic::file(name, "sheet is empty")
            .in_sheet(Some(sheet))
            .hint(format!(
                "the first row must name the columns: {}",
                column_list(spec)
            ))
    };
    let Some((top, left)) = range.start() else {
        problems.error(empty());
        return None;
    };
    let (top, left) = (u64::from(top), left as usize);
    let mut rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| (top + i as u64 + 1, cells));
    let Some((header_line, header_cells)) = rows
        .by_ref()
        .find(|(_, cells)| cells.iter().any(|c| !text(c).is_empty()))
    else {
        problems.error(empty());
        return None;
    };
    let mut header: Vec<String> = header_cells.iter().map(text).collect();
    while header.last().is_some_and(String::is_empty) {
        header.pop();
    }
    let head = Header {
        line: header_line,
        first_column: left + 1,
        fields: &header,
    };
    let mut out = Sheet::with_header(name, Some(sheet), head, spec, None, problems)?;
    for (line, cells) in rows {
        let mut fields = Vec::with_capacity(header.len());
        let mut ok = true;
        for (i, cell) in cells.iter().enumerate() {
            let value = text(cell);
            let at = |msg: String| {
                Diagnostic::at(name, line, Some(out.column_of(i)), msg).in_sheet(Some(sheet))
            };
            if i >= header.len() {
                if !value.is_empty() {
                    problems.error(
                        at(format!(
                            "value '{value}' in column {}, which has no header",
                            column_letters(out.column_of(i))
                        ))
                        .hint("name the column in the header row, or delete the value"),
                    );
                    ok = false;
                }
                continue;
            }
            if let Data::Error(e) = cell {
                if out.is_known(i) {
                    problems.error(
                        at(format!("the cell holds the Excel error {e}"))
                            .hint("correct the formula, or type the value"),
                    );
                    ok = false;
                }
            }
            fields.push(value);
        }
        if ok && fields.iter().any(|f| !f.is_empty()) {
            out.rows.push(Row { line, fields });
        }
    }
    Some(out)
}

/// A cell as the text a CSV file would hold for it.
pub(crate) fn text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => {
            let v = dt.as_f64();
            if dt.is_duration() || (0.0..1.0).contains(&v) {
                return clock(v);
            }
            let (y, m, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
            let date = format!("{y:04}-{m:02}-{d:02}");
            if (h, mi, s, ms) == (0, 0, 0, 0) {
                date
            } else {
                format!("{date} {}", clock(v.fract()))
            }
        }
        Data::DateTimeIso(s) => match s.split_once('T') {
            None => s.clone(),
            Some((date, time)) => {
                let time = time.split('.').next().unwrap_or(time);
                match time {
                    "00:00:00" | "00:00" => date.to_string(),
                    _ => format!("{date} {}", time.strip_suffix(":00").unwrap_or(time)),
                }
            }
        },
        Data::DurationIso(s) => match s.parse::<jiff::SignedDuration>() {
            Ok(d) => clock(d.as_secs_f64() / 86_400.0),
            Err(_) => s.clone(),
        },
    }
}

/// A number as typed: an integer value without decimals (3.0 → `3`), else the shortest
/// decimal that reads back as the same number.
fn number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// A time of day (or a duration) from a fraction of a day: `HH:MM`, with seconds only when
/// the cell has them (then the time readers say it is not a whole minute).
fn clock(day: f64) -> String {
    if let Some(t) = Time::from_day_fraction(day) {
        return t.to_string();
    }
    let seconds = (day * 86_400.0).round();
    if !seconds.is_finite() || seconds < 0.0 {
        return number(day);
    }
    let s = seconds as u64;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    fn dt(v: f64) -> Data {
        Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false))
    }

    #[test]
    fn typed_cells_read_as_the_csv_readers_expect() {
        assert_eq!(text(&Data::Float(3.0)), "3");
        assert_eq!(text(&Data::Float(2.5)), "2.5");
        assert_eq!(text(&Data::Int(46456)), "46456");
        assert_eq!(text(&Data::String(" Bianchi ".into())), "Bianchi");
        assert_eq!(text(&dt(46456.0)), "2027-03-10");
        assert_eq!(text(&dt(0.375)), "09:00");
        assert_eq!(text(&dt(0.395_833_333_333_333_3)), "09:30");
        assert_eq!(text(&dt(46456.375)), "2027-03-10 09:00");
        assert_eq!(text(&dt(0.375 + 15.0 / 86_400.0)), "09:00:15");
        let d1904 = Data::DateTime(ExcelDateTime::new(
            44994.0,
            ExcelDateTimeType::DateTime,
            true,
        ));
        assert_eq!(text(&d1904), "2027-03-10");
        assert_eq!(text(&Data::DateTimeIso("2027-03-10".into())), "2027-03-10");
        assert_eq!(
            text(&Data::DateTimeIso("2027-03-10T00:00:00".into())),
            "2027-03-10"
        );
        assert_eq!(text(&Data::DurationIso("PT09H30M00S".into())), "09:30");
        assert_eq!(text(&Data::Bool(true)), "TRUE");
    }
}
