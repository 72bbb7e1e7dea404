//! Printable HTML: self-contained pages (inline CSS, no scripts, no network), A4 print CSS.
//! One agenda per participant and the booklet of all of them, one page each.

use super::agenda::{self, counterpart, days, facts, table_id, Row};
use super::text::html as esc;
use super::{Ctx, Export, OutFile};
use crate::event::{PartId, Participant};
use crate::id::ids;
use crate::lang::fill;
use anyhow::Result;
use std::fmt::Write;

/// The style sheet every page carries. Print: A4 with margins, one `.sheet` per page, tables
/// that do not split a row across pages; landscape pages for the wide floor grid.
pub(crate) const CSS: &str = r#"
@page { size: A4; margin: 12mm 12mm; }
@page wide { size: A4 landscape; margin: 9mm; }
* { box-sizing: border-box; }
body { font-family: "Helvetica Neue", Arial, "Liberation Sans", sans-serif; font-size: 9.5pt;
       color: #111; margin: 0; line-height: 1.3; }
.sheet { padding: 0; }
.sheet + .sheet { break-before: page; }
.wide { page: wide; }
.event { color: #555; font-size: 8.5pt; border-bottom: 1px solid #bbb; padding-bottom: 1.5mm; }
h1 { font-size: 16pt; margin: 2.5mm 0 1mm; line-height: 1.3; }
h2 { font-size: 11.5pt; margin: 4mm 0 1.5mm; break-after: avoid; }
.facts { color: #333; margin: 0 0 2mm; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2mm; table-layout: fixed; }
th, td { border: 1px solid #999; padding: 0.8mm 1.4mm; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #eee; font-weight: 600; }
tr { break-inside: avoid; }
thead { display: table-header-group; }
tr.running th { background: none; border: 0; border-bottom: 1.5px solid #333; padding: 1mm 0 0.8mm;
                font-size: 10pt; }
tr.running .day { font-weight: 700; }
tr.running .who { float: right; font-weight: 400; color: #333; white-space: nowrap; }
.agenda td, .agenda th { font-size: 8.8pt; line-height: 3.9mm; }
.agenda tr.running th { font-size: 10pt; line-height: 4.4mm; }
td.time { white-space: nowrap; font-variant-numeric: tabular-nums; }
td.table { font-weight: 600; }
tr.break td, tr.pause td { color: #666; font-style: italic; background: #fafafa; }
.warn { color: #a40000; }
.legend { font-size: 8pt; margin: 1mm 0 0; }
.small { font-size: 8pt; color: #444; }
.grid td { font-size: 7.5pt; line-height: 1.2; }
.grid th { font-size: 7.5pt; }
.grid col.time { width: 22mm; }
.grid td.busy { background: #f3f6fb; }
.grid hr { border: 0; border-top: 1px dotted #999; margin: 0.5mm 0; }
.figures th { width: 45mm; }
footer { color: #555; font-size: 8pt; margin-top: 3mm; border-top: 1px solid #ddd; padding-top: 1.5mm;
         break-before: avoid; break-inside: avoid; }
@media screen { body { max-width: 200mm; margin: 0 auto; padding: 8mm; }
  .wide { max-width: none; } .sheet + .sheet { border-top: 3px dashed #ccc; margin-top: 8mm; }
  .back { display: none; } }
"#;

/// A whole HTML document around `body`.
pub(crate) fn page(ctx: &Ctx, title: &str, body: &str) -> Vec<u8> {
    let mut s = String::with_capacity(body.len() + CSS.len() + 256);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"t4s-schedule\">\n<title>{}</title>\n<style>{CSS}</style>\n\
         </head>\n<body>\n{body}</body>\n</html>\n",
        ctx.labels.code,
        esc(title)
    );
    s.into_bytes()
}

/// The event's name, dates, venue and address, as the line above every sheet.
pub(crate) fn event_line(ctx: &Ctx) -> String {
    let (ev, l) = (ctx.event, ctx.labels);
    let mut parts = Vec::new();
    if !ev.info.name.is_empty() {
        parts.push(format!("<strong>{}</strong>", esc(&ev.info.name)));
    }
    let days = ev.days();
    if let (Some(first), Some(last)) = (days.first(), days.last()) {
        if first == last {
            parts.push(esc(&l.long_date(*first)));
        } else {
            parts.push(format!(
                "{} – {}",
                esc(&l.long_date(*first)),
                esc(&l.long_date(*last))
            ));
        }
    }
    for v in [&ev.info.venue, &ev.info.address] {
        if !v.is_empty() {
            parts.push(esc(v));
        }
    }
    format!("<div class=\"event\">{}</div>\n", parts.join(" · "))
}

/// The footer of a sheet: time zone, organiser and contact.
pub(crate) fn footer(ctx: &Ctx) -> String {
    let (ev, l) = (ctx.event, ctx.labels);
    let mut parts = vec![esc(&fill(l.times_in, &[&ctx.style.timezone]))];
    if !ev.info.organiser.is_empty() {
        parts.push(format!("{}: {}", l.organiser, esc(&ev.info.organiser)));
    }
    if !ev.info.contact.is_empty() {
        parts.push(format!("{}: {}", l.contact, esc(&ev.info.contact)));
    }
    parts.push(esc(l.made_with));
    format!("<footer>{}</footer>\n", parts.join(" · "))
}

/// Which languages the two can speak together: the shared ones, else ✗ and theirs (the
/// footer says what ✗ means). Short, so that a row stays on one line.
fn language_hint(ctx: &Ctx, me: &Participant, other: &Participant) -> (String, bool) {
    let l = ctx.labels;
    let shared: Vec<&str> = other
        .languages
        .iter()
        .filter(|x| me.languages.iter().any(|y| y.eq_ignore_ascii_case(x)))
        .map(String::as_str)
        .collect();
    if !shared.is_empty() {
        (esc(&fill(l.shared_language, &[&shared.join(", ")])), false)
    } else if me.languages.is_empty() || other.languages.is_empty() {
        (esc(&other.languages.join(", ")), false)
    } else {
        let theirs = other.languages.join(", ");
        (
            format!(
                "<span class=\"warn\" title=\"{}\">✗ {}</span>",
                esc(&fill(l.no_shared_language, &[&theirs])),
                esc(&theirs)
            ),
            true,
        )
    }
}

/// The columns of `p`'s agenda: a column that would say nothing is left out (no tables.csv:
/// no Table; company names that are the counterpart's own name: no Company; counterparts all
/// from one country, or none given: no Country), so the others get the width and rows stay
/// on one line.
struct Columns {
    table: bool,
    company: bool,
    country: bool,
}

impl Columns {
    fn of(ctx: &Ctx, p: PartId) -> Columns {
        let ev = ctx.event;
        let mut c = Columns {
            table: false,
            company: false,
            country: false,
        };
        let mut first_country = None;
        for m in ctx.agenda(p) {
            let other = ev.part(ev.pair(m.pair).other(p));
            c.table |= m.table.is_some();
            c.company |= !other.company.is_empty() && other.company != counterpart(other);
            c.country |= *first_country.get_or_insert(&other.country) != &other.country;
        }
        c
    }
    fn count(&self) -> usize {
        3 + usize::from(self.table) + usize::from(self.company) + usize::from(self.country)
    }
    /// Widths in mm on A4 portrait (186 mm between the margins): time, table, name,
    /// company, country, languages.
    fn widths(&self) -> [f64; 6] {
        let table = if self.table { 13.0 } else { 0.0 };
        let country = if self.country { 22.0 } else { 0.0 };
        let rest = 186.0 - 21.0 - table - country - 24.0;
        let (name, company) = if self.company {
            (rest * 0.4, rest * 0.6)
        } else {
            (rest, 0.0)
        };
        [21.0, table, name, company, country, 24.0]
    }
}

/// The heading row every agenda table repeats on each printed page (a table's `thead`):
/// whose agenda, and which day.
pub(crate) fn running_row(span: usize, left: &str, right: &str) -> String {
    format!(
        "<tr class=\"running\"><th colspan=\"{span}\"><span class=\"day\">{}</span><span class=\"who\">{}</span></th></tr>\n",
        esc(left),
        esc(right)
    )
}

/// One participant's agenda as a sheet (a printed page or more): one table per day, whose
/// repeated header names the participant and the day on every page it spans.
pub(crate) fn agenda_sheet(ctx: &Ctx, p: PartId) -> String {
    let (ev, l) = (ctx.event, ctx.labels);
    let me = ev.part(p);
    let cols = Columns::of(ctx, p);
    let n = cols.count();
    let mut s = String::from("<section class=\"sheet\">\n");
    s.push_str(&event_line(ctx));
    let _ = writeln!(
        s,
        "<h1>{}</h1>\n<p class=\"facts\">{}</p>",
        esc(&fill(l.agenda_of, &[&me.display()])),
        facts(ctx, p)
            .iter()
            .map(|f| esc(f))
            .collect::<Vec<_>>()
            .join(" · ")
    );
    let days = days(ctx, p);
    if days.is_empty() {
        let _ = writeln!(s, "<p>{}</p>", esc(l.no_meetings));
    }
    let w = cols.widths();
    let mut colgroup = format!("<col style=\"width:{}mm\">", w[0]);
    let mut heads = format!("<th>{}</th>", l.time);
    if cols.table {
        let _ = write!(colgroup, "<col style=\"width:{}mm\">", w[1]);
        let _ = write!(heads, "<th>{}</th>", l.table);
    }
    let _ = write!(colgroup, "<col style=\"width:{:.1}mm\">", w[2]);
    let _ = write!(heads, "<th>{}</th>", l.meeting_with);
    if cols.company {
        let _ = write!(colgroup, "<col style=\"width:{:.1}mm\">", w[3]);
        let _ = write!(heads, "<th>{}</th>", l.company);
    }
    if cols.country {
        let _ = write!(colgroup, "<col style=\"width:{}mm\">", w[4]);
        let _ = write!(heads, "<th>{}</th>", l.country);
    }
    let _ = write!(colgroup, "<col style=\"width:{}mm\">", w[5]);
    let _ = write!(heads, "<th>{}</th>", l.language_hint);
    let mut any_warning = false;
    for day in days {
        let _ = write!(
            s,
            "<table class=\"agenda\">\n<colgroup>{colgroup}</colgroup>\n<thead>\n{}<tr>{heads}</tr>\n</thead>\n<tbody>\n",
            running_row(n, &l.long_date(day.date), &me.name),
        );
        for row in day.rows {
            match row {
                Row::Pause => {
                    let _ = writeln!(
                        s,
                        "<tr class=\"pause\"><td colspan=\"{n}\">{}</td></tr>",
                        esc(l.pause_between_sessions)
                    );
                }
                Row::Break(a, b) => {
                    let _ = writeln!(
                        s,
                        "<tr class=\"break\"><td class=\"time\">{}–{}</td><td colspan=\"{}\">{}</td></tr>",
                        ev.slot(a).start,
                        ev.slot(b).end,
                        n - 1,
                        esc(l.break_row)
                    );
                }
                Row::Extra(e) => {
                    let venue = ev.venue_text(e.venue);
                    let _ = writeln!(
                        s,
                        "<tr class=\"programme\"><td class=\"time\">{}–{}</td><td colspan=\"{}\"><b>{}</b>{}</td></tr>",
                        e.start,
                        e.end,
                        n - 1,
                        esc(&super::programme::title(ctx, &e)),
                        if venue.is_empty() {
                            String::new()
                        } else {
                            format!(" · {}", esc(&venue))
                        }
                    );
                }
                Row::Travel(minutes, to) => {
                    let _ = writeln!(
                        s,
                        "<tr class=\"travel\"><td class=\"time\"></td><td colspan=\"{}\">{}</td></tr>",
                        n - 1,
                        esc(&super::programme::travel_text(ctx, minutes, to))
                    );
                }
                Row::Meeting(m) => {
                    let slot = ev.slot(m.slot);
                    let other = ev.part(ev.pair(m.pair).other(p));
                    let _ = write!(s, "<tr><td class=\"time\">{}–{}</td>", slot.start, slot.end);
                    if cols.table {
                        let _ = write!(s, "<td class=\"table\">{}</td>", esc(&table_id(ev, m)));
                    }
                    let _ = write!(s, "<td>{}</td>", esc(&super::agenda::with_role(other)));
                    if cols.company {
                        let company = if other.company == counterpart(other) {
                            ""
                        } else {
                            &other.company
                        };
                        let _ = write!(s, "<td>{}</td>", esc(company));
                    }
                    if cols.country {
                        let _ = write!(s, "<td>{}</td>", esc(&other.country));
                    }
                    let (hint, warn) = match m.interpreter {
                        Some(k) => (
                            esc(&format!("{}: {}", l.interpreter, ev.interpreter(k).name)),
                            false,
                        ),
                        None => language_hint(ctx, me, other),
                    };
                    any_warning |= warn;
                    let _ = writeln!(s, "<td>{hint}</td></tr>");
                }
            }
        }
        s.push_str("</tbody>\n</table>\n");
    }
    if any_warning {
        let _ = writeln!(
            s,
            "<p class=\"legend\"><span class=\"warn\">✗</span> {}</p>",
            esc(l.no_shared_legend)
        );
    }
    s.push_str(&footer(ctx));
    s.push_str("</section>\n");
    s
}

/// The printed pages of `p`'s agenda, estimated from the print CSS (A4 portrait, sizes in
/// mm): rows of one line, a second line where a name is longer than its column. Erring on
/// the long side; the booklet uses it for duplex printing.
pub(crate) fn agenda_pages(ctx: &Ctx, p: PartId) -> usize {
    let (ev, l) = (ctx.event, ctx.labels);
    let me = ev.part(p);
    let cols = Columns::of(ctx, p);
    let w = cols.widths();
    // Average glyph widths (mm) at the print sizes, measured on Chromium's PDFs (Liberation
    // Sans) and rounded up: 8.8 pt table text 1.51, 16 pt bold title 2.9, 8.5 pt event line
    // 1.45.
    let lines = |text: &str, width: f64, glyph: f64| -> f64 {
        let chars = text.chars().count() as f64;
        (chars * glyph / (width - 2.8)).ceil().max(1.0)
    };
    // A row: its lines of 3.9 mm, padding and border 1.9 mm.
    let (row_line, row_pad) = (3.9, 1.9);
    let mut height = 0.0;
    // Event line, title, facts.
    let event_chars = ev.info.name.chars().count()
        + ev.info.venue.chars().count()
        + ev.info.address.chars().count()
        + 60;
    height += lines(&"x".repeat(event_chars), 186.0, 1.55) * 3.9 + 2.5;
    height += lines(&fill(l.agenda_of, &[&me.display()]), 186.0, 3.1) * 7.4 + 3.6;
    height += lines(&facts(ctx, p).join(" · "), 186.0, 1.6) * 4.4 + 2.0;
    for day in days(ctx, p) {
        // The heading rows and the space after the table.
        height += 12.5 + 2.0;
        for row in &day.rows {
            let n = match row {
                Row::Meeting(m) => {
                    let other = ev.part(ev.pair(m.pair).other(p));
                    let mut n = lines(&super::agenda::with_role(other), w[2], 1.6);
                    if cols.company {
                        n = n.max(lines(&other.company, w[3], 1.6));
                    }
                    if cols.country {
                        n = n.max(lines(&other.country, w[4], 1.6));
                    }
                    // The language cell names the interpreter where there is one.
                    let (cell, glyph) = match m.interpreter {
                        // Set in the hint's smaller type.
                        Some(k) => (
                            format!("{}: {}", l.interpreter, ev.interpreter(k).name),
                            1.3,
                        ),
                        None => (other.languages.join(", "), 1.6),
                    };
                    n.max(lines(&cell, w[5], glyph))
                }
                // Programme items, visits and travel span the row after the time.
                Row::Extra(e) => {
                    let text = format!(
                        "{} · {}",
                        super::programme::title(ctx, e),
                        ev.venue_text(e.venue)
                    );
                    lines(&text, 186.0 - w[0], 1.45)
                }
                Row::Travel(minutes, to) => lines(
                    &super::programme::travel_text(ctx, *minutes, *to),
                    186.0 - w[0],
                    1.6,
                ),
                _ => 1.0,
            };
            height += n * row_line + row_pad;
        }
    }
    height += 5.0 + 2.0 * 3.7 + 4.5; // legend, footer
                                     // 273 mm between the margins; a page that follows repeats the table's two header rows.
    let page = 273.0;
    if height <= page {
        1
    } else {
        1 + ((height - page) / (page - 12.0)).ceil() as usize
    }
}

/// The back of an agenda's last page in a duplex booklet: named, and room for notes.
fn back_page(ctx: &Ctx, p: PartId) -> String {
    let me = ctx.event.part(p);
    format!(
        "<section class=\"sheet back\">\n<table class=\"agenda\"><thead>{}</thead></table>\n</section>\n",
        running_row(1, ctx.labels.notes, &me.name)
    )
}

/// agendas/<side>/<id>.html for everyone, and booklet.html: all of them, buyers first, each
/// starting on a new page; with `--duplex` each on a front page (a named back page for notes
/// after an agenda of an odd number of pages).
pub(crate) struct Agendas;

impl Export for Agendas {
    fn render(&self, ctx: &Ctx) -> Result<Vec<OutFile>> {
        let (ev, l) = (ctx.event, ctx.labels);
        let mut files = Vec::new();
        let mut booklet = String::new();
        let styles = ctx.auto_styles();
        let subs: Vec<Ctx> = styles.iter().map(|s| Ctx::new(ev, ctx.plan, s)).collect();
        for p in ids::<Participant>(ev.participants.len()) {
            let me = ev.part(p);
            let c = ctx.pick(&subs, p);
            let sheet = agenda_sheet(c, p);
            files.push(OutFile {
                path: agenda::path(me, "html"),
                bytes: page(c, &fill(c.labels.agenda_of, &[&me.display()]), &sheet),
            });
            booklet.push_str(&sheet);
            if ctx.style.duplex && agenda_pages(c, p) % 2 == 1 {
                booklet.push_str(&back_page(c, p));
            }
        }
        booklet.push_str(&super::interp_agenda::booklet_pages(ctx));
        let title = if ev.info.name.is_empty() {
            l.booklet.to_string()
        } else {
            format!("{} – {}", l.booklet, ev.info.name)
        };
        files.push(OutFile {
            path: "booklet.html".into(),
            bytes: page(ctx, &title, &booklet),
        });
        Ok(files)
    }
}
