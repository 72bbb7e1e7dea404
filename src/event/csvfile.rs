//! Reading one CSV file the way organisers produce them: Excel's UTF-8 BOM, Windows-1252 (what
//! Excel's plain "CSV" writes), UTF-16 with a BOM ("Unicode Text"), `;` or tab delimiters,
//! CRLF line ends, trailing empty rows (`;;;`), headers in any case and order. Every row keeps
//! its line number so that later checks can point at it.

use super::sheet::{column_list, Column, Header, Row, Sheet};
use crate::diag::{Diagnostic, Problems};
use std::borrow::Cow;
use std::path::Path;

/// Largest file we read: far above any real event (a 2,000 × 1,000 trade show's
/// preferences are ~10 MB), far below what would exhaust the machine.
pub(crate) const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// The bytes of a list's file, after the checks every file gets (it exists, it is a file, it
/// Undoes `csv_cell` when reading our own files back.
pub(crate) fn csv_uncell(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

/// is not absurdly large). `None` with the problem recorded.
pub(crate) fn file_bytes(path: &Path, what: &str, problems: &mut Problems) -> Option<Vec<u8>> {
    let name = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            problems.error(Diagnostic::file(&name, format!("cannot read: {e}")));
            return None;
        }
    };
    if meta.is_dir() {
        problems.error(Diagnostic::file(&name, format!("is a folder, not {what}")));
        return None;
    }
    if meta.len() > MAX_FILE_BYTES {
        problems.error(
            Diagnostic::file(
                &name,
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
    match std::fs::read(path) {
        Ok(b) => Some(b),
        Err(e) => {
            problems.error(Diagnostic::file(&name, format!("cannot read: {e}")));
            None
        }
    }
}

/// Reads the CSV file at `path` (shown in messages as given). Returns `None` (with the
/// problems recorded) when the file cannot be used at all; row-level checks are the caller's.
pub(crate) fn read(path: &Path, spec: &[Column], problems: &mut Problems) -> Option<Sheet> {
    let bytes = file_bytes(path, "a CSV file", problems)?;
    parse(&path.display().to_string(), &bytes, spec, problems)
}

/// How to save a CSV file as UTF-8, with the menus of English and Italian Excel.
pub(crate) const UTF8_HINT: &str =
    "save it as UTF-8: in Excel, File > Save As > \"CSV UTF-8 (Comma delimited)\" \
(Italian Excel: File > Salva con nome > \"CSV UTF-8 (delimitato da virgole)\"); in LibreOffice, \
Save As > Text CSV, tick \"Edit filter settings\" and pick \"Unicode (UTF-8)\"";

/// The text of a CSV file. The rule (documented in the README): a byte-order mark says UTF-8
/// or UTF-16 (LE or BE); without one, a file that is valid UTF-8 is UTF-8, and one that is not
/// is Windows-1252 (what Excel's plain "CSV" writes: every byte is a character, so nothing is
/// lost) with one warning; but a file that holds both UTF-8 characters and bytes that are not
/// UTF-8 mixes two encodings, and reading it either way would garble names: an error.
pub(crate) fn decode<'a>(
    name: &str,
    bytes: &'a [u8],
    problems: &mut Problems,
) -> Option<Cow<'a, str>> {
    let utf16 = if bytes.starts_with(&[0xFF, 0xFE]) {
        Some((encoding_rs::UTF_16LE, "UTF-16 LE"))
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        Some((encoding_rs::UTF_16BE, "UTF-16 BE"))
    } else {
        None
    };
    if let Some((enc, label)) = utf16 {
        return match enc.decode_without_bom_handling_and_without_replacement(&bytes[2..]) {
            Some(text) => Some(Cow::Owned(text.into_owned())),
            None => {
                problems.error(
                    Diagnostic::file(
                        name,
                        format!("file starts as {label} but is not valid {label}"),
                    )
                    .hint(UTF8_HINT),
                );
                None
            }
        };
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        problems.error(
            Diagnostic::file(name, "file is an Excel workbook, not a CSV file")
                .hint("name it .xlsx (or .xls) and it is read as a workbook, or save it as CSV"),
        );
        return None;
    }
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let body = if bom { &bytes[3..] } else { bytes };
    if let Some(pos) = body.iter().position(|&b| b == 0) {
        let (line, column) = position_of(body, pos);
        problems.error(
            Diagnostic::at(
                name,
                line,
                Some(column),
                "file holds NUL bytes: UTF-16 without a byte-order mark, or not a text file",
            )
            .hint(UTF8_HINT),
        );
        return None;
    }
    let err = match std::str::from_utf8(body) {
        Ok(t) => return Some(Cow::Borrowed(t)),
        Err(e) => e,
    };
    let bad = err.valid_up_to();
    let utf8_chars = body.utf8_chunks().any(|c| !c.valid().is_ascii());
    if bom || utf8_chars {
        let (line, column) = position_of(body, bad);
        problems.error(
            Diagnostic::at(
                name,
                line,
                Some(column),
                format!(
                    "file mixes UTF-8 with another encoding (byte 0x{:02X} is not UTF-8)",
                    body[bad]
                ),
            )
            .hint(format!(
                "the file was pasted together from two sources; retype the names around this \
                 place, then {UTF8_HINT}"
            )),
        );
        return None;
    }
    problems.warn(
        Diagnostic::file(
            name,
            "not UTF-8: read as Windows-1252, what Excel's plain \"CSV\" writes \
             (\"CSV (delimitato dal separatore di elenco)\")",
        )
        .hint(format!(
            "check that accented names print right in the agendas; to make sure, {UTF8_HINT}"
        )),
    );
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(body);
    Some(text)
}

/// Parses the bytes of a CSV file (separate from `read` so tests and fuzzing need no files).
pub(crate) fn parse(
    name: &str,
    bytes: &[u8],
    spec: &[Column],
    problems: &mut Problems,
) -> Option<Sheet> {
    let text = decode(name, bytes, problems)?;
    let text: &str = &text;
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
    let header: Vec<String> = headers.iter().map(str::to_string).collect();
    let tab_note = (delimiter == b',' && headers.len() == 1 && text.contains('\t'))
        .then_some("; the file seems to use another delimiter than ',' or ';'");
    let header = Header {
        line: 1,
        first_column: 1,
        fields: &header,
    };
    let mut sheet = Sheet::with_header(name, None, header, spec, tab_note, problems)?;

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
        if record.iter().all(str::is_empty) {
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
        sheet.rows.push(Row {
            line,
            fields: record.iter().map(str::to_string).collect(),
        });
    }
    Some(sheet)
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
    use crate::event::sheet::{opt, req};

    const SPEC: &[Column] = &[req("id"), req("name"), opt("email")];

    fn parse_ok(bytes: &[u8]) -> (Sheet, Problems) {
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
    fn windows_1252_is_read_with_one_warning() {
        let (f, p) = parse_ok(b"id;name\r\nA;Citt\xe0 \x80\r\nB;J\xfcrgen M\xfcller\r\n");
        assert_eq!(f.cell(&f.rows[0], "name").value, "Citt\u{e0} \u{20ac}");
        assert_eq!(f.cell(&f.rows[1], "name").value, "J\u{fc}rgen M\u{fc}ller");
        assert!(p.errors.is_empty());
        assert_eq!(p.warnings.len(), 1);
        assert!(p.warnings[0].message.contains("Windows-1252"));
        assert!(p.warnings[0]
            .hint
            .as_ref()
            .unwrap()
            .contains("Salva con nome"));
    }

    #[test]
    fn mixed_encodings_are_rejected_with_position() {
        let mut p = Problems::default();
        let bytes = "id,name\nA,J\u{fc}rgen\nB,Citt"
            .bytes()
            .chain([0xe0, b'\n']);
        let bytes: Vec<u8> = bytes.collect();
        assert!(parse("t.csv", &bytes, SPEC, &mut p).is_none());
        assert_eq!(p.errors[0].line, Some(3));
        assert_eq!(p.errors[0].column, Some(7));
        assert!(p.errors[0].hint.as_ref().unwrap().contains("UTF-8"));
        // A UTF-8 mark followed by bytes that are not UTF-8: the mark is wrong, not a guess.
        let mut p = Problems::default();
        assert!(parse("t.csv", b"\xEF\xBB\xBFid,name\nA,Citt\xe0\n", SPEC, &mut p).is_none());
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_read() {
        let text = "id;name\r\nA;J\u{fc}rgen \u{20ac}\r\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for bytes in [le, be] {
            let (f, p) = parse_ok(&bytes);
            assert_eq!(f.cell(&f.rows[0], "name").value, "J\u{fc}rgen \u{20ac}");
            assert!(p.warnings.is_empty());
        }
        // Without the mark: NUL bytes, an error that says what it probably is.
        let mut p = Problems::default();
        let bare: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert!(parse("t.csv", &bare, SPEC, &mut p).is_none());
        assert!(p.errors[0]
            .message
            .contains("UTF-16 without a byte-order mark"));
        // An odd number of bytes after the mark is not UTF-16.
        let mut p = Problems::default();
        assert!(parse("t.csv", &[0xFF, 0xFE, b'i'], SPEC, &mut p).is_none());
    }

    #[test]
    fn a_workbook_named_csv_is_named_as_such() {
        let mut p = Problems::default();
        assert!(parse("t.csv", b"PK\x03\x04rest", SPEC, &mut p).is_none());
        assert_eq!(
            p.errors[0].message,
            "file is an Excel workbook, not a CSV file"
        );
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
