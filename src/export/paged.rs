//! Pages cut by the tool, not by the browser: an agenda's rows go on printed A4 pages by a
//! height model of the print CSS (`html::CSS`) that errs on the long side, so that the number
//! of pages of each agenda is known and the duplex booklet can put everyone on a front page
//! (browsers do not honour `break-before: right`). Each page is its own `.sheet`, whose table
//! header names the participant and the day.

/// Millimetres of an A4 page between the margins (`@page`: 297 − 2 × 12), less 4 mm of slack
/// for rounding in the browser.
const PAGE_MM: f64 = 297.0 - 24.0 - 4.0;

/// The text width between the margins (210 − 2 × 12).
pub(crate) const TEXT_MM: f64 = 186.0;

/// One typographic point in mm.
const PT: f64 = 25.4 / 72.0;

/// Advance widths (thousandths of an em) of Liberation Sans regular and bold, whose metrics are
/// Arial's: the print CSS asks for Arial (Windows, macOS) or Liberation Sans (Linux), for U+0020..=U+007E then U+00A0..=U+00FF; read from the
/// fonts' `hmtx` tables.
const REGULAR: [u16; 191] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 552, 400, 549, 333,
    333, 333, 576, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611, 667, 667, 667, 667, 667, 667,
    1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778,
    722, 722, 722, 722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556,
    278, 278, 278, 278, 556, 556, 556, 556, 556, 556, 556, 549, 611, 556, 556, 556, 556, 500, 556,
    500,
];
const BOLD: [u16; 191] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 552, 400, 549, 333,
    333, 333, 576, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611, 722, 722, 722, 722, 722, 722,
    1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778,
    722, 722, 722, 722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556,
    278, 278, 278, 278, 611, 611, 611, 611, 611, 611, 611, 549, 611, 611, 611, 611, 611, 556, 611,
    556,
];

/// The advance of `c` in ems: measured for Latin-1, a wide letter's for the rest of Latin,
/// Greek and Cyrillic, a full em for anything else (CJK, symbols such as ✗).
fn advance(c: char, bold: bool) -> f64 {
    let table = if bold { &BOLD } else { &REGULAR };
    let u = c as u32;
    let w = match u {
        0x20..=0x7e => table[(u - 0x20) as usize],
        0xa0..=0xff => table[(u - 0xa0 + 95) as usize],
        0x2013 => 556,
        0x0100..=0x04ff => 833,
        _ => 1000,
    };
    f64::from(w) / 1000.0
}

/// The printed width of `text` at `pt` points (bold or not), in mm: the fonts' advances without
/// kerning (which only narrows), 1 % wide for rounding.
pub(crate) fn width(text: &str, pt: f64, bold: bool) -> f64 {
    text.chars().map(|c| advance(c, bold)).sum::<f64>() * pt * PT * 1.01
}

/// The lines `text` takes at `pt` points in a box `mm` wide (`lines_of_runs` with one run).
pub(crate) fn lines(text: &str, mm: f64, pt: f64, bold: bool) -> usize {
    lines_of_runs(&[(text, bold)], mm, pt)
}

/// The lines runs of text (each bold or not) take at `pt` points in a box `mm` wide: broken
/// at spaces only (the browser may also break after a hyphen, which can only save a line), a
/// word longer than the box broken anywhere (`overflow-wrap: anywhere`).
pub(crate) fn lines_of_runs(runs: &[(&str, bool)], mm: f64, pt: f64) -> usize {
    let mut n = 1;
    let mut x = 0.0;
    for &(text, bold) in runs {
        let space = width(" ", pt, bold);
        for word in text.split_whitespace() {
            let w = width(word, pt, bold);
            if x > 0.0 && x + space + w <= mm {
                x += space + w;
                continue;
            }
            if x > 0.0 {
                n += 1;
                x = 0.0;
            }
            if w <= mm {
                x = w;
                continue;
            }
            for c in word.chars() {
                let cw = width(c.encode_utf8(&mut [0; 4]), pt, bold);
                if x > 0.0 && x + cw > mm {
                    n += 1;
                    x = 0.0;
                }
                x += cw;
            }
        }
    }
    n
}

/// A table cell's lines: its column less the padding (2 × 1.4 mm) and the border (1 px).
pub(crate) fn cell_lines(text: &str, col_mm: f64, pt: f64, bold: bool) -> usize {
    lines(text, col_mm - 3.1, pt, bold)
}

/// Height of a table row of `lines` lines in the agenda's type: 3.9 mm a line, 2 × 0.6 mm
/// padding, a 1 px border (0.27 mm), 0.13 mm to spare (measured in Chromium: 5.37 mm a row of
/// one line, 9.27 of two).
pub(crate) fn row_mm(lines: usize) -> f64 {
    lines as f64 * 3.9 + 1.6
}

/// Height of an agenda table's header: the running row (10 pt, 4.4 mm lines, 1.8 mm padding,
/// 1.5 px rule) naming the day and whose agenda, the row of column heads (3.9 mm lines,
/// 2 × 0.8 mm padding, a border), and the 2 mm after the table.
pub(crate) fn table_head_mm(day: &str, who: &str, head_lines: usize) -> f64 {
    // The name floats right on the day's line when both fit, else goes below.
    let running = if width(day, 10.0, true) + width(who, 10.0, false) + 4.0 <= TEXT_MM {
        1.0
    } else {
        2.0
    };
    running * 4.4 + 1.8 + 0.5 + head_lines as f64 * 3.9 + 1.6 + 0.3 + 2.0
}

/// Height of a block of text `mm` wide at `pt` points with `line` (a multiple of the size).
pub(crate) fn text_mm(text: &str, pt: f64, line: f64, bold: bool) -> f64 {
    lines(text, TEXT_MM, pt, bold) as f64 * pt * line * PT
}

/// The text of some markup: tags dropped, `text::html`'s entities read back.
pub(crate) fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Height of a sheet's opening: the event line (8.5 pt, a 1.5 mm padding and a rule), the
/// title (16 pt, 2.5 + 1 mm margins) and the facts (9.5 pt, 2 mm after); lines of 1.3 × the
/// size.
pub(crate) fn head_mm(event_line: &str, title: &str, facts: &str) -> f64 {
    text_mm(&plain(event_line), 8.5, 1.3, true)
        + 1.5
        + 0.3
        + 2.5
        + 1.0
        + text_mm(title, 16.0, 1.3, true)
        + text_mm(facts, 9.5, 1.3, false)
        + 2.0
}

/// Height of a paragraph at 9.5 pt with its 1 em margins (the "no meetings" line).
pub(crate) fn paragraph_mm(text: &str) -> f64 {
    text_mm(text, 9.5, 1.3, false) + 2.0 * 9.5 * PT
}

/// Height of a sheet's footer (8 pt, 3 mm margin, 1.5 mm padding and a rule) and of the
/// legend above it (8 pt, 1 mm margin), when there is one.
pub(crate) fn tail_mm(footer: &str, legend: Option<&str>) -> f64 {
    let legend = legend.map_or(0.0, |t| 1.0 + text_mm(&plain(t), 8.0, 1.3, false));
    legend + 3.0 + 1.5 + 0.3 + text_mm(&plain(footer), 8.0, 1.3, false)
}

/// One table of a sheet (a day): the markup up to `<tbody>`, its height, and its rows with
/// theirs.
pub(crate) struct Table {
    pub open: String,
    pub head_mm: f64,
    pub rows: Vec<(String, f64)>,
}

/// A sheet before it is cut: what opens it (event line, title, facts) with its height, the
/// tables, and what closes it (legend, footer) with its height.
pub(crate) struct Sheet {
    pub head: String,
    pub head_mm: f64,
    pub tables: Vec<Table>,
    pub tail: String,
    pub tail_mm: f64,
}

impl Sheet {
    /// The printed pages, each a `<section class="sheet">`: rows go on while they fit; a table
    /// that goes on to the next page repeats its header there; the last row goes with the
    /// footer. Never an empty page: a row taller than a page still gets one (and overflows).
    pub(crate) fn pages(self) -> Vec<String> {
        const CLOSE: &str = "</tbody>\n</table>\n";
        let total: usize = self.tables.iter().map(|t| t.rows.len()).sum();
        let mut pages = Vec::new();
        let mut page = self.head;
        let mut used = self.head_mm;
        let mut rows_here = 0;
        let mut placed = 0;
        for t in self.tables {
            let mut open = false;
            for (row, h) in t.rows {
                placed += 1;
                let mut need = h + if open { 0.0 } else { t.head_mm };
                if placed == total {
                    need += self.tail_mm;
                }
                if used + need > PAGE_MM && rows_here > 0 {
                    if open {
                        page.push_str(CLOSE);
                    }
                    pages.push(std::mem::take(&mut page));
                    used = 0.0;
                    rows_here = 0;
                    open = false;
                }
                if !open {
                    page.push_str(&t.open);
                    used += t.head_mm;
                    open = true;
                }
                page.push_str(&row);
                used += h;
                rows_here += 1;
            }
            if open {
                page.push_str(CLOSE);
            }
        }
        page.push_str(&self.tail);
        pages.push(page);
        pages
            .into_iter()
            .map(|p| format!("<section class=\"sheet\">\n{p}</section>\n"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_and_lines() {
        // "Time" at 8.8 pt: about 6.6 mm.
        let w = width("Time", 8.8, false);
        assert!((6.0..7.5).contains(&w), "{w}");
        assert_eq!(lines("", 50.0, 8.8, false), 1);
        assert_eq!(lines("Anna Schmidt", 50.0, 8.8, false), 1);
        assert_eq!(lines("Anna Schmidt", 15.0, 8.8, false), 2);
        // A word longer than the box is broken anywhere.
        assert_eq!(lines(&"m".repeat(40), 30.0, 8.8, false), 4);
    }

    fn sheet(rows: usize, row: f64) -> Sheet {
        Sheet {
            head: "H".into(),
            head_mm: 30.0,
            tables: vec![Table {
                open: "<table><tbody>".into(),
                head_mm: 15.0,
                rows: (0..rows).map(|k| (format!("<tr>{k}</tr>"), row)).collect(),
            }],
            tail: "F".into(),
            tail_mm: 15.0,
        }
    }

    #[test]
    fn rows_go_on_the_next_page_with_the_tables_header() {
        assert_eq!(sheet(0, 6.0).pages().len(), 1);
        assert_eq!(sheet(30, 6.0).pages().len(), 1);
        let pages = sheet(60, 6.0).pages();
        assert_eq!(pages.len(), 2);
        assert!(pages[1].contains("<table><tbody>") && pages[1].ends_with("F</section>\n"));
        // Every row once, in order.
        let all = pages.concat();
        assert_eq!(all.matches("<tr>").count(), 60);
        // The last row does not leave the footer alone.
        let n = ((PAGE_MM - 30.0 - 15.0) / 6.0).floor() as usize;
        let pages = sheet(n, 6.0).pages();
        assert_eq!(pages.len(), 2);
        assert!(pages[1].contains(&format!("<tr>{}</tr>", n - 1)));
    }
}
