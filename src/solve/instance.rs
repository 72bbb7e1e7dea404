//! The solver's view of an event: only the pairs that can meet, each with the slots it may use,
//! as plain indices (hot loops index vectors, they never hash).

use crate::event::{Event, Organiser, PairId, SlotId};
use crate::id::{ids, Id};
use std::ops::Range;

/// "No limit" for capacities.
pub const UNLIMITED: u32 = u32::MAX;

#[derive(Debug, Clone)]
pub struct CPair {
    pub id: PairId,
    pub a: usize,
    pub b: usize,
    pub value: u32,
    pub required: bool,
    /// Slots the pair may use, ascending.
    pub slots: Vec<u32>,
    /// Needs one of the floating tables (no fixed table on either side).
    pub floating: bool,
    /// Extra weight: a re-plan puts announced meetings that had to move before new ones.
    pub bonus: u32,
}

#[derive(Debug, Clone)]
pub struct Instance {
    pub n_parts: usize,
    pub n_slots: usize,
    pub sessions: Vec<Range<usize>>,
    pub session_of: Vec<usize>,
    pub cap: Vec<u32>,
    pub max_meet: Vec<u32>,
    pub min_meet: Vec<u32>,
    /// Floating tables usable per slot (`UNLIMITED` without tables.csv).
    pub float_cap: Vec<u32>,
    /// Requested, non-forbidden pairs with at least one possible slot.
    pub pairs: Vec<CPair>,
    /// Requested pairs that have no possible slot at all (forbidden ones excluded).
    pub impossible: Vec<PairId>,
    /// Candidate pairs of each participant.
    pub by_part: Vec<Vec<usize>>,
    /// Largest allowed spread of breaks over participants (max − min), if any.
    pub max_break_spread: Option<u32>,
    /// The promised minimum of meetings (`min_meetings`), capped by what the participant's
    /// candidate pairs, slots and `max_meetings` allow: what a shortfall is counted against.
    pub min_eff: Vec<u32>,
}

impl Instance {
    pub fn new(event: &Event) -> Self {
        let n_slots = event.slots.len();
        let mut pairs = Vec::new();
        let mut impossible = Vec::new();
        for p in ids::<crate::event::Pair>(event.pairs.len()) {
            let pair = event.pair(p);
            if pair.organiser == Organiser::Forbidden {
                continue;
            }
            let slots: Vec<u32> = event
                .pair_slots(p)
                .iter()
                .map(|s| s.index() as u32)
                .collect();
            if slots.is_empty() {
                impossible.push(p);
                continue;
            }
            pairs.push(CPair {
                id: p,
                a: pair.a.index(),
                b: pair.b.index(),
                value: pair.value(),
                required: pair.organiser == Organiser::Required,
                slots,
                floating: pair.host_table.is_none(),
                bonus: 0,
            });
        }
        let mut by_part = vec![Vec::new(); event.participants.len()];
        for (i, p) in pairs.iter().enumerate() {
            by_part[p.a].push(i);
            by_part[p.b].push(i);
        }
        let float_cap = ids::<crate::event::Slot>(n_slots)
            .map(|s: SlotId| {
                event
                    .floating_tables(s)
                    .map_or(UNLIMITED, |t| t.len() as u32)
            })
            .collect();
        Instance {
            n_parts: event.participants.len(),
            n_slots,
            sessions: event.sessions.iter().map(|s| s.slots.clone()).collect(),
            session_of: event.slots.iter().map(|s| s.session).collect(),
            cap: event.participants.iter().map(|p| p.reps).collect(),
            max_meet: event
                .participants
                .iter()
                .map(|p| p.max_meetings.unwrap_or(UNLIMITED))
                .collect(),
            min_meet: event
                .participants
                .iter()
                .map(|p| p.min_meetings.unwrap_or(0))
                .collect(),
            float_cap,
            pairs,
            impossible,
            by_part,
            max_break_spread: None,
            min_eff: Vec::new(),
        }
        .with_minimums()
    }

    fn with_minimums(mut self) -> Self {
        self.min_eff = (0..self.n_parts)
            .map(|i| {
                let slots: usize = {
                    let mut seen = vec![false; self.n_slots];
                    for &p in &self.by_part[i] {
                        for &s in &self.pairs[p].slots {
                            seen[s as usize] = true;
                        }
                    }
                    seen.iter().filter(|&&x| x).count()
                };
                let possible = (self.by_part[i].len() as u64)
                    .min(slots as u64 * u64::from(self.cap[i]))
                    .min(u64::from(self.max_meet[i]));
                self.min_meet[i].min(possible as u32)
            })
            .collect();
        self
    }

    /// Most shortfall a plan can have: the sum of the (capped) minimums.
    pub fn max_shortfall(&self) -> u64 {
        self.min_eff.iter().map(|&m| u64::from(m)).sum()
    }

    /// Weight of one meeting less below a participant's minimum: more than all optional value,
    /// so a promised minimum comes before value (and after the required meetings).
    pub fn short_weight(&self) -> u64 {
        if self.max_shortfall() == 0 {
            0
        } else {
            1 + self.optional_weight()
        }
    }

    fn optional_weight(&self) -> u64 {
        self.pairs
            .iter()
            .filter(|p| !p.required)
            .map(|p| u64::from(p.value + p.bonus))
            .sum()
    }

    /// Phase-1 weight of a pair: a required pair outweighs all optional value and every
    /// minimum together, so maximising the score first places as many required pairs as
    /// possible, then meets the promised minimums, then the value.
    pub fn required_weight(&self) -> u64 {
        1 + self.optional_weight() + self.short_weight() * self.max_shortfall()
    }

    pub fn weight(&self, p: usize, w_req: u64) -> u64 {
        let pair = &self.pairs[p];
        if pair.required {
            w_req
        } else {
            u64::from(pair.value + pair.bonus)
        }
    }

    pub fn slot_id(s: u32) -> SlotId {
        Id::new(s as usize)
    }
}
