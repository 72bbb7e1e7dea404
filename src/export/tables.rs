//! schedule.csv and unscheduled.csv.

use super::text::csv_bytes;
use super::{Ctx, Export, OutFile};
use crate::event::{Event, Organiser, Pair};
use anyhow::Result;

pub(super) const SCHEDULE_HEADER: [&str; 17] = [
    "day",
    "start",
    "end",
    "slot",
    "table",
    "participant_a",
    "name_a",
    "participant_b",
    "name_b",
    "company_a",
    "company_b",
    "value",
    "organiser",
    "sequence",
    "kind",
    "venue",
    "interpreter",
];

pub(super) fn organiser_word(o: Organiser) -> &'static str {
    match o {
        Organiser::Free => "",
        Organiser::Required => "required",
        Organiser::Forbidden => "forbidden",
    }
}

fn value_cell(pair: &Pair) -> String {
    pair.value().to_string()
}

pub(super) struct ScheduleCsv;

impl Export for ScheduleCsv {
    fn render(&self, ctx: &Ctx) -> Result<Vec<OutFile>> {
        let ev: &Event = ctx.event;
        let rows = ctx.plan.meetings.iter().map(|m| {
            let pair = ev.pair(m.pair);
            let slot = ev.slot(m.slot);
            let (a, b) = (ev.part(pair.a), ev.part(pair.b));
            vec![
                slot.day.to_string(),
                slot.start.to_string(),
                slot.end.to_string(),
                slot.id.clone(),
                m.table.map(|t| ev.table(t).id.clone()).unwrap_or_default(),
                a.id.clone(),
                a.name.clone(),
                b.id.clone(),
                b.name.clone(),
                a.company.clone(),
                b.company.clone(),
                value_cell(pair),
                organiser_word(pair.organiser).to_string(),
                m.sequence.to_string(),
                "meeting".to_string(),
                ev.slot_venue(m.slot)
                    .or_else(|| {
                        m.table.and_then(|t| {
                            ev.table(t).venue.as_deref().and_then(|v| ev.venue_named(v))
                        })
                    })
                    .map(|v| ev.venues[v].id.clone())
                    .unwrap_or_default(),
                m.interpreter
                    .map(|k| ev.interpreter(k).id.clone())
                    .unwrap_or_default(),
            ]
        });
        // One row per visitor of a visit: the visit's id in `slot`, the visitor first.
        let visits = ctx.plan.visits.iter().map(|b| {
            let pair = ev.pair(b.pair);
            let visit = ev.visit(b.visit);
            let (a, f) = (ev.part(b.visitor(ev)), ev.part(visit.firm));
            vec![
                visit.day.to_string(),
                visit.start.to_string(),
                visit.end.to_string(),
                visit.id.clone(),
                String::new(),
                a.id.clone(),
                a.name.clone(),
                f.id.clone(),
                f.name.clone(),
                a.company.clone(),
                f.company.clone(),
                value_cell(pair),
                organiser_word(pair.organiser).to_string(),
                b.sequence.to_string(),
                "visit".to_string(),
                visit
                    .venue
                    .map(|v| ev.venues[v].id.clone())
                    .unwrap_or_default(),
                String::new(),
            ]
        });
        let rows = rows.chain(visits);
        Ok(vec![OutFile {
            path: "schedule.csv".into(),
            bytes: csv_bytes(&SCHEDULE_HEADER, rows)?,
        }])
    }
}

pub(super) struct UnscheduledCsv;

impl Export for UnscheduledCsv {
    fn render(&self, ctx: &Ctx) -> Result<Vec<OutFile>> {
        let ev = ctx.event;
        let rows = ctx.plan.unscheduled.iter().map(|u| {
            let pair = ev.pair(u.pair);
            let (a, b) = (ev.part(pair.a), ev.part(pair.b));
            vec![
                a.id.clone(),
                b.id.clone(),
                u.reason.english(ev),
                a.name.clone(),
                b.name.clone(),
                value_cell(pair),
                organiser_word(pair.organiser).to_string(),
                u.reason.code(ev),
            ]
        });
        Ok(vec![OutFile {
            path: "unscheduled.csv".into(),
            bytes: csv_bytes(
                &[
                    "from",
                    "to",
                    "reason",
                    "name_from",
                    "name_to",
                    "value",
                    "organiser",
                    "reason_code",
                ],
                rows,
            )?,
        }])
    }
}

/// status.csv: the plan's figures and the solver's bounds. Read back, only the bounds and the
/// ending count (`plandir`): the figures are computed again from schedule.csv.
pub(super) struct StatusCsv;

pub(super) const STATUS_HEADER: [&str; 6] = [
    "value",
    "value_bound",
    "breaks",
    "breaks_bound",
    "spread",
    "ending",
];

impl Export for StatusCsv {
    fn render(&self, ctx: &Ctx) -> Result<Vec<OutFile>> {
        let (f, b) = (&ctx.figures, &ctx.plan.bounds);
        let row = vec![
            f.value.to_string(),
            b.value_bound.to_string(),
            f.breaks.to_string(),
            b.breaks_bound.to_string(),
            f.spread.to_string(),
            b.ending.word().to_string(),
        ];
        Ok(vec![OutFile {
            path: "status.csv".into(),
            bytes: csv_bytes(&STATUS_HEADER, [row])?,
        }])
    }
}
