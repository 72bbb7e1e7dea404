//! One list of an event as a table of rows, whatever it came from: a CSV file (places are
//! `file:line:column`) or a sheet of a workbook (places are `file [sheet] C4`). The readers of
//! the event, of schedules and of plan folders ask cells by column name and report problems
//! through `diag`, so they never care which it was.

use crate::diag::{place, suggest, Diagnostic, Problems};
use std::collections::HashMap;

/// A column the loader knows about.
pub(crate) struct Column {
    pub name: &'static str,
    pub required: bool,
}

pub(crate) const fn req(name: &'static str) -> Column {
    Column {
        name,
        required: true,
    }
}
pub(crate) const fn opt(name: &'static str) -> Column {
    Column {
        name,
        required: false,
    }
}

pub(crate) fn column_list(spec: &[Column]) -> String {
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

/// The header row of a list: where it is, and its fields (`fields[i]` is the field of
/// column `first_column + i`).
pub(crate) struct Header<'a> {
    pub line: u64,
    pub first_column: usize,
    pub fields: &'a [String],
}

pub(crate) struct Sheet {
    /// The file as shown in messages.
    pub name: String,
    /// The sheet, when the list is a sheet of a workbook.
    pub sheet: Option<String>,
    columns: HashMap<&'static str, usize>,
    /// The column number (1 = A) of a row's first field: 1 in a CSV file, a sheet's first
    /// used column.
    first_column: usize,
    pub rows: Vec<Row>,
}

pub(crate) struct Row {
    /// The line of a CSV file, the row number of a sheet.
    pub line: u64,
    pub(crate) fields: Vec<String>,
}

/// One cell of a row, with the place to report about it.
pub(crate) struct Cell<'a> {
    pub value: &'a str,
    pub line: u64,
    /// 1-based (in a sheet, 1 = A); `None` when the column is absent.
    pub column: Option<usize>,
}

impl Sheet {
    /// Maps a header row onto `spec`: unknown columns are warned about ("did you mean"), a
    /// column named twice or a required one missing is an error (then `None`).
    /// `missing_hint` is added to a missing column's hint (e.g. a note on delimiters).
    pub(crate) fn with_header(
        name: &str,
        sheet: Option<&str>,
        header: Header,
        spec: &[Column],
        missing_hint: Option<&str>,
        problems: &mut Problems,
    ) -> Option<Sheet> {
        let Header {
            line: header_line,
            first_column,
            fields: header,
        } = header;
        let mut s = Sheet {
            name: name.to_string(),
            sheet: sheet.map(str::to_string),
            columns: HashMap::new(),
            first_column,
            rows: Vec::new(),
        };
        let mut ok = true;
        let known: Vec<&str> = spec.iter().map(|c| c.name).collect();
        for (i, h) in header.iter().enumerate() {
            let norm = h.trim().to_lowercase();
            if norm.is_empty() {
                continue;
            }
            let column = Some(first_column + i);
            match spec.iter().find(|c| c.name == norm) {
                Some(c) => {
                    if s.columns.insert(c.name, i).is_some() {
                        problems.error(
                            s.at_column(header_line, column, format!("column '{h}' appears twice"))
                                .hint("delete one of the two columns"),
                        );
                        ok = false;
                    }
                }
                None => {
                    let mut d = s.at_column(
                        header_line,
                        column,
                        format!("unknown column '{h}' is ignored"),
                    );
                    if let Some(sug) = suggest(&norm, known.iter().copied()) {
                        d = d.hint(format!("did you mean '{sug}'?"));
                    }
                    problems.warn(d);
                }
            }
        }
        for c in spec.iter().filter(|c| c.required) {
            if !s.columns.contains_key(c.name) {
                let mut hint = format!(
                    "the header row must name the columns: {}",
                    column_list(spec)
                );
                if let Some(extra) = missing_hint {
                    hint.push_str(extra);
                }
                problems.error(
                    s.at_column(header_line, None, format!("missing column '{}'", c.name))
                        .hint(hint),
                );
                ok = false;
            }
        }
        ok.then_some(s)
    }

    /// Whether field `i` of a row belongs to a known column.
    pub(crate) fn is_known(&self, i: usize) -> bool {
        self.columns.values().any(|&k| k == i)
    }

    /// The column number of field `i`.
    pub(crate) fn column_of(&self, i: usize) -> usize {
        self.first_column + i
    }

    fn at_column(&self, line: u64, column: Option<usize>, msg: String) -> Diagnostic {
        Diagnostic::at(&self.name, line, column, msg).in_sheet(self.sheet.as_deref())
    }

    /// The cell of a known column (empty when the column is absent or the row is short).
    pub(crate) fn cell<'a>(&self, row: &'a Row, column: &str) -> Cell<'a> {
        let idx = self.columns.get(column).copied();
        Cell {
            value: idx
                .and_then(|i| row.fields.get(i))
                .map_or("", String::as_str),
            line: row.line,
            column: idx.map(|i| self.first_column + i),
        }
    }
    pub(crate) fn has_column(&self, column: &str) -> bool {
        self.columns.contains_key(column)
    }
    /// A problem of one cell.
    pub(crate) fn diag(&self, cell: &Cell, message: impl Into<String>) -> Diagnostic {
        self.at_column(cell.line, cell.column, message.into())
    }
    /// A problem of a row as a whole.
    pub(crate) fn at(&self, line: u64, message: impl Into<String>) -> Diagnostic {
        self.at_column(line, None, message.into())
    }
    /// A problem of the whole list.
    pub(crate) fn whole(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::file(&self.name, message).in_sheet(self.sheet.as_deref())
    }
    /// Where a row is, for a message about another row: `ev/buyers.csv:3`,
    /// `ev/event.xlsx [buyers] row 3`.
    pub(crate) fn place(&self, line: u64) -> String {
        place(&self.name, self.sheet.as_deref(), line)
    }
}
