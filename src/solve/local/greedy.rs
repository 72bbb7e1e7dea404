//! Greedy construction: places the unscheduled pairs one by one (required first, then the
//! pairs that bring someone up to a promised minimum, then by value), each into the slot that
//! keeps agendas most compact. Also inserts waiting requests into an existing plan.

use super::{State, NONE};
use std::time::Instant;

impl State<'_> {
    /// Cheapest slot for unscheduled pair `p` by the SA cost, earliest on ties.
    fn best_slot(&mut self, p: usize) -> Option<u32> {
        let mut best: Option<(i64, u32)> = None;
        for k in 0..self.inst.pairs[p].slots.len() {
            let s = self.inst.pairs[p].slots[k];
            if !self.can_place(p, s) {
                continue;
            }
            self.place(p, s);
            let c = self.cost();
            self.remove(p);
            if best.is_none_or(|(bc, _)| c < bc) {
                best = Some((c, s));
            }
        }
        best.map(|(_, s)| s)
    }

    /// Greedy: required pairs first, then by value, the most constrained first; each into the
    /// slot that keeps agendas most compact. Also used to insert waiting requests into a plan.
    pub(crate) fn insert_greedily(&mut self, deadline: Option<Instant>) -> usize {
        let inst = self.inst;
        let mut order: Vec<usize> = (0..inst.pairs.len())
            .filter(|&p| self.slot_of[p] == NONE)
            .collect();
        order.sort_by_key(|&p| {
            let pr = &inst.pairs[p];
            // Displaced announced meetings before new requests, as their weight says.
            (
                !pr.required,
                std::cmp::Reverse(inst.weight(p)),
                pr.slots.len(),
                p,
            )
        });
        let below = |st: &State, i: usize| st.count[i] < inst.min_eff[i];
        // Required pairs lead the order; then the pairs that bring someone up to a promised
        // minimum (both sides below it first); then everything by value.
        let n_req = order
            .iter()
            .take_while(|&&p| inst.pairs[p].required)
            .count();
        // (pass, only while a side is below its minimum)
        let mut passes = vec![(order[..n_req].to_vec(), false)];
        if inst.min_eff.iter().any(|&m| m > 0) {
            let mut helps: Vec<usize> = order[n_req..]
                .iter()
                .copied()
                .filter(|&p| {
                    inst.pairs[p].visit.is_none()
                        && (inst.min_eff[inst.pairs[p].a] > 0 || inst.min_eff[inst.pairs[p].b] > 0)
                })
                .collect();
            helps.sort_by_key(|&p| {
                let pr = &inst.pairs[p];
                let both = inst.min_eff[pr.a] > 0 && inst.min_eff[pr.b] > 0;
                (!both, std::cmp::Reverse(pr.value), pr.slots.len(), p)
            });
            passes.push((helps, true));
        }
        passes.push((order[n_req..].to_vec(), false));
        let mut placed = 0;
        let mut k = 0;
        for (list, minimum_pass) in passes {
            for p in list {
                k += 1;
                if k % 256 == 0 && deadline.is_some_and(|d| Instant::now() > d) {
                    return placed;
                }
                if self.slot_of[p] != NONE {
                    continue;
                }
                let pr = &inst.pairs[p];
                if minimum_pass && !(below(self, pr.a) || below(self, pr.b)) {
                    continue;
                }
                if let Some(s) = self.best_slot(p) {
                    self.place(p, s);
                    placed += 1;
                }
            }
        }
        placed
    }
}
