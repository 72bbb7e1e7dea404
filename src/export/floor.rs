//! Sheets for the floor staff: the master grid (slots × tables, per day, landscape), one sheet
//! per table, and a day overview (load per slot, who arrives and leaves when).

use super::html::{event_line, footer, page, running_row};
use super::text::html as esc;
use super::{Ctx, Export, OutFile};
use crate::event::{Event, PartId, Side, SlotId};
use crate::id::{ids, Id};
use crate::lang::fill;
use crate::plan::Meeting;
use anyhow::Result;
use std::fmt::Write;

/// Where meetings happen: the event's tables, or, for an event without tables.csv, each firm
/// (meetings are at the firm's own place).
pub(super) struct Place {
    pub label: String,
    pub owner: Option<PartId>,
    /// Per slot: the meetings held here.
    pub by_slot: Vec<Vec<usize>>,
}

pub(super) fn places(ctx: &Ctx) -> Vec<Place> {
    let ev = ctx.event;
    let n = ev.slots.len();
    let empty = |label: String, owner| Place {
        label,
        owner,
        by_slot: vec![Vec::new(); n],
    };
    // The place of each meeting: its table, or the firm it is with.
    let (mut out, place_of): (Vec<Place>, Vec<Option<usize>>) = if ev.tables.is_empty() {
        let firms: Vec<PartId> = ids(ev.participants.len())
            .filter(|&p: &PartId| ev.part(p).side == Side::Firm)
            .collect();
        let mut index = vec![usize::MAX; ev.participants.len()];
        for (k, f) in firms.iter().enumerate() {
            index[f.index()] = k;
        }
        (
            firms
                .iter()
                .map(|&f| empty(ev.part(f).id.clone(), Some(f)))
                .collect(),
            ctx.plan
                .meetings
                .iter()
                .map(|m| {
                    let pair = ev.pair(m.pair);
                    [pair.b, pair.a]
                        .into_iter()
                        .map(|p| index[p.index()])
                        .find(|&k| k != usize::MAX)
                })
                .collect(),
        )
    } else {
        (
            ev.tables
                .iter()
                .map(|t| empty(t.id.clone(), t.owner))
                .collect(),
            ctx.plan
                .meetings
                .iter()
                .map(|m| m.table.map(super::super::id::Id::index))
                .collect(),
        )
    };
    for (k, m) in ctx.plan.meetings.iter().enumerate() {
        if let Some(i) = place_of[k] {
            out[i].by_slot[m.slot.index()].push(k);
        }
    }
    out
}

fn slots_of_day(ev: &Event, day: crate::event::time::Date) -> Vec<SlotId> {
    ids(ev.slots.len())
        .filter(|&s: &SlotId| ev.slot(s).day == day)
        .collect()
}

/// Columns of the master grid per printed page (landscape A4).
const GRID_COLUMNS: usize = 10;

pub(super) struct Floor;

impl Export for Floor {
    fn render(&self, ctx: &Ctx) -> Result<Vec<OutFile>> {
        let places = places(ctx);
        Ok(vec![
            OutFile {
                path: "floor/grid.html".into(),
                bytes: page(ctx, ctx.labels.grid, &grid(ctx, &places)),
            },
            OutFile {
                path: "floor/tables.html".into(),
                bytes: page(ctx, ctx.labels.table_sheets, &table_sheets(ctx, &places)),
            },
            OutFile {
                path: "floor/days.html".into(),
                bytes: page(ctx, ctx.labels.day_overview, &day_overview(ctx)),
            },
        ])
    }
}

/// The participant every meeting of a place involves, when the place is its own (a firm's
/// fixed table, or the firm itself without tables.csv): named once, not in every line.
fn owner_of_all(ctx: &Ctx, p: &Place) -> Option<PartId> {
    let o = p.owner?;
    p.by_slot
        .iter()
        .flatten()
        .all(|&k| {
            let pair = ctx.event.pair(ctx.plan.meetings[k].pair);
            pair.a == o || pair.b == o
        })
        .then_some(o)
}

/// "B01 Anna Schmidt" for a grid cell.
fn short(ev: &Event, p: PartId) -> String {
    let x = ev.part(p);
    format!("<b>{}</b> {}", esc(&x.id), esc(&x.name))
}

fn grid(ctx: &Ctx, places: &[Place]) -> String {
    let (ev, l) = (ctx.event, ctx.labels);
    let mut s = String::new();
    for day in ev.days() {
        let slots = slots_of_day(ev, day);
        let used: Vec<&Place> = places
            .iter()
            .filter(|p| slots.iter().any(|s| !p.by_slot[s.index()].is_empty()))
            .collect();
        for chunk in used.chunks(GRID_COLUMNS) {
            s.push_str("<section class=\"sheet wide\">\n");
            s.push_str(&event_line(ctx));
            let title = format!("{} · {}", l.grid, l.long_date(day));
            let _ = writeln!(
                s,
                "<table class=\"grid\">\n<colgroup><col class=\"time\"></colgroup>\n<thead>\n{}<tr><th>{}</th>",
                running_row(chunk.len() + 1, &title, &ev.info.name),
                l.time
            );
            // A firm's own table: the firm once in the heading, not in every cell.
            for p in chunk {
                match owner_of_all(ctx, p) {
                    Some(o) => {
                        let _ = write!(s, "<th>{}<br>{}</th>", esc(&p.label), short(ev, o));
                    }
                    None => {
                        let _ = write!(s, "<th>{}</th>", esc(&p.label));
                    }
                }
            }
            s.push_str("</tr>\n</thead>\n<tbody>\n");
            for &slot in &slots {
                let sl = ev.slot(slot);
                let _ = write!(s, "<tr><td class=\"time\">{}–{}</td>", sl.start, sl.end);
                for p in chunk {
                    let here = &p.by_slot[slot.index()];
                    if here.is_empty() {
                        s.push_str("<td></td>");
                        continue;
                    }
                    let owner = owner_of_all(ctx, p);
                    let cells: Vec<String> = here
                        .iter()
                        .map(|&k| {
                            let pair = ev.pair(ctx.plan.meetings[k].pair);
                            [pair.a, pair.b]
                                .into_iter()
                                .filter(|&x| Some(x) != owner)
                                .map(|x| short(ev, x))
                                .collect::<Vec<_>>()
                                .join("<br>")
                                + &interp_note(ctx, k)
                        })
                        .collect();
                    let _ = write!(s, "<td class=\"busy\">{}</td>", cells.join("<hr>"));
                }
                s.push_str("</tr>\n");
            }
            s.push_str("</tbody>\n</table>\n");
            s.push_str(&footer(ctx));
            s.push_str("</section>\n");
        }
    }
    if s.is_empty() {
        s = empty_sheet(ctx, l.grid);
    }
    s
}

/// The page of a floor sheet for an event without meetings: its title and "0 meetings".
fn empty_sheet(ctx: &Ctx, title: &str) -> String {
    format!(
        "<section class=\"sheet\">{}<h1>{}</h1>\n<p>0 {}</p>\n</section>\n",
        event_line(ctx),
        esc(title),
        ctx.labels.meeting[1]
    )
}

fn who(ev: &Event, p: PartId) -> String {
    let x = ev.part(p);
    let mut t = format!(
        "{} <span class=\"small\">({})</span>",
        esc(&x.display()),
        esc(&x.id)
    );
    if !x.country.is_empty() {
        let _ = write!(t, " · {}", esc(&x.country));
    }
    if !x.role.is_empty() {
        let _ = write!(t, " · {}", esc(&x.role));
    }
    t
}

/// The interpreter of meeting `k` under its participants (empty without one).
fn interp_note(ctx: &Ctx, k: usize) -> String {
    match ctx.plan.meetings[k].interpreter {
        Some(i) => format!(
            "<br><span class=\"small\">{}: {}</span>",
            esc(ctx.labels.interpreter),
            esc(&ctx.event.interpreter(i).name)
        ),
        None => String::new(),
    }
}

fn table_sheets(ctx: &Ctx, places: &[Place]) -> String {
    let (ev, l) = (ctx.event, ctx.labels);
    let mut s = String::new();
    for p in places
        .iter()
        .filter(|p| p.by_slot.iter().any(|m| !m.is_empty()))
    {
        s.push_str("<section class=\"sheet\">\n");
        s.push_str(&event_line(ctx));
        let _ = writeln!(s, "<h1>{}</h1>", esc(&fill(l.table_sheet, &[&p.label])));
        if let Some(o) = p.owner {
            let _ = writeln!(
                s,
                "<p class=\"facts\">{}: {}</p>",
                l.firm_of_table,
                who(ev, o)
            );
        }
        let owner = owner_of_all(ctx, p);
        let title = fill(l.table_sheet, &[&p.label]);
        for day in ev.days() {
            let slots = slots_of_day(ev, day);
            if slots.iter().all(|s| p.by_slot[s.index()].is_empty()) {
                continue;
            }
            // At a firm's own table the firm is named above: one column for who comes.
            let (cols, heads) = match owner {
                Some(_) => (2, format!("<th>{}</th>", l.meeting_with)),
                None => (3, format!("<th>{}</th><th>{}</th>", l.buyer, l.firm)),
            };
            let _ = writeln!(
                s,
                "<table class=\"agenda sheet-table\">\n<colgroup><col style=\"width:24mm\"></colgroup>\n<thead>\n{}<tr><th>{}</th>{heads}</tr>\n</thead>\n<tbody>",
                running_row(cols, &l.long_date(day), &title),
                l.time,
            );
            // A run of free slots of one session is one row: the sheet stays on its page.
            let mut free: Option<(SlotId, SlotId)> = None;
            let flush = |s: &mut String, free: &mut Option<(SlotId, SlotId)>| {
                if let Some((a, b)) = free.take() {
                    let _ = writeln!(
                        s,
                        "<tr class=\"break\"><td class=\"time\">{}–{}</td><td colspan=\"{}\">{}</td></tr>",
                        ev.slot(a).start,
                        ev.slot(b).end,
                        cols - 1,
                        esc(l.free_table)
                    );
                }
            };
            for &slot in &slots {
                let sl = ev.slot(slot);
                let here = &p.by_slot[slot.index()];
                if here.is_empty() {
                    free = match free {
                        Some((a, b)) if ev.slot(b).session == sl.session => Some((a, slot)),
                        mut other => {
                            flush(&mut s, &mut other);
                            Some((slot, slot))
                        }
                    };
                    continue;
                }
                flush(&mut s, &mut free);
                for &k in here {
                    let pair = ev.pair(ctx.plan.meetings[k].pair);
                    let _ = write!(s, "<tr><td class=\"time\">{}–{}</td>", sl.start, sl.end);
                    match owner {
                        Some(o) => {
                            let _ = writeln!(
                                s,
                                "<td>{}{}</td></tr>",
                                who(ev, pair.other(o)),
                                interp_note(ctx, k)
                            );
                        }
                        None => {
                            let _ = writeln!(
                                s,
                                "<td>{}</td><td>{}{}</td></tr>",
                                who(ev, pair.a),
                                who(ev, pair.b),
                                interp_note(ctx, k)
                            );
                        }
                    }
                }
            }
            flush(&mut s, &mut free);
            s.push_str("</tbody>\n</table>\n");
        }
        s.push_str(&footer(ctx));
        s.push_str("</section>\n");
    }
    if s.is_empty() {
        s = empty_sheet(ctx, l.table_sheets);
    }
    s
}

fn day_overview(ctx: &Ctx) -> String {
    let (ev, l) = (ctx.event, ctx.labels);
    let mut s = String::new();
    for day in ev.days() {
        let slots = slots_of_day(ev, day);
        s.push_str("<section class=\"sheet\">\n");
        s.push_str(&event_line(ctx));
        let _ = writeln!(
            s,
            "<h1>{} · {}</h1>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
            esc(l.day_overview),
            esc(&l.long_date(day)),
            l.slot,
            l.meetings_col,
            l.tables_in_use,
            l.buyers_busy,
            l.firms_busy
        );
        // First and last meeting per participant this day: (start slot, end slot, table).
        let mut span: Vec<Option<(SlotId, SlotId, Option<String>)>> =
            vec![None; ev.participants.len()];
        let mut last_session = None;
        for &slot in &slots {
            let sl = ev.slot(slot);
            if last_session.is_some_and(|q| q != sl.session) {
                let _ = writeln!(
                    s,
                    "<tr class=\"pause\"><td colspan=\"5\">{}</td></tr>",
                    esc(l.pause_between_sessions)
                );
            }
            last_session = Some(sl.session);
            let here: Vec<&Meeting> = ctx
                .plan
                .meetings
                .iter()
                .filter(|m| m.slot == slot)
                .collect();
            let mut tables: Vec<_> = here.iter().filter_map(|m| m.table).collect();
            tables.sort();
            tables.dedup();
            let mut busy = [Vec::new(), Vec::new()];
            for m in &here {
                let pair = ev.pair(m.pair);
                for x in [pair.a, pair.b] {
                    let side = ev.part(x).side as usize;
                    busy[side].push(x);
                    let e = &mut span[x.index()];
                    let table = m.table.map(|t| ev.table(t).id.clone());
                    match e {
                        None => *e = Some((slot, slot, table)),
                        Some((_, end, _)) => *end = slot,
                    }
                }
            }
            for b in &mut busy {
                b.sort();
                b.dedup();
            }
            let _ = writeln!(
                s,
                "<tr><td class=\"time\">{}–{} <span class=\"small\">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                sl.start,
                sl.end,
                esc(&sl.id),
                here.len(),
                tables.len(),
                busy[0].len(),
                busy[1].len()
            );
        }
        s.push_str("</tbody>\n</table>\n");
        s.push_str(&super::programme::day_programme(ctx, day));
        let mut arrivals: Vec<(SlotId, PartId)> = span
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.as_ref().map(|(a, _, _)| (*a, Id::new(i))))
            .collect();
        arrivals.sort();
        if !arrivals.is_empty() {
            let _ = writeln!(
                s,
                "<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
                esc(l.arrivals),
                l.name,
                l.side,
                l.first_meeting,
                l.table,
                l.last_meeting
            );
            for (_, p) in arrivals {
                let (a, b, table) = span[p.index()].as_ref().expect("listed above");
                let _ = writeln!(
                    s,
                    "<tr><td>{}</td><td>{}</td><td class=\"time\">{}</td><td class=\"table\">{}</td><td class=\"time\">{}</td></tr>",
                    who(ev, p),
                    l.side(ev.part(p).side),
                    ev.slot(*a).start,
                    esc(table.as_deref().unwrap_or("")),
                    ev.slot(*b).end
                );
            }
            s.push_str("</tbody>\n</table>\n");
        }
        s.push_str(&footer(ctx));
        s.push_str("</section>\n");
    }
    s
}
