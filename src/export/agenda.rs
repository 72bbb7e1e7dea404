//! One agenda per participant, as CSV (for mail merge) and Markdown (to print): meetings in
//! time order with the counterpart, its company and country, and the table; free slots between
//! meetings shown as breaks.

use super::text::{csv_bytes, md};
use super::{Ctx, Export, OutFile};
use crate::event::time::Date;
use crate::event::{Event, PartId, Participant, SlotId};
use crate::id::{ids, Id};
use crate::lang::fill;
use crate::plan::Meeting;
use anyhow::Result;
use std::fmt::Write;

pub(crate) fn path(p: &Participant, ext: &str) -> String {
    // Ids are checked at load time (letters, digits, '-', '_', '.', never '.' or '..'), so they
    // are safe file names; the writer re-checks that no path leaves the output folder.
    format!("agendas/{}/{}.{ext}", p.side.folder(), p.id)
}

pub(crate) fn table_id(ev: &Event, m: &Meeting) -> String {
    m.table.map(|t| ev.table(t).id.clone()).unwrap_or_default()
}

/// The interpreter of a meeting by name (empty without one).
pub(crate) fn interpreter_name(ev: &Event, m: &Meeting) -> String {
    m.interpreter
        .map(|k| ev.interpreter(k).name.clone())
        .unwrap_or_default()
}

/// A counterpart with its role when it has one: "Anna Schmidt (journalist)".
pub(crate) fn with_role(p: &Participant) -> String {
    if p.role.is_empty() {
        counterpart(p)
    } else {
        format!("{} ({})", counterpart(p), p.role)
    }
}

/// What an agenda's language cell says: the counterpart's languages, and the interpreter.
pub(crate) fn languages_cell(ctx: &Ctx, m: &Meeting, other: &Participant) -> String {
    let mut s = other.languages.join(", ");
    if m.interpreter.is_some() {
        s = format!(
            "{s} · {}: {}",
            ctx.labels.interpreter,
            interpreter_name(ctx.event, m)
        );
    }
    s
}

pub(crate) struct AgendaCsv;

impl Export for AgendaCsv {
    fn render(&self, ctx: &Ctx) -> Result<Vec<OutFile>> {
        let ev = ctx.event;
        let mut files = Vec::new();
        for p in ids::<Participant>(ev.participants.len()) {
            let mut timed: Vec<((Date, crate::event::time::Time), Vec<String>)> = Vec::new();
            for e in super::programme::extras(ctx, p) {
                timed.push((
                    (e.day, e.start),
                    vec![
                        e.day.to_string(),
                        e.start.to_string(),
                        e.end.to_string(),
                        super::programme::extra_id(ctx, &e),
                        String::new(),
                        String::new(),
                        super::programme::title(ctx, &e),
                        String::new(),
                        String::new(),
                        String::new(),
                        match e.kind {
                            super::programme::ExtraKind::Item(_)
                            | super::programme::ExtraKind::Past(_) => "programme",
                            _ => "visit",
                        }
                        .to_string(),
                        ev.venue_text(e.venue),
                        String::new(),
                        String::new(),
                    ],
                ));
            }
            let meetings = ctx.agenda(p).into_iter().map(|m| {
                let slot = ev.slot(m.slot);
                let other = ev.part(ev.pair(m.pair).other(p));
                let row = vec![
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
                    "meeting".to_string(),
                    ev.venue_text(ev.slot_venue(m.slot)),
                    interpreter_name(ev, m),
                    other.role.clone(),
                ];
                ((slot.day, slot.start), row)
            });
            timed.extend(meetings);
            // Stable: meetings before extras of the same start only when listed first.
            timed.sort_by_key(|(k, _)| *k);
            let rows = timed.into_iter().map(|(_, r)| r);
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
                "kind",
                "venue",
                "interpreter",
                "counterpart_role",
            ];
            files.push(OutFile {
                path: path(ev.part(p), "csv"),
                bytes: csv_bytes(&header, rows)?,
            });
        }
        Ok(files)
    }
}

pub(crate) struct AgendaMarkdown;

impl Export for AgendaMarkdown {
    fn render(&self, ctx: &Ctx) -> Result<Vec<OutFile>> {
        let ev = ctx.event;
        let styles = ctx.auto_styles();
        let subs: Vec<Ctx> = styles.iter().map(|s| Ctx::new(ev, ctx.plan, s)).collect();
        let mut files = Vec::new();
        for p in ids::<Participant>(ev.participants.len()) {
            files.push(OutFile {
                path: path(ev.part(p), "md"),
                bytes: markdown(ctx.pick(&subs, p), p).into_bytes(),
            });
        }
        Ok(files)
    }
}

/// Who sits across the table: a buyer by name, a firm by its contact person when known.
pub(crate) fn counterpart(p: &Participant) -> String {
    if p.side == crate::event::Side::Firm && !p.contact.is_empty() {
        p.contact.clone()
    } else {
        p.name.clone()
    }
}

/// One line of an agenda.
pub(crate) enum Row<'a> {
    Meeting(&'a Meeting),
    /// A run of idle slots between two meetings: from the start of the first to the end of
    /// the last.
    Break(SlotId, SlotId),
    /// Between two sessions of one day (lunch, the forum).
    Pause,
    /// A programme item or a visit (`export::programme`).
    Extra(super::programme::Extra),
    /// The travel before an engagement at another venue: minutes, and where to.
    Travel(u32, crate::event::VenueId),
}

/// An agenda's rows for one day.
pub(crate) struct Day<'a> {
    pub date: Date,
    pub rows: Vec<Row<'a>>,
}

/// The agenda of `p` as days of rows: meetings in time order, breaks between them, pauses
/// between sessions. Days without a meeting are left out.
pub(crate) fn days<'a>(ctx: &'a Ctx, p: PartId) -> Vec<Day<'a>> {
    let ev = ctx.event;
    let agenda = ctx.agenda(p);
    let mut busy = vec![false; ev.slots.len()];
    for m in &agenda {
        busy[m.slot.index()] = true;
    }
    // Slots the meetings and visits keep `p` from (travel) are no break; slots held by the
    // programme are left out of the count (`plan::Figures`).
    let mut engaged = busy.clone();
    if ev.travel.is_some() || !ev.visits.is_empty() {
        let spans: Vec<_> = agenda
            .iter()
            .map(|m| ev.slot_span(m.slot))
            .chain(
                ctx.plan
                    .visits
                    .iter()
                    .filter(|b| b.visitor(ev) == p)
                    .map(|b| ev.visit(b.visit).span()),
            )
            .collect();
        crate::plan::mark_covered(ev, &spans, &mut engaged);
    }
    let skip = ev.blocked(p);
    let extras = super::programme::extras(ctx, p);
    let mut out = Vec::new();
    for date in ev.days_with_programme() {
        let sessions: Vec<_> = ev
            .sessions
            .iter()
            .filter(|q| q.day == date && q.slots.clone().any(|s| busy[s]))
            .collect();
        if sessions.is_empty() && !extras.iter().any(|e| e.day == date) {
            continue;
        }
        // Rows with their time (and an order among equal times) and venue, merged with the
        // programme below.
        let mut rows = Vec::new();
        for (k, q) in sessions.iter().enumerate() {
            if k > 0 {
                let end = ev.slots[sessions[k - 1].slots.end - 1].end;
                rows.push((end, 0, None, Row::Pause));
            }
            let used: Vec<usize> = q.slots.clone().filter(|&i| engaged[i]).collect();
            let (lo, hi) = (used[0], used[used.len() - 1]);
            let idle = |i: usize| !engaged[i] && !skip[i];
            let mut i = lo;
            while i <= hi {
                if !busy[i] && !idle(i) {
                    i += 1;
                    continue;
                }
                if !busy[i] {
                    let mut j = i;
                    while j < hi && idle(j + 1) {
                        j += 1;
                    }
                    rows.push((
                        ev.slots[i].start,
                        1,
                        None,
                        Row::Break(Id::new(i), Id::new(j)),
                    ));
                    i = j + 1;
                    continue;
                }
                // A firm with several representatives can hold two meetings in one slot.
                let venue = ev.slot_venue(Id::new(i));
                rows.extend(
                    agenda
                        .iter()
                        .filter(|m| m.slot.index() == i)
                        .map(|m| (ev.slots[i].start, 1, venue, Row::Meeting(m))),
                );
                i += 1;
            }
        }
        let rows = super::programme::merge(ctx, p, date, rows);
        out.push(Day { date, rows });
    }
    out
}

/// The one-line facts under an agenda's title: side, country, table, languages, counts.
pub(crate) fn facts(ctx: &Ctx, p: PartId) -> Vec<String> {
    let (ev, l) = (ctx.event, ctx.labels);
    let me = ev.part(p);
    let fig = &ctx.figures.per_part[p.index()];
    let mut facts = vec![l.side(me.side).to_string()];
    if !me.role.is_empty() {
        facts.push(me.role.clone());
    }
    if !me.country.is_empty() {
        facts.push(me.country.clone());
    }
    if let Some(t) = me.table {
        facts.push(fill(l.your_table, &[&ev.table(t).id]));
    }
    if !me.languages.is_empty() {
        facts.push(fill(l.languages, &[&me.languages.join(", ")]));
    }
    facts.push(l.count(fig.meetings, l.meeting));
    facts.push(l.count(fig.breaks, l.break_));
    facts
}

pub(crate) fn markdown(ctx: &Ctx, p: PartId) -> String {
    let (ev, l) = (ctx.event, ctx.labels);
    let me = ev.part(p);
    let mut s = String::new();
    let _ = writeln!(s, "# {}", md(&fill(l.agenda_of, &[&me.display()])));
    s.push('\n');
    let facts: Vec<String> = facts(ctx, p).iter().map(|f| md(f)).collect();
    let _ = writeln!(s, "{}", facts.join(" · "));
    let days = days(ctx, p);
    if days.is_empty() {
        let _ = writeln!(s, "\n{}", l.no_meetings);
        return s;
    }
    for day in days {
        let _ = writeln!(s, "\n## {}\n", l.long_date(day.date));
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            l.time, l.table, l.meeting_with, l.company, l.country, l.language_hint
        );
        s.push_str("|---|---|---|---|---|---|\n");
        for row in day.rows {
            match row {
                Row::Pause => {
                    let _ = writeln!(s, "| | | *{}* | | | |", l.pause_between_sessions);
                }
                Row::Break(a, b) => {
                    let _ = writeln!(
                        s,
                        "| {}–{} | | *{}* | | | |",
                        ev.slot(a).start,
                        ev.slot(b).end,
                        l.break_row
                    );
                }
                Row::Extra(e) => {
                    let _ = writeln!(
                        s,
                        "| {}–{} | | **{}** | {} | | |",
                        e.start,
                        e.end,
                        md(&super::programme::title(ctx, &e)),
                        md(&ev.venue_text(e.venue))
                    );
                }
                Row::Travel(minutes, to) => {
                    let _ = writeln!(
                        s,
                        "| | | *{}* | | | |",
                        md(&super::programme::travel_text(ctx, minutes, to))
                    );
                }
                Row::Meeting(m) => {
                    let slot = ev.slot(m.slot);
                    let other = ev.part(ev.pair(m.pair).other(p));
                    let _ = writeln!(
                        s,
                        "| {}–{} | {} | {} | {} | {} | {} |",
                        slot.start,
                        slot.end,
                        md(&table_id(ev, m)),
                        md(&with_role(other)),
                        md(&other.company),
                        md(&other.country),
                        md(&languages_cell(ctx, m, other))
                    );
                }
            }
        }
    }
    s
}
