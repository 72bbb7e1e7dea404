//! The rules of the whole programme on a schedule: no engagement of a person (meeting, visit,
//! programme item, a visit the firm hosts) overlaps another or leaves less than the travel time
//! between their venues; visits within capacity; a visit request met at most once, and only
//! where it was asked for. Independent of the solver.

use crate::diag::Diagnostic;
use crate::event::{Event, Span};
use crate::schedule::Schedule;
use std::collections::HashMap;

/// One engagement of a person, for the messages: what it is and the schedule line it is on
/// (none for a fixed one).
struct Held {
    span: Span,
    what: String,
    line: Option<u64>,
    /// The slot of a meeting: meetings of one slot are counted by reps, not here.
    slot: Option<usize>,
}

/// Adds the programme's violations to `errors`; marks requests met in `met`.
pub(super) fn check(
    event: &Event,
    sched: &Schedule,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
    met: &mut [bool],
) {
    let mut held: Vec<Vec<Held>> = (0..event.participants.len()).map(|_| Vec::new()).collect();
    for e in &sched.entries {
        let slot = event.slot(e.slot);
        for p in [e.a, e.b] {
            held[p.index()].push(Held {
                span: event.slot_span(e.slot),
                what: format!(
                    "meeting {}-{} in slot {}",
                    event.part(e.a).id,
                    event.part(e.b).id,
                    slot.id
                ),
                line: Some(e.line),
                slot: Some(e.slot.index()),
            });
        }
        if let Some(p) = e.pair {
            if event.pair(p).visit_host.is_some() {
                errors.push(sched.at(
                    e.line,
                    format!(
                        "{}-{} asked for a visit, not a table meeting",
                        event.part(e.a).id,
                        event.part(e.b).id
                    ),
                ));
            }
        }
    }
    let mut seats: HashMap<usize, u32> = HashMap::new();
    let mut seen: HashMap<(usize, usize), u64> = HashMap::new();
    for v in &sched.visits {
        let visit = event.visit(v.visit);
        let at = |msg: String| sched.at(v.line, msg);
        let (vis, firm) = (event.part(v.visitor), event.part(v.firm));
        held[v.visitor.index()].push(Held {
            span: visit.span(),
            what: format!("visit {} to {}", visit.id, firm.id),
            line: Some(v.line),
            slot: None,
        });
        if visit.cancelled {
            errors.push(at(format!("visit {} was cancelled", visit.id)));
        }
        let n = seats.entry(v.visit.index()).or_default();
        *n += 1;
        if *n == visit.capacity + 1 {
            errors.push(at(format!(
                "visit {} takes {} visitors, this is one more",
                visit.id, visit.capacity
            )));
        }
        let key = (v.visitor.index(), v.firm.index());
        if let Some(first) = seen.insert(key, v.line) {
            errors.push(at(format!(
                "{} visits {} twice (also at line {first})",
                vis.id, firm.id
            )));
        }
        match v.pair {
            Some(p) if event.pair(p).visit_host.is_some() => {
                met[p.index()] = true;
                if event.pair(p).organiser == crate::event::Organiser::Forbidden {
                    errors.push(at(format!(
                        "{}-{} is forbidden by the organiser",
                        vis.id, firm.id
                    )));
                }
            }
            _ => warnings.push(at(format!(
                "{} visiting {} was not requested in preferences.csv (kind visit)",
                vis.id, firm.id
            ))),
        }
    }
    for (i, list) in held.iter_mut().enumerate() {
        let p = crate::id::Id::new(i);
        for item in event.programme.iter().filter(|it| it.who[i]) {
            list.push(Held {
                span: item.span(),
                what: format!("programme item {}", item.id),
                line: None,
                slot: None,
            });
        }
        for visit in event.visits.iter().filter(|v| v.firm == p && !v.cancelled) {
            list.push(Held {
                span: visit.span(),
                what: format!("its visit {}", visit.id),
                line: None,
                slot: None,
            });
        }
        list.sort_by_key(|h| (h.span.day, h.span.start, h.span.end));
        let id = &event.part(p).id;
        for x in 0..list.len() {
            for y in x + 1..list.len() {
                let (a, b) = (&list[x], &list[y]);
                if a.line.is_none() && b.line.is_none() {
                    continue; // the organiser's own programme
                }
                if a.slot.is_some() && a.slot == b.slot {
                    continue; // several meetings at once: the reps rule
                }
                if !event.spans_conflict(&a.span, &b.span) {
                    continue;
                }
                let line = b.line.or(a.line).expect("one of them is a row");
                let overlap = a.span.end > b.span.start;
                let msg = if overlap {
                    format!("{id}: {} overlaps {}", b.what, a.what)
                } else {
                    let need = event.travel_minutes(a.span.venue, b.span.venue);
                    format!(
                        "{id}: {} ends {} min before {}; travel from {} to {} takes {need} min",
                        a.what,
                        b.span.start.0 - a.span.end.0,
                        b.what,
                        event.venue_text(a.span.venue),
                        event.venue_text(b.span.venue),
                    )
                };
                errors.push(sched.at(line, msg));
            }
        }
    }
}
