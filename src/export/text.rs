//! Safe text for the files we write: CSV cells that Excel will not run as formulas, Markdown
//! that prints names as they are, and calendar words.

/// CSV formula injection (OWASP): a cell starting with `=`, `+`, `-`, `@`, tab or CR is
/// prefixed with `'` so spreadsheets show it as text instead of evaluating it.
pub(crate) fn csv_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// A CSV file as bytes: header, then rows, every cell through `csv_cell`.
pub(crate) fn csv_bytes(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(header)?;
    for row in rows {
        w.write_record(row.iter().map(|c| csv_cell(c)))?;
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}

/// Escapes Markdown's active characters so that a name prints as written.
pub(crate) fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::csvfile::csv_uncell;

    #[test]
    fn formulas_are_neutralised_and_restored() {
        for s in ["=HYPERLINK(\"x\")", "+39 055", "-1", "@SUM(A1)", "\tx"] {
            assert_eq!(csv_cell(s), format!("'{s}"));
            assert_eq!(csv_uncell(&csv_cell(s)), s);
        }
        assert_eq!(csv_cell("Rossi"), "Rossi");
        assert_eq!(csv_uncell("'quoted"), "'quoted");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            html("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
    }

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(md("A|B *x* <b>"), "A\\|B \\*x\\* \\<b\\>");
    }
}
