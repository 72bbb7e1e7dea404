//! Sorting the announced meetings before a re-plan: those that happened (frozen), those that
//! still fit where they are (kept), and those that lost their place (displaced).

use crate::diag::InvalidInput;
use crate::event::time::{Date, Time};
use crate::event::{Event, Organiser, PairId, PartId, SlotId, TableId};
use crate::plan::Meeting;
use crate::schedule::{Entry, Schedule};
use std::collections::HashMap;

/// A point in time: slots starting before it have happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Moment(pub Date, pub Time);

impl Moment {
    /// `YYYY-MM-DD HH:MM`.
    pub(crate) fn parse(s: &str) -> Option<Moment> {
        let (d, t) = s.trim().split_once(' ')?;
        Some(Moment(Date::parse(d.trim())?, Time::parse(t.trim())?))
    }
}

/// What becomes of each previous meeting before solving.
pub(crate) struct Triage {
    /// Happened: they stay exactly as they were (slot and table), part of the new plan.
    pub frozen: Vec<Meeting>,
    /// Still valid: stay at their slot and table (or may move, with `--allow-moves`).
    pub keep: Vec<Entry>,
    /// Still requested but no longer possible where they were: re-placed first if they fit.
    pub displaced: Vec<PairId>,
    /// Announced visits still offered to their visitor: they stay.
    pub kept_visits: Vec<(PairId, crate::event::VisitId)>,
}

/// Sorts the previous meetings into frozen / kept / displaced; the rest (pairs no longer
/// requested, forbidden, or cancelled entirely) simply end. Locked meetings that broke a rule
/// are an error: the organiser pinned them, so the tool must not drop them silently.
pub(crate) fn triage(
    event: &Event,
    prev: &Schedule,
    frozen_until: Option<Moment>,
) -> Result<Triage, InvalidInput> {
    let happened = |s: SlotId| {
        frozen_until.is_some_and(|f| Moment(event.slot(s).day, event.slot(s).start) < f)
    };
    let mut t = Triage {
        frozen: Vec::new(),
        keep: Vec::new(),
        displaced: Vec::new(),
        kept_visits: Vec::new(),
    };
    // A visit stays while it is still offered to its visitor and has a seat (first come in
    // the previous schedule's order); the others are re-placed like displaced meetings.
    let mut seats: HashMap<usize, u32> = HashMap::new();
    for v in &prev.visits {
        let Some(p) = v.pair else { continue };
        let n = seats.entry(v.visit.index()).or_default();
        if event.visit_options(p).contains(&v.visit) && *n < event.visit(v.visit).capacity {
            *n += 1;
            t.kept_visits.push((p, v.visit));
        } else if event.pair(p).organiser != Organiser::Forbidden {
            t.displaced.push(p);
        }
    }
    let mut errors = Vec::new();
    let mut load: HashMap<(PartId, SlotId), u32> = HashMap::new();
    let mut count: HashMap<PartId, u32> = HashMap::new();
    // Locked first, then by value: when a lowered capacity forces a choice, the lesser go.
    let mut order: Vec<&Entry> = prev.entries.iter().collect();
    order.sort_by_key(|e| {
        (
            !e.locked,
            std::cmp::Reverse(e.pair.map_or(0, |p| event.pair(p).value())),
            e.line,
        )
    });
    for e in order {
        if happened(e.slot) {
            let Some(pair) = e.pair else {
                errors.push(
                    prev.at(
                        e.line,
                        "a meeting that already happened is no longer in preferences.csv",
                    )
                    .hint("keep its preference row: past meetings stay in the plan as they were"),
                );
                continue;
            };
            for i in [e.a, e.b] {
                *count.entry(i).or_default() += 1;
            }
            t.frozen.push(Meeting {
                pair,
                slot: e.slot,
                table: e.table,
                sequence: e.sequence,
                interpreter: e.interpreter,
            });
            continue;
        }
        let why_not = match e.pair {
            None => Some("its pair is no longer requested".to_string()),
            Some(p) => still_fits(event, e, p).err(),
        };
        let over = [e.a, e.b].iter().find_map(|&i| {
            let part = event.part(i);
            let l = load.get(&(i, e.slot)).copied().unwrap_or(0);
            let c = count.get(&i).copied().unwrap_or(0);
            if l >= part.reps {
                Some(format!(
                    "{} can no longer hold it in this slot (reps {})",
                    part.id, part.reps
                ))
            } else if part.max_meetings.is_some_and(|m| c >= m) {
                Some(format!("{} reached its max_meetings", part.id))
            } else {
                None
            }
        });
        match (why_not.or(over), e.pair) {
            (None, _) => {
                for i in [e.a, e.b] {
                    *load.entry((i, e.slot)).or_default() += 1;
                    *count.entry(i).or_default() += 1;
                }
                t.keep.push(e.clone());
            }
            (Some(why), _) if e.locked => errors.push(
                prev.at(e.line, format!("locked meeting cannot stay: {why}"))
                    .hint("unlock it, or undo the change to the event that conflicts with it"),
            ),
            (Some(_), Some(p)) if event.pair(p).organiser != Organiser::Forbidden => {
                t.displaced.push(p);
            }
            _ => {}
        }
    }
    if !errors.is_empty() {
        return Err(InvalidInput {
            subject: "schedule",
            errors,
        });
    }
    Ok(t)
}

/// Whether a previous meeting still obeys the event's rules where it is.
fn still_fits(event: &Event, e: &Entry, p: PairId) -> Result<(), String> {
    let pair = event.pair(p);
    let s = e.slot.index();
    if pair.organiser == Organiser::Forbidden {
        return Err("the pair is now forbidden".into());
    }
    for i in [e.a, e.b] {
        if !event.part(i).available[s] {
            return Err(format!(
                "{} is not available in slot {}",
                event.part(i).id,
                event.slot(e.slot).id
            ));
        }
    }
    if !pair.when[s] {
        return Err("the slot is outside the pair's 'when' or was cancelled".into());
    }
    if !event.pair_slots(p).contains(&e.slot) {
        return Err("it clashes with the programme (an item or a visit, travel included)".into());
    }
    if event.tables_limited {
        let expected: Option<TableId> = pair.host_table;
        match (expected, e.table) {
            (Some(h), Some(t)) if h != t => {
                return Err(format!(
                    "the meeting belongs at table {}",
                    event.table(h).id
                ))
            }
            (None, Some(t)) if event.table(t).owner.is_some() => {
                return Err(format!("table {} now belongs to a firm", event.table(t).id))
            }
            (_, Some(t)) if !event.table_usable(t, e.slot) => {
                return Err("the table is not at the slot's venue".into())
            }
            _ => {}
        }
    }
    Ok(())
}
