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
pub const CSS: &str = r#"
@page { size: A4; margin: 12mm 12mm; }
@page wide { size: A4 landscape; margin: 9mm; }
* { box-sizing: border-box; }
body { font-family: "Helvetica Neue", Arial, "Liberation Sans", sans-serif; font-size: 9.5pt;
       color: #111; margin: 0; line-height: 1.3; }
.sheet { padding: 2mm 0; }
.sheet + .sheet { break-before: page; }
.wide { page: wide; }
.event { color: #555; font-size: 8.5pt; border-bottom: 1px solid #bbb; padding-bottom: 1.5mm; }
h1 { font-size: 16pt; margin: 2.5mm 0 1mm; }
h2 { font-size: 11.5pt; margin: 4mm 0 1.5mm; break-after: avoid; }
.facts { color: #333; margin: 0 0 2mm; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2mm; table-layout: fixed; }
th, td { border: 1px solid #999; padding: 0.9mm 1.4mm; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #eee; font-weight: 600; }
tr { break-inside: avoid; }
.agenda col.time { width: 23mm; } .agenda col.table { width: 16mm; }
.agenda col.country { width: 20mm; } .agenda col.lang { width: 30mm; }
td.time { white-space: nowrap; font-variant-numeric: tabular-nums; }
td.table { font-weight: 600; }
tr.break td, tr.pause td { color: #666; font-style: italic; background: #fafafa; }
.warn { color: #a40000; }
.small { font-size: 8pt; color: #444; }
.grid td { font-size: 7.5pt; height: 10mm; }
.grid col.time { width: 22mm; }
.grid td.busy { background: #f3f6fb; }
.grid hr { border: 0; border-top: 1px dotted #999; margin: 0.5mm 0; }
.figures th { width: 45mm; }
footer { color: #555; font-size: 8pt; margin-top: 3mm; border-top: 1px solid #ddd; padding-top: 1.5mm; }
@media screen { body { max-width: 200mm; margin: 0 auto; padding: 8mm; }
  .wide { max-width: none; } .sheet + .sheet { border-top: 3px dashed #ccc; margin-top: 8mm; } }
"#;

/// A whole HTML document around `body`.
pub fn page(ctx: &Ctx, title: &str, body: &str) -> Vec<u8> {
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
pub fn event_line(ctx: &Ctx) -> String {
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
pub fn footer(ctx: &Ctx) -> String {
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

/// Which languages the two can speak together: shared ones, else a warning naming theirs.
fn language_hint(ctx: &Ctx, me: &Participant, other: &Participant) -> String {
    let l = ctx.labels;
    let shared: Vec<&str> = other
        .languages
        .iter()
        .filter(|x| me.languages.iter().any(|y| y.eq_ignore_ascii_case(x)))
        .map(String::as_str)
        .collect();
    if !shared.is_empty() {
        esc(&fill(l.shared_language, &[&shared.join(", ")]))
    } else if me.languages.is_empty() || other.languages.is_empty() {
        esc(&other.languages.join(", "))
    } else {
        format!(
            "<span class=\"warn\">{}</span>",
            esc(&fill(l.no_shared_language, &[&other.languages.join(", ")]))
        )
    }
}

/// One participant's agenda as a sheet (a printed page or more).
pub fn agenda_sheet(ctx: &Ctx, p: PartId) -> String {
    let (ev, l) = (ctx.event, ctx.labels);
    let me = ev.part(p);
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
    for day in days {
        let _ = writeln!(
            s,
            "<h2>{}</h2>\n<table class=\"agenda\">\n<colgroup><col class=\"time\"><col class=\"table\"><col><col><col class=\"country\"><col class=\"lang\"></colgroup>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
            esc(&l.long_date(day.date)),
            l.time,
            l.table,
            l.meeting_with,
            l.company,
            l.country,
            l.language_hint
        );
        for row in day.rows {
            match row {
                Row::Pause => {
                    let _ = writeln!(
                        s,
                        "<tr class=\"pause\"><td colspan=\"6\">{}</td></tr>",
                        esc(l.pause_between_sessions)
                    );
                }
                Row::Break(a, b) => {
                    let _ = writeln!(
                        s,
                        "<tr class=\"break\"><td class=\"time\">{}–{}</td><td colspan=\"5\">{}</td></tr>",
                        ev.slot(a).start,
                        ev.slot(b).end,
                        esc(l.break_row)
                    );
                }
                Row::Meeting(m) => {
                    let slot = ev.slot(m.slot);
                    let other = ev.part(ev.pair(m.pair).other(p));
                    let _ = writeln!(
                        s,
                        "<tr><td class=\"time\">{}–{}</td><td class=\"table\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        slot.start,
                        slot.end,
                        esc(&table_id(ev, m)),
                        esc(&counterpart(other)),
                        esc(&other.company),
                        esc(&other.country),
                        language_hint(ctx, me, other)
                    );
                }
            }
        }
        s.push_str("</tbody>\n</table>\n");
    }
    s.push_str(&footer(ctx));
    s.push_str("</section>\n");
    s
}

/// agendas/<side>/<id>.html for everyone, and booklet.html: all of them, buyers first, one
/// participant per page.
pub struct Agendas;

impl Export for Agendas {
    fn render(&self, ctx: &Ctx) -> Result<Vec<OutFile>> {
        let (ev, l) = (ctx.event, ctx.labels);
        let mut files = Vec::new();
        let mut booklet = String::new();
        for p in ids::<Participant>(ev.participants.len()) {
            let me = ev.part(p);
            let sheet = agenda_sheet(ctx, p);
            files.push(OutFile {
                path: agenda::path(me, "html"),
                bytes: page(ctx, &fill(l.agenda_of, &[&me.display()]), &sheet),
            });
            booklet.push_str(&sheet);
        }
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
