//! Company visits and travel in the solver's terms. A visit request is a candidate pair whose
//! options are the host firm's visits, numbered after the slots (`n_slots + visit`): every
//! phase that walks a pair's options sees them, the visitor is busy in it, and each visit
//! seats its capacity like a slot seats its floating tables. Travel becomes conflicts between
//! options: two engagements one person cannot both hold (they overlap, or leave less than the
//! travel time between their venues). Programme items and the visits a firm hosts are fixed:
//! they only take options away (`Event::pair_slots`, `Event::visit_options`).

use super::instance::Instance;
use crate::event::{Event, SlotId, Span};
use crate::id::ids;

/// Per option (slots, then visits): the options in conflict with it. Slots of one venue never
/// conflict (they do not overlap), so without travel.csv only visits have conflicts.
pub(super) fn conflicts(event: &Event) -> Vec<Vec<u32>> {
    let n_slots = event.slots.len();
    let n = n_slots + event.visits.len();
    if event.visits.is_empty() && event.travel.is_none() {
        return vec![Vec::new(); n];
    }
    let spans: Vec<Span> = ids(n_slots)
        .map(|s: SlotId| event.slot_span(s))
        .chain(
            event
                .visits
                .iter()
                .map(super::super::event::programme::Visit::span),
        )
        .collect();
    let mut out = vec![Vec::new(); n];
    for x in 0..n {
        // Two slots conflict only through travel.
        let first = if x < n_slots && event.travel.is_none() {
            n_slots
        } else {
            x + 1
        };
        for y in first..n {
            if event.spans_conflict(&spans[x], &spans[y]) {
                out[x].push(y as u32);
                out[y].push(x as u32);
            }
        }
    }
    for c in &mut out {
        c.sort_unstable();
    }
    out
}

impl Instance {
    /// Whether the instance holds what the SAT break engine does not encode: visit options or
    /// conflicts between options (travel). Its phases are then skipped.
    pub(crate) fn has_visits_or_travel(&self) -> bool {
        self.n_opts > self.n_slots || self.has_conflicts()
    }

    /// Whether some options conflict (visits, or travel between venues): only then can an
    /// engagement keep its holder from other slots (`covered`).
    pub(super) fn has_conflicts(&self) -> bool {
        self.conflicts.iter().any(|c| !c.is_empty())
    }

    /// Whether participant `i`'s slot `s` is held by a fixed engagement (`Instance::skip`).
    pub(super) fn skipped(&self, i: usize, s: usize) -> bool {
        !self.skip.is_empty() && self.skip[i * self.n_slots + s]
    }

    /// The slots an engagement in option `o` keeps its holder from (they overlap it, or leave
    /// too little time to travel): time spent there or travelling, never idle.
    pub(super) fn covered(&self, o: usize) -> impl Iterator<Item = usize> + '_ {
        let n = self.n_slots;
        self.conflicts[o]
            .iter()
            .map(|&c| c as usize)
            .filter(move |&c| c < n)
    }

    /// Whether option `o` is a visit.
    pub(crate) fn is_visit(&self, o: u32) -> bool {
        o as usize >= self.n_slots
    }
}
