//! Interpreters' agendas: `agendas/interpreters/<id>.{csv,md,html,ics}` and a page each in the
//! booklet. An interpreter's meetings are the plan's meetings that name them.

use super::agenda::table_id;
use super::html::{footer, page, running_row};
use super::text::{csv_bytes, html as esc, md};
use super::{paged, Ctx, Export, Format, OutFile};
use crate::event::{InterpId, Interpreter};
use crate::id::ids;
use crate::lang::fill;
use crate::plan::Meeting;
use anyhow::Result;
use std::fmt::Write;

pub(crate) fn path(k: &Interpreter, ext: &str) -> String {
    // Interpreter ids are checked at load time like participants' (safe file names).
    format!("agendas/interpreters/{}.{ext}", k.id)
}

/// The meetings interpreter `k` holds, in time order.
pub(crate) fn meetings<'a>(ctx: &Ctx<'a>, k: InterpId) -> Vec<&'a Meeting> {
    let mut v: Vec<&Meeting> = ctx
        .plan
        .meetings
        .iter()
        .filter(|m| m.interpreter == Some(k))
        .collect();
    v.sort_by_key(|m| m.slot);
    v
}

/// "Anna Schmidt (de, en)": a side of a meeting with the languages to interpret.
pub(crate) fn side(ctx: &Ctx, p: crate::event::PartId) -> String {
    let part = ctx.event.part(p);
    format!("{} ({})", part.display(), part.languages.join(", "))
}

/// The interpreter agendas of one format.
pub(crate) struct InterpreterAgendas(pub Format);

impl Export for InterpreterAgendas {
    fn render(&self, ctx: &Ctx) -> Result<Vec<OutFile>> {
        let ev = ctx.event;
        let mut files = Vec::new();
        for k in ids::<Interpreter>(ev.interpreters.len()) {
            let me = ev.interpreter(k);
            let (ext, bytes) = match self.0 {
                Format::Csv => ("csv", csv(ctx, k)?),
                Format::Md => ("md", markdown(ctx, k).into_bytes()),
                Format::Html => (
                    "html",
                    page(
                        ctx,
                        &fill(ctx.labels.agenda_of, &[&me.name]),
                        &sheet(ctx, k),
                    ),
                ),
                Format::Ics => ("ics", super::ics::interpreter_calendar(ctx, k)?),
                Format::Xlsx => continue,
            };
            files.push(OutFile {
                path: path(me, ext),
                bytes,
            });
        }
        Ok(files)
    }
}

fn csv(ctx: &Ctx, k: InterpId) -> Result<Vec<u8>> {
    let ev = ctx.event;
    let rows = meetings(ctx, k).into_iter().map(|m| {
        let slot = ev.slot(m.slot);
        let pair = ev.pair(m.pair);
        let (a, b) = (ev.part(pair.a), ev.part(pair.b));
        vec![
            slot.day.to_string(),
            slot.start.to_string(),
            slot.end.to_string(),
            slot.id.clone(),
            table_id(ev, m),
            a.id.clone(),
            a.name.clone(),
            a.languages.join(";"),
            b.id.clone(),
            b.name.clone(),
            b.languages.join(";"),
        ]
    });
    csv_bytes(
        &[
            "day",
            "start",
            "end",
            "slot",
            "table",
            "participant_a",
            "name_a",
            "languages_a",
            "participant_b",
            "name_b",
            "languages_b",
        ],
        rows,
    )
}

fn facts(ctx: &Ctx, k: InterpId) -> String {
    let l = ctx.labels;
    let me = ctx.event.interpreter(k);
    let n = meetings(ctx, k).len();
    format!(
        "{} · {} · {}",
        l.interpreter,
        fill(l.languages, &[&me.languages.join(", ")]),
        l.count(n, l.meeting)
    )
}

pub(crate) fn markdown(ctx: &Ctx, k: InterpId) -> String {
    let (ev, l) = (ctx.event, ctx.labels);
    let me = ev.interpreter(k);
    let mut s = format!(
        "# {}\n\n{}\n",
        md(&fill(l.agenda_of, &[&me.name])),
        md(&facts(ctx, k))
    );
    let list = meetings(ctx, k);
    if list.is_empty() {
        let _ = writeln!(s, "\n{}", l.no_meetings);
        return s;
    }
    let mut day = None;
    for m in list {
        let slot = ev.slot(m.slot);
        if day != Some(slot.day) {
            day = Some(slot.day);
            let _ = writeln!(s, "\n## {}\n", l.long_date(slot.day));
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |\n|---|---|---|---|",
                l.time, l.table, l.buyer, l.firm
            );
        }
        let pair = ev.pair(m.pair);
        let _ = writeln!(
            s,
            "| {}–{} | {} | {} | {} |",
            slot.start,
            slot.end,
            md(&table_id(ev, m)),
            md(&side(ctx, pair.a)),
            md(&side(ctx, pair.b))
        );
    }
    s
}

/// The HTML sheet of interpreter `k` (its own page, and its pages of the booklet): its
/// printed pages one after the other.
pub(crate) fn sheet(ctx: &Ctx, k: InterpId) -> String {
    pages(ctx, k).concat()
}

/// Column widths (mm) of an interpreter's agenda: time, table, and the two sides.
const WIDTHS: [f64; 4] = [21.0, 13.0, 76.0, 76.0];

/// Interpreter `k`'s agenda as printed A4 pages, each a `.sheet` whose table header names the
/// interpreter and the day (`paged`).
pub(crate) fn pages(ctx: &Ctx, k: InterpId) -> Vec<String> {
    let (ev, l) = (ctx.event, ctx.labels);
    let me = ev.interpreter(k);
    let title = fill(l.agenda_of, &[&me.name]);
    let facts = facts(ctx, k);
    let line = super::html::event_line(ctx);
    let mut head_mm = paged::head_mm(&line, &title, &facts);
    let mut head = line;
    let _ = writeln!(
        head,
        "<h1>{}</h1>\n<p class=\"facts\">{}</p>",
        esc(&title),
        esc(&facts)
    );
    let list = meetings(ctx, k);
    if list.is_empty() {
        let _ = writeln!(head, "<p>{}</p>", esc(l.no_meetings));
        head_mm += paged::paragraph_mm(l.no_meetings);
    }
    let labels = [l.time, l.table, l.meeting_with, l.meeting_with];
    let colgroup: String = WIDTHS
        .iter()
        .map(|w| format!("<col style=\"width:{w}mm\">"))
        .collect();
    let heads: String = labels
        .iter()
        .map(|t| format!("<th>{}</th>", esc(t)))
        .collect();
    let head_lines = labels
        .iter()
        .zip(WIDTHS)
        .map(|(t, w)| paged::cell_lines(t, w, 8.8, true))
        .max()
        .unwrap_or(1);
    let mut tables: Vec<paged::Table> = Vec::new();
    let mut day = None;
    for m in list {
        let slot = ev.slot(m.slot);
        if day != Some(slot.day) {
            day = Some(slot.day);
            let date = l.long_date(slot.day);
            tables.push(paged::Table {
                open: format!(
                    "<table class=\"agenda\">\n<colgroup>{colgroup}</colgroup>\n<thead>\n{}<tr>{heads}</tr>\n</thead>\n<tbody>\n",
                    running_row(4, &date, &me.name),
                ),
                head_mm: paged::table_head_mm(&date, &me.name, head_lines),
                rows: Vec::new(),
            });
        }
        let pair = ev.pair(m.pair);
        let cells = [table_id(ev, m), side(ctx, pair.a), side(ctx, pair.b)];
        let lines = cells
            .iter()
            .zip(&WIDTHS[1..])
            .map(|(t, w)| paged::cell_lines(t, *w, 8.8, false))
            .max()
            .unwrap_or(1);
        let row = format!(
            "<tr><td class=\"time\">{}–{}</td><td class=\"table\">{}</td><td>{}</td><td>{}</td></tr>\n",
            slot.start,
            slot.end,
            esc(&cells[0]),
            esc(&cells[1]),
            esc(&cells[2])
        );
        if let Some(t) = tables.last_mut() {
            t.rows.push((row, paged::row_mm(lines)));
        }
    }
    let tail = footer(ctx);
    paged::Sheet {
        head,
        head_mm,
        tables,
        tail_mm: paged::tail_mm(&tail, None),
        tail,
    }
    .pages()
}

/// Every interpreter's pages, for the booklet; with `--duplex` a named page for notes after
/// an odd number of pages, so that each interpreter starts on a front page.
pub(crate) fn booklet_pages(ctx: &Ctx) -> String {
    let mut s = String::new();
    for k in ids::<Interpreter>(ctx.event.interpreters.len()) {
        let pages = pages(ctx, k);
        s.push_str(&pages.concat());
        if ctx.style.duplex && pages.len() % 2 == 1 {
            s.push_str(&super::html::back_page(ctx, &ctx.event.interpreter(k).name));
        }
    }
    s
}
