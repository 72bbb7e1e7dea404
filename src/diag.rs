//! Problems found in the input, each with its place and a hint, so that an organiser can fix
//! every one of them in a single pass. A place is `file:line[:column]` in a CSV file and
//! `file [sheet] C4` (or `file [sheet] row 4`) in a workbook, as Excel names its cells.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    /// The sheet of a workbook; `line` is then its row and `column` its column (1 = A).
    pub sheet: Option<String>,
    pub line: Option<u64>,
    pub column: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn file(file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_string(),
            sheet: None,
            line: None,
            column: None,
            message: message.into(),
            hint: None,
        }
    }
    pub fn at(file: &str, line: u64, column: Option<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_string(),
            sheet: None,
            line: Some(line),
            column,
            message: message.into(),
            hint: None,
        }
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    /// The same place in a sheet of a workbook.
    pub fn in_sheet(mut self, sheet: Option<&str>) -> Self {
        self.sheet = sheet.map(str::to_string);
        self
    }
}

/// Excel's name of a column: 1 → A, 26 → Z, 27 → AA.
pub(crate) fn column_letters(mut column: usize) -> String {
    let mut out = Vec::new();
    while column > 0 {
        let k = (column - 1) % 26;
        out.push(b'A' + k as u8);
        column = (column - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Where a row is, for messages that point at another row: `ev/buyers.csv:3`,
/// `ev/event.xlsx [buyers] row 3`.
pub(crate) fn place(file: &str, sheet: Option<&str>, line: u64) -> String {
    match sheet {
        None => format!("{file}:{line}"),
        Some(s) => format!("{file} [{s}] row {line}"),
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        match &self.sheet {
            None => {
                if let Some(line) = self.line {
                    write!(f, ":{line}")?;
                    if let Some(col) = self.column {
                        write!(f, ":{col}")?;
                    }
                }
            }
            Some(sheet) => {
                write!(f, " [{sheet}]")?;
                match (self.line, self.column) {
                    (Some(line), Some(col)) => write!(f, " {}{line}", column_letters(col))?,
                    (Some(line), None) => write!(f, " row {line}")?,
                    (None, _) => {}
                }
            }
        }
        write!(f, ": {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// All the problems of one load, reported together.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

impl Problems {
    pub(crate) fn error(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }
    pub(crate) fn warn(&mut self, d: Diagnostic) {
        self.warnings.push(d);
    }
    pub(crate) fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// The error a failed load turns into: every problem, one per paragraph.
#[derive(Debug)]
pub struct InvalidInput {
    /// What was being read: "event" or "schedule".
    pub subject: &'static str,
    pub errors: Vec<Diagnostic>,
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        writeln!(
            f,
            "the {} has {n} problem{}; nothing was written",
            self.subject,
            if n == 1 { "" } else { "s" }
        )?;
        for (i, d) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidInput {}

/// Edit distance counting a swap of two neighbouring letters as one edit (optimal string
/// alignment), for "did you mean" hints on ids and column names: `emial` is one typo of `email`.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// The closest of `candidates` to `word`, if it is close enough to be a plausible typo.
pub(crate) fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    // Ties go to the smallest candidate, so hints do not depend on hash order.
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(&lower, &c.to_lowercase());
        if best.is_none_or(|b| (d, c) < b) {
            best = Some((d, c));
        }
    }
    let limit = (word.chars().count() / 3).max(1);
    best.filter(|&(d, _)| d <= limit).map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_with_and_without_column() {
        let d = Diagnostic::at("slots.csv", 3, Some(2), "bad date").hint("use YYYY-MM-DD");
        assert_eq!(
            d.to_string(),
            "slots.csv:3:2: bad date\n  hint: use YYYY-MM-DD"
        );
        let d = Diagnostic::file("firms.csv", "file not found");
        assert_eq!(d.to_string(), "firms.csv: file not found");
    }

    #[test]
    fn places_in_a_workbook_are_named_as_excel_names_cells() {
        let d = Diagnostic::at("event.xlsx", 4, Some(3), "bad date").in_sheet(Some("slots"));
        assert_eq!(d.to_string(), "event.xlsx [slots] C4: bad date");
        let d = Diagnostic::at("event.xlsx", 4, None, "overlap").in_sheet(Some("fasce"));
        assert_eq!(d.to_string(), "event.xlsx [fasce] row 4: overlap");
        let d = Diagnostic::file("event.xlsx", "no slots").in_sheet(Some("slots"));
        assert_eq!(d.to_string(), "event.xlsx [slots]: no slots");
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(703), "AAA");
        assert_eq!(place("b.csv", None, 3), "b.csv:3");
        assert_eq!(place("e.xlsx", Some("buyers"), 3), "e.xlsx [buyers] row 3");
    }

    #[test]
    fn suggestions_catch_typos_only() {
        assert_eq!(suggest("emial", ["email", "name"]), Some("email"));
        assert_eq!(suggest("F012", ["F012", "F021"]), Some("F012"));
        assert_eq!(suggest("zzzzzz", ["email", "name"]), None);
    }
}
