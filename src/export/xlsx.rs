//! schedule.xlsx: the plan as a workbook for the people who open it in Excel (the CSV files are
//! for programs). Sheets: the schedule (the columns of schedule.csv, which `check` and
//! `replan --previous` read back), a grid per day (tables, or firms, × slots, with names),
//! the buyers' and the firms' agendas (one sheet per side, grouped by participant), the
//! requests not scheduled with their reasons, and the summary figures. Header rows frozen,
//! columns fitted, filters on; dates are Excel dates and times Excel times; no formulas: every
//! text is written as a string, so a name starting with `=` stays a name.

use super::floor::places;
use super::tables::SCHEDULE_HEADER;
use super::{Ctx, Export, OutFile};
use crate::event::time::{Date, Time};
use crate::event::{Event, Organiser, PartId, Side, SlotId};
use crate::id::ids;
use crate::lang::{fill, Labels};
use anyhow::{Context, Result};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet};

/// Excel's limit on the characters of a cell.
const MAX_CELL: usize = 32_767;

pub(super) struct ScheduleXlsx;

impl Export for ScheduleXlsx {
    fn render(&self, ctx: &Ctx) -> Result<Vec<OutFile>> {
        let bytes = workbook(ctx).context("writing schedule.xlsx")?;
        Ok(vec![OutFile {
            path: "schedule.xlsx".into(),
            bytes,
        }])
    }
}

/// The formats of a workbook's cells.
struct Formats {
    header: Format,
    date: Format,
    time: Format,
    wrap: Format,
}

/// A sheet being filled row by row.
struct Sheet<'a> {
    ws: &'a mut Worksheet,
    f: &'a Formats,
    row: u32,
    columns: u16,
}

impl<'a> Sheet<'a> {
    fn new(wb: &'a mut Workbook, f: &'a Formats, name: &str, header: &[&str]) -> Result<Self> {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        for (c, h) in header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &f.header)?;
        }
        ws.set_freeze_panes(1, 0)?;
        Ok(Sheet {
            ws,
            f,
            row: 0,
            columns: header.len() as u16,
        })
    }

    /// The next row, cell by cell.
    fn next(&mut self) -> u32 {
        self.row += 1;
        self.row
    }

    /// Text, always as a string (never a formula), cut to what Excel holds.
    fn text(&mut self, col: u16, s: &str) -> Result<()> {
        let s: String = s.chars().take(MAX_CELL).collect();
        if !s.is_empty() {
            self.ws.write_string(self.row, col, s)?;
        }
        Ok(())
    }
    fn wrapped(&mut self, col: u16, s: &str) -> Result<()> {
        let s: String = s.chars().take(MAX_CELL).collect();
        if !s.is_empty() {
            self.ws
                .write_string_with_format(self.row, col, s, &self.f.wrap)?;
        }
        Ok(())
    }
    fn number(&mut self, col: u16, n: f64) -> Result<()> {
        self.ws.write_number(self.row, col, n)?;
        Ok(())
    }
    fn date(&mut self, col: u16, d: Date) -> Result<()> {
        let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
        self.ws
            .write_datetime_with_format(self.row, col, &dt, &self.f.date)?;
        Ok(())
    }
    fn time(&mut self, col: u16, t: Time) -> Result<()> {
        let dt = ExcelDateTime::from_hms(t.0 / 60, (t.0 % 60) as u8, 0)?;
        self.ws
            .write_datetime_with_format(self.row, col, &dt, &self.f.time)?;
        Ok(())
    }

    /// Filters on the header row, columns fitted to their contents.
    fn finish(self) -> Result<()> {
        if self.columns > 0 {
            self.ws.autofilter(0, 0, self.row, self.columns - 1)?;
        }
        self.ws.set_autofit_max_width(400);
        self.ws.autofit();
        Ok(())
    }
}

fn organiser(l: &Labels, o: Organiser) -> &'static str {
    match o {
        Organiser::Free => "",
        Organiser::Required => l.x_required,
        Organiser::Forbidden => l.x_forbidden,
    }
}

/// "B01 Anna Schmidt", for cells that name a participant.
fn short(ev: &Event, p: PartId) -> String {
    let x = ev.part(p);
    format!("{} {}", x.id, x.display())
}

fn workbook(ctx: &Ctx) -> Result<Vec<u8>> {
    let (ev, l) = (ctx.event, ctx.labels);
    let mut wb = Workbook::new();
    // The creation time is the time of writing (SOURCE_DATE_EPOCH pins it, like the calendars'
    // DTSTAMP): otherwise the file would differ on every run.
    let created = ExcelDateTime::from_timestamp(ctx.style.stamp.as_second())?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{} · {}", ev.info.name, l.x_schedule).trim_start_matches(" · "))
            .set_creation_datetime(&created),
    );
    let f = Formats {
        header: Format::new().set_bold(),
        date: Format::new().set_num_format(l.x_date_format),
        time: Format::new().set_num_format("hh:mm"),
        wrap: Format::new().set_text_wrap(),
    };
    schedule(&mut wb, &f, ctx)?;
    grids(&mut wb, &f, ctx)?;
    agendas(&mut wb, &f, ctx, Side::Buyer, l.x_buyers)?;
    agendas(&mut wb, &f, ctx, Side::Firm, l.x_firms)?;
    unscheduled(&mut wb, &f, ctx)?;
    summary(&mut wb, &f, ctx)?;
    Ok(wb.save_to_buffer()?)
}

/// The meetings with the columns of schedule.csv (English column names: `check` and
/// `replan --previous` read this sheet as they read the CSV file).
fn schedule(wb: &mut Workbook, f: &Formats, ctx: &Ctx) -> Result<()> {
    let ev = ctx.event;
    let mut s = Sheet::new(wb, f, ctx.labels.x_schedule, &SCHEDULE_HEADER)?;
    for m in &ctx.plan.meetings {
        let pair = ev.pair(m.pair);
        let slot = ev.slot(m.slot);
        let (a, b) = (ev.part(pair.a), ev.part(pair.b));
        s.next();
        s.date(0, slot.day)?;
        s.time(1, slot.start)?;
        s.time(2, slot.end)?;
        s.text(3, &slot.id)?;
        if let Some(t) = m.table {
            s.text(4, &ev.table(t).id)?;
        }
        s.text(5, &a.id)?;
        s.text(6, &a.name)?;
        s.text(7, &b.id)?;
        s.text(8, &b.name)?;
        s.text(9, &a.company)?;
        s.text(10, &b.company)?;
        s.number(11, f64::from(pair.value()))?;
        s.text(12, super::tables::organiser_word(pair.organiser))?;
        s.number(13, f64::from(m.sequence))?;
        s.text(14, "meeting")?;
        if let Some(v) = ev.slot_venue(m.slot) {
            s.text(15, &ev.venues[v].id)?;
        }
        if let Some(k) = m.interpreter {
            s.text(16, &ev.interpreter(k).id)?;
        }
    }
    for b in &ctx.plan.visits {
        let pair = ev.pair(b.pair);
        let visit = ev.visit(b.visit);
        let (a, firm) = (ev.part(b.visitor(ev)), ev.part(visit.firm));
        s.next();
        s.date(0, visit.day)?;
        s.time(1, visit.start)?;
        s.time(2, visit.end)?;
        s.text(3, &visit.id)?;
        s.text(5, &a.id)?;
        s.text(6, &a.name)?;
        s.text(7, &firm.id)?;
        s.text(8, &firm.name)?;
        s.text(9, &a.company)?;
        s.text(10, &firm.company)?;
        s.number(11, f64::from(pair.value()))?;
        s.text(12, super::tables::organiser_word(pair.organiser))?;
        s.number(13, f64::from(b.sequence))?;
        s.text(14, "visit")?;
        if let Some(v) = visit.venue {
            s.text(15, &ev.venues[v].id)?;
        }
    }
    s.finish()
}

/// Per day, a row per table (or per firm, without tables.csv) in use and a column per slot:
/// who meets there.
fn grids(wb: &mut Workbook, f: &Formats, ctx: &Ctx) -> Result<()> {
    let (ev, l) = (ctx.event, ctx.labels);
    let places = places(ctx);
    for day in ev.days() {
        let slots: Vec<SlotId> = ids(ev.slots.len())
            .filter(|&s: &SlotId| ev.slot(s).day == day)
            .collect();
        let times: Vec<String> = slots
            .iter()
            .map(|&s| format!("{}–{}", ev.slot(s).start, ev.slot(s).end))
            .collect();
        let first = if ev.tables.is_empty() {
            l.firm
        } else {
            l.table
        };
        let mut header = vec![first];
        header.extend(times.iter().map(String::as_str));
        let name = fill(l.x_grid, &[&day.to_string()]);
        let mut s = Sheet::new(wb, f, &name, &header)?;
        s.ws.set_freeze_panes(1, 1)?;
        for p in &places {
            if slots.iter().all(|sl| p.by_slot[sl.index()].is_empty()) {
                continue;
            }
            s.next();
            let label = match p.owner {
                Some(o) if !ev.tables.is_empty() => {
                    format!("{} · {}", p.label, ev.part(o).display())
                }
                Some(o) => short(ev, o),
                None => p.label.clone(),
            };
            s.text(0, &label)?;
            for (c, sl) in slots.iter().enumerate() {
                let cell: Vec<String> = p.by_slot[sl.index()]
                    .iter()
                    .map(|&k| {
                        let pair = ev.pair(ctx.plan.meetings[k].pair);
                        // At a firm's own place, the cell names who comes to it.
                        [pair.a, pair.b]
                            .into_iter()
                            .filter(|&x| !(ev.tables.is_empty() && Some(x) == p.owner))
                            .map(|x| short(ev, x))
                            .collect::<Vec<_>>()
                            .join(" – ")
                    })
                    .collect();
                s.wrapped(c as u16 + 1, &cell.join("\n"))?;
            }
        }
        s.finish()?;
    }
    Ok(())
}

/// A line of an agenda sheet.
enum Line<'a> {
    Meeting(&'a crate::plan::Meeting),
    Extra(super::programme::Extra),
}

/// Every participant of one side with its meetings, programme items and visits in time order,
/// a row each (one row saying "no meetings" for a participant without any): filter on the id
/// for one agenda.
fn agendas(wb: &mut Workbook, f: &Formats, ctx: &Ctx, side: Side, name: &str) -> Result<()> {
    let (ev, l) = (ctx.event, ctx.labels);
    let header = [
        l.x_id,
        l.name,
        l.x_day,
        l.x_start,
        l.x_end,
        l.slot,
        l.table,
        l.meeting_with,
        l.company,
        l.country,
        l.language_hint,
    ];
    let mut s = Sheet::new(wb, f, name, &header)?;
    for p in ids::<crate::event::Participant>(ev.participants.len()) {
        let part = ev.part(p);
        if part.side != side {
            continue;
        }
        // Meetings, programme items and visits in time order (a meeting first at equal times).
        let mut lines: Vec<(Date, Time, Line)> = ctx
            .agenda(p)
            .into_iter()
            .map(|m| {
                let slot = ev.slot(m.slot);
                (slot.day, slot.start, Line::Meeting(m))
            })
            .collect();
        lines.extend(
            super::programme::extras(ctx, p)
                .into_iter()
                .map(|e| (e.day, e.start, Line::Extra(e))),
        );
        lines.sort_by_key(|&(d, t, _)| (d, t));
        if lines.is_empty() {
            s.next();
            s.text(0, &part.id)?;
            s.text(1, &part.display())?;
            s.text(7, l.no_meetings)?;
        }
        for (day, start, line) in lines {
            s.next();
            s.text(0, &part.id)?;
            s.text(1, &part.display())?;
            s.date(2, day)?;
            s.time(3, start)?;
            match line {
                Line::Meeting(m) => {
                    let slot = ev.slot(m.slot);
                    let other = ev.part(ev.pair(m.pair).other(p));
                    s.time(4, slot.end)?;
                    s.text(5, &slot.id)?;
                    if let Some(t) = m.table {
                        s.text(6, &ev.table(t).id)?;
                    }
                    s.text(7, &format!("{} {}", other.id, other.name))?;
                    s.text(8, &other.company)?;
                    s.text(9, &other.country)?;
                    s.text(10, &other.languages.join(", "))?;
                }
                // The item or visit's id where a meeting has its slot, its title and venue.
                Line::Extra(e) => {
                    s.time(4, e.end)?;
                    s.text(5, &super::programme::extra_id(ctx, &e))?;
                    s.text(7, &super::programme::title(ctx, &e))?;
                    s.text(8, &ev.venue_text(e.venue))?;
                }
            }
        }
    }
    s.finish()
}

fn unscheduled(wb: &mut Workbook, f: &Formats, ctx: &Ctx) -> Result<()> {
    let (ev, l) = (ctx.event, ctx.labels);
    let header = [l.from, l.to, l.x_value, l.x_organiser, l.reason];
    let mut s = Sheet::new(wb, f, l.x_unscheduled, &header)?;
    for u in &ctx.plan.unscheduled {
        let pair = ev.pair(u.pair);
        s.next();
        s.text(0, &short(ev, pair.a))?;
        s.text(1, &short(ev, pair.b))?;
        s.number(2, f64::from(pair.value()))?;
        s.text(3, organiser(l, pair.organiser))?;
        s.text(4, &u.reason.words(ev, l))?;
    }
    s.finish()
}

/// The report's figures (without the solving time, so that the file is reproducible).
fn summary(wb: &mut Workbook, f: &Formats, ctx: &Ctx) -> Result<()> {
    let l = ctx.labels;
    let mut s = Sheet::new(wb, f, l.x_summary, &[l.x_figure, l.x_value])?;
    for (k, v) in super::report::lines(ctx, l, false) {
        s.next();
        s.text(0, &k)?;
        s.text(1, &v)?;
    }
    s.finish()
}
