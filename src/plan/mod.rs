//! The result: meetings with their slot and table, every requested pair left out with the
//! reason, the meetings a re-plan withdrew, and the solver's bounds. Every figure printed about
//! a plan is computed from it in `figures`, never taken from the solver's state.

mod figures;
mod interpreters;
mod tables;

pub(crate) use crate::solve::explain::Reason;
pub(crate) use figures::{mark_covered, Figures};

use crate::event::{Event, InterpId, PairId, PartId, SlotId, TableId};
use crate::solve::{Bounds, Solved};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Meeting {
    pub pair: PairId,
    pub slot: SlotId,
    pub table: Option<TableId>,
    /// Revision of the announced meeting: 0 when first planned, raised by each re-plan that
    /// moves it (iCalendar SEQUENCE, so calendars update instead of duplicating).
    pub sequence: u32,
    /// The interpreter of a meeting without a shared language (with interpreters.csv).
    pub interpreter: Option<InterpId>,
}

/// An announced meeting a re-plan cancelled: calendars get it as STATUS:CANCELLED.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Withdrawn {
    pub a: PartId,
    pub b: PartId,
    pub slot: SlotId,
    pub table: Option<TableId>,
    pub sequence: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct Unscheduled {
    pub pair: PairId,
    pub reason: Reason,
}

pub(crate) struct Plan {
    /// Sorted by slot (day, start), table, then participant a.
    pub meetings: Vec<Meeting>,
    pub unscheduled: Vec<Unscheduled>,
    /// Announced meetings this re-plan cancelled (empty for a first plan).
    pub withdrawn: Vec<Withdrawn>,
    /// What the solver proved (bounds) and how its search ended.
    pub bounds: Bounds,
    /// Visit requests met, by visit then visitor.
    pub visits: Vec<Booking>,
    /// Announced visits this re-plan took a visitor off (cancelled, or moved to another
    /// visit of the firm): calendars cancel them.
    pub withdrawn_visits: Vec<WithdrawnVisit>,
    /// Revision of each programme item (iCalendar SEQUENCE), by `ItemId`; empty: all 0.
    pub item_seq: Vec<u32>,
    /// Programme items of an earlier plan no longer in the programme: calendars cancel them.
    pub past_items: Vec<PastItem>,
}

/// A programme item an earlier plan announced and the programme no longer has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PastItem {
    pub id: String,
    pub title: String,
    pub day: crate::event::time::Date,
    pub start: crate::event::time::Time,
    pub end: crate::event::time::Time,
    pub who: Vec<PartId>,
    pub sequence: u32,
}

impl Plan {
    /// The revision of programme item `k`.
    pub(crate) fn item_sequence(&self, k: crate::event::ItemId) -> u32 {
        self.item_seq.get(k.index()).copied().unwrap_or(0)
    }
}

/// A visitor's announced visit that a re-plan withdrew, with its raised SEQUENCE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WithdrawnVisit {
    pub visitor: PartId,
    pub visit: crate::event::VisitId,
    pub sequence: u32,
}

/// A visitor booked on a company visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Booking {
    pub pair: PairId,
    pub visit: crate::event::VisitId,
    /// Revision, as a meeting's (iCalendar SEQUENCE).
    pub sequence: u32,
}

impl Booking {
    /// The visitor: the side of the pair that is not the host firm.
    pub(crate) fn visitor(&self, event: &Event) -> PartId {
        let pair = event.pair(self.pair);
        pair.other(event.visit(self.visit).firm)
    }
}

/// Sorts bookings by visit, then visitor.
pub(crate) fn sort_bookings(event: &Event, b: &mut [Booking]) {
    b.sort_by_key(|x| (x.visit, x.visitor(event)));
}

impl Plan {
    /// The solver's meetings at their tables. `pinned`: tables a re-plan keeps (announced
    /// meetings that stay in their slot, and those that already happened).
    pub(crate) fn new(event: &Event, solved: Solved, pinned: &HashMap<PairId, TableId>) -> Plan {
        let mut by_slot: Vec<Vec<PairId>> = vec![Vec::new(); event.slots.len()];
        for &(p, s) in &solved.meetings {
            by_slot[s.index()].push(p);
        }
        let mut meetings = tables::assign(event, by_slot, pinned);
        interpreters::assign(event, &mut meetings, &HashMap::new());
        Plan {
            meetings,
            unscheduled: solved
                .unscheduled
                .into_iter()
                .map(|(pair, reason)| Unscheduled { pair, reason })
                .collect(),
            withdrawn: Vec::new(),
            withdrawn_visits: Vec::new(),
            item_seq: Vec::new(),
            past_items: Vec::new(),
            bounds: solved.bounds,
            visits: {
                let mut v: Vec<Booking> = solved
                    .visits
                    .into_iter()
                    .map(|(pair, visit)| Booking {
                        pair,
                        visit,
                        sequence: 0,
                    })
                    .collect();
                sort_bookings(event, &mut v);
                v
            },
        }
    }
}
