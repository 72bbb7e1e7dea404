//! What a re-plan changes for each participant, and the revisions (iCalendar SEQUENCE) it
//! gives the announced meetings. Rendered by `export::changes`.

use crate::event::{Event, InterpId, PartId, SlotId, TableId, VisitId};
use crate::plan::{Plan, Withdrawn, WithdrawnVisit};
use crate::schedule::{Entry, Schedule};
use std::collections::{BTreeMap, HashMap};

/// How one announced meeting changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ChangeKind {
    Cancelled,
    Moved,
    Added,
    /// Same slot and table, another interpreter (or one gained or lost).
    Interpreter,
}

impl ChangeKind {
    /// The word in changes.csv (read back by `export`).
    pub(crate) fn word(self) -> &'static str {
        match self {
            ChangeKind::Cancelled => "cancelled",
            ChangeKind::Moved => "moved",
            ChangeKind::Added => "added",
            ChangeKind::Interpreter => "interpreter",
        }
    }
}

/// Carries the announced meetings' revisions into the new plan: a kept meeting keeps its
/// SEQUENCE, a moved one (other slot or table) gets the next, and every announced meeting that
/// is gone becomes a withdrawn one with the next SEQUENCE, for calendars to cancel.
pub(crate) fn revise(event: &Event, prev: &Schedule, plan: &mut Plan) {
    let key = |a: PartId, b: PartId| (a.min(b), a.max(b));
    let before: HashMap<(PartId, PartId), &Entry> =
        prev.entries.iter().map(|e| (key(e.a, e.b), e)).collect();
    let mut met = std::collections::HashSet::new();
    for m in &mut plan.meetings {
        let p = event.pair(m.pair);
        met.insert(key(p.a, p.b));
        if let Some(e) = before.get(&key(p.a, p.b)) {
            m.sequence = if (e.slot, e.table) == (m.slot, m.table) {
                e.sequence
            } else {
                e.sequence + 1
            };
        }
    }
    plan.withdrawn = prev
        .entries
        .iter()
        .filter(|e| !met.contains(&key(e.a, e.b)))
        .map(|e| Withdrawn {
            a: e.a,
            b: e.b,
            slot: e.slot,
            table: e.table,
            sequence: e.sequence + 1,
        })
        .collect();
    // A visit kept keeps its revision; one on another visit gets the next.
    let visits_before: HashMap<(PartId, PartId), (VisitId, u32)> = prev
        .visits
        .iter()
        .map(|v| ((v.visitor, v.firm), (v.visit, v.sequence)))
        .collect();
    for b in &mut plan.visits {
        let k = (b.visitor(event), event.visit(b.visit).firm);
        if let Some(&(v, s)) = visits_before.get(&k) {
            b.sequence = if v == b.visit { s } else { s + 1 };
        }
    }
    // Every announced visit its visitor no longer joins (off it, or on another one).
    plan.withdrawn_visits = prev
        .visits
        .iter()
        .filter(|v| {
            !plan
                .visits
                .iter()
                .any(|b| b.visit == v.visit && b.visitor(event) == v.visitor)
        })
        .map(|v| WithdrawnVisit {
            visitor: v.visitor,
            visit: v.visit,
            sequence: v.sequence + 1,
        })
        .collect();
}

/// One change to one participant's agenda.
pub(crate) struct Change {
    pub participant: PartId,
    pub kind: ChangeKind,
    pub counterpart: PartId,
    pub before: Option<(SlotId, Option<TableId>)>,
    pub after: Option<(SlotId, Option<TableId>)>,
    /// The meeting's SEQUENCE after the change (calendars).
    pub sequence: u32,
    /// A change of a visit booking: the visit before and after (`before`/`after` are `None`).
    pub visit: Option<(Option<VisitId>, Option<VisitId>)>,
    /// The meeting's interpreter before and after (each `None` where it had or has none).
    pub interpreters: (Option<InterpId>, Option<InterpId>),
    /// A change of a programme item (`counterpart` is then the participant itself).
    pub programme: Option<super::ItemChange>,
}

/// The differences between the previous schedule and the new plan, per participant.
pub(crate) fn changes(event: &Event, prev: &Schedule, plan: &Plan) -> Vec<Change> {
    let key = |a: PartId, b: PartId| (a.min(b), a.max(b));
    let before: BTreeMap<(PartId, PartId), (SlotId, Option<TableId>)> = prev
        .entries
        .iter()
        .map(|e| (key(e.a, e.b), (e.slot, e.table)))
        .collect();
    let after: BTreeMap<(PartId, PartId), (SlotId, Option<TableId>)> = plan
        .meetings
        .iter()
        .map(|m| {
            let p = event.pair(m.pair);
            (key(p.a, p.b), (m.slot, m.table))
        })
        .collect();
    let interp_before: HashMap<(PartId, PartId), InterpId> = prev
        .entries
        .iter()
        .filter_map(|e| Some((key(e.a, e.b), e.interpreter?)))
        .collect();
    let interp_after: HashMap<(PartId, PartId), InterpId> = plan
        .meetings
        .iter()
        .filter_map(|m| {
            let p = event.pair(m.pair);
            Some((key(p.a, p.b), m.interpreter?))
        })
        .collect();
    let mut out = Vec::new();
    let mut push = |(a, b): (PartId, PartId), kind: ChangeKind, before, after| {
        let k = key(a, b);
        let interpreters = (
            interp_before
                .get(&k)
                .copied()
                .filter(|_| kind != ChangeKind::Added),
            interp_after
                .get(&k)
                .copied()
                .filter(|_| kind != ChangeKind::Cancelled),
        );
        for (x, y) in [(a, b), (b, a)] {
            out.push(Change {
                participant: x,
                kind,
                counterpart: y,
                before,
                after,
                sequence: 0,
                visit: None,
                interpreters,
                programme: None,
            });
        }
    };
    for (k, &old) in &before {
        match after.get(k) {
            None => push(*k, ChangeKind::Cancelled, Some(old), None),
            Some(&new) if new != old => push(*k, ChangeKind::Moved, Some(old), Some(new)),
            Some(&new) if interp_before.get(k) != interp_after.get(k) => {
                push(*k, ChangeKind::Interpreter, Some(old), Some(new));
            }
            _ => {}
        }
    }
    for (k, &new) in &after {
        if !before.contains_key(k) {
            push(*k, ChangeKind::Added, None, Some(new));
        }
    }
    // Sequences as `revise` set them.
    let seq: HashMap<(PartId, PartId), u32> = plan
        .meetings
        .iter()
        .map(|m| {
            let p = event.pair(m.pair);
            (key(p.a, p.b), m.sequence)
        })
        .chain(plan.withdrawn.iter().map(|w| (key(w.a, w.b), w.sequence)))
        .collect();
    for c in out.iter_mut().filter(|c| c.visit.is_none()) {
        c.sequence = seq
            .get(&key(c.participant, c.counterpart))
            .copied()
            .unwrap_or(0);
    }
    // Visit bookings: the visitor and the host firm are told.
    let booked_before: BTreeMap<(PartId, PartId), (VisitId, u32)> = prev
        .visits
        .iter()
        .map(|v| ((v.visitor, v.firm), (v.visit, v.sequence)))
        .collect();
    let booked_after: BTreeMap<(PartId, PartId), (VisitId, u32)> = plan
        .visits
        .iter()
        .map(|b| {
            (
                (b.visitor(event), event.visit(b.visit).firm),
                (b.visit, b.sequence),
            )
        })
        .collect();
    let mut visit_change = |(a, b): (PartId, PartId), kind, before, after, sequence| {
        for (x, y) in [(a, b), (b, a)] {
            out.push(Change {
                participant: x,
                kind,
                counterpart: y,
                before: None,
                after: None,
                sequence,
                visit: Some((before, after)),
                interpreters: (None, None),
                programme: None,
            });
        }
    };
    for (k, &(old, seq)) in &booked_before {
        match booked_after.get(k) {
            None => visit_change(*k, ChangeKind::Cancelled, Some(old), None, seq + 1),
            Some(&(new, s)) if new != old => {
                visit_change(*k, ChangeKind::Moved, Some(old), Some(new), s);
            }
            _ => {}
        }
    }
    for (k, &(new, s)) in &booked_after {
        if !booked_before.contains_key(k) {
            visit_change(*k, ChangeKind::Added, None, Some(new), s);
        }
    }
    out.sort_by(|x, y| {
        let order = |c: &Change| {
            let s = c.after.or(c.before).map(|(s, _)| s);
            (
                event.part(c.participant).id.clone(),
                s,
                event.part(c.counterpart).id.clone(),
            )
        };
        order(x).cmp(&order(y))
    });
    out
}

/// Counts of a re-plan's changes, per meeting (each change is listed once per participant).
pub(crate) fn count(changes: &[Change], kind: ChangeKind) -> usize {
    changes
        .iter()
        .filter(|c| c.kind == kind && c.programme.is_none())
        .count()
        / 2
}

/// The interpreters whose agenda a re-plan changed: every interpreter before or after a
/// changed meeting, where the two differ or the meeting itself changed.
pub(crate) fn interpreters_affected(changes: &[Change]) -> Vec<InterpId> {
    let mut out: Vec<InterpId> = changes
        .iter()
        .flat_map(|c| [c.interpreters.0, c.interpreters.1])
        .flatten()
        .collect();
    out.sort();
    out.dedup();
    out
}
