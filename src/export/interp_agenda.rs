//! Interpreters' agendas: `agendas/interpreters/<id>.{csv,md,html,ics}` and a page each in the
//! booklet. An interpreter's meetings are the plan's meetings that name them.

use super::agenda::table_id;
use super::html::{footer, page, running_row};
use super::text::{csv_bytes, html as esc, md};
use super::{Ctx, Export, Format, OutFile};
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

/// The HTML sheet of interpreter `k` (its own page, and its page of the booklet).
pub(crate) fn sheet(ctx: &Ctx, k: InterpId) -> String {
    let (ev, l) = (ctx.event, ctx.labels);
    let me = ev.interpreter(k);
    let mut s = String::from("<section class=\"sheet\">\n");
    s.push_str(&super::html::event_line(ctx));
    let _ = writeln!(
        s,
        "<h1>{}</h1>\n<p class=\"facts\">{}</p>",
        esc(&fill(l.agenda_of, &[&me.name])),
        esc(&facts(ctx, k))
    );
    let list = meetings(ctx, k);
    if list.is_empty() {
        let _ = writeln!(s, "<p>{}</p>", esc(l.no_meetings));
    }
    let mut day = None;
    for m in list {
        let slot = ev.slot(m.slot);
        if day != Some(slot.day) {
            if day.is_some() {
                s.push_str("</tbody>\n</table>\n");
            }
            day = Some(slot.day);
            let _ = write!(
                s,
                "<table class=\"agenda\">\n<thead>\n{}<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n</thead>\n<tbody>\n",
                running_row(4, &l.long_date(slot.day), &me.name),
                esc(l.time),
                esc(l.table),
                esc(l.meeting_with),
                esc(l.meeting_with),
            );
        }
        let pair = ev.pair(m.pair);
        let _ = writeln!(
            s,
            "<tr><td class=\"time\">{}–{}</td><td class=\"table\">{}</td><td>{}</td><td>{}</td></tr>",
            slot.start,
            slot.end,
            esc(&table_id(ev, m)),
            esc(&side(ctx, pair.a)),
            esc(&side(ctx, pair.b))
        );
    }
    if day.is_some() {
        s.push_str("</tbody>\n</table>\n");
    }
    s.push_str(&footer(ctx));
    s.push_str("</section>\n");
    s
}

/// Every interpreter's sheet, for the booklet.
pub(crate) fn booklet_pages(ctx: &Ctx) -> String {
    ids::<Interpreter>(ctx.event.interpreters.len())
        .map(|k| sheet(ctx, k))
        .collect()
}
