//! Printable HTML: self-contained pages (inline CSS, no scripts, no network), A4 print CSS.
//! One agenda per participant and the booklet of all of them, one page each.

use super::agenda::{self, counterpart, days, facts, table_id, Row};
use super::text::html as esc;
use super::{paged, Ctx, Export, OutFile};
use crate::event::{PartId, Participant};
use crate::id::ids;
use crate::lang::fill;
use crate::plan::Meeting;
use anyhow::Result;
use std::fmt::Write;

/// The style sheet every page carries. Print: A4 with margins, one `.sheet` per page, tables
/// that do not split a row across pages; landscape pages for the wide floor grid.
pub(crate) const CSS: &str = r#"
@page { size: A4; margin: 12mm 12mm; }
@page wide { size: A4 landscape; margin: 9mm; }
* { box-sizing: border-box; }
body { font-family: Arial, "Liberation Sans", Helvetica, sans-serif; font-size: 9.5pt;
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
.agenda td { padding: 0.6mm 1.4mm; }
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

/// A meeting's language cell (markup): its interpreter, else `language_hint`.
fn hint(ctx: &Ctx, m: &Meeting, me: &Participant, other: &Participant) -> (String, bool) {
    match m.interpreter {
        Some(k) => (
            esc(&format!(
                "{}: {}",
                ctx.labels.interpreter,
                ctx.event.interpreter(k).name
            )),
            false,
        ),
        None => language_hint(ctx, me, other),
    }
}

/// The columns of `p`'s agenda: a column that would say nothing is left out (no tables.csv:
/// no Table; company names that are the counterpart's own name: no Company; counterparts all
/// from one country, or none given: no Country), so the others get the width and rows stay
/// on one line. The language column is as wide as its longest hint (an interpreter's name),
/// within 24 to 46 mm.
struct Columns {
    table: bool,
    company: bool,
    country: bool,
    hint: f64,
}

impl Columns {
    fn of(ctx: &Ctx, p: PartId) -> Columns {
        let ev = ctx.event;
        let mut c = Columns {
            table: false,
            company: false,
            country: false,
            hint: 24.0,
        };
        let mut first_country = None;
        for m in ctx.agenda(p) {
            let other = ev.part(ev.pair(m.pair).other(p));
            c.table |= m.table.is_some();
            c.company |= !other.company.is_empty() && other.company != counterpart(other);
            c.country |= *first_country.get_or_insert(&other.country) != &other.country;
            let hint = hint(ctx, m, ev.part(p), other).0;
            let w = paged::width(&paged::plain(&hint), 8.8, false) + 3.2;
            c.hint = c.hint.max(w.min(46.0));
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
        let hint = self.hint.ceil();
        let rest = 186.0 - 21.0 - table - country - hint;
        let (name, company) = if self.company {
            (rest * 0.4, rest * 0.6)
        } else {
            (rest, 0.0)
        };
        [21.0, table, name, company, country, hint]
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

/// One participant's agenda as a sheet: its printed pages (`agenda_pages`) one after the
/// other.
pub(crate) fn agenda_sheet(ctx: &Ctx, p: PartId) -> String {
    agenda_pages(ctx, p).concat()
}

/// One participant's agenda as printed A4 pages, each a `.sheet`: one table per day, cut
/// between rows where the page is full (`paged`); every page's table header names the
/// participant and the day.
pub(crate) fn agenda_pages(ctx: &Ctx, p: PartId) -> Vec<String> {
    let (ev, l) = (ctx.event, ctx.labels);
    let me = ev.part(p);
    let cols = Columns::of(ctx, p);
    let n = cols.count();
    let title = fill(l.agenda_of, &[&me.display()]);
    let facts = facts(ctx, p).join(" · ");
    let line = event_line(ctx);
    let mut head_mm = paged::head_mm(&line, &title, &facts);
    let mut head = line;
    let _ = writeln!(
        head,
        "<h1>{}</h1>\n<p class=\"facts\">{}</p>",
        esc(&title),
        esc(&facts)
    );
    let days = days(ctx, p);
    if days.is_empty() {
        let _ = writeln!(head, "<p>{}</p>", esc(l.no_meetings));
        head_mm += paged::paragraph_mm(l.no_meetings);
    }
    let w = cols.widths();
    let mut colgroup = format!("<col style=\"width:{}mm\">", w[0]);
    let mut heads = format!("<th>{}</th>", l.time);
    let mut head_lines = paged::cell_lines(l.time, w[0], 8.8, true);
    let mut head_cell = |heads: &mut String, colgroup: &mut String, width: f64, label: &str| {
        let _ = write!(
            colgroup,
            "<col style=\"width:{}mm\">",
            (width * 10.0).round() / 10.0
        );
        let _ = write!(heads, "<th>{label}</th>");
        head_lines = head_lines.max(paged::cell_lines(label, width, 8.8, true));
    };
    if cols.table {
        head_cell(&mut heads, &mut colgroup, w[1], l.table);
    }
    head_cell(&mut heads, &mut colgroup, w[2], l.meeting_with);
    if cols.company {
        head_cell(&mut heads, &mut colgroup, w[3], l.company);
    }
    if cols.country {
        head_cell(&mut heads, &mut colgroup, w[4], l.country);
    }
    head_cell(&mut heads, &mut colgroup, w[5], l.language_hint);
    // Programme items, travel and breaks span the columns after the time.
    let wide = paged::TEXT_MM - w[0];
    let mut any_warning = false;
    let mut tables = Vec::new();
    for day in days {
        let date = l.long_date(day.date);
        let mut t = paged::Table {
            open: format!(
                "<table class=\"agenda\">\n<colgroup>{colgroup}</colgroup>\n<thead>\n{}<tr>{heads}</tr>\n</thead>\n<tbody>\n",
                running_row(n, &date, &me.name),
            ),
            head_mm: paged::table_head_mm(&date, &me.name, head_lines),
            rows: Vec::new(),
        };
        for row in day.rows {
            let mut s = String::new();
            let lines = match row {
                Row::Pause => {
                    let _ = writeln!(
                        s,
                        "<tr class=\"pause\"><td colspan=\"{n}\">{}</td></tr>",
                        esc(l.pause_between_sessions)
                    );
                    paged::cell_lines(l.pause_between_sessions, paged::TEXT_MM, 8.8, false)
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
                    paged::cell_lines(l.break_row, wide, 8.8, false)
                }
                Row::Extra(e) => {
                    let venue = ev.venue_text(e.venue);
                    let title = super::programme::title(ctx, &e);
                    let _ = writeln!(
                        s,
                        "<tr class=\"programme\"><td class=\"time\">{}–{}</td><td colspan=\"{}\"><b>{}</b>{}</td></tr>",
                        e.start,
                        e.end,
                        n - 1,
                        esc(&title),
                        if venue.is_empty() {
                            String::new()
                        } else {
                            format!(" · {}", esc(&venue))
                        }
                    );
                    paged::lines_of_runs(
                        &[(&title, true), (&format!(" · {venue}"), false)],
                        wide - 3.1,
                        8.8,
                    )
                }
                Row::Travel(minutes, to) => {
                    let text = super::programme::travel_text(ctx, minutes, to);
                    let _ = writeln!(
                        s,
                        "<tr class=\"travel\"><td class=\"time\"></td><td colspan=\"{}\">{}</td></tr>",
                        n - 1,
                        esc(&text)
                    );
                    paged::cell_lines(&text, wide, 8.8, false)
                }
                Row::Meeting(m) => {
                    let slot = ev.slot(m.slot);
                    let other = ev.part(ev.pair(m.pair).other(p));
                    let mut lines = 1;
                    let mut cell = |s: &mut String, class: &str, width: f64, text: &str| {
                        let _ = write!(s, "<td{class}>{}</td>", esc(text));
                        lines = lines.max(paged::cell_lines(text, width, 8.8, false));
                    };
                    let _ = write!(s, "<tr><td class=\"time\">{}–{}</td>", slot.start, slot.end);
                    if cols.table {
                        cell(&mut s, " class=\"table\"", w[1], &table_id(ev, m));
                    }
                    cell(&mut s, "", w[2], &super::agenda::with_role(other));
                    if cols.company {
                        let company = if other.company == counterpart(other) {
                            ""
                        } else {
                            &other.company
                        };
                        cell(&mut s, "", w[3], company);
                    }
                    if cols.country {
                        cell(&mut s, "", w[4], &other.country);
                    }
                    let (hint, warn) = hint(ctx, m, me, other);
                    any_warning |= warn;
                    let _ = writeln!(s, "<td>{hint}</td></tr>");
                    lines.max(paged::cell_lines(&paged::plain(&hint), w[5], 8.8, false))
                }
            };
            t.rows.push((s, paged::row_mm(lines)));
        }
        tables.push(t);
    }
    let mut tail = String::new();
    let mut legend = None;
    if any_warning {
        let text = format!(
            "<p class=\"legend\"><span class=\"warn\">✗</span> {}</p>\n",
            esc(l.no_shared_legend)
        );
        tail.push_str(&text);
        legend = Some(text);
    }
    let foot = footer(ctx);
    let tail_mm = paged::tail_mm(&foot, legend.as_deref());
    tail.push_str(&foot);
    paged::Sheet {
        head,
        head_mm,
        tables,
        tail,
        tail_mm,
    }
    .pages()
}

/// The back of an agenda's last page in a duplex booklet: named, and room for notes.
pub(crate) fn back_page(ctx: &Ctx, name: &str) -> String {
    format!(
        "<section class=\"sheet back\">\n<table class=\"agenda\"><thead>{}</thead></table>\n</section>\n",
        running_row(1, ctx.labels.notes, name)
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
            let pages = agenda_pages(c, p);
            let sheet = pages.concat();
            files.push(OutFile {
                path: agenda::path(me, "html"),
                bytes: page(c, &fill(c.labels.agenda_of, &[&me.display()]), &sheet),
            });
            booklet.push_str(&sheet);
            if ctx.style.duplex && pages.len() % 2 == 1 {
                booklet.push_str(&back_page(c, &me.name));
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
