//! Reading one CSV file the way organisers produce them: Excel's UTF-8 BOM, `;` or tab
//! delimiters, CRLF line ends, trailing empty rows (`;;;`), headers in any case and order.
//! Every row keeps its line number so that later checks can point at it.

use crate::diag::{suggest, Diagnostic, Problems};
use std::collections::HashMap;
use std::path::Path;

/// Largest CSV file we read: far above any real event (a 2,000 × 1,000 trade show's
/// preferences are ~10 MB), far below what would exhaust the machine.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// A column the loader knows about.
pub struct Column {
    pub name: &'static str,
    pub required: bool,
}

pub const fn req(name: &'static str) -> Column {
    Column {
        name,
        required: true,
    }
}
pub const fn opt(name: &'static str) -> Column {
    Column {
        name,
        required: false,
    }
}

pub struct CsvFile {
    pub name: String,
    columns: HashMap<&'static str, usize>,
    pub rows: Vec<Row>,
}

pub struct Row {
    pub line: u64,
    fields: Vec<String>,
}

/// One cell of a row, with the place to report about it.
pub struct Cell<'a> {
    pub value: &'a str,
    pub line: u64,
    pub column: Option<usize>,
}

impl CsvFile {
    /// The cell of a known column (empty when the column is absent or the row is short).
    pub fn cell<'a>(&self, row: &'a Row, column: &str) -> Cell<'a> {
        let idx = self.columns.get(column).copied();
        Cell {
            value: idx
                .and_then(|i| row.fields.get(i))
                .map(String::as_str)
                .unwrap_or(""),
            line: row.line,
            column: idx.map(|i| i + 1),
        }
    }
    pub fn has_column(&self, column: &str) -> bool {
        self.columns.contains_key(column)
    }
    pub fn diag(&self, cell: &Cell, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(&self.name, cell.line, cell.column, message)
    }
}

/// Undoes `csv_cell` when reading our own files back.
pub fn csv_uncell(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

/// Reads `dir/name`. Returns `None` (with the problems recorded) when the file cannot be
/// used at all; row-level checks are the caller's.
pub fn read(dir: &Path, name: &str, spec: &[Column], problems: &mut Problems) -> Option<CsvFile> {
    let path = dir.join(name);
    let shown = path.display().to_string();
    let name = shown.as_str();
    let meta = match std::fs::metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            problems.error(Diagnostic::file(name, "file not found").hint(format!(
                "an event folder holds slots.csv, buyers.csv, firms.csv and preferences.csv \
                 (tables.csv is optional); expected columns: {}; `t4s-schedule init DIR` writes a template",
                column_list(spec)
            )));
            return None;
        }
        Err(e) => {
            problems.error(Diagnostic::file(name, format!("cannot read: {e}")));
            return None;
        }
    };
    if meta.is_dir() {
        problems.error(Diagnostic::file(name, "is a folder, not a CSV file"));
        return None;
    }
    if meta.len() > MAX_FILE_BYTES {
        problems.error(
            Diagnostic::file(
                name,
                format!(
                    "file is too large ({} MB; the limit is {} MB)",
                    meta.len() / 1_000_000,
                    MAX_FILE_BYTES / 1_000_000
                ),
            )
            .hint("is this the right file? an event's CSV files are a few megabytes at most"),
        );
        return None;
    }
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            problems.error(Diagnostic::file(name, format!("cannot read: {e}")));
            return None;
        }
    };
    parse(name, &bytes, spec, problems)
}

fn column_list(spec: &[Column]) -> String {
    spec.iter()
        .map(|c| {
            if c.required {
                c.name.to_string()
            } else {
                format!("[{}]", c.name)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

const UTF8_HINT: &str =
    "save it as UTF-8: in Excel, File > Save As > \"CSV UTF-8 (Comma delimited)\"; \
in LibreOffice, Save As > Text CSV, tick \"Edit filter settings\" and pick \"Unicode (UTF-8)\"";

/// Parses the bytes of a CSV file (separate from `read` so tests and fuzzing need no files).
pub fn parse(
    name: &str,
    bytes: &[u8],
    spec: &[Column],
    problems: &mut Problems,
) -> Option<CsvFile> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        problems.error(
            Diagnostic::file(name, "file is UTF-16 (Excel's \"Unicode Text\"), not UTF-8")
                .hint(UTF8_HINT),
        );
        return None;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let (line, column) = position_of(bytes, e.valid_up_to());
            let byte = bytes[e.valid_up_to()];
            problems.error(
                Diagnostic::at(
                    name,
                    line,
                    Some(column),
                    format!(
                        "file is not UTF-8 (byte 0x{byte:02X}; Windows-1252 / Latin-1 from Excel?)"
                    ),
                )
                .hint(UTF8_HINT),
            );
            return None;
        }
    };
    if text.trim().is_empty() {
        problems.error(Diagnostic::file(name, "file is empty").hint(format!(
            "the first row must name the columns: {}",
            column_list(spec)
        )));
        return None;
    }
    let delimiter = sniff_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());

    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            problems.error(Diagnostic::at(
                name,
                1,
                None,
                format!("cannot read the header row: {e}"),
            ));
            return None;
        }
    };
    let mut columns = HashMap::new();
    let mut ok = true;
    let known: Vec<&str> = spec.iter().map(|c| c.name).collect();
    for (i, h) in headers.iter().enumerate() {
        let norm = h.trim().to_lowercase();
        if norm.is_empty() {
            continue;
        }
        match spec.iter().find(|c| c.name == norm) {
            Some(c) => {
                if columns.insert(c.name, i).is_some() {
                    problems.error(
                        Diagnostic::at(name, 1, Some(i + 1), format!("column '{h}' appears twice"))
                            .hint("delete one of the two columns"),
                    );
                    ok = false;
                }
            }
            None => {
                let mut d = Diagnostic::at(
                    name,
                    1,
                    Some(i + 1),
                    format!("unknown column '{h}' is ignored"),
                );
                if let Some(s) = suggest(&norm, known.iter().copied()) {
                    d = d.hint(format!("did you mean '{s}'?"));
                }
                problems.warn(d);
            }
        }
    }
    for c in spec.iter().filter(|c| c.required) {
        if !columns.contains_key(c.name) {
            let mut hint = format!(
                "the header row must name the columns: {}",
                column_list(spec)
            );
            if delimiter == b',' && headers.len() == 1 && text.contains('\t') {
                hint.push_str("; the file seems to use another delimiter than ',' or ';'");
            }
            problems.error(
                Diagnostic::at(name, 1, None, format!("missing column '{}'", c.name)).hint(hint),
            );
            ok = false;
        }
    }
    if !ok {
        return None;
    }

    // Line numbers from byte offsets: the csv crate counts CRLF rows one line short (a record
    // after CRLF starts at the LF, which still belongs to the row above).
    let newlines: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let line_at = |pos: Option<&csv::Position>| -> u64 {
        pos.map_or(0, |p| {
            newlines.partition_point(|&n| n <= p.byte() as usize) as u64 + 1
        })
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = line_at(e.position());
                problems.error(Diagnostic::at(
                    name,
                    line,
                    None,
                    format!("unreadable row: {e}"),
                ));
                continue;
            }
        };
        let line = line_at(record.position());
        if record.iter().all(|f| f.is_empty()) {
            continue; // Excel's trailing `;;;` rows
        }
        if record.len() > headers.len() && record.iter().skip(headers.len()).any(|f| !f.is_empty())
        {
            problems.error(
                Diagnostic::at(
                    name,
                    line,
                    Some(headers.len() + 1),
                    format!(
                        "row has {} fields but the header has {}",
                        record.len(),
                        headers.len()
                    ),
                )
                .hint(format!(
                    "a value that contains '{}' must be put in double quotes",
                    delimiter as char
                )),
            );
            continue;
        }
        rows.push(Row {
            line,
            fields: record.iter().map(str::to_string).collect(),
        });
    }
    Some(CsvFile {
        name: name.to_string(),
        columns,
        rows,
    })
}

/// 1-based line and column (in characters) of a byte offset.
fn position_of(bytes: &[u8], offset: usize) -> (u64, usize) {
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// The delimiter of the header row: the most frequent of `,`, `;` and tab outside quotes.
/// Italian Excel writes `;` because `,` is the decimal separator there.
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let (mut comma, mut semi, mut tab, mut quoted) = (0, 0, 0, false);
    for ch in header.chars() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => comma += 1,
            ';' if !quoted => semi += 1,
            '\t' if !quoted => tab += 1,
            _ => {}
        }
    }
    if semi > comma && semi >= tab {
        b';'
    } else if tab > comma && tab > semi {
        b'\t'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &[Column] = &[req("id"), req("name"), opt("email")];

    fn parse_ok(bytes: &[u8]) -> (CsvFile, Problems) {
        let mut p = Problems::default();
        let f = parse("t.csv", bytes, SPEC, &mut p).expect("parses");
        (f, p)
    }

    #[test]
    fn excel_variants_load() {
        let (f, p) = parse_ok(b"\xEF\xBB\xBFId;Name\r\nA1;\"Rossi; Bianchi\"\r\n;;\r\n\r\n");
        assert!(p.errors.is_empty());
        assert_eq!(f.rows.len(), 1);
        assert_eq!(f.cell(&f.rows[0], "name").value, "Rossi; Bianchi");
        assert_eq!(f.cell(&f.rows[0], "email").value, "");
        assert_eq!(f.rows[0].line, 2);
    }

    #[test]
    fn latin1_is_rejected_with_position() {
        let mut p = Problems::default();
        assert!(parse("t.csv", b"id,name\nA,Citt\xe0\n", SPEC, &mut p).is_none());
        assert_eq!(p.errors[0].line, Some(2));
        assert_eq!(p.errors[0].column, Some(7));
        assert!(p.errors[0].hint.as_ref().unwrap().contains("UTF-8"));
    }

    #[test]
    fn missing_and_unknown_columns() {
        let mut p = Problems::default();
        assert!(parse("t.csv", b"id,nme\nA,B\n", SPEC, &mut p).is_none());
        assert_eq!(p.errors[0].message, "missing column 'name'");
        assert_eq!(p.warnings[0].hint.as_deref(), Some("did you mean 'name'?"));
    }

    #[test]
    fn tab_delimited() {
        let (f, _) = parse_ok(b"id\tname\nA\tAlpha\n");
        assert_eq!(f.cell(&f.rows[0], "name").value, "Alpha");
    }
}
