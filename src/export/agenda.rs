//! One agenda per participant, as CSV (for mail merge) and Markdown (to print): meetings in
//! time order with the counterpart, its company and country, and the table; free slots between
//! meetings shown as breaks.

use super::text::{csv_bytes, long_date, md};
use super::{Ctx, Export, OutFile};
use crate::event::{Event, PartId, Participant};
use crate::id::ids;
use crate::plan::Meeting;
use anyhow::Result;
use std::fmt::Write;

fn path(p: &Participant, ext: &str) -> String {
    // Ids are checked at load time (letters, digits, '-', '_', '.', never '.' or '..'), so they
    // are safe file names; the writer re-checks that no path leaves the output folder.
    format!("agendas/{}/{}.{ext}", p.side.folder(), p.id)
}

fn table_id(ev: &Event, m: &Meeting) -> String {
    m.table.map(|t| ev.table(t).id.clone()).unwrap_or_default()
}

pub struct AgendaCsv;

impl Export for AgendaCsv {
    fn render(&self, ctx: &Ctx) -> Result<Vec<OutFile>> {
        let ev = ctx.event;
        let mut files = Vec::new();
        for p in ids::<Participant>(ev.participants.len()) {
            let rows = ctx.plan.agenda(ev, p).into_iter().map(|m| {
                let slot = ev.slot(m.slot);
                let other = ev.part(ev.pair(m.pair).other(p));
                vec![
                    slot.day.to_string(),
                    slot.start.to_string(),
                    slot.end.to_string(),
                    slot.id.clone(),
                    table_id(ev, m),
                    other.id.clone(),
                    other.name.clone(),
                    other.company.clone(),
                    other.country.clone(),
                    other.languages.join(";"),
                ]
            });
            let header = [
                "day",
                "start",
                "end",
                "slot",
                "table",
                "counterpart",
                "counterpart_name",
                "company",
                "country",
                "languages",
            ];
            files.push(OutFile {
                path: path(ev.part(p), "csv"),
                bytes: csv_bytes(&header, rows)?,
            });
        }
        Ok(files)
    }
}

pub struct AgendaMarkdown;

impl Export for AgendaMarkdown {
    fn render(&self, ctx: &Ctx) -> Result<Vec<OutFile>> {
        let ev = ctx.event;
        let mut files = Vec::new();
        for p in ids::<Participant>(ev.participants.len()) {
            files.push(OutFile {
                path: path(ev.part(p), "md"),
                bytes: markdown(ctx, p).into_bytes(),
            });
        }
        Ok(files)
    }
}

/// Who sits across the table: a buyer by name, a firm by its contact person when known.
fn counterpart(p: &Participant) -> String {
    if p.side == crate::event::Side::Firm && !p.contact.is_empty() {
        p.contact.clone()
    } else {
        p.name.clone()
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn markdown(ctx: &Ctx, p: PartId) -> String {
    let ev = ctx.event;
    let me = ev.part(p);
    let fig = &ctx.figures[p.index()];
    let mut s = String::new();
    let _ = writeln!(s, "# Agenda: {}", md(&me.display()));
    s.push('\n');
    let mut facts = vec![if me.side == crate::event::Side::Buyer {
        "Buyer"
    } else {
        "Firm"
    }
    .to_string()];
    if !me.country.is_empty() {
        facts.push(md(&me.country));
    }
    if let Some(t) = me.table {
        facts.push(format!("your table: {}", md(&ev.table(t).id)));
    }
    if !me.languages.is_empty() {
        facts.push(format!("languages: {}", md(&me.languages.join(", "))));
    }
    facts.push(plural(fig.meetings, "meeting", "meetings"));
    facts.push(plural(fig.breaks, "break", "breaks"));
    let _ = writeln!(s, "{}", facts.join(" · "));

    let agenda = ctx.plan.agenda(ev, p);
    if agenda.is_empty() {
        s.push_str("\nNo meetings are scheduled for you.\n");
        return s;
    }
    let mut by_slot: Vec<Option<&Meeting>> = vec![None; ev.slots.len()];
    for m in &agenda {
        // A firm with several representatives can hold two meetings in one slot; list both.
        if by_slot[m.slot.index()].is_none() {
            by_slot[m.slot.index()] = Some(m);
        }
    }
    for day in ev.days() {
        let sessions: Vec<_> = ev.sessions.iter().filter(|q| q.day == day).collect();
        let used = |q: &crate::event::Session| q.slots.clone().any(|s| by_slot[s].is_some());
        if !sessions.iter().any(|q| used(q)) {
            continue;
        }
        let _ = writeln!(s, "\n## {}\n", long_date(day));
        s.push_str("| Time | Table | Meeting with | Company | Country | Languages |\n");
        s.push_str("|---|---|---|---|---|---|\n");
        let mut first_session = true;
        for q in sessions.iter().filter(|q| used(q)) {
            if !first_session {
                s.push_str("| | | *pause between sessions* | | | |\n");
            }
            first_session = false;
            let busy: Vec<usize> = q.slots.clone().filter(|&i| by_slot[i].is_some()).collect();
            let (lo, hi) = (busy[0], busy[busy.len() - 1]);
            let mut i = lo;
            while i <= hi {
                let slot = &ev.slots[i];
                let here: Vec<&&Meeting> = agenda.iter().filter(|m| m.slot.index() == i).collect();
                if here.is_empty() {
                    // A break: one row for the whole run of idle slots.
                    let mut j = i;
                    while j < hi && by_slot[j + 1].is_none() {
                        j += 1;
                    }
                    let _ = writeln!(
                        s,
                        "| {}–{} | | *break* | | | |",
                        slot.start, ev.slots[j].end
                    );
                    i = j + 1;
                    continue;
                }
                for m in here {
                    let other = ev.part(ev.pair(m.pair).other(p));
                    let _ = writeln!(
                        s,
                        "| {}–{} | {} | {} | {} | {} | {} |",
                        slot.start,
                        slot.end,
                        md(&table_id(ev, m)),
                        md(&counterpart(other)),
                        md(&other.company),
                        md(&other.country),
                        md(&other.languages.join(", "))
                    );
                }
                i += 1;
            }
        }
    }
    s
}
