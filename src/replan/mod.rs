//! A re-plan's logic (the command is `cmd::replan`): sort the announced meetings (`triage`),
//! turn them into what the solver must respect (`restrictions`), and after solving, what
//! changed for whom (`changes`). Rendering the changes is `export::changes`'s job.

mod changes;
pub(crate) mod programme;
mod triage;

pub(crate) use changes::{changes, count, interpreters_affected, revise, Change, ChangeKind};
pub(crate) use programme::{ItemChange, Listed};
pub(crate) use triage::{triage, Moment, Triage};

use crate::event::{Event, PairId, TableId};
use crate::solve::{Kept, Restrictions, Solved};
use std::collections::HashMap;

/// What the solver must respect: past meetings stay, nothing new before the cut, announced
/// meetings that still fit stay at their slot (or may move with `allow_moves`, unless locked),
/// and those that lost their place come first among the waiting requests.
pub(crate) fn restrictions(
    event: &Event,
    triage: &Triage,
    frozen_until: Option<Moment>,
    allow_moves: bool,
) -> Restrictions {
    Restrictions {
        frozen: triage.frozen.iter().map(|m| (m.pair, m.slot)).collect(),
        closed: event
            .slots
            .iter()
            .map(|s| frozen_until.is_some_and(|f| Moment(s.day, s.start) < f))
            .collect(),
        kept: triage
            .keep
            .iter()
            .filter_map(|e| {
                Some(Kept {
                    pair: e.pair?,
                    slot: e.slot,
                    pinned: !allow_moves || e.locked,
                })
            })
            .collect(),
        displaced: triage.displaced.clone(),
        kept_visits: triage.kept_visits.clone(),
    }
}

/// Tables a re-plan keeps: past meetings' and those of kept meetings still in their slot.
pub(crate) fn table_pins(triage: &Triage, solved: &Solved) -> HashMap<PairId, TableId> {
    let slot_of: HashMap<PairId, crate::event::SlotId> = solved.meetings.iter().copied().collect();
    let mut pins: HashMap<PairId, TableId> = HashMap::new();
    for m in &triage.frozen {
        if let Some(t) = m.table {
            pins.insert(m.pair, t);
        }
    }
    for e in &triage.keep {
        if let (Some(p), Some(t)) = (e.pair, e.table) {
            if slot_of.get(&p) == Some(&e.slot) {
                pins.insert(p, t);
            }
        }
    }
    pins
}

/// Kept meetings the solver moved to another slot (with `--allow-moves`).
pub(crate) fn moves(triage: &Triage, solved: &Solved) -> usize {
    let slot_of: HashMap<PairId, crate::event::SlotId> = solved.meetings.iter().copied().collect();
    triage
        .keep
        .iter()
        .filter(|e| e.pair.is_some_and(|p| slot_of.get(&p) != Some(&e.slot)))
        .count()
}
